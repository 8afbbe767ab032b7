"""Checks shard by shard give the verdicts of the same checks on whole tables."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pytest

from pipeline.schemas import relation_problems
from pipeline.shard_checks import release_relation_problems, unique_key_problems
from tests.test_schemas import ARTICLE, COMMENT, _contract_table

IDS = ["c_" + f"{i:x}" * 16 for i in range(1, 8)]
OTHER_PAGE = "a_" + "9" * 16


def _shards(table: pa.Table, cuts: Sequence[int]) -> list:
    bounds = [0, *cuts, table.num_rows]
    pieces = [table.slice(a, b - a) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [lambda columns, piece=piece: piece.select(list(columns)) for piece in pieces]


def _verdicts(problems) -> set[tuple[str, str]]:
    return {(p.check, p.message.split(" ")[0]) for p in problems}


def _release(comment_rows: list[dict], article_rows: list[dict], kept_ids: list[str]) -> dict:
    kept = {"record_table": "comments", "table": "comments", "dropped_id": "x", "reason": "copy",
            "source_file": "b.txt"}
    return {
        "articles": _contract_table("release", "articles", article_rows),
        "comments": _contract_table("release", "comments", comment_rows),
        "duplicates": _contract_table(
            "release",
            "duplicates",
            [{**kept, "dropped_id": f"x{i}", "kept_id": k} for i, k in enumerate(kept_ids)],
        ),
    }


CASES = {
    "good": (
        [
            {**COMMENT, "comment_id": IDS[0], "position": 0},
            {**COMMENT, "comment_id": IDS[1], "position": 1, "parent_id": IDS[0], "depth": 1},
            {**COMMENT, "comment_id": IDS[2], "position": 2, "parent_id": IDS[1], "depth": 2},
        ],
        [{**ARTICLE, "n_comments": 3}],
        [IDS[1]],
    ),
    "every reply law and the kept id": (
        [
            {**COMMENT, "comment_id": IDS[0], "position": 0},
            {**COMMENT, "comment_id": IDS[1], "position": 1, "parent_id": "c_" + "f" * 16,
             "depth": 1},
            {**COMMENT, "comment_id": IDS[2], "position": 2, "parent_id": IDS[3], "depth": 1},
            {**COMMENT, "comment_id": IDS[3], "position": 3},
            {**COMMENT, "comment_id": IDS[4], "article_id": OTHER_PAGE, "position": 0},
            {**COMMENT, "comment_id": IDS[5], "position": 4, "parent_id": IDS[4], "depth": 1},
            {**COMMENT, "comment_id": IDS[6], "position": 5, "parent_id": IDS[0], "depth": 2},
        ],
        [{**ARTICLE, "n_comments": 6}, {**ARTICLE, "article_id": OTHER_PAGE, "n_comments": 1}],
        [IDS[0], "c_" + "e" * 16],
    ),
    "positions, counts, top-level depth, foreign key": (
        [
            {**COMMENT, "comment_id": IDS[0], "position": 3},
            {**COMMENT, "comment_id": IDS[1], "position": 0, "depth": 1},
            {**COMMENT, "comment_id": IDS[2], "article_id": "a_" + "7" * 16, "position": 0},
        ],
        [{**ARTICLE, "n_comments": 5}],
        [],
    ),
    "a position twice": (
        [
            {**COMMENT, "comment_id": IDS[0], "position": 0},
            {**COMMENT, "comment_id": IDS[1], "position": 0},
        ],
        [{**ARTICLE, "n_comments": 2}],
        [],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("cuts", [(), (1,), (1, 2)], ids=["1 shard", "2 shards", "3 shards"])
def test_shard_by_shard_relations_agree_with_whole_tables(name: str, cuts: tuple) -> None:
    tables = _release(*CASES[name])
    whole = _verdicts(relation_problems("release", tables))
    in_shards = _verdicts(
        release_relation_problems(
            {
                "articles": _shards(tables["articles"], ()),
                "comments": _shards(tables["comments"], [c for c in cuts if c < 3]),
                "duplicates": _shards(tables["duplicates"], ()),
            }
        )
    )
    assert in_shards == whole
    assert (name == "good") == (not whole)


def test_a_key_repeated_in_two_shards_is_found_and_named() -> None:
    comments = _contract_table(
        "release",
        "comments",
        [{**COMMENT, "comment_id": IDS[0]}, {**COMMENT, "comment_id": IDS[1]},
         {**COMMENT, "comment_id": IDS[0], "position": 1}],
    )  # fmt: skip
    (problem,) = unique_key_problems("release", "comments", _shards(comments, (2,)))
    assert problem.message.startswith("1 key(s)") and IDS[0] in problem.examples[0]
    assert not unique_key_problems("release", "comments", _shards(comments.slice(0, 2), (1,)))
