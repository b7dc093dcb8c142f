"""Errors a user can act on: each names the file, and where it can, the line and field."""


class ExtractError(Exception):
    """An extract cannot be loaded as a whole (no header, unknown type, unreadable file)."""


def read_error(file_name: str, exc: Exception) -> str:
    """One line for an error a bad file caused in DuckDB or the file system, never the
    offending content itself (a line of 10 MB would be echoed whole)."""
    if isinstance(exc, ExtractError):
        return str(exc)
    text = " ".join(str(exc).split())
    if "maximum line size" in text or "max_line_size" in text:
        return (
            f"{file_name}: a line is longer than 10,000,000 characters: no extract has such "
            "lines (a binary file, or one without line breaks)"
        )
    if isinstance(exc, PermissionError):
        return f"{file_name}: cannot be read (permission denied)"
    return f"{file_name}: cannot be read ({type(exc).__name__}: {text[:300]})"
