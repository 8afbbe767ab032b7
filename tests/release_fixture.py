"""A small, valid set of released tables, for tests of publish and validate."""

from __future__ import annotations

import pyarrow as pa

from pipeline.docs.context import TABLES, ReleaseContext
from pipeline.schemas import contract

SHA = "b" * 64
ARTICLE_ID = "a_" + "0" * 15 + "1"
LINES = {
    "parse_confidence": 1.0,
    "lines_title": 1,
    "lines_body": 2,
    "lines_comment_text": 2,
    "lines_handle": 0,
    "lines_chrome": 1,
    "lines_duplicate": 0,
}


def released_tables(title: str = "A headline") -> dict[str, pa.Table]:
    rows = {
        "articles": [
            {
                "article_id": ARTICLE_ID,
                "source_file": "p1.txt",
                "source_sha256": SHA,
                "site": None,
                "layout": "numbered",
                "title": title,
                "body": "Para one.\n\nTwo.",
                "n_comments_declared": 2,
                "n_comments": 2,
                "near_dup_cluster": None,
                "published": None,
                "published_text": None,
                "language": "en",
                "threading_shown": True,
                "handles_shown": False,
            }
        ],
        "comments": [
            {
                "comment_id": "c_" + "0" * 15 + "1",
                "article_id": ARTICLE_ID,
                "parent_id": None,
                "position": 0,
                "depth": 0,
                "author": None,
                "text": "First!",
                "near_dup_cluster": None,
                "thread_id": "c_" + "0" * 15 + "1",
                "published": None,
                "published_text": None,
            },
            {
                "comment_id": "c_" + "0" * 15 + "2",
                "article_id": ARTICLE_ID,
                "parent_id": "c_" + "0" * 15 + "1",
                "position": 1,
                "depth": 1,
                "author": None,
                "text": "Second.",
                "near_dup_cluster": None,
                "thread_id": "c_" + "0" * 15 + "1",
                "published": None,
                "published_text": None,
            },
        ],
        "duplicates": [
            {
                "table": "articles",
                "record_table": "articles",
                "dropped_id": "d_1",
                "kept_id": ARTICLE_ID,
                "reason": "same-page-captured-twice",
                "source_file": "p1-copy.txt",
            }
        ],
        "sources": [
            {
                "source_file": "p1.txt",
                "source_sha256": SHA,
                "bytes": 10,
                "encoding": "utf-8",
                "layout": "numbered",
                "status": "article",
                "reason": None,
                **LINES,
            },
            {
                "source_file": "p1-copy.txt",
                "source_sha256": SHA,
                "bytes": 10,
                "encoding": "utf-8",
                "layout": "numbered",
                "status": "duplicate",
                "reason": None,
                **LINES,
            },
        ],
    }
    return {
        name: pa.Table.from_pylist(rows[name], schema=contract("release", name).arrow_schema())
        for name in TABLES
    }


def release_context(version: str = "1.0.0", title: str = "A headline") -> ReleaseContext:
    return ReleaseContext(
        version=version,
        date="2026-01-01",
        preview=False,
        key_fingerprint="0123abcd",
        tables=released_tables(title),
        table_files={name: (f"{name}.parquet",) for name in TABLES},
    )
