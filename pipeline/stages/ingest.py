"""Ingest: raw seed files -> decoded pages, or rejected inputs with a reason.

Input table ``files`` (source_file, raw bytes; see pipeline/seeds.py) is read
from disk by the runner; this stage only looks at the bytes. An entry the
reader did not read (not a regular file, too large, a name that is not
UTF-8) arrives with ``raw`` null and its reason in ``refused`` (with its
``sha256`` and ``bytes``) and is rejected with that reason. Every input ends
up in exactly one of the two output tables:

* ``pages``: source_file, sha256 of the raw bytes, size, the encoding used,
  and the text with a BOM removed and CRLF/CR turned into LF;
* ``rejected_inputs``: source_file, sha256, size and why (empty, binary,
  control character, undecodable, too large, line too long, not a regular
  file, ...).

Limits (a page beyond them is rejected, not truncated): at most
:data:`MAX_PAGE_BYTES` bytes (20 MiB; a page of 20,000 comments is about
4 MB) and no line longer than :data:`MAX_LINE_CHARS` characters (a text dump
of a news page has paragraphs of a few thousand characters at most; a
longer line is not a page's text).

Decoding: a UTF-32 or UTF-16 byte order mark decides the encoding (strict;
the BOM is removed). Otherwise a NUL byte anywhere in the file makes it
binary; then strict UTF-8 (with or without BOM). Files that are not UTF-8
are legacy pages: strict Windows-1252 next (curly quotes live in 0x91-0x94)
when the result reads as Latin text; otherwise charset-normalizer's guess,
accepted only when it finds coherent language in it (bytes of no encoding
"decode" as some Asian double-byte code page, with no coherence); otherwise
the file is rejected as undecodable. The decoded text is checked whole: a
text that is mostly control characters is binary, and any control
character other than tab, line feed, carriage return, form feed and vertical
tab (NUL, ESC, DEL, the C1 controls, ...) rejects the page with where it is.

This stage never reads or writes files and never drops an input silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import charset_normalizer
import pyarrow as pa

from pipeline.schemas import contract
from pipeline.stage import Dropped, StageReport, StageResult

MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 100_000
_UTF8_BOM = b"\xef\xbb\xbf"
# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Unicode control characters (category Cc: U+0000-001F, U+007F-009F) other than
# tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_SHARE_LIMIT = 0.05
# In a Western-European page read as Windows-1252, accented letters are a
# minority; when most letters are non-ASCII the bytes are another script.
_NON_ASCII_LETTER_LIMIT = 0.3


@dataclass(frozen=True)
class Decoded:
    """A decoded page, or the reason it could not be decoded."""

    text: str | None
    encoding: str | None
    reason: str | None


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR -> LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for _ in _CONTROL.finditer(text)) / len(text)


def too_large_reason(size: int, max_bytes: int) -> str:
    return f"too large: {size:,} bytes, the limit is {max_bytes:,} bytes per page"


def decode_page(
    raw: bytes, max_bytes: int = MAX_PAGE_BYTES, max_line_chars: int = MAX_LINE_CHARS
) -> Decoded:
    """Decode one seed file's bytes, or say why it is not a page."""
    if len(raw) > max_bytes:
        return Decoded(None, None, too_large_reason(len(raw), max_bytes))
    decoded = _decode_unicode_bom(raw)
    if decoded is None:
        if raw.strip(b" \t\r\n" + _UTF8_BOM) == b"":
            return Decoded(None, None, "empty: the file holds no text")
        nul = raw.find(b"\x00")
        if nul >= 0:
            return Decoded(None, None, f"binary: NUL byte at byte offset {nul:,}, not a text page")
        decoded = _decode_text(raw)
    if decoded.text is None:
        return decoded
    text = normalise_newlines(decoded.text)
    problem = _text_problem(text, max_line_chars)
    if problem is not None:
        return Decoded(None, None, problem)
    return Decoded(text, decoded.encoding, None)


def _decode_unicode_bom(raw: bytes) -> Decoded | None:
    """A page that starts with a UTF-32 or UTF-16 byte order mark, decoded strictly."""
    for bom, encoding in _UNICODE_BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw[len(bom) :].decode(encoding), encoding, None)
            except UnicodeDecodeError as error:
                return Decoded(
                    None,
                    None,
                    f"undecodable: starts with a {encoding.upper()} byte order mark but is "
                    f"not {encoding.upper()} (byte offset {error.start + len(bom):,})",
                )
    return None


def _text_problem(text: str, max_line_chars: int) -> str | None:
    """Why a decoded text is not a page (empty, control characters, a line too long), or None."""
    if text.strip() == "":
        return "empty: the file holds no text"
    if _control_share(text) > _CONTROL_SHARE_LIMIT:
        return "binary: mostly control characters, not a text page"
    control = _CONTROL.search(text)
    if control is not None:
        line_start = text.rfind("\n", 0, control.start()) + 1
        return (
            f"control character: U+{ord(control.group()):04X} at line "
            f"{text.count(chr(10), 0, control.start()) + 1:,}, column "
            f"{control.start() - line_start + 1:,}; only tab, line and page breaks are allowed"
        )
    longest = max(enumerate(text.split("\n"), start=1), key=lambda item: len(item[1]))
    if len(longest[1]) > max_line_chars:
        return (
            f"line too long: line {longest[0]:,} has {len(longest[1]):,} characters, "
            f"the limit is {max_line_chars:,}"
        )
    return None


def _decode_text(raw: bytes) -> Decoded:
    body = raw[len(_UTF8_BOM) :] if raw.startswith(_UTF8_BOM) else raw
    try:
        return Decoded(body.decode("utf-8"), "utf-8", None)
    except UnicodeDecodeError:
        pass
    legacy = _strict_cp1252(raw)
    if legacy is not None and _looks_latin(legacy):
        return Decoded(legacy, "cp1252", None)
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and best.percent_coherence > 0:
        return Decoded(str(best), best.encoding, None)
    if legacy is not None:
        return Decoded(legacy, "cp1252", None)
    return Decoded(None, None, "undecodable: not UTF-8, Windows-1252 or a detectable encoding")


def _strict_cp1252(raw: bytes) -> str | None:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _looks_latin(text: str) -> bool:
    """Mostly ASCII letters: a Western page, not another script read as cp1252."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for ch in letters if not ch.isascii())
    return non_ascii / len(letters) <= _NON_ASCII_LETTER_LIMIT


def run(inputs: dict[str, pa.Table], max_bytes: int = MAX_PAGE_BYTES) -> StageResult:
    """files(source_file, raw[, refused, sha256, bytes]) -> pages + rejected_inputs."""
    files = inputs["files"]
    pages: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    refused = _optional_column(files, "refused")
    for source_file, raw, why, sha, size in zip(
        files["source_file"].to_pylist(),
        files["raw"].to_pylist(),
        refused,
        _optional_column(files, "sha256"),
        _optional_column(files, "bytes"),
        strict=True,
    ):
        if why is not None:
            row = {"source_file": source_file, "source_sha256": sha, "bytes": size}
            rejected.append({**row, "reason": why})
            continue
        digest = hashlib.sha256(raw).hexdigest()
        decoded = decode_page(raw, max_bytes)
        row = {"source_file": source_file, "source_sha256": digest, "bytes": len(raw)}
        if decoded.text is None:
            rejected.append({**row, "reason": decoded.reason})
        else:
            pages.append({**row, "encoding": decoded.encoding, "text": decoded.text})
    report = StageReport(counts={"files": files.num_rows, "pages": len(pages)})
    for reason_kind in sorted({str(r["reason"]).split(":")[0] for r in rejected}):
        count = sum(1 for r in rejected if str(r["reason"]).startswith(reason_kind))
        report.dropped.append(Dropped("files", count, reason_kind))
    for r in rejected:
        report.notes.append(f"rejected {r['source_file']}: {r['reason']}")
    return StageResult(
        tables={
            "pages": _table("pages", pages),
            "rejected_inputs": _table("rejected_inputs", rejected),
        },
        report=report,
    )


def _optional_column(files: pa.Table, name: str) -> list[object]:
    """A column the reader sets only for entries it did not read (all null when absent)."""
    if name in files.column_names:
        return files[name].to_pylist()
    return [None] * files.num_rows


def _table(name: str, rows: list[dict[str, object]]) -> pa.Table:
    schema = contract("ingest", name).arrow_schema()
    rows = sorted(rows, key=lambda r: str(r["source_file"]))
    return pa.Table.from_pylist(rows, schema=schema)
