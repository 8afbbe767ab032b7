"""Release: the four published tables, assembled from the earlier stages.

* ``articles``: deduplicated articles plus ``n_comments`` (rows in comments);
* ``comments``: anonymised comments in the published columns (the capture a
  comment was kept from is build-internal and dropped here);
* ``duplicates``: every record removed as a duplicate, its table named by
  ``record_table`` and, deprecated, ``table``;
* ``sources``: one row per input file and what became of it (with the parse
  confidence and the line accounting, :func:`line_accounting`): ``article``
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
    escaped = inputs.get("escaped")
    refused = _refused_files(inputs["articles"], inputs["duplicates"], escaped)
    articles = _articles(_without_refused(inputs["articles"], escaped), counts)
    duplicates = _duplicates(_without_kept(inputs["duplicates"], escaped))
    sources = _sources(
        inputs["pages"],
        inputs["rejected_inputs"],
        inputs["parsed_articles"],
        inputs["unparsed"],
        articles,
        inputs["duplicates"],
        refused,
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


def _without_refused(articles: pa.Table, escaped: pa.Table | None) -> pa.Table:
    """``articles`` without the pages the privacy net refused."""
    if escaped is None or escaped.num_rows == 0:
        return articles
    gone = pc.unique(escaped["article_id"])
    return articles.filter(pc.invert(pc.is_in(articles["article_id"], value_set=gone)))


def _without_kept(duplicates: pa.Table, escaped: pa.Table | None) -> pa.Table:
    """Duplicates whose kept record was refused go with it: nothing of the page is released."""
    if escaped is None or escaped.num_rows == 0:
        return duplicates
    gone = pc.unique(pa.concat_arrays([escaped["article_id"].combine_chunks(),
                                       escaped["comment_id"].drop_null().combine_chunks()]))
    return duplicates.filter(pc.invert(pc.is_in(duplicates["kept_id"], value_set=gone)))


def _no_refusals() -> pa.Table:
    return pa.table({"source_file": pa.array([], pa.string()),
                     "reason": pa.array([], pa.string())})


def _refused_files(articles: pa.Table, duplicates: pa.Table,
                   escaped: pa.Table | None) -> pa.Table:
    """(source_file, reason) of every capture of a page the privacy net refused."""
    if escaped is None or escaped.num_rows == 0:
        return _no_refusals()
    pages = escaped.filter(pc.is_null(escaped["comment_id"]))

    def captures(files: pa.ChunkedArray, article_ids: pa.ChunkedArray) -> pa.Table:
        at = pc.index_in(article_ids, value_set=pages["article_id"])
        hit = pc.is_valid(at)
        return pa.table({"source_file": files.filter(hit),
                         "reason": pages["reason"].take(at.filter(hit))})

    copies = duplicates.filter(pc.equal(duplicates["record_table"], "articles"))
    return pa.concat_tables([
        captures(articles["source_file"], articles["article_id"]),
        captures(copies["source_file"], copies["kept_id"]),
    ]).group_by("source_file").aggregate([("reason", "min")]).rename_columns(
        ["source_file", "reason"])


def _conform(name: str, table: pa.Table, sort_by: list[str]) -> pa.Table:
    target = contract("release", name)
    return target.conform(table).sort_by([(column, "ascending") for column in sort_by])


def _duplicates(duplicates: pa.Table) -> pa.Table:
    """The removed records, with ``table`` beside ``record_table`` (deprecated, same values)."""
    with_alias = duplicates.append_column("table", duplicates["record_table"])
    return _conform("duplicates", with_alias, sort_by=contract("release", "duplicates").primary_key)


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
    duplicates: pa.Table,
    refused: pa.Table | None = None,
) -> pa.Table:
    """One row per input file, by Arrow lookups (no Python loop over pages). A file whose
    page the privacy net refused (``refused``: source_file, reason) is rejected."""
    names = pages["source_file"]
    in_unparsed = pc.index_in(names, value_set=unparsed["source_file"])
    failed = pc.is_valid(in_unparsed)
    released = pc.is_in(names, value_set=articles["source_file"])
    if refused is None:
        refused = _no_refusals()
    in_refused = pc.index_in(names, value_set=refused["source_file"])
    net = pc.is_valid(in_refused)
    status = pc.if_else(pc.or_(failed, net), "rejected",
                        pc.if_else(released, "article", "duplicate"))
    why = unparsed["reason"].take(in_unparsed)
    in_parsed = pc.index_in(names, value_set=parsed_articles["source_file"])
    layout = parsed_articles["layout"].take(in_parsed)
    confidence = pc.coalesce(
        parsed_articles["parse_confidence"].take(in_parsed),
        unparsed["parse_confidence"].take(in_unparsed),
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
            "reason": pc.if_else(failed, why, pc.if_else(
                net, refused["reason"].take(in_refused), pa.scalar(None, pa.string()))),
            "parse_confidence": confidence,
            **line_accounting(names, parsed_articles, in_parsed, duplicates),
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
            **{
                name: pa.nulls(n_rejected, schema.field(name).type)
                for name in ("parse_confidence", *LINE_COLUMNS)
            },
        }
    ).cast(schema)
    return pa.concat_tables([read, rejected]).sort_by("source_file").combine_chunks()


LINE_COLUMNS = (
    "lines_title",
    "lines_body",
    "lines_comment_text",
    "lines_handle",
    "lines_chrome",
    "lines_duplicate",
)


def line_accounting(
    names: pa.ChunkedArray | pa.Array,
    parsed_articles: pa.Table,
    in_parsed: pa.Array,
    duplicates: pa.Table,
) -> dict[str, pa.Array]:
    """Where the non-blank lines of each input file went (sources.lines_*).

    The parse stage counts a parsed page's lines per part (title, body,
    comment text, handle, chrome: they add up to its non-blank lines). What
    dedupe removed moves to ``lines_duplicate``: the title and body lines of a
    file whose article row was removed, and the text and handle lines of each
    removed comment (the build-internal ``lines_text``/``lines_handle`` of
    duplicates). Null for every count of a file that was not parsed.
    """
    parsed = pc.is_valid(in_parsed)
    page = {name: parsed_articles[name].take(in_parsed) for name in LINE_COLUMNS[:-1]}
    dropped = _dropped_lines(names, duplicates)
    article_gone = dropped["article"]
    zero = pa.scalar(0, pa.int64())
    article_lines = pc.add(page["lines_title"], page["lines_body"])
    counts = {
        "lines_title": pc.if_else(article_gone, zero, page["lines_title"]),
        "lines_body": pc.if_else(article_gone, zero, page["lines_body"]),
        "lines_comment_text": pc.subtract(page["lines_comment_text"], dropped["text"]),
        "lines_handle": pc.subtract(page["lines_handle"], dropped["handle"]),
        "lines_chrome": page["lines_chrome"],
        "lines_duplicate": pc.add(
            pc.if_else(article_gone, article_lines, zero),
            pc.add(dropped["text"], dropped["handle"]),
        ),
    }
    missing = pa.scalar(None, pa.int64())
    return {name: pc.if_else(parsed, counts[name], missing) for name in LINE_COLUMNS}


def _dropped_lines(names: pa.ChunkedArray | pa.Array, duplicates: pa.Table) -> dict[str, pa.Array]:
    """Per file in ``names``: whether its article row was removed, and the text and
    handle lines of its removed comments."""
    rows = duplicates.select(["record_table", "source_file", "lines_text", "lines_handle"])
    articles = rows.filter(pc.equal(rows["record_table"], "articles"))
    comments = rows.filter(pc.equal(rows["record_table"], "comments"))
    per_file = comments.group_by("source_file").aggregate(
        [("lines_text", "sum"), ("lines_handle", "sum")]
    )
    at = pc.index_in(names, value_set=per_file["source_file"])
    return {
        "article": pc.is_in(names, value_set=articles["source_file"]),
        "text": pc.fill_null(per_file["lines_text_sum"].take(at), 0),
        "handle": pc.fill_null(per_file["lines_handle_sum"].take(at), 0),
    }

