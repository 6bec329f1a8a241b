"""Groups: automatic groups derived from roles, and named groups that category permissions cite."""
