"""Demo and benchmark data: the Russian demo community and a large dataset for benchmarks.

`flask --app wsgi forum demo` and `flask --app wsgi forum seed-bench` call into this package.

- data.py   — the demo's people, categories, groups and conversations, as plain data;
- loader.py — load_demo_community(): builds the demo through the real services;
- bench.py  — seed_benchmark_data(): bulk-inserts a large dataset with correct counters.
"""
