"""A tiny release for the documentation tests: three articles, eight comments.

The tables follow schema/release/*.json exactly (Arrow types from
pipeline.schemas.contract), and cover the cases the documents must describe:
a null site, a stated comment count that differs from the comments found, a
reply thread, a comment without a handle, a removed duplicate comment, a
near-duplicate cluster, two rejected inputs, an article whose page shows no
threading and no handles, two languages and one unknown, and the line
accounting of every parsed input.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipeline.docs.context import TABLES, ReleaseContext
from pipeline.publish import write_table_files
from pipeline.schemas import contract
from pipeline.shards import MAX_ROWS_PER_FILE, release_file_names

A1, A2, A3 = (f"a_{n:016x}" for n in (1, 2, 3))
C = [f"c_{n:016x}" for n in range(1, 10)]
U1, U2 = "u_abcdefghij", "u_klmnopqrs2"
N1 = "n_" + "e" * 16
SHA = [f"{n:064x}" for n in range(1, 7)]


def _articles() -> list[dict[str, object]]:
    base = {"body": "First paragraph.\n\nSecond paragraph.", "near_dup_cluster": None,
            "published": None, "published_text": None, "threading_shown": True,
            "handles_shown": True}
    return [
        {**base, "article_id": A1, "source_file": "001.txt", "source_sha256": SHA[0],
         "site": "southfront.example", "layout": "indented_bullets", "title": "One",
         "n_comments_declared": 6, "n_comments": 5, "language": "en",
         "published": "2020-03-06T00:04", "published_text": "March 6, 2020 at 12:04 am"},
        {**base, "article_id": A2, "source_file": "002.txt", "source_sha256": SHA[1],
         "site": None, "layout": "numbered", "title": "Two | with pipe",
         "n_comments_declared": None, "n_comments": 3, "language": "de"},
        {**base, "article_id": A3, "source_file": "003.txt", "source_sha256": SHA[2],
         "site": None, "layout": "no_handles", "title": "Three", "n_comments_declared": 2,
         "n_comments": 0, "language": None, "threading_shown": False, "handles_shown": False},
    ]  # fmt: skip


def _comment(
    cid: str, aid: str, parent: str | None, pos: int, depth: int, author: str | None, text: str,
    cluster: str | None = None, thread: str | None = None,
) -> dict[str, object]:  # fmt: skip
    return {
        "comment_id": cid, "article_id": aid, "parent_id": parent, "position": pos,
        "depth": depth, "author": author, "text": text, "near_dup_cluster": cluster,
        "thread_id": thread or cid, "published": None, "published_text": None,
    }  # fmt: skip


def _comments() -> list[dict[str, object]]:
    return [
        _comment(C[0], A1, None, 0, 0, U1, "Top comment.", N1),
        _comment(C[1], A1, C[0], 1, 1, U2, f"Reply to {U1}.\n\nSecond paragraph.", thread=C[0]),
        _comment(C[2], A1, C[1], 2, 2, U1, "Deeper reply with ünïcode ✓", thread=C[0]),
        _comment(C[3], A1, None, 3, 0, None, "No handle shown."),
        _comment(C[4], A1, None, 4, 0, U2, "Copypasta text here.", N1),
        _comment(C[5], A2, None, 0, 0, U1, "x" * 300),
        _comment(C[6], A2, None, 1, 0, U2, ""),
        _comment(C[7], A2, C[6], 2, 1, U1, "Reply.", thread=C[6]),
    ]


def _duplicates() -> list[dict[str, object]]:
    return [
        {"table": "comments", "record_table": "comments", "dropped_id": C[8], "kept_id": C[0],
         "reason": "same-comment-twice", "source_file": "001.txt"},
        {"table": "articles", "record_table": "articles", "dropped_id": "a_" + "f" * 16,
         "kept_id": A1, "reason": "same-page-captured-twice", "source_file": "004.txt"},
    ]  # fmt: skip


def _lines(title: int, body: int, text: int, handle: int, chrome: int, dup: int) -> dict:
    names = ("lines_title", "lines_body", "lines_comment_text", "lines_handle", "lines_chrome",
             "lines_duplicate")  # fmt: skip
    return dict(zip(names, (title, body, text, handle, chrome, dup), strict=True))


def _sources() -> list[dict[str, object]]:
    ok = {"encoding": "utf-8", "status": "article", "reason": None, "parse_confidence": 1.0}
    unparsed = {"parse_confidence": None, **dict.fromkeys(_lines(0, 0, 0, 0, 0, 0))}
    return [
        {**ok, "source_file": "001.txt", "source_sha256": SHA[0], "bytes": 100,
         "layout": "indented_bullets", **_lines(1, 2, 6, 4, 3, 2)},
        {**ok, "source_file": "002.txt", "source_sha256": SHA[1], "bytes": 200,
         "layout": "numbered", **_lines(1, 2, 3, 3, 1, 0)},
        {**ok, "source_file": "003.txt", "source_sha256": SHA[2], "bytes": 300,
         "layout": "no_handles", "parse_confidence": 0.75, **_lines(1, 2, 0, 0, 4, 0)},
        {**ok, "source_file": "004.txt", "source_sha256": SHA[3], "bytes": 100,
         "layout": "indented_bullets", "status": "duplicate", **_lines(0, 0, 0, 0, 3, 3)},
        {**unparsed, "source_file": "005.bin", "source_sha256": SHA[4], "bytes": 0,
         "encoding": None, "layout": None, "status": "rejected", "reason": "empty file"},
        {**unparsed, "source_file": "006.txt", "source_sha256": SHA[5], "bytes": 50,
         "encoding": "cp1252", "layout": None, "status": "rejected",
         "reason": "no layout fits: no headline", "parse_confidence": 0.2},
    ]  # fmt: skip


def release_tables() -> dict[str, pa.Table]:
    rows = {
        "articles": _articles(),
        "comments": _comments(),
        "duplicates": _duplicates(),
        "sources": _sources(),
    }
    return {
        name: pa.Table.from_pylist(rows[name], schema=contract("release", name).arrow_schema())
        for name in TABLES
    }


def make_context(
    tables: dict[str, pa.Table] | None = None,
    *,
    version: str = "1.0.0",
    preview: bool = False,
    previous_release: Path | None = None,
    stage_reports: dict[str, dict[str, object]] | None = None,
    max_rows_per_file: int | None = None,
    contact: str | None = None,
) -> ReleaseContext:
    """The tiny release; ``max_rows_per_file`` (all tables) makes larger tables shards."""
    tables = release_tables() if tables is None else tables
    limits = {name: max_rows_per_file or MAX_ROWS_PER_FILE[name] for name in TABLES}
    return ReleaseContext(
        version=version,
        date="2025-01-31",
        preview=preview,
        key_fingerprint="0a1b2c3d",
        tables=tables,
        table_files=release_file_names({n: t.num_rows for n, t in tables.items()}, limits),
        stage_reports=(
            {"anonymise": {"counts": {"mentions_replaced": 1, "emails_masked": 0}}}
            if stage_reports is None
            else stage_reports
        ),
        previous_release=previous_release,
        contact=contact,
    )


def write_tables(ctx: ReleaseContext, out_dir: Path) -> dict[str, str]:
    """Write the context's Parquet files as the publisher does; return name -> sha256."""
    return write_table_files(ctx, out_dir)
