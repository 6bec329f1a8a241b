"""Topics and posts: the composer, the topic view, lists, revisions, deletion and restoring."""
