"""Figures computed from the released tables, for the datasheet and the card.

Everything here is a pure function of Arrow tables (and the anonymise stage's
reported counts): no file I/O, no randomness, integers wherever possible so
that the documents built from these figures are byte-identical on rebuild.
Nothing here ever sees a raw handle: the comments table is already
pseudonymised.

Built to be computed part by part. Each figure the datasheet plots or
summarises is a *count aggregate*: a mapping from a key to a number of rows
(:data:`Histogram`), computed on one part of a table by a ``*_histogram`` /
``*_counts`` function and merged over parts by summing
(:func:`merge_histograms`); quantiles and plots are then drawn from the
merged aggregate (:func:`summary_of`, pipeline/docs/figures.py), never from
the rows. Parts must hold whole articles where a figure groups by article or
thread (comments per article, thread sizes): the dedupe and anonymise
partitions do; release shards (split by primary key) do for articles, not for
threads. :class:`FigureInputs` is everything the figures need, built from
whole tables by :func:`figure_inputs` or merged from parts by
:meth:`FigureInputs.merge`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.schemas import record_table_column

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
    return summary_of(Counter(values))


# A count aggregate: value (or key) -> number of rows. Merged over parts by summing.
Histogram = Mapping[Any, int]


def merge_histograms(parts: Iterable[Histogram]) -> dict[Any, int]:
    """The aggregate of the whole from the aggregates of its parts (a sum per key)."""
    total: Counter[Any] = Counter()
    for part in parts:
        total.update(part)
    return {key: n for key, n in sorted(total.items(), key=lambda kv: _sort_key(kv[0])) if n}


def _sort_key(key: Any) -> tuple:
    return (str(type(key)), key) if key is not None else ("", "")


def value_histogram(column: pa.ChunkedArray | pa.Array) -> dict[int, int]:
    """value -> rows, for an integer column (nulls left out)."""
    counted = pc.value_counts(column.drop_null())
    if isinstance(counted, pa.ChunkedArray):
        counted = counted.combine_chunks()
    values = counted.field("values").to_pylist()
    numbers = counted.field("counts").to_pylist()
    return dict(sorted(zip((int(v) for v in values), (int(n) for n in numbers), strict=True)))


def summary_of(histogram: Histogram) -> Summary | None:
    """Nearest-rank quantiles of the values a histogram counts; None when empty."""
    items = sorted((int(v), int(n)) for v, n in histogram.items() if n)
    total = sum(n for _, n in items)
    if not total:
        return None

    def rank(q: float) -> int:
        index = min(max(0, -(-int(q * 100) * total // 100) - 1), total - 1)
        seen = 0
        for value, n in items:
            seen += n
            if index < seen:
                return value
        return items[-1][0]

    mean = sum(v * n for v, n in items) / total
    return Summary(
        n=total,
        minimum=items[0][0],
        p25=rank(0.25),
        median=rank(0.5),
        p75=rank(0.75),
        p90=rank(0.9),
        maximum=items[-1][0],
        mean=f"{mean:.1f}",
    )


def languages(articles: pa.Table) -> list[tuple[str, int]]:
    """(ISO 639-1 code, articles) of every detected language, most articles first;
    articles whose language is unknown (null) are not listed."""
    if "language" not in articles.column_names:
        return []
    known = articles.select(["language"]).filter(pc.is_valid(articles["language"]))
    return counts(known, "language")


def language_summary(articles: pa.Table) -> str:
    """The article languages in words: "articles in en (3), de (1); 1 of unknown language"."""
    known = languages(articles)
    unknown = articles.num_rows - sum(n for _, n in known)
    parts = [", ".join(f"{code} ({n:,})" for code, n in known)] if known else []
    if unknown:
        parts.append(f"{unknown:,} of unknown language")
    return "articles in " + "; ".join(parts) if parts else "no articles"


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
    which = record_table_column(duplicates)
    dropped = duplicates.select([which, "kept_id"])
    dropped = dropped.filter(pc.equal(dropped[which], "comments")).select(["kept_id"])
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
    which = record_table_column(duplicates)
    grouped = duplicates.group_by([which, "reason"]).aggregate([([], "count_all")])
    rows = [(str(r[which]), str(r["reason"]), int(r["count_all"])) for r in grouped.to_pylist()]
    return sorted(rows, key=lambda row: (row[0], -row[2], row[1]))


def rejected_by_reason(sources: pa.Table) -> list[tuple[str, int]]:
    rejected = sources.filter(pc.equal(sources["status"], "rejected"))
    return counts(rejected, "reason", null_label="no reason recorded")


def authors(comments: pa.Table, articles: pa.Table | None = None) -> dict[str, int]:
    """Distinct pseudonyms, comments without a handle, and the busiest pseudonym's count.

    Without a pseudonym, a comment either sits on a page that shows no handles
    at all (``articles.handles_shown`` false) or was posted without one on a page
    that shows them; given the articles, the two are counted apart.
    """
    pseudonyms = comments.select(["author", "article_id"])  # filter copies what it keeps
    with_author = pseudonyms.filter(pc.is_valid(pseudonyms["author"]))
    per_author = [n for _, n in counts(with_author.select(["author"]), "author")]
    without = comments.num_rows - with_author.num_rows
    hidden = _on_articles_without(pseudonyms, articles, "handles_shown")
    return {
        "pseudonyms": len(per_author),
        "comments_with_pseudonym": with_author.num_rows,
        "comments_without_handle": without,
        "comments_on_pages_showing_no_handles": hidden,
        "comments_posted_without_handle": without - hidden,
        "most_comments_by_one_pseudonym": max(per_author, default=0),
        "pseudonyms_with_one_comment": sum(1 for n in per_author if n == 1),
    }


def _on_articles_without(comments: pa.Table, articles: pa.Table | None, flag: str) -> int:
    """Comments of articles whose page does not show ``flag`` (0 when not known)."""
    if articles is None or flag not in articles.column_names:
        return 0
    hidden = articles.filter(pc.invert(articles[flag]))["article_id"].combine_chunks()
    return int(pc.sum(pc.is_in(comments["article_id"], value_set=hidden)).as_py() or 0)


def threading(comments: pa.Table, articles: pa.Table | None = None) -> dict[str, int]:
    """Top-level comments and replies on pages that show threading, and the comments
    whose place in a thread is not known (their page shows no threading)."""
    rows = comments.select(["article_id", "parent_id"])
    replies = int(pc.sum(pc.is_valid(rows["parent_id"])).as_py() or 0)
    unknown = _on_articles_without(rows, articles, "threading_shown")
    threaded_articles = (
        int(pc.sum(articles["threading_shown"]).as_py() or 0)
        if articles is not None and "threading_shown" in articles.column_names
        else None
    )
    return {
        "top_level": comments.num_rows - replies - unknown,
        "replies": replies,
        "place_unknown": unknown,
        "articles_showing_threading": -1 if threaded_articles is None else threaded_articles,
    }


def empty_texts(comments: pa.Table) -> int:
    """Comments whose text is empty."""
    return int(pc.sum(pc.equal(pc.utf8_length(comments["text"]), 0)).as_py() or 0)


def dates_shown(table: pa.Table) -> int:
    """Rows with a readable date (``published`` set)."""
    if "published" not in table.column_names:
        return 0
    return table.num_rows - table["published"].null_count


LINE_COLUMNS = (
    ("lines_title", "article titles"),
    ("lines_body", "article bodies"),
    ("lines_comment_text", "comment texts"),
    ("lines_handle", "commenter handles (released as pseudonyms)"),
    ("lines_chrome", "page chrome (logged by the parse stage, not released)"),
    ("lines_duplicate", "records removed as duplicates (duplicates.parquet)"),
)


def line_accounting(sources: pa.Table) -> dict[str, Any]:
    """Where the non-blank lines of the parsed input files went, summed over files."""
    present = [(c, label) for c, label in LINE_COLUMNS if c in sources.column_names]
    if not present:
        return {"rows": [], "total": 0, "files": 0}
    parsed = sources.filter(pc.is_valid(sources[present[0][0]]))
    rows = [(label, int(pc.sum(parsed[c]).as_py() or 0)) for c, label in present]
    return {"rows": rows, "total": sum(n for _, n in rows), "files": parsed.num_rows}


def parse_confidence(sources: pa.Table) -> dict[str, Any]:
    """How sure the parser was: lowest and median confidence of parsed files."""
    if "parse_confidence" not in sources.column_names:
        return {}
    kept = sources.filter(pc.not_equal(sources["status"], "rejected"))
    values = sorted(v for v in kept["parse_confidence"].to_pylist() if v is not None)
    if not values:
        return {}
    return {"files": len(values), "lowest": f"{values[0]:.2f}",
            "median": f"{values[(len(values) - 1) // 2]:.2f}"}  # fmt: skip


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


# --- what the figures plot: count aggregates, per part and merged ----------------------


def comments_per_article_histograms(articles: pa.Table) -> dict[str, dict[int, int]]:
    """Per layout: comments per article -> articles (one part of the articles table)."""
    grouped = articles.group_by(["layout", "n_comments"]).aggregate([([], "count_all")])
    out: dict[str, dict[int, int]] = {}
    for layout, n_comments, n in zip(
        grouped["layout"].to_pylist(),
        grouped["n_comments"].to_pylist(),
        grouped["count_all"].to_pylist(),
        strict=True,
    ):
        out.setdefault(str(layout), {})[int(n_comments)] = int(n)
    return out


def length_histogram(comments: pa.Table) -> dict[int, int]:
    """Comment length in characters (code points) -> comments."""
    return value_histogram(pc.utf8_length(comments["text"]))


def thread_size_histogram(comments: pa.Table, articles: pa.Table) -> dict[int, int]:
    """Comments per thread -> threads, over articles whose pages show threading.

    Comments on pages that do not show threading have no known thread and are
    left out. A part must hold whole threads (whole articles).
    """
    if "thread_id" not in comments.column_names or "threading_shown" not in articles.column_names:
        return {}
    threaded = articles.filter(articles["threading_shown"])["article_id"]
    rows = comments.select(["article_id", "thread_id"])
    rows = rows.filter(pc.is_in(rows["article_id"], value_set=threaded.combine_chunks()))
    sizes = rows.group_by("thread_id").aggregate([([], "count_all")])["count_all"]
    return value_histogram(sizes)


def replacement_counts(stage_reports: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """What the anonymise stage replaced in comment texts, by kind of replacement (its
    report's counts, merged over its partitions by the runner), for the figure."""
    reported = stage_reports.get("anonymise", {}).get("counts", {})
    out = {}
    for kind, _ in REPLACEMENT_KINDS:
        value = reported.get(f"{kind}_replacements", 0)
        if isinstance(value, int):
            out[FIGURE_LABELS[kind]] = value
    return out


FIGURE_LABELS = {
    "full_handle": "whole handle",
    "distinctive_part": "rare part of a handle",
    "addressed": "ordinary word, addressed",
    "sweep": "final sweep",
}


@dataclass(frozen=True)
class FigureInputs:
    """Everything the datasheet figures draw: count aggregates only."""

    comments_per_article: dict[str, dict[int, int]] = field(default_factory=dict)
    comment_lengths: dict[int, int] = field(default_factory=dict)
    thread_sizes: dict[int, int] = field(default_factory=dict)
    replacements: dict[str, int] = field(default_factory=dict)

    @classmethod
    def merge(cls, parts: Iterable[FigureInputs]) -> FigureInputs:
        parts = list(parts)
        layouts = sorted({layout for p in parts for layout in p.comments_per_article})
        return cls(
            comments_per_article={
                layout: merge_histograms(p.comments_per_article.get(layout, {}) for p in parts)
                for layout in layouts
            },
            comment_lengths=merge_histograms(p.comment_lengths for p in parts),
            thread_sizes=merge_histograms(p.thread_sizes for p in parts),
            replacements={  # every kind, zeros too, in the order of REPLACEMENT_KINDS
                label: sum(p.replacements.get(label, 0) for p in parts)
                for label in dict.fromkeys(label for p in parts for label in p.replacements)
            },
        )


def figure_inputs(
    articles: pa.Table, comments: pa.Table, stage_reports: Mapping[str, Mapping[str, Any]]
) -> FigureInputs:
    """The figures' aggregates of (a part of) the release holding whole articles."""
    return FigureInputs(
        comments_per_article=comments_per_article_histograms(articles),
        comment_lengths=length_histogram(comments),
        thread_sizes=thread_size_histogram(comments, articles),
        replacements=replacement_counts(stage_reports),
    )

