"""Look at a file before DuckDB parses it: which line is the header, how it is delimited,
where each field stands and how numbers are written. The header search decodes only the
first lines. Everything found here becomes parameters of the SQL in `ingestion.parse`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ingestion.errors import ExtractError
from ingestion.intake import UTF8_BOM, Readable, _utf16
from ingestion.specs import ExtractSpec

HEADER_SEARCH_LINES = 200
DELIMITERS = (";", "\t", "|", ",")


@dataclass(frozen=True)
class Header:
    line_no: int  # 1-based physical line of the header
    text: str
    delimiter: str
    positions: dict[str, int]  # SAP field -> 1-based field position
    field_count: int
    decimal_comma: bool
    quoted: bool  # fields may be quoted and hold the delimiter: split quote-aware


def head_facts(path: Path, head_bytes: int = 1 << 20) -> Readable | None:
    """How to read a plain UTF-8 or Latin-1 file, from its first megabyte only (no line
    count): enough to find the header and read the periods, for questions that must not
    cost a full pass. None for a file that needs intake.readable (UTF-16)."""
    with path.open("rb") as handle:
        head = handle.read(head_bytes)
    if _utf16(head):
        return None
    try:
        head.decode("utf-8")
        is_utf8 = True
    except UnicodeDecodeError as exc:
        # A character cut at the end of the head is not a sign of another encoding.
        is_utf8 = exc.start >= len(head) - 3
    return Readable(
        path=path,
        encoding="utf-8" if is_utf8 else "latin-1",
        has_bom=head.startswith(UTF8_BOM),
        line_count=-1,
        has_quote=b'"' in head,
        source_encoding="utf-8" if is_utf8 else "latin-1",
    )


def normalise_label(label: str) -> str:
    """Header labels compare case-, space- and punctuation-insensitively."""
    return re.sub(r"[^0-9a-z]+", "", label.strip().strip('"').lower().replace("ø", "o"))


@lru_cache(maxsize=8)
def _alias_table(extra_path: str | None) -> dict[tuple[str, str], str]:
    """(extract or '*', normalised label) -> SAP field, from the shipped and a user file."""
    rows: list[dict[str, str]] = []
    shipped = resources.files("ingestion").joinpath("header_aliases.csv")
    rows += list(csv.DictReader(shipped.read_text(encoding="utf-8").splitlines()))
    if extra_path:
        user_file = Path(extra_path)
        if not user_file.exists():
            raise ExtractError(f"{user_file}: header alias file not found")
        try:
            text = user_file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = user_file.read_text(encoding="latin-1")  # saved from Excel on Windows
        rows += list(csv.DictReader(text.splitlines()))
    table: dict[tuple[str, str], str] = {}
    for line_no, row in enumerate(rows, start=2):
        try:
            table[(row["extract"].strip() or "*", normalise_label(row["label"]))] = (
                row["field"].strip().upper()
            )
        except (KeyError, AttributeError) as exc:
            raise ExtractError(
                f"header aliases, line {line_no}: need columns extract,label,field"
            ) from exc
    return table


def field_for_label(spec: ExtractSpec, label: str, aliases_path: str | None) -> str | None:
    norm = normalise_label(label)
    known = {normalise_label(c.name): c.name for c in spec.columns}
    if norm in known:
        return known[norm]
    table = _alias_table(aliases_path)
    return table.get((spec.name, norm)) or table.get(("*", norm))


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        line = line.strip().strip("|")
    if '"' in line:
        return next(csv.reader([line], delimiter=delimiter))
    return line.split(delimiter)


def read_head(source: Readable, max_lines: int) -> list[str]:
    lines: list[str] = []
    encoding = "utf-8-sig" if source.has_bom else source.encoding
    # A bad byte further down is the parser's to quarantine, not the header search's.
    with source.path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        for line in handle:
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= max_lines:
                break
    return lines


def find_header(
    source: Readable, spec: ExtractSpec, aliases_path: str | None = None, name: str = ""
) -> Header:
    """Find the header line: the first line whose labels name every required field.
    `name` is the file name messages give (the source may be a working copy)."""
    name = name or source.path.name
    head = read_head(source, HEADER_SEARCH_LINES + 2000)
    required = {c.name for c in spec.columns if c.required}
    spec_fields = {c.name for c in spec.columns}
    best: tuple[int, int, str, set[str]] = (0, 0, "", set())
    for index, line in enumerate(head[:HEADER_SEARCH_LINES]):
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            labels = _split(line, delimiter)
            positions: dict[str, int] = {}
            twice: list[str] = []
            for pos, label in enumerate(labels, start=1):
                sap_field = field_for_label(spec, label, aliases_path)
                if sap_field in positions:
                    twice.append(f"{sap_field} (fields {positions[sap_field]} and {pos})")
                elif sap_field in spec_fields:
                    positions[sap_field] = pos
            found = required & positions.keys()
            if found == required and twice:
                raise ExtractError(
                    f"{name}, line {index + 1}: the header names {', '.join(twice)} twice; "
                    "which one holds the data is not clear, so the file is not loaded"
                )
            if found == required:
                sample = head[index + 1 :]
                return Header(
                    line_no=index + 1,
                    text=line,
                    delimiter=delimiter,
                    positions=positions,
                    field_count=len(labels),
                    decimal_comma=_decimal_comma(sample, delimiter, positions, spec),
                    quoted=source.has_quote,
                )
            if len(found) > best[0]:
                best = (len(found), index + 1, delimiter, required - found)
    if best[0]:
        raise ExtractError(
            f"{name}, line {best[1]}: header lacks the required field(s) "
            f"{', '.join(sorted(best[3]))} of extract {spec.name} "
            "(add a mapping to the header alias file if they have other labels)"
        )
    raise ExtractError(
        f"{name}: no header line naming the fields of extract {spec.name} "
        f"({', '.join(sorted(required))}) in the first {HEADER_SEARCH_LINES} lines"
    )


_NUMBER = re.compile(r"^-?[\d.,' ]*\d[\d.,' ]*-?$")


def _decimal_comma(
    sample: list[str], delimiter: str, positions: dict[str, int], spec: ExtractSpec
) -> bool:
    """Decide from the data whether `,` or `.` is the decimal separator (SAP default: `,`).

    A value whose last separator is `,` votes for decimal comma; one whose last separator
    is `.` followed by other than three digits (so not a thousands group) votes for point.
    """
    numeric = [positions[c.name] for c in spec.columns if c.sap_type in {"CURR", "QUAN", "DEC"}]
    numeric = [p for p in numeric if p]
    comma = point = 0
    for line in sample:
        fields = _split(line, delimiter)
        for pos in numeric:
            if pos > len(fields):
                continue
            value = fields[pos - 1].strip().strip('"')
            if not _NUMBER.match(value):
                continue
            last_comma, last_point = value.rfind(","), value.rfind(".")
            if last_comma > last_point:
                comma += 1
            elif last_point > last_comma:
                decimals = len(value.rstrip("-")) - last_point - 1
                if last_comma >= 0 or decimals != 3:
                    point += 1
    return comma >= point
