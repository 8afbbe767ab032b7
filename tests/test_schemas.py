"""schema/ is the single source of truth: Frictionless and pandera must agree."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pyarrow as pa
import pytest

from pipeline.runner import frictionless_problems
from pipeline.schemas import SCHEMA_DIR, contract, relation_problems, table_problems
from pipeline.tables import write_parquet

ALL_SCHEMAS = sorted(SCHEMA_DIR.glob("*/*.json"))


@pytest.mark.parametrize("path", ALL_SCHEMAS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_schema_is_a_valid_frictionless_table_schema(path: Path) -> None:
    report = frictionless.validate(str(path), type="schema")
    assert report.valid, report.flatten(["type", "note"])


def test_same_named_fields_mean_the_same_across_stages() -> None:
    """A column is described once: wherever it appears, type and description agree
    (the published text column differs on purpose: it is anonymised)."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for path in ALL_SCHEMAS:
        table = path.stem
        for field in json.loads(path.read_text())["fields"]:
            name = field["name"]
            key = (name, "anonymised" if "pseudonym" in field.get("description", "") else table)
            scope = (name, field["type"])
            if name in {"text", "reason", "encoding", "layout", "source_file"}:
                continue  # same name, different tables: checked per table below
            previous = seen.setdefault((name, key[1] if name == "text" else ""), scope)
            assert previous == scope, f"{path}: field {name} differs from another stage"


def _contract_table(stage: str, table: str, rows: list[dict]) -> pa.Table:
    """Rows in the contract's types, nullable everywhere so bad rows can be built."""
    schema = contract(stage, table).arrow_schema()
    loose = pa.schema([field.with_nullable(True) for field in schema])
    return pa.Table.from_pylist(rows, schema=loose)


SHA = "a" * 64
GOOD_SOURCE = {
    "source_file": "a.txt",
    "source_sha256": SHA,
    "bytes": 10,
    "encoding": "utf-8",
    "layout": "numbered",
    "status": "article",
    "reason": None,
    "parse_confidence": 1.0,
    "lines_title": 1,
    "lines_body": 3,
    "lines_comment_text": 2,
    "lines_handle": 1,
    "lines_chrome": 4,
    "lines_duplicate": 0,
}

# (description, rows) for release/sources: every kind of violation the
# constraints express, plus good tables with nulls and empty-but-allowed values.
SOURCES_CASES = [
    ("good", [GOOD_SOURCE], True),
    (
        "good with nulls",
        [
            {
                **GOOD_SOURCE,
                "encoding": None,
                "layout": None,
                "status": "rejected",
                "reason": "empty",
            }
        ],
        True,
    ),
    ("null in required", [{**GOOD_SOURCE, "source_file": None}], False),
    ("empty string where minLength 1", [{**GOOD_SOURCE, "layout": ""}], False),
    ("enum violated", [{**GOOD_SOURCE, "status": "lost"}], False),
    ("pattern violated", [{**GOOD_SOURCE, "source_sha256": "xyz"}], False),
    ("minimum violated", [{**GOOD_SOURCE, "bytes": -1}], False),
    ("unique violated", [GOOD_SOURCE, {**GOOD_SOURCE}], False),
]

COMMENT = {
    "comment_id": "c_" + "1" * 16,
    "article_id": "a_" + "2" * 16,
    "parent_id": None,
    "position": 0,
    "depth": 0,
    "author": "u_abcdefghij",
    "text": "",
    "near_dup_cluster": None,
    "thread_id": "c_" + "1" * 16,
    "published": None,
    "published_text": None,
}
COMMENTS_CASES = [
    ("good, empty text allowed", [COMMENT], True),
    ("null text", [{**COMMENT, "text": None}], False),
    ("bad author pattern", [{**COMMENT, "author": "Siegfried"}], False),
    ("bad parent pattern", [{**COMMENT, "parent_id": "nope"}], False),
    ("duplicate primary key", [COMMENT, {**COMMENT, "position": 1}], False),
]


def _verdicts(stage: str, table: str, rows: list[dict], tmp_path: Path) -> tuple[bool, bool]:
    arrow = _contract_table(stage, table, rows)
    pandera_ok = not table_problems(contract(stage, table), arrow)
    path = tmp_path / f"{table}.parquet"
    write_parquet(arrow, path)
    problems, _ = frictionless_problems(stage, table, path)
    return pandera_ok, not problems


@pytest.mark.parametrize("case", SOURCES_CASES, ids=lambda c: c[0])
def test_frictionless_and_pandera_agree_on_sources(case, tmp_path: Path) -> None:
    _, rows, expected = case
    assert _verdicts("release", "sources", rows, tmp_path) == (expected, expected)


@pytest.mark.parametrize("case", COMMENTS_CASES, ids=lambda c: c[0])
def test_frictionless_and_pandera_agree_on_comments(case, tmp_path: Path) -> None:
    _, rows, expected = case
    assert _verdicts("release", "comments", rows, tmp_path) == (expected, expected)


ARTICLE = {
    "article_id": "a_" + "2" * 16,
    "source_file": "a.txt",
    "source_sha256": SHA,
    "site": None,
    "layout": "numbered",
    "title": "T",
    "body": "B",
    "n_comments_declared": None,
    "n_comments": 1,
    "near_dup_cluster": None,
    "published": None,
    "published_text": None,
    "language": None,
    "threading_shown": True,
    "handles_shown": True,
}


@pytest.mark.parametrize("known", [True, False], ids=["key-present", "key-missing"])
def test_foreign_keys_frictionless_package_and_arrow_check_agree(known: bool, tmp_path) -> None:
    articles = _contract_table("release", "articles", [ARTICLE])
    comment = COMMENT if known else {**COMMENT, "article_id": "a_" + "9" * 16}
    comments = _contract_table("release", "comments", [comment])
    ours = not relation_problems("release", {"articles": articles, "comments": comments})
    write_parquet(articles, tmp_path / "articles.parquet")
    write_parquet(comments, tmp_path / "comments.parquet")
    package = frictionless.Package.from_descriptor(
        {
            "resources": [
                {
                    "name": name,
                    "path": f"{name}.parquet",
                    "schema": {
                        k: v
                        for k, v in contract("release", name).descriptor.items()
                        if k not in {"$schema", "title", "description"}
                    },
                }
                for name in ("articles", "comments")
            ]
        },
        basepath=str(tmp_path),
    )
    theirs = package.validate().valid
    assert ours == theirs == known


def test_threading_laws_are_checked() -> None:
    rows = [
        {**COMMENT, "comment_id": "c_" + "1" * 16, "position": 0},
        {
            **COMMENT,
            "comment_id": "c_" + "3" * 16,
            "position": 1,
            "parent_id": "c_" + "1" * 16,
            "depth": 2,
        },
    ]
    comments = _contract_table("release", "comments", rows)
    articles = _contract_table("release", "articles", [{**ARTICLE, "n_comments": 2}])
    checks = {
        p.check for p in relation_problems("release", {"articles": articles, "comments": comments})
    }
    assert checks == {"depth-is-parent-depth-plus-1"}


def test_every_reply_law_and_the_kept_id_law_are_checked() -> None:
    # Parents are looked up by index and ids by set membership (no hash joins,
    # for memory at millions of rows): each law still fails on its own case.
    ids = ["c_" + str(i) * 16 for i in range(1, 7)]
    other_page = "a_" + "9" * 16
    rows = [
        {**COMMENT, "comment_id": ids[0], "position": 0},
        {**COMMENT, "comment_id": ids[1], "position": 1, "parent_id": "c_" + "f" * 16, "depth": 1},
        {**COMMENT, "comment_id": ids[2], "position": 2, "parent_id": ids[3], "depth": 1},
        {**COMMENT, "comment_id": ids[3], "position": 3},
        {**COMMENT, "comment_id": ids[4], "article_id": other_page, "position": 0},
        {**COMMENT, "comment_id": ids[5], "position": 4, "parent_id": ids[4], "depth": 1},
    ]
    roots = {ids[2]: ids[3], ids[5]: ids[4]}
    rows = [{**row, "thread_id": roots.get(row["comment_id"], row["comment_id"])} for row in rows]
    comments = _contract_table("release", "comments", rows)
    articles = _contract_table(
        "release",
        "articles",
        [{**ARTICLE, "n_comments": 5}, {**ARTICLE, "article_id": other_page, "n_comments": 1}],
    )
    kept = {"table": "comments", "record_table": "comments", "dropped_id": "x", "reason": "copy",
            "source_file": "b.txt"}  # fmt: skip
    duplicates = _contract_table(
        "release",
        "duplicates",
        [{**kept, "kept_id": ids[0]}, {**kept, "kept_id": "c_" + "e" * 16}],
    )
    tables = {"articles": articles, "comments": comments, "duplicates": duplicates}
    found = {(p.check, p.message.split(" ")[0]) for p in relation_problems("release", tables)}
    assert found == {
        ("parent-exists", "1"),
        ("parent-comes-first", "1"),
        ("parent-on-same-page", "1"),
        ("kept-record-is-released", "1"),
    }


def test_positions_must_be_contiguous_and_counts_must_match() -> None:
    comments = _contract_table("release", "comments", [{**COMMENT, "position": 3}])
    articles = _contract_table("release", "articles", [{**ARTICLE, "n_comments": 5}])
    checks = {
        p.check for p in relation_problems("release", {"articles": articles, "comments": comments})
    }
    assert checks == {"positions-contiguous-per-page", "n-comments-matches-comment-rows"}


def test_problem_message_names_table_column_and_check() -> None:
    bad = _contract_table("release", "sources", [{**GOOD_SOURCE, "status": "lost"}])
    (problem,) = table_problems(contract("release", "sources"), bad)
    text = problem.describe()
    assert "release/sources" in text and "'status'" in text and "isin" in text and "lost" in text


def test_a_stage_reading_some_columns_is_checked_on_those_columns() -> None:
    pages = contract("ingest", "pages")
    some = pages.select(["source_file", "bytes"])
    assert some.column_names == ["source_file", "bytes"] and some.primary_key == ["source_file"]
    assert pages.select(["bytes"]).primary_key == []
    good = pa.table({"source_file": ["a.txt", "b.txt"], "bytes": pa.array([1, 2], pa.int64())})
    assert table_problems(some, good) == []
    repeated = pa.table({"source_file": ["a.txt", "a.txt"], "bytes": pa.array([1, -2], pa.int64())})
    assert {p.column for p in table_problems(some, repeated)} >= {"bytes", "source_file"}
    with pytest.raises(KeyError):
        pages.select(["bytes", "source_file"])


def test_thread_id_must_name_the_root_of_the_thread() -> None:
    ids = ["c_" + str(i) * 16 for i in range(1, 5)]
    rows = [
        {**COMMENT, "comment_id": ids[0], "position": 0, "thread_id": ids[0]},
        {**COMMENT, "comment_id": ids[1], "position": 1, "parent_id": ids[0], "depth": 1,
         "thread_id": ids[0]},
        {**COMMENT, "comment_id": ids[2], "position": 2, "parent_id": ids[1], "depth": 2,
         "thread_id": ids[0]},
        {**COMMENT, "comment_id": ids[3], "position": 3, "thread_id": ids[3]},
    ]  # fmt: skip
    articles = _contract_table("release", "articles", [{**ARTICLE, "n_comments": 4}])
    good = {"articles": articles, "comments": _contract_table("release", "comments", rows)}
    assert relation_problems("release", good) == []
    for wrong in ({**rows[2], "thread_id": ids[1]}, {**rows[3], "thread_id": ids[0]}):
        bad_rows = [wrong if r["comment_id"] == wrong["comment_id"] else r for r in rows]
        bad = {**good, "comments": _contract_table("release", "comments", bad_rows)}
        assert {p.check for p in relation_problems("release", bad)} == {
            "thread-id-is-root-comment"
        }


def test_the_schema_says_an_empty_comment_text_is_allowed_and_why() -> None:
    (text,) = [f for f in contract("release", "comments").fields if f["name"] == "text"]
    assert text["constraints"].get("required") is True and "minLength" not in text["constraints"]
    assert "May be empty" in text["description"] and "kept because" in text["description"]
