"""Dedupe stage: one record per observation; near duplicates kept and labelled.

Input: the parse stage's ``articles`` (one row per parsed page) and
``comments`` (``source_file``, ``position``, ``parent_position``, ``depth``,
``handle`` raw, ``text``). Output: ``articles``, ``comments`` and
``duplicates`` (see ../shared/CONTRACT.md, "What counts as a duplicate").

Exact duplicates (removed, one ``duplicates`` row per removed input row):

* ``same-page-captured-twice``: pages with the same ``source_sha256`` and the
  same article identity. The copy with the smallest ``source_file`` stays; the
  others' article and every one of their comments are logged against what
  the kept copy's matching row became.
* ``same-article-captured-again``: distinct captures of one article (same
  identity, different bytes). Article identity is the comparison form
  (``pipeline.textnorm``) of site, layout, title and body: site and layout are
  part of it so one story syndicated on two sites stays two articles (and
  shares a ``near_dup_cluster``). The primary capture is the one with the
  most comments, then the smallest ``source_file``; its article row is kept.
  Comments are merged in page order: the primary's order, then each other
  capture (most comments first) is walked in its page order; a comment
  already present is logged as dropped, a new one is inserted right after
  its predecessor in that capture (after the predecessor's deeper replies
  when it is not itself a reply to the predecessor), and never before its
  parent (captures may order comments differently). Depth is recomputed as
  parent's depth + 1.
* ``truncated-capture``: a capture cut short inside a comment: its last
  comment is, in comparison form, a strict beginning of a comment another
  capture of the article has whole (same handle, or both without one), and no
  other capture has that shorter text. The page is logged as a duplicate of
  the article (its other comments merge as above) and the cut-off comment as
  ``truncated-comment``, a duplicate of the whole one: no fragment is
  released. A whole capture is preferred as the primary.
* ``same-comment-twice``: within one article, a comment with the same
  parent, the same comparison-form text and the same (non-null) handle as an
  earlier one. Comments without a handle are never merged within a capture
  (two people may both write "+1"); across captures the k-th handle-less
  occurrence matches the k-th.

Published text is always the kept copy's original text. ``thread_id`` is the
root node of each comment's thread (itself without a parent). Each
``duplicates`` row is named by ``record_table`` and carries the dropped
record's page lines (build-internal ``lines_text``, ``lines_handle``) for the
line accounting in sources.parquet.

Ids (content-derived; row order and file names never enter them; handles
never do, not even hashed):

* ``article_id = "a_" + sha256("article", site, layout, title, body)[:16]``
  over the comparison forms, fields joined by U+001F.
* ``comment_id = "c_" + sha256("comment", article_id, parent comment_id or "",
  text form, k)[:16]`` where k counts earlier comments in page order with the
  same parent and text (necessarily by other or unknown handles).
* ``dropped_id`` of an article: ``"a_" + sha256("dropped", kept article_id,
  source_sha256, copy)[:16]``; of a comment: ``"c_" + sha256("dropped",
  kept comment_id, source_sha256, copy, position)[:16]``, where ``copy`` is the
  rank of that file among files with the same bytes (0 for the first by
  name). Unique because (source_sha256, copy, position) names one input row.

Near duplicates: ``pipeline.neardup`` (settings and measured precision/recall
there) over the kept comment texts of all articles together, so copypasta
across articles is found, and over article title + body.
``near_dup_cluster = "n_" + sha256("cluster", smallest member id)[:16]``,
null for a record with no near duplicate. A reply quoting a comment joins its
cluster when the quote is at least ~45% of the reply's word pairs; texts of
fewer than 4 words are never clustered.

In partitions (how the pipeline runs it): the runner puts every capture of
one article in the same partition (it partitions parse's tables by
:func:`article_identities`), runs :func:`merge_partition` on each (the exact
part above, plus near-dup sketches of the kept texts), then the one global
step :func:`cluster_near_duplicates`, which reads the sketches band by band
(``pipeline.neardup.components_across_parts``) and names the clusters with
Arrow group-bys, then :func:`label_partition` on each partition to fill
``near_dup_cluster``. No step holds more than one partition's comments as
Python objects; the global step holds a few numbers per record. :func:`run`
does the same on whole tables in memory and is the reference the partitioned
path must match.

Report counts: rows in/out, ``articles_merged_from_captures``,
``<table>_dropped_<reason>``, and per kind (article, comment) the number of
clusters, clustered records, largest size and sizes 2 / 3-5 / 6-20 / 21+.

This stage sees raw handles: it compares them for equality only, and must
never put one (or a hash of one) into an id, a report or a note.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.errors import CorpusError
from pipeline.neardup import (
    ALONE,
    NearDupSettings,
    components_across_parts,
    near_dup_components,
    text_sketches,
)
from pipeline.stage import Dropped, Finished, PartReader, StageReport, StageResult
from pipeline.textnorm import comparison_form

SEPARATOR = "\x1f"
SAME_PAGE = "same-page-captured-twice"
SAME_ARTICLE = "same-article-captured-again"
SAME_COMMENT = "same-comment-twice"
TRUNCATED_PAGE = "truncated-capture"
TRUNCATED_COMMENT = "truncated-comment"
REASONS = (SAME_PAGE, SAME_ARTICLE, SAME_COMMENT, TRUNCATED_PAGE, TRUNCATED_COMMENT)

ARTICLE_FIELDS = [
    ("article_id", pa.string()),
    ("source_file", pa.string()),
    ("source_sha256", pa.string()),
    ("site", pa.string()),
    ("layout", pa.string()),
    ("title", pa.string()),
    ("body", pa.string()),
    ("n_comments_declared", pa.int64()),
    ("near_dup_cluster", pa.string()),
    ("published", pa.string()),
    ("published_text", pa.string()),
    ("language", pa.string()),
    ("threading_shown", pa.bool_()),
    ("handles_shown", pa.bool_()),
]
COMMENT_FIELDS = [
    ("comment_id", pa.string()),
    ("article_id", pa.string()),
    ("parent_id", pa.string()),
    ("position", pa.int64()),
    ("depth", pa.int64()),
    ("handle", pa.string()),
    ("text", pa.string()),
    ("source_file", pa.string()),
    ("near_dup_cluster", pa.string()),
    ("thread_id", pa.string()),
    ("published", pa.string()),
    ("published_text", pa.string()),
]
DUPLICATE_FIELDS = [
    ("record_table", pa.string()),
    ("dropped_id", pa.string()),
    ("kept_id", pa.string()),
    ("reason", pa.string()),
    ("source_file", pa.string()),
    ("lines_text", pa.int64()),
    ("lines_handle", pa.int64()),
]


class DedupeInputError(CorpusError):
    """The parse output handed to dedupe breaks its contract (message says how)."""


def short_hash(prefix: str, *parts: object) -> str:
    """``prefix`` + the first 16 hex digits of sha256 over the parts joined by U+001F."""
    joined = SEPARATOR.join(str(part) for part in parts)
    return prefix + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Capture:
    """One parsed page (one input article row) and where its comments are."""

    row: int
    source_file: str
    source_sha256: str
    article_id: str
    copy: int  # rank among files with the same bytes, by name
    n_comments: int
    first_comment: int  # row range in the sorted comments table
    end_comment: int
    article_lines: int = 0  # non-blank page lines of its title and body


@dataclass
class Node:
    """One distinct comment of a merged article."""

    key: tuple
    parent: int | None
    row: int  # the kept input comment row
    capture: int  # index of the capture it was kept from (within the article)
    depth: int


@dataclass
class DroppedRow:
    table: str
    kept: int | str  # node index (comments) or article id (articles)
    reason: str
    source_sha256: str
    copy: int
    position: int | None
    source_file: str
    lines_text: int = 0  # non-blank page lines of the dropped record's text (line accounting)
    lines_handle: int = 0


@dataclass
class MergedArticle:
    article_id: str
    primary: Capture
    nodes: list[Node] = field(default_factory=list)
    order: list[int] = field(default_factory=list)  # node indices in page order
    dropped: list[DroppedRow] = field(default_factory=list)


@dataclass(frozen=True)
class CommentColumns:
    """The input comments, sorted by (source_file, position), as Python lists."""

    position: list[int]
    parent_position: list[int | None]
    handle: list[str | None]
    text_form: list[str]
    lines_text: list[int]
    lines_handle: list[int]


def run(inputs: dict[str, pa.Table], *, near_dup: NearDupSettings | None = None) -> StageResult:
    """Remove exact duplicates, merge re-captured articles, label near duplicates.

    The whole-table reference: everything in memory at once. The pipeline runs
    the same decisions in partitions (:func:`merge_partition`,
    :func:`cluster_near_duplicates`, :func:`label_partition`); tests check the
    two agree.
    """
    settings = near_dup or NearDupSettings()
    exact = merge_captures(inputs)
    articles, comments = exact.tables["articles"], exact.tables["comments"]
    clusters = {
        kind: cluster_names([(table[id_column], _near_dup_labels(texts, settings))])
        for kind, table, id_column, texts in (
            ("article", articles, "article_id", _article_texts(articles)),
            ("comment", comments, "comment_id", comments["text"]),
        )
    }
    tables = {
        **exact.tables,
        "articles": _with_cluster_column(articles, clusters["article"].column(0)),
        "comments": _with_cluster_column(comments, clusters["comment"].column(0)),
    }
    return StageResult(tables=tables, report=_with_cluster_report(exact.report, clusters))


def merge_captures(inputs: dict[str, pa.Table]) -> StageResult:
    """The exact part: one record per observation, ``near_dup_cluster`` still null.

    Needs every capture of an article in ``inputs`` (the runner partitions by
    article identity, :func:`article_identities`); its report has the exact
    counts only.
    """
    articles = inputs["articles"].sort_by([("source_file", "ascending")])
    comments = inputs["comments"].sort_by([("source_file", "ascending"), ("position", "ascending")])
    captures = _captures(articles, comments)
    columns = CommentColumns(
        position=comments["position"].to_pylist(),
        parent_position=comments["parent_position"].to_pylist(),
        handle=comments["handle"].to_pylist(),
        text_form=comparison_form(comments["text"]).to_pylist(),
        lines_text=comments["lines_text"].to_pylist(),
        lines_handle=comments["lines_handle"].to_pylist(),
    )
    merged = [_merge(group, columns) for group in _by_article(captures)]
    out_articles = _article_table(articles, merged)
    out_comments, comment_ids = _comment_table(comments, columns, merged)
    duplicates = _duplicate_table(merged, comment_ids)
    report = _report(inputs, out_articles, out_comments, duplicates, merged)
    return StageResult(
        tables={"articles": out_articles, "comments": out_comments, "duplicates": duplicates},
        report=report,
    )


def article_identities(articles: pa.Table) -> pa.Array:
    """The article_id each parsed page (a row of parse's ``articles``) belongs to.

    What the runner partitions dedupe's input by: all captures of one article
    must be merged together.
    """
    return pa.array(_article_ids(articles), pa.string())


def _captures(articles: pa.Table, comments: pa.Table) -> list[Capture]:
    """One Capture per input article row, with its identity and comment range."""
    if len(set(articles["source_file"].to_pylist())) != articles.num_rows:
        raise DedupeInputError("dedupe: articles.source_file is not unique; re-run parse")
    ids = _article_ids(articles)
    files = articles["source_file"].to_pylist()
    shas = articles["source_sha256"].to_pylist()
    ranges = _comment_ranges(comments, set(files))
    copies = _copy_ranks(ids, shas, files)
    lines = pc.add(articles["lines_title"], articles["lines_body"]).to_pylist()
    captures = []
    for row, file in enumerate(files):
        first, end = ranges.get(file, (0, 0))
        captures.append(
            Capture(
                row, file, shas[row], ids[row], copies[row], end - first, first, end, lines[row]
            )
        )
    return captures


def _article_ids(articles: pa.Table) -> list[str]:
    site = comparison_form(pc.fill_null(articles["site"], "")).to_pylist()
    layout = articles["layout"].to_pylist()
    title = comparison_form(articles["title"]).to_pylist()
    body = comparison_form(articles["body"]).to_pylist()
    return [
        short_hash("a_", "article", *fields)
        for fields in zip(site, layout, title, body, strict=True)
    ]


def _comment_ranges(comments: pa.Table, known_files: set[str]) -> dict[str, tuple[int, int]]:
    """(first row, end row) of each source_file's comments in the sorted table."""
    if comments.num_rows == 0:
        return {}
    encoded = pc.dictionary_encode(comments["source_file"]).combine_chunks()
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.diff(indices, prepend=-1))
    ends = np.append(starts[1:], len(indices))
    names = encoded.dictionary.take(pa.array(indices[starts])).to_pylist()
    unknown = sorted(set(names) - known_files)
    if unknown:
        raise DedupeInputError(
            f"dedupe: comments of {len(unknown)} source_file(s) without an article row "
            f"(e.g. {unknown[0]}); re-run parse"
        )
    return {name: (int(s), int(e)) for name, s, e in zip(names, starts, ends, strict=True)}


def _copy_ranks(ids: list[str], shas: list[str], files: list[str]) -> list[int]:
    """Rank of each row among rows with the same identity and bytes, by file name."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    ranks = [0] * len(ids)
    for row in sorted(range(len(ids)), key=files.__getitem__):
        ranks[row] = seen[(ids[row], shas[row])]
        seen[(ids[row], shas[row])] += 1
    return ranks


def _by_article(captures: list[Capture]) -> list[list[Capture]]:
    """Captures grouped by article, each group in merge order (primary first)."""
    groups: dict[str, list[Capture]] = defaultdict(list)
    for capture in captures:
        groups[capture.article_id].append(capture)
    return [
        sorted(group, key=lambda c: (c.copy, -c.n_comments, c.source_file))
        for _, group in sorted(groups.items())
    ]


def _merge(group: list[Capture], columns: CommentColumns) -> MergedArticle:
    """Merge one article's captures into one comment sequence, logging what is dropped."""
    fragments = truncated_comments(group, columns)
    if fragments:  # a whole capture is the primary when there is one
        group = sorted(group, key=lambda c: (c.copy, c.end_comment - 1 in fragments))
    merged = MergedArticle(article_id=group[0].article_id, primary=group[0])
    key_to_node: dict[tuple, int] = {}
    node_of_row: dict[int, int] = {}
    for index, capture in enumerate(group):
        if capture.copy > 0:
            continue
        _merge_capture(merged, index, capture, columns, key_to_node, node_of_row, fragments)
        if index > 0:
            truncated = capture.end_comment - 1 in fragments
            merged.dropped.append(
                DroppedRow(
                    "articles",
                    merged.article_id,
                    TRUNCATED_PAGE if truncated else SAME_ARTICLE,
                    capture.source_sha256,
                    capture.copy,
                    None,
                    capture.source_file,
                    capture.article_lines,
                )
            )
    _drop_fragments(merged, group, columns, fragments, node_of_row)
    first_copy = {c.source_sha256: c for c in group if c.copy == 0}
    for capture in group:
        if capture.copy > 0:
            kept = first_copy[capture.source_sha256]
            nodes = [node_of_row[row] for row in range(kept.first_comment, kept.end_comment)]
            _drop_page_copy(merged, capture, nodes, columns)
    return merged


def truncated_comments(group: Sequence[Capture], columns: CommentColumns) -> dict[int, int]:
    """Last comments of captures cut short: fragment row -> a row of the whole comment.

    A capture is truncated when its last comment (same handle, or both without
    one) is, in comparison form, a strict beginning of a comment that another
    capture of the article has, and no other capture has it exactly: the page
    was cut inside that comment.
    """
    captures = [c for c in group if c.copy == 0 and c.n_comments > 0]
    fragments: dict[int, int] = {}
    for capture in captures:
        last = capture.end_comment - 1
        form, handle = columns.text_form[last], columns.handle[last]
        others = [
            row
            for other in captures
            if other is not capture
            for row in range(other.first_comment, other.end_comment)
            if columns.handle[row] == handle
        ]
        if not form or any(columns.text_form[row] == form for row in others):
            continue
        longer = (row for row in others if len(columns.text_form[row]) > len(form))
        whole = next((row for row in longer if columns.text_form[row].startswith(form)), None)
        if whole is not None:
            fragments[last] = whole
    return fragments


def _drop_fragments(
    merged: MergedArticle,
    group: Sequence[Capture],
    columns: CommentColumns,
    fragments: dict[int, int],
    node_of_row: dict[int, int],
) -> None:
    """Log each cut-off last comment as a duplicate of the whole comment it begins.

    Longest fragments first: a whole comment may itself be another capture's
    fragment of a still longer one.
    """
    capture_of = {c.end_comment - 1: c for c in group if c.copy == 0}
    for row in sorted(fragments, key=lambda r: (-len(columns.text_form[r]), r)):
        node = node_of_row[fragments[row]]
        node_of_row[row] = node
        capture = capture_of[row]
        merged.dropped.append(
            DroppedRow(
                "comments",
                node,
                TRUNCATED_COMMENT,
                capture.source_sha256,
                capture.copy,
                columns.position[row],
                capture.source_file,
            )
        )


def _merge_capture(
    merged: MergedArticle,
    index: int,
    capture: Capture,
    columns: CommentColumns,
    key_to_node: dict[tuple, int],
    node_of_row: dict[int, int],
    fragments: dict[int, int],
) -> None:
    """Walk one capture in page order, noting the node each of its comments became
    (a cut-off last comment is left for :func:`_drop_fragments`)."""
    by_position: dict[int, int] = {}
    anonymous: dict[tuple, int] = defaultdict(int)
    touched: set[int] = set()
    previous: int | None = None
    for row in range(capture.first_comment, capture.end_comment):
        if row in fragments:
            continue
        parent = by_position.get(columns.parent_position[row])  # type: ignore[arg-type]
        key = _comment_key(parent, columns.text_form[row], columns.handle[row], anonymous)
        node = key_to_node.get(key)
        if node is None:
            node = _add_node(merged, Node(key, parent, row, index, 0), previous)
            key_to_node[key] = node
        else:
            reason = SAME_COMMENT if node in touched else SAME_ARTICLE
            merged.dropped.append(
                DroppedRow(
                    "comments",
                    node,
                    reason,
                    capture.source_sha256,
                    capture.copy,
                    columns.position[row],
                    capture.source_file,
                    columns.lines_text[row],
                    columns.lines_handle[row],
                )
            )
        touched.add(node)
        by_position[columns.position[row]] = node
        node_of_row[row] = node
        previous = node


def _comment_key(
    parent: int | None, text_form: str, handle: str | None, anonymous: dict[tuple, int]
) -> tuple:
    """What makes two comments of one article the same comment (kept in memory only)."""
    if handle is not None:
        return (parent, text_form, "handle", handle)
    occurrence = anonymous[(parent, text_form)]
    anonymous[(parent, text_form)] += 1
    return (parent, text_form, "anonymous", occurrence)


def _add_node(merged: MergedArticle, node: Node, previous: int | None) -> int:
    """Append a new comment node and place it in page order after ``previous``."""
    node.depth = 0 if node.parent is None else merged.nodes[node.parent].depth + 1
    merged.nodes.append(node)
    index = len(merged.nodes) - 1
    if node.capture == 0:
        merged.order.append(index)
        return index
    at = 0 if previous is None else merged.order.index(previous) + 1
    if node.parent is not None:  # captures may order comments differently: parent first
        at = max(at, merged.order.index(node.parent) + 1)
    if at > 0 and merged.order[at - 1] != node.parent:
        while at < len(merged.order) and merged.nodes[merged.order[at]].depth > node.depth:
            at += 1
    merged.order.insert(at, index)
    return index


def _drop_page_copy(
    merged: MergedArticle, capture: Capture, kept_nodes: list[int], columns: CommentColumns
) -> None:
    """A byte-identical copy of an already merged page: drop it and all its comments.

    Same bytes parse the same, so its k-th comment is the kept copy's k-th.
    """
    rows = range(capture.first_comment, capture.end_comment)
    if len(rows) != len(kept_nodes):
        raise DedupeInputError(
            f"dedupe: {capture.source_file} has the same bytes as another page but a different "
            "number of comments; the parse is not deterministic, fix parse"
        )
    merged.dropped.append(
        DroppedRow(
            "articles",
            merged.article_id,
            SAME_PAGE,
            capture.source_sha256,
            capture.copy,
            None,
            capture.source_file,
            capture.article_lines,
        )
    )
    for row, node in zip(rows, kept_nodes, strict=True):
        merged.dropped.append(
            DroppedRow(
                "comments",
                node,
                SAME_PAGE,
                capture.source_sha256,
                capture.copy,
                columns.position[row],
                capture.source_file,
                columns.lines_text[row],
                columns.lines_handle[row],
            )
        )


def _article_table(articles: pa.Table, merged: list[MergedArticle]) -> pa.Table:
    rows = pa.array([m.primary.row for m in merged], pa.int64())
    kept = articles.take(rows)
    columns = {name: kept[name] for name, _ in ARTICLE_FIELDS if name in kept.column_names}
    columns["article_id"] = pa.array([m.article_id for m in merged], pa.string())
    columns["near_dup_cluster"] = pa.nulls(len(merged), pa.string())
    table = pa.table({name: columns[name] for name, _ in ARTICLE_FIELDS})
    return table.cast(pa.schema(ARTICLE_FIELDS)).sort_by("article_id")


def _comment_table(
    comments: pa.Table, columns: CommentColumns, merged: list[MergedArticle]
) -> tuple[pa.Table, list[list[str]]]:
    """The kept comments with ids, parents and merged positions; ids per article's nodes."""
    ids_per_article: list[list[str]] = []
    rows: list[int] = []
    out: dict[str, list] = {
        name: []
        for name in ("comment_id", "article_id", "parent_id", "position", "depth", "thread_id")
    }
    for article in merged:
        ids = _comment_ids(article, columns)
        ids_per_article.append(ids)
        roots = _thread_roots(article)
        for position, node_index in enumerate(article.order):
            node = article.nodes[node_index]
            rows.append(node.row)
            out["comment_id"].append(ids[node_index])
            out["article_id"].append(article.article_id)
            out["parent_id"].append(None if node.parent is None else ids[node.parent])
            out["position"].append(position)
            out["depth"].append(node.depth)
            out["thread_id"].append(ids[roots[node_index]])
    kept = comments.take(pa.array(rows, pa.int64()))
    table = pa.table(
        {
            "comment_id": pa.array(out["comment_id"], pa.string()),
            "article_id": pa.array(out["article_id"], pa.string()),
            "parent_id": pa.array(out["parent_id"], pa.string()),
            "position": pa.array(out["position"], pa.int64()),
            "depth": pa.array(out["depth"], pa.int64()),
            "handle": kept["handle"].cast(pa.string()),
            "text": kept["text"].cast(pa.string()),
            "source_file": kept["source_file"].cast(pa.string()),
            "near_dup_cluster": pa.nulls(len(rows), pa.string()),
            "thread_id": pa.array(out["thread_id"], pa.string()),
            "published": kept["published"].cast(pa.string()),
            "published_text": kept["published_text"].cast(pa.string()),
        },
        schema=pa.schema(COMMENT_FIELDS),
    )
    return table.sort_by("comment_id"), ids_per_article


def _thread_roots(article: MergedArticle) -> list[int]:
    """The root node of each node's thread (parents are always created before replies).

    A comment without a parent is its own root; where the page shows no
    threading every comment is one.
    """
    roots: list[int] = []
    for index, node in enumerate(article.nodes):
        roots.append(index if node.parent is None else roots[node.parent])
    return roots


def _comment_ids(article: MergedArticle, columns: CommentColumns) -> list[str]:
    """Content ids of an article's nodes; parents are always created before replies."""
    occurrence: dict[tuple, int] = defaultdict(int)
    rank = [0] * len(article.nodes)
    for node_index in article.order:
        node = article.nodes[node_index]
        group = (node.parent, columns.text_form[node.row])
        rank[node_index] = occurrence[group]
        occurrence[group] += 1
    ids: list[str] = []
    for node_index, node in enumerate(article.nodes):
        parent_id = "" if node.parent is None else ids[node.parent]
        text_form = columns.text_form[node.row]
        ids.append(
            short_hash("c_", "comment", article.article_id, parent_id, text_form, rank[node_index])
        )
    return ids


def _duplicate_table(merged: list[MergedArticle], comment_ids: list[list[str]]) -> pa.Table:
    out: dict[str, list] = {name: [] for name, _ in DUPLICATE_FIELDS}
    for article, ids in zip(merged, comment_ids, strict=True):
        for dropped in article.dropped:
            if dropped.table == "articles":
                kept = article.article_id
                dropped_id = short_hash("a_", "dropped", kept, dropped.source_sha256, dropped.copy)
            else:
                kept = ids[dropped.kept]  # type: ignore[index]
                dropped_id = short_hash(
                    "c_", "dropped", kept, dropped.source_sha256, dropped.copy, dropped.position
                )
            out["record_table"].append(dropped.table)
            out["dropped_id"].append(dropped_id)
            out["kept_id"].append(kept)
            out["reason"].append(dropped.reason)
            out["source_file"].append(dropped.source_file)
            out["lines_text"].append(dropped.lines_text)
            out["lines_handle"].append(dropped.lines_handle)
    table = pa.table(out, schema=pa.schema(DUPLICATE_FIELDS))
    return table.sort_by([("record_table", "ascending"), ("dropped_id", "ascending")])


def _article_texts(articles: pa.Table) -> pa.Array:
    return pc.binary_join_element_wise(articles["title"], articles["body"], "\n\n")


def _near_dup_labels(texts: pa.Array | pa.ChunkedArray, settings: NearDupSettings) -> np.ndarray:
    return near_dup_components(texts, settings) if len(texts) else np.empty(0, np.int64)


def cluster_names(members: Iterable[tuple[pa.ChunkedArray | pa.Array, np.ndarray]]) -> ClusterNames:
    """Name every near-duplicate component: "n_" + hash of its smallest member id.

    ``members`` gives, partition by partition, the records' ids and component
    labels (``ALONE`` for none). Only the clustered records are grouped, with
    Arrow, per partition and then over the partitions' minima.
    """
    labels: list[np.ndarray] = []
    smallest: list[pa.Table] = []
    for ids, part_labels in members:
        labels.append(part_labels)
        clustered = part_labels != ALONE
        if isinstance(ids, pa.ChunkedArray):
            ids = ids.combine_chunks()
        table = pa.table({"label": part_labels[clustered], "id": ids.filter(clustered)})
        smallest.append(table.group_by("label").aggregate([("id", "min"), ("id", "count")]))
    table = pa.concat_tables(smallest) if smallest else _EMPTY_CLUSTERS
    table = table.group_by("label").aggregate([("id_min", "min"), ("id_count", "sum")])
    table = table.sort_by("label")
    names = [short_hash("n_", "cluster", member) for member in table["id_min_min"].to_pylist()]
    return ClusterNames(
        tuple(labels),
        np.asarray(table["label"].to_numpy(), dtype=np.int64),
        pa.array(names, pa.string()),
        np.asarray(table["id_count_sum"].to_numpy(), dtype=np.int64),
    )


_EMPTY_CLUSTERS = pa.table(
    {
        "label": pa.array([], pa.int64()),
        "id_min": pa.array([], pa.string()),
        "id_count": pa.array([], pa.int64()),
    }
)


@dataclass(frozen=True)
class ClusterNames:
    """Component labels per partition, and the cluster id of each clustered label.

    ``column(part)`` is partition ``part``'s ``near_dup_cluster`` column,
    computed when asked for; ``sizes`` are the clusters' member counts.
    """

    labels: tuple[np.ndarray, ...]
    cluster_labels: np.ndarray  # sorted
    names: pa.Array
    sizes: np.ndarray

    def column(self, part: int) -> pa.Array:
        labels = self.labels[part]
        where = np.searchsorted(self.cluster_labels, labels)
        positions = pa.array(where, pa.int64(), mask=labels == ALONE)
        return self.names.take(positions)


def _with_cluster_column(table: pa.Table, clusters: pa.Array) -> pa.Table:
    index = table.schema.get_field_index("near_dup_cluster")
    return table.set_column(index, "near_dup_cluster", clusters)


def _with_cluster_report(report: StageReport, clusters: dict[str, ClusterNames]) -> StageReport:
    """The exact counts plus cluster counts per kind and the merge note."""
    counts = dict(report.counts)
    for kind, names in clusters.items():
        counts.update(_cluster_counts(kind, names.sizes))
    notes = list(report.notes)
    merges = counts.get("articles_dropped_same_article_captured_again", 0)
    if merges:
        into = counts["articles_merged_from_captures"]
        notes.append(f"{merges} later capture(s) merged into {into} article(s)")
    return StageReport(counts=counts, dropped=list(report.dropped), notes=notes)


# --- in partitions of article groups ---------------------------------------------------

SKETCH_TABLES = {
    "article": ("article_texts", "article_signatures"),
    "comment": ("comment_texts", "comment_signatures"),
}


def merge_partition(
    inputs: dict[str, pa.Table], *, near_dup: NearDupSettings | None = None
) -> StageResult:
    """One partition of whole articles: the exact part, and near-dup sketches of what is kept.

    The sketches (``article_texts``/``_signatures``, ``comment_texts``/
    ``_signatures``; see ``pipeline.neardup.text_sketches``) are work tables
    row-aligned with the key-sorted ``articles`` and ``comments``; the global
    step :func:`cluster_near_duplicates` reads them.
    """
    settings = near_dup or NearDupSettings()
    exact = merge_captures(inputs)
    articles, comments = exact.tables["articles"], exact.tables["comments"]
    tables = dict(exact.tables)
    for kind, texts in (("article", _article_texts(articles)), ("comment", comments["text"])):
        text_table, signatures = text_sketches(texts, settings)
        tables[SKETCH_TABLES[kind][0]] = text_table
        tables[SKETCH_TABLES[kind][1]] = signatures
    return StageResult(tables=tables, report=exact.report)


@dataclass(frozen=True)
class _StoredSketches:
    """The sketches of one kind of record, as the runner's reader gives them."""

    parts: PartReader
    kind: str

    def __len__(self) -> int:
        return len(self.parts)

    def texts(self, part: int) -> pa.Table:
        return self.parts.read(SKETCH_TABLES[self.kind][0], part)

    def signatures(self, part: int, columns: Sequence[str]) -> pa.Table:
        return self.parts.read(SKETCH_TABLES[self.kind][1], part, columns)


@dataclass(frozen=True)
class ClusterOptions(Sequence[dict[str, pa.Array]]):
    """Options of each partition's second pass: its two ``near_dup_cluster`` columns."""

    articles: ClusterNames
    comments: ClusterNames

    def __len__(self) -> int:
        return len(self.articles.labels)

    def __getitem__(self, part):  # type: ignore[override]
        return {
            "article_clusters": self.articles.column(part),
            "comment_clusters": self.comments.column(part),
        }


def cluster_near_duplicates(
    parts: PartReader, report: StageReport, *, near_dup: NearDupSettings | None = None
) -> Finished:
    """The global step: near-duplicate clusters over all partitions, band by band.

    Labels come from ``pipeline.neardup.components_across_parts`` over the
    partitions' sketches; cluster ids from the smallest member id per label
    (:func:`cluster_names`). Returns the report with cluster counts and, per
    partition, the columns :func:`label_partition` sets.
    """
    settings = near_dup or NearDupSettings()
    clusters: dict[str, ClusterNames] = {}
    for kind, table, id_column in (
        ("article", "articles", "article_id"),
        ("comment", "comments", "comment_id"),
    ):
        labels = components_across_parts(_StoredSketches(parts, kind), settings)
        clusters[kind] = cluster_names(
            (parts.read(table, part, [id_column])[id_column], part_labels)
            for part, part_labels in enumerate(labels)
        )
    options = ClusterOptions(clusters["article"], clusters["comment"])
    return Finished(_with_cluster_report(report, clusters), options)


def label_partition(
    inputs: dict[str, pa.Table], *, article_clusters: pa.Array, comment_clusters: pa.Array
) -> StageResult:
    """The second pass: one partition's tables with their ``near_dup_cluster`` set."""
    return StageResult(
        tables={
            "articles": _with_cluster_column(inputs["articles"], article_clusters),
            "comments": _with_cluster_column(inputs["comments"], comment_clusters),
            "duplicates": inputs["duplicates"],
        }
    )


def _report(
    inputs: dict[str, pa.Table],
    articles: pa.Table,
    comments: pa.Table,
    duplicates: pa.Table,
    merged: list[MergedArticle],
) -> StageReport:
    """Exact counts for the runner and the datasheet: rows, merges, drops by reason."""
    report = StageReport()
    report.counts.update(
        {
            "articles_in": inputs["articles"].num_rows,
            "articles_out": articles.num_rows,
            "comments_in": inputs["comments"].num_rows,
            "comments_out": comments.num_rows,
            "articles_merged_from_captures": sum(
                any(d.reason == SAME_ARTICLE for d in m.dropped) for m in merged
            ),
        }
    )
    for (table, reason), count in _drop_counts(duplicates).items():
        report.counts[f"{table}_dropped_{reason.replace('-', '_')}"] = count
        report.dropped.append(Dropped(table=table, count=count, reason=reason))
    return report


def _drop_counts(duplicates: pa.Table) -> dict[tuple[str, str], int]:
    grouped = duplicates.group_by(["record_table", "reason"]).aggregate([("dropped_id", "count")])
    counts = {
        (table, reason): count
        for table, reason, count in zip(
            grouped["record_table"].to_pylist(),
            grouped["reason"].to_pylist(),
            grouped["dropped_id_count"].to_pylist(),
            strict=True,
        )
    }
    return dict(sorted(counts.items()))


def _cluster_counts(kind: str, sizes: np.ndarray) -> dict[str, int]:
    """Number of clusters, members, largest size and a size histogram for one table."""
    bins = {"2": (2, 2), "3_to_5": (3, 5), "6_to_20": (6, 20), "21_plus": (21, None)}
    counts = {
        f"{kind}_clusters": len(sizes),
        f"{kind}s_in_clusters": int(sizes.sum()),
        f"{kind}_cluster_size_max": int(sizes.max(initial=0)),
    }
    for name, (low, high) in bins.items():
        upper = sizes <= high if high is not None else True
        counts[f"{kind}_clusters_of_size_{name}"] = int(np.sum((sizes >= low) & upper))
    return counts
