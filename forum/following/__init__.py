"""Following: watching levels, new and unread topics, read positions and bookmarks."""
