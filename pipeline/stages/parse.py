"""Parse: decoded pages -> articles, comments (with raw handles) and a chrome log.

Each page goes to the layout plug-in that fits it best (``pipeline/layouts/``;
the highest score wins, ties broken by name; a plug-in that can bound its
score cheaply is not scored when the bound is below the best so far, which
changes the time, never the winner). If that layout's parse raises
``LayoutMismatch`` the next best is tried, down to :data:`MIN_LAYOUT_SCORE`.
A parse is accepted only if it obeys the line accounting law (every non-blank
line in exactly one of title, body, comment text, handle or chrome log) and
has a title. A page nothing parses is
written to ``unparsed`` with the reason and kept out of the release: never
crashed on, never dropped silently.

Each article row also carries what the page shows (``threading_shown``,
``handles_shown``, dates), its detected ``language`` (pipeline/language.py),
the parse's ``parse_confidence`` and the line accounting per part
(``lines_title`` ... ``lines_chrome``: they add up to the page's non-blank
lines), which the release stage turns into sources.parquet's ``lines_*``; each
comment row its lines (``lines_text``, ``lines_handle``) for the same count.

This stage sees raw commenter handles; it passes them on to dedupe and
anonymise in the ``comments`` table and must never print or report them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from pipeline.language import article_language
from pipeline.layouts import all_layouts, records
from pipeline.layouts.base import (
    Layout,
    LayoutMismatch,
    PageText,
    ParsedPage,
    line_accounting_errors,
)
from pipeline.schemas import contract
from pipeline.stage import Dropped, StageReport, StageResult

MIN_LAYOUT_SCORE = 0.3


class UnparseablePage(Exception):
    """No layout could parse the page; the message says why."""

    def __init__(
        self, reason: str, best_layout: str | None = None, best_score: float | None = None
    ):
        super().__init__(reason)
        self.reason = reason
        self.best_layout = best_layout
        self.best_score = best_score


def layout_scores(page: PageText, layouts: Iterable[Layout] | None = None) -> dict[str, float]:
    """Every layout's fit score for the page, by layout name."""
    return {
        layout.name: _score(layout, page)
        for layout in (layouts if layouts is not None else all_layouts())
    }


def _score(layout: Layout, page: PageText) -> float:
    try:
        score = float(layout.score(page))
    except Exception:  # a plug-in bug must not sink the run: it just does not fit
        score = 0.0
    return min(max(score, 0.0), 1.0)


def _contending_scores(page: PageText, layouts: Iterable[Layout]) -> tuple[dict[str, float], bool]:
    """The scores of the layouts that can still win, and whether any was skipped.

    A plug-in may say cheaply how high its score can go at most
    (``score_bound``). Layouts without a bound are scored first; a bounded one
    whose bound is below the best score so far cannot win and is not scored.
    The winner is the same as with every score computed; only the time differs.
    """
    ordered = sorted(layouts, key=lambda layout: (hasattr(layout, "score_bound"), layout.name))
    scores: dict[str, float] = {}
    skipped = False
    for layout in ordered:
        bound = getattr(layout, "score_bound", None)
        if bound is not None and scores and _bound(bound, page) < max(scores.values()):
            skipped = True
            continue
        scores[layout.name] = _score(layout, page)
    return scores, skipped


def _bound(bound: object, page: PageText) -> float:
    try:
        return float(bound(page))  # type: ignore[operator]
    except Exception:  # no bound known: the layout must be scored
        return 1.0


def _ranked(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda name: (-scores[name], name))


def parse_page(page: PageText) -> ParsedPage:
    """Parse one page: the general record parser first, the layout plug-ins for pages whose
    comments show no header cue, an article without comments when the page shows no
    comment section; otherwise the page is rejected with the reason. A record reading of
    at most :data:`FEW_RECORDS` comments is cross-checked by the plug-ins
    (:func:`_disagreement`) and the page refused when they disagree."""
    reading = records.read_page(page)
    reasons: list[str] = []
    if reading.template is not None:
        try:
            parsed = records.assemble(page, reading)
        except LayoutMismatch as mismatch:
            reasons.append(f"{records.NAME}: {mismatch}")
        else:
            problem = _acceptance_problem(page, parsed)
            if problem is None and len(reading.template.records) <= FEW_RECORDS:
                disagreement = _disagreement(page, parsed)
                if disagreement is not None:
                    raise UnparseablePage(
                        f"page structure not recognised with confidence: {disagreement}",
                        records.NAME, parsed.confidence)
            if problem is None:
                return parsed
            reasons.append(f"{records.NAME}: {problem}")
    plugins = _plugins()
    saw_comments: list[bool] = []  # a plug-in found comments, even if its reading was refused
    scores, skipped = _contending_scores(page, plugins.values())
    ranked = [name for name in _ranked(scores) if scores[name] >= MIN_LAYOUT_SCORE]
    best = _ranked(scores)[0] if scores else None
    if ranked:
        parsed = _first_accepted(page, plugins, ranked[:1], reasons, saw_comments)
        if parsed is None:
            if skipped:  # the best fit failed: the runners-up need every score
                scores = layout_scores(page, plugins.values())
                ranked = [name for name in _ranked(scores) if scores[name] >= MIN_LAYOUT_SCORE]
            parsed = _first_accepted(page, plugins, [n for n in ranked if n != best], reasons,
                                     saw_comments)
        if parsed is not None:
            return parsed
    elif best is not None:
        reasons.append(f"no layout fits (best: {best} at {scores[best]:.2f}, "
                       f"threshold {MIN_LAYOUT_SCORE})")
    if (reading.template is None and not saw_comments
            and records.article_without_comments(reading)):
        try:
            parsed = records.assemble(page, reading)
        except LayoutMismatch as mismatch:
            reasons.append(f"{records.NAME}: {mismatch}")
        else:
            if _acceptance_problem(page, parsed) is None:
                return parsed
    raise UnparseablePage(
        _rejection(reading, reasons), best, scores.get(best) if best else None
    )


FEW_RECORDS = 3  # a comment section this small is cross-checked by the layout plug-ins
MANY_MORE = 10  # comments a plug-in must read beyond the record parser's to disagree


def _plugins() -> dict[str, Layout]:
    """The layout plug-ins by name: every layout but the record parser."""
    return {layout.name: layout for layout in all_layouts() if layout.name != records.NAME}


def _disagreement(page: PageText, parsed: ParsedPage) -> str | None:
    """A few records are weak evidence: two comments that quote the same line shaped like a
    header ("Anna said 3 days ago:") look like a comment section of two. If a layout
    plug-in reads the same page as many more comments, one of the two readings is wrong
    and nothing says which: the page is refused rather than published with the rest of
    its comments inside the article body."""
    plugins = _plugins()
    scores, _ = _contending_scores(page, plugins.values())
    ranked = [name for name in _ranked(scores) if scores[name] >= MIN_LAYOUT_SCORE]
    other = _first_accepted(page, plugins, ranked[:1], [])
    if other is None:
        return None
    # the plug-in's comments that the record parser would lose or merge: their text in the
    # article or left unclaimed inside the comment section, or their handle line inside
    # another comment's text (a handle published as text)
    unread = set(parsed.body_lines) | {
        c.line_no for c in parsed.chrome if c.reason == records.SECTION_CHROME}
    texts = {no for c in parsed.comments for no in c.text_lines}
    lost = sum(1 for c in other.comments
               if any(no in unread for no in c.text_lines) or c.handle_line in texts)
    found = len(parsed.comments)
    if lost >= max(MANY_MORE, 3 * found):
        return (f"two readings disagree: the record parser found {found} comments, "
                f"the {other.layout} layout {len(other.comments)}, {lost} of them where the "
                "record parser sees article text, comment-section chrome or another comment's "
                "text")
    return None


def _rejection(reading: records.PageReading, reasons: list[str]) -> str:
    """One reason a reader understands first, the plug-ins' details after it."""
    if not records.looks_like_article(reading):
        head = "not an article (no headline above a paragraph of prose)"
    elif reading.template is None:
        head = "comment section not recognised (no comment header repeats on the page)"
    else:
        head = "page structure not recognised with confidence"
    return "; ".join([head, *reasons]) if reasons else head


def _first_accepted(
    page: PageText, layouts: dict[str, Layout], names: list[str], reasons: list[str],
    saw_comments: list[bool] | None = None,
) -> ParsedPage | None:
    """The first of ``names`` whose parse is accepted; why each other failed goes to ``reasons``."""
    for name in names:
        try:
            parsed = layouts[name].parse(page)
        except LayoutMismatch as mismatch:
            reasons.append(f"{name}: {mismatch}")
            continue
        except Exception as error:  # a plug-in bug is reported with the page, not raised
            reasons.append(f"{name}: parser error {type(error).__name__}: {error}")
            continue
        if parsed.comments and saw_comments is not None:
            saw_comments.append(True)
        problem = _acceptance_problem(page, parsed) or _plugin_problem(page, parsed)
        if problem is None:
            return parsed
        reasons.append(f"{name}: {problem}")
    return None


MIN_EMPTY_MENU = 5
MAX_EMPTY_COMMENTS = 0.85  # share of a plug-in's comments that may have no text
MAX_LINES_BEFORE_TITLE = 8  # non-blank lines a plug-in's page may show above its headline


def _plugin_problem(page: PageText, parsed: ParsedPage) -> str | None:
    """The layout plug-ins know the clean page shapes of the seeds: a page that opens with
    site navigation, or whose "comments" have no text (menu items, link lists), is not one
    of them, and a plug-in's reading of it is not trusted."""
    empties = sum(1 for c in parsed.comments if not c.text.strip())
    if empties >= MIN_EMPTY_MENU:  # a menu has several items; an empty comment is a comment
        empty = empties / len(parsed.comments)
        if empty > MAX_EMPTY_COMMENTS:
            return f"{empty:.0%} of the comments found have no text (a menu or a list of links)"
    if parsed.title_lines:
        first = min(parsed.title_lines)
        before = sum(1 for no in range(1, first) if page.lines[no - 1].strip())
        if before > MAX_LINES_BEFORE_TITLE:
            return f"{before} lines of page chrome above the headline: not a shape it knows"
        if not records.headline_like(page.lines[first - 1]):
            return "its headline is page chrome (a banner, a menu, a date): not a shape it knows"
    return None


def _acceptance_problem(page: PageText, parsed: ParsedPage) -> str | None:
    if not parsed.title.strip():
        return "no title found"
    accounting = line_accounting_errors(page, parsed)
    if not accounting.ok:
        return f"line accounting law broken: {accounting.describe()}"
    return None


def run(inputs: dict[str, pa.Table]) -> StageResult:
    """pages -> articles, comments, chrome, unparsed."""
    pages = inputs["pages"]
    articles: list[dict[str, object]] = []
    comments: list[dict[str, object]] = []
    chrome: list[dict[str, object]] = []
    unparsed: list[dict[str, object]] = []
    layout_counts: dict[str, int] = {}
    for source_file, sha, text in zip(
        pages["source_file"].to_pylist(),
        pages["source_sha256"].to_pylist(),
        pages["text"].to_pylist(),
        strict=True,
    ):
        page = PageText.from_text(source_file, text)
        try:
            parsed = parse_page(page)
        except UnparseablePage as failure:
            unparsed.append(
                {
                    "source_file": source_file,
                    "source_sha256": sha,
                    "best_layout": failure.best_layout,
                    "best_score": failure.best_score,
                    "reason": failure.reason,
                    "parse_confidence": failure.best_score,
                }
            )
            continue
        layout_counts[parsed.layout] = layout_counts.get(parsed.layout, 0) + 1
        articles.append(_article_row(source_file, sha, parsed))
        comments.extend(_comment_rows(source_file, parsed))
        chrome.extend(
            {"source_file": source_file, "line_no": c.line_no, "text": c.text, "reason": c.reason}
            for c in parsed.chrome
        )
    report = StageReport(
        counts={
            "pages": pages.num_rows,
            "articles": len(articles),
            "comments": len(comments),
            "chrome_lines": len(chrome),
            **{f"layout:{name}": n for name, n in sorted(layout_counts.items())},
        }
    )
    if unparsed:
        report.dropped.append(Dropped("pages", len(unparsed), "no layout parses the page"))
        report.notes.extend(f"unparsed {u['source_file']}: {u['reason']}" for u in unparsed)
    return StageResult(
        tables={
            "articles": _table("articles", articles, ["source_file"]),
            "comments": _table("comments", comments, ["source_file", "position"]),
            "chrome": _table("chrome", chrome, ["source_file", "line_no"]),
            "unparsed": _table("unparsed", unparsed, ["source_file"]),
        },
        report=report,
    )


def _article_row(source_file: str, sha: str, parsed: ParsedPage) -> dict[str, object]:
    return {
        "source_file": source_file,
        "source_sha256": sha,
        "site": (parsed.site or "").strip() or None,
        "layout": parsed.layout,
        "title": parsed.title,
        "body": parsed.body,
        "n_comments_declared": parsed.n_comments_declared,
        "published": parsed.published or None,
        "published_text": parsed.published_text or None,
        "language": article_language(parsed.title, parsed.body),
        "threading_shown": parsed.threading_shown,
        "handles_shown": parsed.handles_shown,
        "parse_confidence": parsed.confidence,
        **line_counts(parsed),
    }


def line_counts(parsed: ParsedPage) -> dict[str, int]:
    """Non-blank page lines per part of an accepted parse (the accounting law makes
    them add up to the page's non-blank lines)."""
    return {
        "lines_title": len(parsed.title_lines),
        "lines_body": len(parsed.body_lines),
        "lines_comment_text": sum(len(c.text_lines) for c in parsed.comments),
        "lines_handle": sum(c.handle_line is not None for c in parsed.comments),
        "lines_chrome": len(parsed.chrome),
    }


def _comment_rows(source_file: str, parsed: ParsedPage) -> Iterable[dict[str, object]]:
    for comment in parsed.comments:
        yield {
            "source_file": source_file,
            "position": comment.position,
            "parent_position": comment.parent_position,
            "depth": comment.depth,
            "handle": (comment.handle or "").strip() or None,
            "text": comment.text,
            "published": comment.published or None,
            "published_text": comment.published_text or None,
            "lines_text": len(comment.text_lines),
            "lines_handle": int(comment.handle_line is not None),
        }


def _table(name: str, rows: list[dict[str, object]], key: list[str]) -> pa.Table:
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in key))
    return pa.Table.from_pylist(rows, schema=contract("parse", name).arrow_schema())
