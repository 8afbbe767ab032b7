"""Checks across the shards of a table, one shard at a time: keys by 64-bit hashes.

A release table of millions of rows is written as shards (pipeline/shards.py)
and a stage's output as partitions; holding one whole to check a key or a
reference would make memory grow with the corpus. Here every check reads a
few columns of one shard at a time and keeps, per row, a few numbers: the
64-bit hash of its key (``pipeline.checks.key_hashes``), of the key it
references, its position and depth (about 40 bytes a row, never a string).

* :func:`unique_key_problems`: the primary key is unique over all shards
  (hashes sorted; a repeated hash is re-checked on the key values, so a hash
  collision never reports a false duplicate).
* :func:`release_relation_problems`: the release's cross-table laws, the
  same checks with the same names as ``pipeline.schemas.relation_problems``
  gives on whole tables (foreign key, positions 0..n-1 per article, top-level
  depth 0, every reply law, n_comments, kept ids). A reference is looked up
  by hash: a missing id whose hash equals a present one's (about one chance
  in 2^64 / rows) would go unreported.

Examples in problem messages are read back from the shard and row where a
failure was found. Pure: reads through the loaders it is given; writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.checks import key_hashes
from pipeline.schemas import Problem, contract

ShardLoader = Callable[[Sequence[str]], pa.Table]
EXAMPLES = 5


def unique_key_problems(
    stage: str, table: str, shards: Sequence[ShardLoader], unit: str = "shard"
) -> list[Problem]:
    """The primary key of ``stage``/``table`` is unique over all ``shards`` together
    (``unit`` names what a shard is: a release's shard, a stage's partition)."""
    key = contract(stage, table).primary_key
    if not key or len(shards) < 2:
        return []
    hashes = np.sort(np.concatenate([key_hashes(load(key)) for load in shards]))
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    if not len(repeated):
        return []
    suspects = pa.concat_tables(
        keys.filter(pa.array(np.isin(key_hashes(keys), repeated)))
        for keys in (load(key) for load in shards)
    )
    counted = suspects.group_by(key).aggregate([([], "count_all")])
    twice = counted.filter(pc.greater(counted["count_all"], 1))
    if not twice.num_rows:
        return []
    return [
        Problem(
            table,
            key[-1],
            f"unique-across-{unit}s",
            f"{twice.num_rows} key(s) occur in more than one {unit}",
            tuple(str(v) for v in twice.select(key).slice(0, EXAMPLES).to_pylist()),
            stage=stage,
        )
    ]


@dataclass(frozen=True)
class _Comments:
    """Per comment, in shard order: hashes of its id, article and parent, and its place."""

    ids: np.ndarray  # uint64
    articles: np.ndarray  # uint64
    parents: np.ndarray  # uint64, 0 where there is no parent
    has_parent: np.ndarray  # bool
    positions: np.ndarray  # int64
    depths: np.ndarray  # int64
    threads: np.ndarray  # uint64 hashes of thread_id; empty when the release has none (1.0.0)
    shard_starts: np.ndarray  # row where each shard begins


_COMMENT_COLUMNS = ["comment_id", "article_id", "parent_id", "position", "depth"]


def _comments(shards: Sequence[ShardLoader]) -> _Comments:
    pieces: dict[str, list[np.ndarray]] = {name: [] for name in _Comments.__dataclass_fields__}
    starts = [0]
    for load in shards:
        part = load(_COMMENT_COLUMNS)
        has_parent = np.asarray(pc.is_valid(part["parent_id"]).to_numpy(zero_copy_only=False))
        parents = np.zeros(part.num_rows, np.uint64)
        if has_parent.any():
            replies = part.filter(pa.array(has_parent))
            parents[has_parent] = key_hashes(replies.select(["parent_id"]))
        pieces["ids"].append(key_hashes(part.select(["comment_id"])))
        pieces["articles"].append(key_hashes(part.select(["article_id"])))
        pieces["parents"].append(parents)
        pieces["has_parent"].append(has_parent)
        pieces["positions"].append(np.asarray(part["position"].to_numpy(), np.int64))
        pieces["depths"].append(np.asarray(part["depth"].to_numpy(), np.int64))
        threads = _thread_hashes(load)
        if threads is not None:
            pieces["threads"].append(threads)
        starts.append(starts[-1] + part.num_rows)
    arrays = {
        name: np.concatenate(values) if values else np.empty(0)
        for name, values in pieces.items()
        if name != "shard_starts"
    }
    return _Comments(**arrays, shard_starts=np.asarray(starts, np.int64))


def _thread_hashes(load: ShardLoader) -> np.ndarray | None:
    """Hashes of ``thread_id`` (a column since 1.1.0), None when the shard has none."""
    try:
        part = load(["thread_id"])
    except (KeyError, ValueError, pa.ArrowInvalid):
        return None
    if pc.any(pc.is_null(part["thread_id"])).as_py():
        return None  # a null thread_id is the column check's finding
    return key_hashes(part.select(["thread_id"]))


def release_relation_problems(
    tables: Mapping[str, Sequence[ShardLoader]], stage: str = "release"
) -> list[Problem]:
    """The release's cross-table laws, reading the shards of each table one at a time.

    ``tables`` maps articles, comments and duplicates to loaders of their
    shards in order (a loader takes the columns to read).
    """
    articles = pa.concat_tables(load(["article_id", "n_comments"]) for load in tables["articles"])
    article_ids = np.sort(key_hashes(articles.select(["article_id"])))
    comments = _comments(tables["comments"])
    problems = _foreign_key_problems(comments, article_ids, tables["comments"])
    problems += _position_problems(comments, tables["comments"])
    problems += _reply_problems(comments, tables["comments"])
    problems += _thread_problems(comments, tables["comments"])
    problems += _count_problems(comments, articles)
    problems += _kept_id_problems(tables["duplicates"], comments, article_ids)
    return [
        Problem(p.table, p.column, p.check, p.message, p.examples, stage=stage) for p in problems
    ]


def _found(sorted_hashes: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Whether each hash is one of ``sorted_hashes``."""
    at = np.searchsorted(sorted_hashes, hashes).clip(0, max(len(sorted_hashes) - 1, 0))
    return sorted_hashes[at] == hashes if len(sorted_hashes) else np.zeros(len(hashes), bool)


def _examples(
    shards: Sequence[ShardLoader], starts: np.ndarray, rows: np.ndarray, columns: list[str]
) -> tuple[str, ...]:
    """The values of ``columns`` at a few global ``rows``, read from their shards."""
    shown: list[str] = []
    for row in np.sort(rows)[:EXAMPLES]:
        shard = int(np.searchsorted(starts, row, side="right") - 1)
        values = shards[shard](columns).slice(int(row - starts[shard]), 1).to_pylist()[0]
        shown.append(_show(values if len(columns) > 1 else next(iter(values.values()))))
    return tuple(shown)


def _show(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _foreign_key_problems(
    comments: _Comments, article_ids: np.ndarray, shards: Sequence[ShardLoader]
) -> list[Problem]:
    orphans = np.flatnonzero(~_found(article_ids, comments.articles))
    if not len(orphans):
        return []
    return [
        Problem(
            "comments",
            "article_id",
            "foreign-key",
            f"{len(orphans)} value(s) not found in ['article_id'] of the referenced table",
            _examples(shards, comments.shard_starts, orphans, ["article_id"]),
        )
    ]


def _position_problems(comments: _Comments, shards: Sequence[ShardLoader]) -> list[Problem]:
    """Positions are exactly 0..n-1 on every article: min 0, max n-1, none repeated."""
    if not len(comments.ids):
        return []
    pages, page_of = np.unique(comments.articles, return_inverse=True)
    count = np.bincount(page_of, minlength=len(pages))
    low = np.full(len(pages), np.iinfo(np.int64).max)
    high = np.full(len(pages), np.iinfo(np.int64).min)
    np.minimum.at(low, page_of, comments.positions)
    np.maximum.at(high, page_of, comments.positions)
    order = np.lexsort((comments.positions, page_of))
    same = (page_of[order][1:] == page_of[order][:-1]) & (
        comments.positions[order][1:] == comments.positions[order][:-1]
    )
    repeated = np.zeros(len(pages), bool)
    repeated[page_of[order][1:][same]] = True
    bad = (low != 0) | (high != count - 1) | repeated
    if not bad.any():
        return []
    first_rows = np.flatnonzero(np.isin(page_of, np.flatnonzero(bad)))
    return [
        Problem(
            "comments",
            "position",
            "positions-contiguous-per-page",
            f"{int(bad.sum())} page(s) whose positions are not exactly 0..n-1",
            tuple(
                dict.fromkeys(_examples(shards, comments.shard_starts, first_rows, ["article_id"]))
            ),
        )
    ]


def _reply_problems(comments: _Comments, shards: Sequence[ShardLoader]) -> list[Problem]:
    """Top-level comments have depth 0; a reply's parent exists, is on the same article,
    comes before it, and is one level shallower."""
    problems: list[Problem] = []
    where = ["article_id", "position"]
    bad_top = np.flatnonzero(~comments.has_parent & (comments.depths != 0))
    if len(bad_top):
        problems.append(
            Problem(
                "comments",
                "depth",
                "top-level-depth-is-0",
                f"{len(bad_top)} comment(s) without a parent have depth != 0",
                _examples(shards, comments.shard_starts, bad_top, where),
            )
        )
    replies = np.flatnonzero(comments.has_parent)
    order = np.argsort(comments.ids, kind="stable")
    at = np.searchsorted(comments.ids[order], comments.parents[replies])
    at = at.clip(0, max(len(order) - 1, 0))
    found = comments.ids[order][at] == comments.parents[replies] if len(order) else at > 0
    if (~found).any():
        problems.append(
            Problem(
                "comments",
                "parent_id",
                "parent-exists",
                f"{int((~found).sum())} reply(ies) whose parent is not there",
            )
        )
    replies, parents = replies[found], order[at[found]]
    for check, bad, message in (
        (
            "parent-on-same-page",
            comments.articles[parents] != comments.articles[replies],
            "reply and parent are on different pages",
        ),
        (
            "parent-comes-first",
            comments.positions[parents] >= comments.positions[replies],
            "parent does not come before its reply",
        ),
        (
            "depth-is-parent-depth-plus-1",
            comments.depths[replies] != comments.depths[parents] + 1,
            "depth != parent's depth + 1",
        ),
    ):
        failing = replies[bad]
        if len(failing):
            problems.append(
                Problem(
                    "comments",
                    "depth" if "depth" in check else "parent_id",
                    check,
                    f"{len(failing)} reply(ies): {message}",
                    _examples(shards, comments.shard_starts, failing, where),
                )
            )
    return problems


def _thread_problems(comments: _Comments, shards: Sequence[ShardLoader]) -> list[Problem]:
    """``thread_id`` names the thread's root: the comment itself without a parent, else
    its parent's ``thread_id`` (the check pipeline.schemas.thread_id_problems makes on a
    whole table, here by key hashes)."""
    if len(comments.threads) != len(comments.ids):
        return []
    expected = comments.ids.copy()
    replies = np.flatnonzero(comments.has_parent)
    order = np.argsort(comments.ids, kind="stable")
    at = np.searchsorted(comments.ids[order], comments.parents[replies])
    at = at.clip(0, max(len(order) - 1, 0))
    found = comments.ids[order][at] == comments.parents[replies] if len(order) else at > 0
    expected[replies[found]] = comments.threads[order[at[found]]]
    # a reply whose parent is missing is expected to be its own root, as on a whole table
    failing = np.flatnonzero(expected != comments.threads)
    if not len(failing):
        return []
    return [Problem(
        "comments", "thread_id", "thread-id-is-root-comment",
        f"{len(failing)} comment(s) whose thread_id is not their thread's root comment",
        _examples(shards, comments.shard_starts, failing, ["article_id", "position"]),
    )]


def _count_problems(comments: _Comments, articles: pa.Table) -> list[Problem]:
    """``articles.n_comments`` equals the number of comment rows per article."""
    ids = key_hashes(articles.select(["article_id"]))
    pages, counts = np.unique(comments.articles, return_counts=True)
    at = np.searchsorted(pages, ids).clip(0, max(len(pages) - 1, 0))
    found = np.where(pages[at] == ids, counts[at], 0) if len(pages) else np.zeros(len(ids))
    declared = np.asarray(articles["n_comments"].to_numpy(), np.int64)
    bad = np.flatnonzero(declared != found)
    if not len(bad):
        return []
    return [
        Problem(
            "articles",
            "n_comments",
            "n-comments-matches-comment-rows",
            f"{len(bad)} article(s) whose n_comments differs from their comment rows",
            tuple(_show(v) for v in articles["article_id"].take(bad[:EXAMPLES]).to_pylist()),
        )
    ]


def _which_table(load: ShardLoader) -> pa.Table:
    """(which, kept_id) of a duplicates shard: ``record_table`` (since 1.1.0), else ``table``."""
    for column in ("record_table", "table"):
        try:
            part = load([column, "kept_id"])
        except (KeyError, ValueError, pa.ArrowInvalid):
            continue
        return part.rename_columns(["which", "kept_id"])
    raise KeyError("duplicates has neither record_table nor table")


def _kept_id_problems(
    shards: Sequence[ShardLoader], comments: _Comments, article_ids: np.ndarray
) -> list[Problem]:
    """Every ``kept_id`` of duplicates is a released article or comment id."""
    comment_ids = np.sort(comments.ids)
    problems: list[Problem] = []
    for table_name, known in (("articles", article_ids), ("comments", comment_ids)):
        orphans: list[str] = []
        count = 0
        for load in shards:
            part = _which_table(load)
            rows = part.filter(pc.equal(part["which"], table_name)).select(["kept_id"])
            missing = ~_found(known, key_hashes(rows))
            count += int(missing.sum())
            orphans += rows["kept_id"].filter(pa.array(missing)).slice(0, EXAMPLES).to_pylist()
        if count:
            problems.append(
                Problem(
                    "duplicates",
                    "kept_id",
                    "kept-record-is-released",
                    f"{count} duplicate(s) point at a missing {table_name} id",
                    tuple(_show(v) for v in orphans[:EXAMPLES]),
                )
            )
    return problems
