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


PAGE = "Headline\n\nBody of the article.\n\n2 Comments\n\nann says:\nFirst!\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_pages_with_a_bom_are_decoded(encoding: str) -> None:
    raw = "\ufeff".encode(encoding) + (PAGE + CURLY).replace("\n", "\r\n").encode(encoding)
    page = _run({"p.txt": raw})["p.txt"]
    assert not page.get("rejected"), page
    assert page["encoding"] == encoding
    assert page["text"] == PAGE + CURLY


def test_a_bom_that_lies_is_undecodable_not_binary() -> None:
    raw = b"\xff\xfe" + "Headline\n".encode("utf-16-le") + b"\x00"  # odd number of bytes
    assert _run({"p.txt": raw})["p.txt"]["reason"].startswith("undecodable")


@pytest.mark.parametrize("offset", [0, 10_052, 200_000])
def test_a_nul_byte_anywhere_rejects_the_page(offset: int) -> None:
    text = (PAGE * 20_000).encode()[:offset] + b"\x00\x00\x00\x00" + PAGE.encode()
    rejected = _run({"p.txt": text})["p.txt"]
    assert rejected["reason"] == f"binary: NUL byte at byte offset {offset:,}, not a text page"


@pytest.mark.parametrize("control", ["\x1b", "\x07", "\x7f", "\x85"])
def test_one_control_character_anywhere_rejects_the_page_with_where(control: str) -> None:
    text = PAGE * 1000 + "ann says:\nSee " + control + "[31m this\n"
    rejected = _run({"p.txt": text.encode()})["p.txt"]
    line = text.count("\n", 0, text.index(control)) + 1
    assert rejected["reason"].startswith(
        f"control character: U+{ord(control):04X} at line {line:,}, column 5;"
    )


def test_tabs_form_feeds_and_vertical_tabs_are_not_control_characters() -> None:
    page = _run({"p.txt": (PAGE + "\tindented\f\v\n").encode()})["p.txt"]
    assert not page.get("rejected"), page


def test_a_line_longer_than_the_limit_rejects_the_page() -> None:
    limit = ingest.MAX_LINE_CHARS
    ok = _run({"p.txt": (PAGE + "x" * limit + "\n").encode()})["p.txt"]
    assert not ok.get("rejected")
    long = _run({"p.txt": (PAGE + "x" * (limit + 1) + "\n").encode()})["p.txt"]
    assert long["reason"] == (
        f"line too long: line 9 has {limit + 1:,} characters, the limit is {limit:,}"
    )


def test_an_entry_the_reader_did_not_read_is_rejected_with_its_reason() -> None:
    table = pa.table(
        {
            "source_file": ["a.txt", "link.txt"],
            "raw": pa.array([PAGE.encode(), None], pa.binary()),
            "refused": pa.array([None, "not a regular file: symbolic link"], pa.string()),
            "sha256": pa.array([None, "e3b0c44298fc1c149afbf4c8996fb924" * 2], pa.string()),
            "bytes": pa.array([None, 0], pa.int64()),
        }
    )
    result = ingest.run({"files": table})
    (rejected,) = result.tables["rejected_inputs"].to_pylist()
    assert rejected == {
        "source_file": "link.txt",
        "source_sha256": "e3b0c44298fc1c149afbf4c8996fb924" * 2,
        "bytes": 0,
        "reason": "not a regular file: symbolic link",
    }
    assert result.tables["pages"]["source_file"].to_pylist() == ["a.txt"]


def test_report_counts_every_file_and_names_rejections() -> None:
    table = pa.table(
        {"source_file": ["a.txt", "b.txt"], "raw": pa.array([b"ok\n", b""], pa.binary())}
    )
    report = ingest.run({"files": table}).report
    assert report.counts == {"files": 2, "pages": 1}
    assert [(d.count, d.reason) for d in report.dropped] == [(1, "empty")]
    assert any("b.txt" in note for note in report.notes)
