"""Ingest: raw seed files -> decoded pages, or rejected inputs with a reason.

Input table ``files`` (source_file, raw bytes) is read from disk by the runner;
this stage only looks at the bytes. Every input ends up in exactly one of the
two output tables:

* ``pages``: source_file, sha256 of the raw bytes, size, the encoding used,
  and the text with a BOM removed and CRLF/CR turned into LF;
* ``rejected_inputs``: source_file, sha256, size and why (empty, binary,
  undecodable, too large).

Decoding: strict UTF-8 first (with or without BOM). Files that are not UTF-8
are legacy pages: strict Windows-1252 next (curly quotes live in 0x91-0x94)
when the result reads as Latin text; otherwise charset-normalizer's guess,
accepted only when it finds coherent language in it (bytes of no encoding
"decode" as some Asian double-byte code page, with no coherence); otherwise
the file is rejected as undecodable. A decoded text that is mostly control
characters is rejected rather than published as mojibake.

This stage never reads or writes files and never drops an input silently.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import charset_normalizer
import pyarrow as pa

from pipeline.schemas import contract
from pipeline.stage import Dropped, StageReport, StageResult

MAX_PAGE_BYTES = 64 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
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
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return controls / len(text)


def decode_page(raw: bytes, max_bytes: int = MAX_PAGE_BYTES) -> Decoded:
    """Decode one seed file's bytes, or say why it is not a page."""
    if len(raw) > max_bytes:
        return Decoded(None, None, f"too large: {len(raw)} bytes, the limit is {max_bytes}")
    if raw.strip() == b"" or raw.strip(b" \t\r\n" + _UTF8_BOM) == b"":
        return Decoded(None, None, "empty: the file holds no text")
    if b"\x00" in raw[:8192]:
        return Decoded(None, None, "binary: NUL bytes, not a text page")
    decoded = _decode_text(raw)
    if decoded.text is None:
        return decoded
    if _control_share(decoded.text) > _CONTROL_SHARE_LIMIT:
        return Decoded(None, None, "binary: mostly control characters, not a text page")
    return Decoded(normalise_newlines(decoded.text), decoded.encoding, None)


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
    """files(source_file, raw) -> pages + rejected_inputs."""
    files = inputs["files"]
    pages: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    for source_file, raw in zip(
        files["source_file"].to_pylist(), files["raw"].to_pylist(), strict=True
    ):
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


def _table(name: str, rows: list[dict[str, object]]) -> pa.Table:
    schema = contract("ingest", name).arrow_schema()
    rows = sorted(rows, key=lambda r: str(r["source_file"]))
    return pa.Table.from_pylist(rows, schema=schema)
