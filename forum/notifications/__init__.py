"""Notifications and the /live Socket.IO namespace (the user's room, topic rooms for live posts)."""
