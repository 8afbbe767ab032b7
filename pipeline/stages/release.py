"""Release: the four published tables, assembled from the earlier stages.

* ``articles``: deduplicated articles plus ``n_comments`` (rows in comments);
* ``comments``: anonymised comments in the published columns (the capture a
  comment was kept from is build-internal and dropped here);
* ``duplicates``: every record removed as a duplicate;
* ``sources``: one row per input file and what became of it: ``article``
  (its page is an article's first capture), ``duplicate`` (its page was merged
  into or duplicates another; see duplicates), or ``rejected`` (with why:
  ingest's reason, or the parse stage's "no layout fits").

Pure: tables in, tables out, rows sorted by primary key. Never sees a raw
handle: its comments input is the anonymise stage's output.

In the pipeline the comments never sit in memory whole: the runner cuts the
anonymised comments into ranges of ``comment_id`` (``StageSpec.ranges``) and
runs :func:`comments_in_order` on each range, whose key-sorted outputs follow
each other; :func:`run_without_comments` builds the other tables from
per-partition :func:`comment_counts`. :func:`run` does it all on whole tables
and is the reference the ranges must match (tests compare the bytes).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.schemas import contract
from pipeline.stage import StageReport, StageResult


def run(inputs: dict[str, pa.Table]) -> StageResult:
    """The release on whole tables (the reference the pipeline's key ranges must match)."""
    counts = comment_counts(inputs["comments"])
    result = run_without_comments({**inputs, "comment_counts": counts})
    result.tables["comments"] = comments_in_order(inputs["comments"])
    result.tables = {name: result.tables[name] for name in TABLE_ORDER}
    return result


TABLE_ORDER = ("articles", "comments", "duplicates", "sources")


def comment_counts(comments: pa.Table) -> pa.Table:
    """(article_id, comments) of some comments: what ``articles.n_comments`` is made of.

    The pipeline computes it per partition of the anonymised comments (each
    holds whole articles) and hands the concatenation to
    :func:`run_without_comments`, so the comment texts are never all loaded."""
    counted = comments.group_by("article_id").aggregate([("comment_id", "count")])
    return counted.rename_columns(["article_id", "comments"])


def comments_in_order(comments: pa.Table) -> pa.Table:
    """Released comments (all, or one range of ``comment_id``): published columns, sorted."""
    return _conform("comments", comments, sort_by=["comment_id"])


def run_without_comments(inputs: dict[str, pa.Table]) -> StageResult:
    """Articles, duplicates and sources; ``comment_counts`` stands for the comments."""
    counts = inputs["comment_counts"]
    articles = _articles(inputs["articles"], counts)
    duplicates = _conform("duplicates", inputs["duplicates"], sort_by=["table", "dropped_id"])
    sources = _sources(
        inputs["pages"],
        inputs["rejected_inputs"],
        inputs["parsed_articles"],
        inputs["unparsed"],
        articles,
    )
    status_counts = {
        f"sources:{row['status']}": row["count"]
        for row in sources.group_by("status")
        .aggregate([("status", "count")])
        .rename_columns(["status", "count"])
        .to_pylist()
    }
    report = StageReport(
        counts={
            "articles": articles.num_rows,
            "comments": int(pc.sum(counts["comments"]).as_py() or 0),
            "duplicates": duplicates.num_rows,
            "sources": sources.num_rows,
            **status_counts,
        }
    )
    return StageResult(
        tables={"articles": articles, "duplicates": duplicates, "sources": sources},
        report=report,
    )


def _conform(name: str, table: pa.Table, sort_by: list[str]) -> pa.Table:
    target = contract("release", name)
    return target.conform(table).sort_by([(column, "ascending") for column in sort_by])


def _articles(articles: pa.Table, counts: pa.Table) -> pa.Table:
    counts = counts.group_by("article_id").aggregate([("comments", "sum")])
    joined = articles.join(counts, keys="article_id", join_type="left outer")
    n_comments = pc.fill_null(joined["comments_sum"], 0).cast(pa.int64())
    joined = joined.append_column("n_comments", n_comments)
    return _conform("articles", joined, sort_by=["article_id"])


def _sources(
    pages: pa.Table,
    rejected_inputs: pa.Table,
    parsed_articles: pa.Table,
    unparsed: pa.Table,
    articles: pa.Table,
) -> pa.Table:
    """One row per input file, by Arrow lookups (no Python loop over pages)."""
    names = pages["source_file"]
    in_unparsed = pc.index_in(names, value_set=unparsed["source_file"])
    failed = pc.is_valid(in_unparsed)
    released = pc.is_in(names, value_set=articles["source_file"])
    status = pc.if_else(failed, "rejected", pc.if_else(released, "article", "duplicate"))
    why = pc.binary_join_element_wise("no layout fits: ", unparsed["reason"].take(in_unparsed), "")
    layout = parsed_articles["layout"].take(
        pc.index_in(names, value_set=parsed_articles["source_file"])
    )
    schema = contract("release", "sources").arrow_schema()
    read = pa.table(
        {
            "source_file": names,
            "source_sha256": pages["source_sha256"],
            "bytes": pages["bytes"],
            "encoding": pages["encoding"],
            "layout": layout,
            "status": status,
            "reason": pc.if_else(failed, why, pa.scalar(None, pa.string())),
        }
    ).cast(schema)
    n_rejected = rejected_inputs.num_rows
    rejected = pa.table(
        {
            "source_file": rejected_inputs["source_file"],
            "source_sha256": rejected_inputs["source_sha256"],
            "bytes": rejected_inputs["bytes"],
            "encoding": pa.nulls(n_rejected, pa.string()),
            "layout": pa.nulls(n_rejected, pa.string()),
            "status": pa.array(["rejected"] * n_rejected, pa.string()),
            "reason": rejected_inputs["reason"],
        }
    ).cast(schema)
    return pa.concat_tables([read, rejected]).sort_by("source_file").combine_chunks()
