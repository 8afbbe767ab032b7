"""Figures computed from the released tables, for the datasheet and the card.

Everything here is a pure function of Arrow tables (and the anonymise stage's
reported counts): no file I/O, no randomness, integers wherever possible so
that the documents built from these figures are byte-identical on rebuild.
Nothing here ever sees a raw handle: the comments table is already
pseudonymised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

NULL_SITE = "not stated on the page"
NOT_REPORTED = "not reported"

# What the anonymise stage reports, in the words the datasheet uses. Keys that
# the stage does not report are shown as NOT_REPORTED, never guessed.
# Other reported counts are listed under their own key names.
ANONYMISE_FIGURES: tuple[tuple[str, str], ...] = (
    ("mentions_replaced", "mentions of a commenter replaced by their pseudonym"),
)
# The kinds of replacement the anonymise stage counts (``<kind>_replacements``
# and ``<kind>_comments``), in the words the datasheet uses.
REPLACEMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("full_handle", "a whole handle that is not an ordinary word or phrase, wherever it occurs"),
    ("distinctive_part", "a rare part of a handle (a word that is not an ordinary word)"),
    ("addressed", "an ordinary word or phrase of a handle, where a text names or addresses "
                  "its commenter with it"),
    ("sweep", "what the last sweep found after the mentions (a form the mention finder "
              "missed or a context a replacement changed)"),
)


@dataclass(frozen=True)
class Summary:
    """Distribution of a non-negative integer quantity (nearest-rank quantiles)."""

    n: int
    minimum: int
    p25: int
    median: int
    p75: int
    p90: int
    maximum: int
    mean: str


@dataclass(frozen=True)
class Clusters:
    """Near-duplicate clusters of one table."""

    table: str
    records: int
    clusters: int
    clustered_records: int
    by_size: list[tuple[int, int]]


def counts(table: pa.Table, column: str, null_label: str = "null") -> list[tuple[str, int]]:
    """(value, rows) for every value of ``column``, most frequent first, then by value."""
    if table.num_rows == 0:
        return []
    grouped = table.group_by(column).aggregate([([], "count_all")])
    rows = [
        (null_label if value is None else str(value), int(n))
        for value, n in zip(
            grouped[column].to_pylist(), grouped["count_all"].to_pylist(), strict=True
        )
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def summary(values: list[int]) -> Summary | None:
    """Quantiles of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)

    def rank(q: float) -> int:
        index = max(0, -(-int(q * 100) * len(ordered) // 100) - 1)
        return ordered[min(index, len(ordered) - 1)]

    mean = sum(ordered) / len(ordered)
    return Summary(
        n=len(ordered),
        minimum=ordered[0],
        p25=rank(0.25),
        median=rank(0.5),
        p75=rank(0.75),
        p90=rank(0.9),
        maximum=ordered[-1],
        mean=f"{mean:.1f}",
    )


def comments_per_article(articles: pa.Table) -> list[int]:
    return [int(v) for v in articles["n_comments"].to_pylist()]


def comment_lengths(comments: pa.Table) -> list[int]:
    """Length of each comment text in characters (Unicode code points)."""
    return [int(v) for v in pc.utf8_length(comments["text"]).to_pylist()]


def depth_counts(comments: pa.Table) -> list[tuple[int, int]]:
    """(depth, comments) for every depth present, shallowest first."""
    return sorted((int(depth), n) for depth, n in counts(comments, "depth"))


def declared_vs_found(
    articles: pa.Table, comments: pa.Table, duplicates: pa.Table
) -> list[tuple[str, int]]:
    """How each article's stated comment count compares with the comments found.

    Categories, in a fixed order (zero counts included so the table always
    reads the same): no count stated; found = stated; found + removed
    duplicates = stated; fewer found; more found.
    """
    removed = _duplicate_comments_per_article(comments, duplicates)
    tally = dict.fromkeys(DECLARED_CATEGORIES, 0)
    for article_id, declared, found in zip(
        articles["article_id"].to_pylist(),
        articles["n_comments_declared"].to_pylist(),
        articles["n_comments"].to_pylist(),
        strict=True,
    ):
        tally[_declared_category(declared, found, removed.get(article_id, 0))] += 1
    return list(tally.items())


DECLARED_CATEGORIES = (
    "the page states no comment count",
    "found exactly the stated count",
    "stated count matches once removed duplicate comments are counted",
    "fewer comments found than stated",
    "more comments found than stated",
)


def _declared_category(declared: int | None, found: int, removed: int) -> str:
    if declared is None:
        return DECLARED_CATEGORIES[0]
    if declared == found:
        return DECLARED_CATEGORIES[1]
    if removed and declared == found + removed:
        return DECLARED_CATEGORIES[2]
    return DECLARED_CATEGORIES[3] if found < declared else DECLARED_CATEGORIES[4]


def _duplicate_comments_per_article(comments: pa.Table, duplicates: pa.Table) -> dict[str, int]:
    """Removed duplicate comments per article (through the comment each one duplicates)."""
    dropped = duplicates.select(["table", "kept_id"])
    dropped = dropped.filter(pc.equal(dropped["table"], "comments")).select(["kept_id"])
    kept = comments.select(["comment_id", "article_id"]).rename_columns(["kept_id", "article_id"])
    joined = dropped.join(kept, keys="kept_id", join_type="inner")
    return dict(counts(joined, "article_id"))


def declared_totals(articles: pa.Table) -> tuple[int, int]:
    """(sum of stated counts, sum of comments found) over articles that state a count."""
    stated = articles.filter(pc.is_valid(articles["n_comments_declared"]))
    declared = pc.sum(stated["n_comments_declared"]).as_py() or 0
    found = pc.sum(stated["n_comments"]).as_py() or 0
    return int(declared), int(found)


def clusters(table_name: str, table: pa.Table) -> Clusters:
    """Near-duplicate clusters of a table by size (records sharing near_dup_cluster)."""
    labels = table.select(["near_dup_cluster"])  # filter copies only what it keeps
    in_cluster = labels.filter(pc.is_valid(labels["near_dup_cluster"]))
    sizes = [n for _, n in counts(in_cluster, "near_dup_cluster")]
    by_size: dict[int, int] = {}
    for size in sizes:
        by_size[size] = by_size.get(size, 0) + 1
    return Clusters(
        table=table_name,
        records=table.num_rows,
        clusters=len(sizes),
        clustered_records=in_cluster.num_rows,
        by_size=sorted(by_size.items()),
    )


def duplicates_by_reason(duplicates: pa.Table) -> list[tuple[str, str, int]]:
    """(table, reason, records removed), by table then most frequent reason."""
    if duplicates.num_rows == 0:
        return []
    grouped = duplicates.group_by(["table", "reason"]).aggregate([([], "count_all")])
    rows = [(str(r["table"]), str(r["reason"]), int(r["count_all"])) for r in grouped.to_pylist()]
    return sorted(rows, key=lambda row: (row[0], -row[2], row[1]))


def rejected_by_reason(sources: pa.Table) -> list[tuple[str, int]]:
    rejected = sources.filter(pc.equal(sources["status"], "rejected"))
    return counts(rejected, "reason", null_label="no reason recorded")


def authors(comments: pa.Table) -> dict[str, int]:
    """Distinct pseudonyms, comments without a handle, and the busiest pseudonym's count."""
    pseudonyms = comments.select(["author"])  # not the texts: filter copies what it keeps
    with_author = pseudonyms.filter(pc.is_valid(pseudonyms["author"]))
    per_author = [n for _, n in counts(with_author, "author")]
    return {
        "pseudonyms": len(per_author),
        "comments_with_pseudonym": with_author.num_rows,
        "comments_without_handle": comments.num_rows - with_author.num_rows,
        "most_comments_by_one_pseudonym": max(per_author, default=0),
        "pseudonyms_with_one_comment": sum(1 for n in per_author if n == 1),
    }


def threading(comments: pa.Table) -> dict[str, int]:
    replies = int(pc.sum(pc.is_valid(comments["parent_id"])).as_py() or 0)
    return {"top_level": comments.num_rows - replies, "replies": replies}


def anonymise_figures(stage_reports: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(what, figure) from the anonymise stage's report; missing ones are NOT_REPORTED.
    The per-kind replacement counts are left to :func:`replacements_by_kind`."""
    reported = dict(stage_reports.get("anonymise", {}).get("counts", {}))
    for kind, _ in REPLACEMENT_KINDS:
        reported.pop(f"{kind}_replacements", None)
        reported.pop(f"{kind}_comments", None)
    rows = [
        (label, _figure(reported.pop(key)) if key in reported else NOT_REPORTED)
        for key, label in ANONYMISE_FIGURES
    ]
    rows += [(key, _figure(value)) for key, value in sorted(reported.items())]
    return rows


def replacements_by_kind(
    stage_reports: Mapping[str, Mapping[str, Any]],
) -> list[tuple[str, str, str]]:
    """(kind of replacement, replacements, comments) from the anonymise stage's report:
    counts only, never what was replaced; NOT_REPORTED where the stage did not say."""
    reported = dict(stage_reports.get("anonymise", {}).get("counts", {}))
    rows = []
    for kind, label in REPLACEMENT_KINDS:
        made, comments = reported.get(f"{kind}_replacements"), reported.get(f"{kind}_comments")
        rows.append((
            label,
            NOT_REPORTED if made is None else _figure(made),
            NOT_REPORTED if comments is None else _figure(comments),
        ))
    return rows


def _figure(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
