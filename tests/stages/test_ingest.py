"""ingest: every file becomes a page or a rejected input with a reason; real bytes."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.stages import ingest


def _run(files: dict[str, bytes], **options) -> dict[str, dict]:
    table = pa.table(
        {"source_file": list(files), "raw": pa.array(list(files.values()), pa.binary())}
    )
    result = ingest.run({"files": table}, **options)
    pages = {r["source_file"]: r for r in result.tables["pages"].to_pylist()}
    rejected = {r["source_file"]: r for r in result.tables["rejected_inputs"].to_pylist()}
    assert set(pages) | set(rejected) == set(files) and not set(pages) & set(rejected)
    return {**pages, **{k: {**v, "rejected": True} for k, v in rejected.items()}}


RUSSIAN = "Привет, как дела? Это обычный текст новостей о политике."  # noqa: RUF001
CURLY = "He said \u201cno\u201d \u2013 it\u2019s over\u2026"


@pytest.mark.parametrize(
    ("raw", "encoding", "text"),
    [
        (b"Title\n\nBody\n", "utf-8", "Title\n\nBody\n"),
        (b"\xef\xbb\xbfTitle\r\nBody\r\n", "utf-8", "Title\nBody\n"),
        (b"Title\rOld Mac line ends\r", "utf-8", "Title\nOld Mac line ends\n"),
        (CURLY.encode("cp1252") + b"\r\n", "cp1252", CURLY + "\n"),
        ("caf\u00e9 na\u00efve \u00a0nbsp".encode(), "utf-8", "caf\u00e9 na\u00efve \u00a0nbsp"),
        (RUSSIAN.encode("cp1251"), "cp1251", RUSSIAN),
    ],
    ids=["utf8", "bom-crlf", "cr", "cp1252-curly-quotes", "utf8-nbsp", "cp1251-not-mojibake"],
)
def test_pages_are_decoded_without_mojibake(raw: bytes, encoding: str, text: str) -> None:
    page = _run({"p.txt": raw})["p.txt"]
    assert page["encoding"] == encoding
    assert page["text"] == text
    assert page["bytes"] == len(raw)
    assert "\u00e2\u20ac" not in page["text"]  # the classic UTF-8-read-as-cp1252 mojibake


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"Headline\n\nText " + b"\x81\x8d\x8f\x90\x9d\xc3\x28" * 40, "undecodable"),
    ],
    ids=["zero-bytes", "whitespace-only", "png", "control-bytes", "no-encoding-fits"],
)
def test_unusable_files_are_rejected_with_a_reason(raw: bytes, reason: str) -> None:
    rejected = _run({"bad.bin": raw})["bad.bin"]
    assert rejected.get("rejected")
    assert rejected["reason"].startswith(reason)


def test_too_large_files_are_rejected_not_read() -> None:
    rejected = _run({"big.txt": b"x" * 101}, max_bytes=100)["big.txt"]
    assert rejected["reason"].startswith("too large")


def test_report_counts_every_file_and_names_rejections() -> None:
    table = pa.table(
        {"source_file": ["a.txt", "b.txt"], "raw": pa.array([b"ok\n", b""], pa.binary())}
    )
    report = ingest.run({"files": table}).report
    assert report.counts == {"files": 2, "pages": 1}
    assert [(d.count, d.reason) for d in report.dropped] == [(1, "empty")]
    assert any("b.txt" in note for note in report.notes)
