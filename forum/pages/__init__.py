"""Site pages that admins edit with revisions, such as the code of conduct (/guidelines)."""
