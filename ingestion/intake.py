"""Take a dropped file in: copy it into the archive while hashing it, and load that copy.

The loader never parses the inbox file itself. One pass reads the inbox file in large
chunks, writes them to a temporary file in the archive, hashes them and notes what the
parser needs (encoding, line count, quotes). The copy is then renamed to
archive/<sha256>/<name>, so the rows loaded always come from exactly the bytes that were
hashed and archived. A file whose size or modification time changes while it is copied
is still being written: it is left in the inbox for the next run.

Encodings: UTF-8 (with or without BOM) and Latin-1 are read as they are. UTF-16 (with a
BOM, or recognised by its zero bytes) is decoded into a UTF-8 working copy. A file that
is neither valid UTF-8 nor clean Latin-1 (UTF-8 lines and other bytes mixed) is never
re-decoded silently: its lines are decoded one by one in the encoding most of them use,
and each line that fails is quarantined with its number and the offending byte.

The inbox index (archive/_inbox_index.json) remembers, per file name, the size,
modification time, inode and change time of the file last taken in and its sha256. A
file whose four are unchanged is not read again; any rewrite (also one that restores
the size and modification time, as `cp -p`, `rsync -t` or unzip do) changes the change
time or the inode, so the file is hashed and compared by content.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.errors import ExtractError

CHUNK = 16 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
INDEX_FILE = "_inbox_index.json"
# A byte sequence that only UTF-8 text produces (a lead byte and its continuation bytes).
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


class StillBeingWritten(ExtractError):
    """The file changed while it was read: left in the inbox for the next run."""


@dataclass(frozen=True)
class Readable:
    """What the parser reads: a file (the archived copy, or a UTF-8 working copy of it)
    in an encoding DuckDB knows, and the lines to quarantine before parsing."""

    path: Path
    encoding: str  # "utf-8" or "latin-1", as DuckDB's read_csv names them
    has_bom: bool
    line_count: int  # physical lines, counted independently of DuckDB
    has_quote: bool
    source_encoding: str  # what the file was: utf-8, latin-1, utf-16-le, mixed utf-8 ...
    line_errors: dict[int, str] = field(default_factory=dict)  # line number -> reason


@dataclass(frozen=True)
class TakenIn:
    sha256: str
    archived: Path
    size: int
    signature: list[int]


def signature(path: Path) -> list[int]:
    """What changes whenever a file's bytes may have changed, read without opening it."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def _index_path(archive: Path) -> Path:
    return archive / INDEX_FILE


def read_index(archive: Path) -> dict[str, dict]:
    try:
        return json.loads(_index_path(archive).read_text())
    except (OSError, ValueError):
        return {}


def known_hash(path: Path, archive: Path, index: dict[str, dict] | None = None) -> str | None:
    """The sha256 of this inbox file if it was taken in before and has not been touched
    since (same size, modification time, inode and change time); None otherwise."""
    index = read_index(archive) if index is None else index
    entry = index.get(path.name)
    try:
        current = signature(path)
    except OSError:
        return None
    if entry and entry.get("signature") == current:
        return entry.get("sha256")
    return None


def remember(path: Path, archive: Path, taken: TakenIn) -> None:
    """Record that the inbox file, as it is now, was taken in (written atomically)."""
    index = read_index(archive)
    index[path.name] = {"signature": taken.signature, "sha256": taken.sha256}
    archive.mkdir(parents=True, exist_ok=True)
    tmp = archive / f".{INDEX_FILE}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(index, sort_keys=True))
    tmp.replace(_index_path(archive))


def take_in(path: Path, archive: Path) -> TakenIn:
    """Copy the file into the archive while hashing it; the copy is what gets loaded."""
    try:
        before = signature(path)
        archive.mkdir(parents=True, exist_ok=True)
        tmp = archive / f".incoming-{uuid.uuid4().hex}.tmp"
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as source, tmp.open("wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
                size += len(chunk)
        after = signature(path)
    except PermissionError as exc:
        raise ExtractError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    except OSError as exc:
        raise ExtractError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if before[:2] != after[:2] or size != after[0]:
        tmp.unlink(missing_ok=True)
        raise StillBeingWritten(
            f"{path.name}: changed while it was read (size {before[0]} -> {after[0]} bytes); "
            "it is still being written, and is left for the next run"
        )
    sha = digest.hexdigest()
    target = archive / sha / path.name
    if target.exists():
        tmp.unlink()
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.utime(tmp, ns=(after[1], after[1]))
        tmp.replace(target)
    return TakenIn(sha, target, size, after)


def _utf16(head: bytes) -> str | None:
    for bom, name in UTF16_BOMS.items():
        if head.startswith(bom):
            return name
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        # ASCII text in UTF-16 has a zero byte beside nearly every character.
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    return None


def _scan(path: Path) -> tuple[bool, int, bool, bool]:
    """(valid UTF-8, line count, holds a quote, irregular line ends) in one pass over the
    bytes. Irregular: a CR that ends no line, or CRLF and LF mixed (DuckDB decides on one
    newline per file and would split or join lines otherwise than the count here)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8, newlines, size, has_quote, last = True, 0, 0, False, b""
    crs = crlfs = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            crs += chunk.count(b"\r")
            crlfs += chunk.count(b"\r\n")
            newlines += chunk.count(b"\n")
            size += len(chunk)
            has_quote = has_quote or b'"' in chunk
            last = chunk[-1:]
            if is_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    irregular = crs != crlfs or 0 < crlfs < newlines
    return is_utf8, newlines + (1 if size and last != b"\n" else 0), has_quote, irregular


def _transcode_utf16(path: Path, encoding: str, work: Path) -> Path:
    target = work / f"{path.name}.utf8"
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
            first = True
            while chunk := source.read(CHUNK):
                text = decoder.decode(chunk)
                if first:
                    text, first = text.removeprefix("\ufeff"), False
                out.write(text)
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise ExtractError(
            f"{path.name}: looks like {encoding.upper()} but byte {exc.start} cannot be "
            "decoded; save it as UTF-8"
        ) from exc
    return target


def _decode_line_by_line(path: Path, work: Path) -> tuple[Path, str, dict[int, str]]:
    """A file mixing UTF-8 and other bytes: decode each line in the encoding most of its
    non-ASCII lines use, quarantine the lines that do not fit."""
    utf8_lines = other_lines = 0
    with path.open("rb") as handle:
        for raw in handle:
            if raw.isascii():
                continue
            try:
                raw.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError:
                other_lines += 1
    majority = "utf-8" if utf8_lines >= other_lines else "latin-1"
    errors: dict[int, str] = {}
    target = work / f"{path.name}.utf8"
    with path.open("rb") as handle, target.open("w", encoding="utf-8", newline="") as out:
        for line_no, raw in enumerate(handle, start=1):
            if line_no == 1 and raw.startswith(UTF8_BOM):
                raw = raw[len(UTF8_BOM) :]
            if majority == "utf-8":
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    errors[line_no] = (
                        f"not valid UTF-8: byte 0x{raw[exc.start]:02X} at column {exc.start + 1} "
                        "(the rest of the file is UTF-8)"
                    )
                    text = raw.decode("utf-8", errors="replace")
            else:
                text = raw.decode("latin-1")
                if not raw.isascii() and UTF8_SEQUENCE.search(raw):
                    errors[line_no] = (
                        "UTF-8 text in a Latin-1 file: the line would be read as mojibake"
                    )
            out.write(text)
    return target, majority, errors


def readable(archived: Path, work: Path) -> Readable:
    """The archived copy as the parser reads it; `work` holds any working copy."""
    source, bare_cr = _decoded(archived, work)
    if not bare_cr:
        return source
    return _with_line_ends_normalised(source, work)


def _with_line_ends_normalised(source: Readable, work: Path) -> Readable:
    """Line ends as the parser counts them (LF). A file whose lines end in CR alone (old
    Mac exports) is read line by line on CR; in a file of LF or CRLF lines (mixed or not),
    each line ends in LF, and a CR inside a line is a stray: the line is quarantined with
    its number (DuckDB would break it)."""
    raw = source.path.read_bytes()
    target = work / f"{source.path.name}.lf"
    errors = dict(source.line_errors)
    if b"\n" not in raw:
        target.write_bytes(raw.replace(b"\r", b"\n"))
    else:
        lines = raw.split(b"\n")
        for number, line in enumerate(lines, start=1):
            body = line[:-1] if line.endswith(b"\r") else line
            if b"\r" in body:
                at = body.index(b"\r") + 1
                errors.setdefault(
                    number, f"stray carriage return (CR) inside the line at byte {at}"
                )
                body = body.replace(b"\r", b" ")
            lines[number - 1] = body
        target.write_bytes(b"\n".join(lines))
    _, count, has_quote, _ = _scan(target)
    return Readable(
        target, source.encoding, source.has_bom, count, has_quote, source.source_encoding, errors
    )


def _decoded(archived: Path, work: Path) -> tuple[Readable, bool]:
    """The archived copy in an encoding DuckDB reads, with the lines that do not fit, and
    whether it holds a CR that ends no line."""
    with archived.open("rb") as handle:
        head = handle.read(1 << 16)
    utf16 = _utf16(head)
    if utf16:
        decoded = _transcode_utf16(archived, utf16, work)
        _, lines, has_quote, bare_cr = _scan(decoded)
        return Readable(decoded, "utf-8", False, lines, has_quote, utf16), bare_cr
    is_utf8, lines, has_quote, bare_cr = _scan(archived)
    has_bom = head.startswith(UTF8_BOM)
    if is_utf8:
        return Readable(archived, "utf-8", has_bom, lines, has_quote, "utf-8"), bare_cr
    if not _has_utf8_sequence(archived):
        return Readable(archived, "latin-1", False, lines, has_quote, "latin-1"), bare_cr
    decoded, majority, errors = _decode_line_by_line(archived, work)
    _, lines, has_quote, bare_cr = _scan(decoded)
    mixed = f"mixed, read as {majority}"
    return Readable(decoded, "utf-8", False, lines, has_quote, mixed, errors), bare_cr


def _has_utf8_sequence(path: Path) -> bool:
    with path.open("rb") as handle:
        tail = b""
        while chunk := handle.read(CHUNK):
            if UTF8_SEQUENCE.search(tail + chunk):
                return True
            tail = chunk[-3:]
    return False
