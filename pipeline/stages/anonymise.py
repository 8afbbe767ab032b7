"""Anonymise stage: handles become keyed pseudonyms, and comment text loses
mentions of commenters, e-mail addresses, phone numbers and user-identifying
URL parameters.

Input tables: ``comments`` (at least comment_id, article_id, parent_id,
position, depth, handle, text, source_file, near_dup_cluster; ``handle`` is
the RAW handle; other columns such as thread_id and published pass through)
and, optionally, ``articles`` (its title/body words tell public figures such
as "Assad" apart from commenters' names). Output: ``comments``
with ``handle`` replaced, in the same column position, by ``author`` (the
pseudonym, or null when the page shows no handle), every other input table
passed through unchanged.

What is replaced is the handle rule (:mod:`pipeline.handle_rule`): a handle
or part that is not an ordinary word of the language wherever it occurs, an
ordinary one ("Cat", "the real one", "Patriot") only where a text names or
addresses its commenter with it. Last, every text goes through the sweep
(:mod:`pipeline.handle_sweep`): whatever the leak audit would still call a
handle is replaced by a pseudonym, so the stage's output passes the audit by
construction. The report counts the replacements per kind (``full_handle``,
``distinctive_part``, ``addressed``, ``sweep``): ``<kind>_replacements`` and
``<kind>_comments`` (how many comments had one).

In partitions (how the pipeline runs it): the input partitions are whole
articles (dedupe's article groups). :func:`prepare` runs once over all of
them: the distinct handles (Arrow ``unique`` of the handle column, a
partition at a time) get their pseudonyms and make the mention index, and
the articles' words make the public-name list; then :func:`run_partition`
anonymises each partition's comments with that :class:`ReleaseHandles`.
Mentions only look at the comment's own page and thread plus the release's
handles, so a partition gives exactly what the whole table gives.
:func:`run` does it on whole tables in memory (the reference).

A pure stage: no file I/O, no printing, no global state. Its report holds
counts only - never a handle, a mention or a removed identifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.common_words import ANY_LANGUAGE
from pipeline.handle_scan import LiteralScan
from pipeline.handle_sweep import (
    SWEEP,
    Replacement,
    SweepContext,
    SweepFailed,
    apply_with_outputs,
    sweep_comment,
)
from pipeline.identifiers import identifier_redactions
from pipeline.leak_patterns import LeakPatterns, leak_patterns
from pipeline.mentions import (
    ADDRESSED,
    DISTINCTIVE_PART,
    FULL_HANDLE,
    CommentContext,
    HandleIndex,
    Mention,
    find_mentions,
    public_words,
    thread_contexts,
)
from pipeline.privacy.header_net import page_problem
from pipeline.pseudonyms import PseudonymKey, canonical_handle, pseudonym_map
from pipeline.schemas import contract
from pipeline.stage import PartReader, Prepared, StageReport, StageResult

# Kinds of replacement, as the report and the datasheet count them.
REPLACEMENT_KINDS = (FULL_HANDLE, DISTINCTIVE_PART, ADDRESSED, SWEEP)
_IDENTIFIER_COUNTS = {"email": "emails", "phone": "phones", "url_param": "url_params_removed"}

COMMENT_COLUMNS = (
    "comment_id",
    "article_id",
    "parent_id",
    "position",
    "depth",
    "handle",
    "text",
    "source_file",
    "near_dup_cluster",
)


class AnonymiseInputError(ValueError):
    """The anonymise stage got tables it cannot work on; the message says what is missing."""


@dataclass(frozen=True)
class _CommentRow:
    row: int
    comment_id: str
    parent_id: str | None
    handle: str | None
    text: str


@dataclass(frozen=True)
class ReleaseHandles:
    """What anonymising one article needs to know about the whole release.

    The pseudonym of every distinct handle (``raw`` and ``pseudonyms``
    aligned, plus by canonical handle for mentions) and the mention index
    over all handles (offpage mentions may name anyone in the release), and
    the leak audit's patterns for the last sweep. Built once from the
    distinct handles, never from the comments themselves.
    """

    raw: pa.Array
    pseudonyms: pa.Array
    by_raw: dict[str, str]
    by_canonical: dict[str, str]
    index: HandleIndex
    patterns: LeakPatterns
    scan: LiteralScan  # the sweep's patterns (full handles, private parts), one automaton

    @classmethod
    def build(cls, key: PseudonymKey, handles: list[str], public: frozenset[str]) -> ReleaseHandles:
        """From the release's distinct handles and the words its articles use."""
        mapping = pseudonym_map(key, handles)
        patterns = leak_patterns(handles, ANY_LANGUAGE, public)
        return cls(
            raw=pa.array(list(mapping), pa.string()),
            pseudonyms=pa.array(list(mapping.values()), pa.string()),
            by_raw=mapping,
            by_canonical={canonical_handle(h): p for h, p in mapping.items()},
            index=HandleIndex(handles, public, ANY_LANGUAGE),
            patterns=patterns,
            scan=LiteralScan((*patterns.full, *patterns.private_parts)),
        )

    @property
    def n_pseudonyms(self) -> int:
        return len(set(self.by_canonical.values()))


def run(inputs: dict[str, pa.Table], key: PseudonymKey) -> StageResult:
    """Anonymise whole tables in memory: the reference the partitioned path must match."""
    comments = _checked_comments(inputs)
    handles = distinct_handles([comments.column("handle")])
    release = ReleaseHandles.build(key, handles, _public_words(inputs.get("articles")))
    result = run_partition(inputs, release=release)
    result.report.counts["pseudonyms"] = release.n_pseudonyms
    return result


def prepare(parts: PartReader, *, key: PseudonymKey) -> Prepared:
    """Over all partitions, before them: the release's handles, their pseudonyms and index.

    Reads the ``handle`` column of each partition (Arrow ``unique`` per
    partition, then over the partitions' distinct values) and the articles'
    title and body a partition at a time.
    """
    handles = distinct_handles(
        parts.read("comments", part, ["handle"]).column("handle") for part in range(len(parts))
    )
    public: set[str] = set()
    for part in range(len(parts)):
        public |= _public_words(parts.read("articles", part, ["title", "body"]))
    release = ReleaseHandles.build(key, handles, frozenset(public))
    report = StageReport(counts={"pseudonyms": release.n_pseudonyms})
    return Prepared({"release": release}, report)


def run_partition(inputs: dict[str, pa.Table], *, release: ReleaseHandles) -> StageResult:
    """Anonymise the comments of some whole articles (every comment of each article)."""
    comments = _checked_comments(inputs)
    originals, replacements = comment_replacements(comments, release)
    texts = [
        apply_with_outputs(text, found)[0] if found else text
        for text, found in zip(originals, replacements, strict=True)
    ]
    authors = _author_column(comments.column("handle"), release)
    table = comments.set_column(
        comments.schema.get_field_index("handle"), pa.field("author", pa.string()), authors
    )
    table = table.set_column(
        table.schema.get_field_index("text"),
        table.schema.field("text"),
        pa.array(texts, pa.string()),
    )
    table, escaped = _privacy_net(table, inputs.get("articles"))
    counts = {"comments_with_author": len(authors) - authors.null_count}
    counts.update(replacement_counts(replacements))
    counts["pages_refused_by_privacy_net"] = int(pc.sum(pc.is_null(escaped["comment_id"])).as_py()
                                                 or 0)
    # Only the table this stage changes is its output; articles are read for
    # context (public names) and stay the dedupe stage's output.
    return StageResult(tables={"comments": table, "escaped": escaped},
                       report=StageReport(counts=counts))


def _privacy_net(comments: pa.Table, articles: pa.Table | None) -> tuple[pa.Table, pa.Table]:
    """Withhold every page whose anonymised comments or article text still hold a line
    shaped like a comment header (pipeline/privacy/header_net.py): its comments leave this
    stage's output, and the page is listed (with the reason) for the release stage."""
    texts: dict[str, list[str]] = {}
    for article_id, text in zip(comments["article_id"].to_pylist(),
                                comments["text"].to_pylist(), strict=True):
        texts.setdefault(article_id, []).append(text or "")
    bodies: dict[str, str] = {}
    if articles is not None and "body" in articles.column_names:
        bodies = dict(zip(articles["article_id"].to_pylist(), articles["body"].to_pylist(),
                          strict=True))
    refused: dict[str, str] = {}
    for article_id in sorted(set(texts) | set(bodies)):
        problem = page_problem(bodies.get(article_id) or "", texts.get(article_id, []))
        if problem is not None:
            refused[article_id] = problem
    schema = contract("anonymise", "escaped").arrow_schema()
    if not refused:
        return comments, schema.empty_table()
    withheld = pc.is_in(comments["article_id"], value_set=pa.array(sorted(refused), pa.string()))
    gone = comments.filter(withheld)
    rows = [{"article_id": a, "comment_id": None, "reason": r} for a, r in sorted(refused.items())]
    rows += [{"article_id": a, "comment_id": c, "reason": refused[a]}
             for a, c in zip(gone["article_id"].to_pylist(), gone["comment_id"].to_pylist(),
                             strict=True)]
    escaped = pa.Table.from_pylist(rows, schema=schema).sort_by(
        [("article_id", "ascending"), ("comment_id", "ascending")])
    return comments.filter(pc.invert(withheld)), escaped


def comment_replacements(
    comments: pa.Table, release: ReleaseHandles
) -> tuple[list[str], list[list[Replacement]]]:
    """Every comment's text (None as "") and what replaces what in it, on the
    original text: identifiers, mentions, then the sweep. What the stage writes
    is the text with these applied; the evaluation scores them."""
    comments = _checked_comments({"comments": comments})
    originals = [t or "" for t in comments.column("text").to_pylist()]
    replacements: list[list[Replacement]] = [[] for _ in originals]
    contexts: dict[int, tuple[CommentContext, frozenset[str]]] = {}
    for page in _pages(comments):
        found = thread_contexts(
            [c.comment_id for c in page], [c.parent_id for c in page], [c.handle for c in page]
        )
        page_handles = frozenset(c.handle for c in page if c.handle)
        for comment, context in zip(page, found, strict=True):
            contexts[comment.row] = (context, page_handles)
            replacements[comment.row] = _first_pass(originals[comment.row], context, release)
    _sweep(originals, replacements, contexts, release)
    return originals, replacements


def _first_pass(text: str, context: CommentContext, release: ReleaseHandles) -> list[Replacement]:
    """Identifiers first, then mentions outside them."""
    redactions, mentions = text_findings(text, context, release.index)
    found = [Replacement(r.start, r.end, r.replacement, r.kind, r.count) for r in redactions]
    found += [
        Replacement(m.start, m.end, release.by_canonical[m.handle], m.kind) for m in mentions
    ]
    return sorted(found, key=lambda r: r.start)


def _sweep(
    originals: list[str],
    replacements: list[list[Replacement]],
    contexts: dict[int, tuple[CommentContext, frozenset[str]]],
    release: ReleaseHandles,
) -> None:
    """The last sweep (pipeline.handle_sweep) on every text the patterns flag or the
    first pass changed; checks that no flagged text still matches a pattern."""
    groups = release.scan.groups
    now = [
        apply_with_outputs(text, found)[0] if found else text
        for text, found in zip(originals, replacements, strict=True)
    ]
    flagged = release.scan.rows_by_group(pa.array(now, pa.string()))
    rows = sorted(set(flagged) | {row for row, found in enumerate(replacements) if found})
    for row in rows:
        context, page_handles = contexts[row]
        ctx = SweepContext(
            context, page_handles, release.index, release.patterns, release.by_raw,
            release.by_canonical,
        )  # fmt: skip
        row_groups = [groups[i] for i in flagged.get(row, [])]
        replacements[row] = sweep_comment(originals[row], replacements[row], row_groups, ctx)
    if flagged:
        swept = pa.array(
            [apply_with_outputs(originals[row], replacements[row])[0] for row in sorted(flagged)],
            pa.string(),
        )
        still = release.scan.rows_by_group(swept)
        if still:
            raise SweepFailed(
                f"anonymise: {len(still)} comment text(s) still match a handle pattern after "
                "the sweep (pattern and locator disagree); nothing was published"
            )


def replacement_counts(replacements: Iterable[list[Replacement]]) -> dict[str, int]:
    """Per kind: how many replacements, and in how many comments (never what was replaced)."""
    counts = {f"{kind}_{what}": 0 for kind in REPLACEMENT_KINDS for what in ("replacements",
                                                                             "comments")}
    counts.update(dict.fromkeys(_IDENTIFIER_COUNTS.values(), 0))
    counts["mentions_replaced"] = 0
    for found in replacements:
        kinds = set()
        for r in found:
            if r.kind in _IDENTIFIER_COUNTS:
                counts[_IDENTIFIER_COUNTS[r.kind]] += r.count
                continue
            counts[f"{r.kind}_replacements"] += 1
            counts["mentions_replaced"] += 1
            kinds.add(r.kind)
        for kind in kinds:
            counts[f"{kind}_comments"] += 1
    return counts


def _checked_comments(inputs: dict[str, pa.Table]) -> pa.Table:
    if "comments" not in inputs:
        raise AnonymiseInputError("anonymise stage: no 'comments' table in its input")
    comments = inputs["comments"]
    missing = [c for c in COMMENT_COLUMNS if c not in comments.column_names]
    if missing:
        raise AnonymiseInputError(
            f"anonymise stage: 'comments' lacks column(s) {', '.join(missing)}; "
            "run the parse/dedupe stages first"
        )
    return comments


def distinct_handles(columns: Iterable[pa.ChunkedArray | pa.Array]) -> list[str]:
    """The distinct raw handles (with a non-empty canonical form), sorted."""
    distinct = [pc.unique(column) for column in columns]
    unique = pc.unique(pa.chunked_array(distinct, pa.string())).to_pylist() if distinct else []
    return sorted(h for h in unique if h is not None and canonical_handle(h))


def _author_column(handle_column: pa.ChunkedArray, release: ReleaseHandles) -> pa.Array:
    positions = pc.index_in(handle_column.combine_chunks(), value_set=release.raw)
    return pc.take(release.pseudonyms, positions)


def _public_words(articles: pa.Table | None) -> frozenset[str]:
    """Names the articles use (title and body): see pipeline.mentions.public_words."""
    if articles is None:
        return frozenset()
    columns = [c for c in ("title", "body") if c in articles.column_names]
    return public_words(t for c in columns for t in articles.column(c).to_pylist())


def _pages(comments: pa.Table) -> Iterator[list[_CommentRow]]:
    """Comments grouped by article, each group in page order (position)."""
    order = pc.sort_indices(
        comments, sort_keys=[("article_id", "ascending"), ("position", "ascending")]
    ).to_pylist()
    columns = {
        name: comments.column(name).to_pylist()
        for name in ("article_id", "comment_id", "parent_id", "handle", "text")
    }
    page: list[_CommentRow] = []
    current = None
    for row in order:
        article = columns["article_id"][row]
        if page and article != current:
            yield page
            page = []
        current = article
        handle = columns["handle"][row]
        page.append(
            _CommentRow(
                row,
                columns["comment_id"][row],
                columns["parent_id"][row],
                handle if handle and canonical_handle(handle) else None,
                columns["text"][row] or "",
            )
        )
    if page:
        yield page


def text_findings(
    text: str, context: CommentContext, index: HandleIndex
) -> tuple[list, list[Mention]]:
    """Identifiers first, then mentions outside them: what the first pass replaces."""
    redactions = identifier_redactions(text)
    mentions = find_mentions(text, context, index, skip=[(r.start, r.end) for r in redactions])
    return redactions, mentions
