"""Use cases of the counter and the back office; each write is one database transaction."""
