"""Errors a user can act on: each names the file, and where it can, the line and field."""


class ExtractError(Exception):
    """An extract cannot be loaded as a whole (no header, unknown type, unreadable file)."""
