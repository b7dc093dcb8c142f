"""How the demo writes values and files the way SAP downloads look (decimal comma,
thousands point, trailing minus; `;`-separated with a header line)."""

from __future__ import annotations

from pathlib import Path


def sap_number(value: float, decimals: int = 2) -> str:
    """1234.5 -> '1.234,50'; -1234.5 -> '1.234,50-'."""
    text = f"{abs(value):,.{decimals}f}".translate(str.maketrans(",.", ".,"))
    return text + ("-" if value < 0 else "")


def write_extract(
    path: Path, header: list[str], rows: list[list[str]], delimiter=";", encoding="utf-8"
) -> None:
    text = "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
