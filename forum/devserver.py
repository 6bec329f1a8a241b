"""`make run`: the development server with Socket.IO (never the production path; see README)."""

from __future__ import annotations

import argparse

from forum import create_app
from forum.extensions import socketio


def main() -> None:
    parser = argparse.ArgumentParser(description="Kafedra development server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    app = create_app()
    print(f" * Kafedra on http://{args.host}:{args.port}/  (Ctrl+C stops)")
    socketio.run(app, host=args.host, port=args.port, debug=False, use_reloader=False,
                 allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
