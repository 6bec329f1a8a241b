"""Live chat: channels, seminar rooms and direct conversations, over Socket.IO and plain pages."""
