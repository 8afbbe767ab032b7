"""Layout plug-in for blank-separated comments (handles optional).

What such a page looks like: the title, a photo caption, the article in
paragraphs one blank line apart; then the comments, each separated from the
next by two or more blank lines. A comment may open with a handle line and
one blank line, or have no handle at all; a comment whose author the page
does show can also follow the previous comment after a single blank line,
since the handle line itself marks the new comment. Embedded images appear as
placeholder lines ("comment image", sometimes with URL junk glued on), which
go to the chrome log; a handled comment that was only an image has empty
text, and a placeholder standing alone between comments opens no comment
(nothing shows that anyone wrote one).
Threading is not shown, so every comment is top level.

Method:

1. The page is cut into paragraphs, each knowing how many blank lines came
   before it (``_page_structure``). The paragraphs before the first wide gap
   give the title, caption and site lines (``read_head``).
2. Every later paragraph gets a role by a Viterbi decoder
   (``_handle_roles``): article (A), handle (H) or body (B). Emissions are
   the handle log-odds of one-line paragraphs (their shape).
   Transitions encode the family: the article comes first and is one blank
   apart; the first wide gap or the first handle ends it; a handle is
   followed by its body one blank below (or by an image placeholder: an
   image-only comment); a body paragraph one blank below another continues
   that comment (with a probability estimated on the page itself), two or
   more blanks below starts a new one; a handle with nothing under it is an
   empty comment (costly). How often this site puts a handle only one blank
   under the previous comment is read from the lines that are clearly
   handles; a comment without handle rarely opens with a handle-sized line
   that more paragraphs follow, and a paragraph opening by addressing someone
   ("Hey Rob, ...") rarely continues the one above it; a line that other
   comments address by name is more likely a handle (``addressed_names``).
   So "End of story." under a comment is a body
   line, and "Assad must stay (gr8rambino)" after a wide gap, with a body one
   blank below, is a handle. Page-wide: a recurring line has one role at all
   its occurrences; a declared count caps the handles.
3. Score: the parse's handles (handle-shaped, body one blank below) and the
   log-odds that the page's wide gaps fall where this family puts them
   (never inside the article, where the comments start, often between
   comment paragraphs) rather than anywhere now and then
   (:func:`gap_log_odds`); low for indentation or list markers, for a comment
   header, and when more comments are found than the page counts. A page
   with no comments scores :data:`ARTICLE_ONLY_SCORE` (half of it when it
   shows another family's marks), enough to be parsed, not to claim pages.

Never keys on one site's wording or names, never invents a handle or site
name, never drops a line silently: every non-blank line goes to the title,
the body, a comment's handle or text, or the chrome log with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.layouts._handle_roles import (
    IMPOSSIBLE,
    continuation_costs,
    cost_as_body,
    cost_as_handle,
    decode_roles,
    handle_fit,
    shape_log_odds,
)
from pipeline.layouts._page_structure import (
    Paragraph,
    chrome,
    count_in_line,
    is_chrome_run,
    is_image_placeholder,
    is_list_marked,
    joined,
    read_head,
    split_paragraphs,
    words,
)
from pipeline.layouts._register import opens_with_address
from pipeline.layouts.base import (
    ChromeLine,
    LayoutMismatch,
    PageText,
    ParsedComment,
    ParsedPage,
)

NAME = "blank_separated"
NEW_COMMENT_COST = 0.7
EMPTY_COMMENT_COST = 3.0
ARTICLE_END_COST = 0.5
TRAILING_HANDLE_COST = 1.5
CLEAR_HANDLE_ODDS = 1.5  # shape log-odds of a line that is clearly a handle
IMAGE_BELOW_PARAGRAPH_COST = 3.0  # an image sits under its text or a handle, not a blank below
SHORT_OPENING_COST = 2.0  # a comment without handle opening with a handle-sized line
ADDRESS_CONTINUES_COST = 1.0  # "Hey Rob, ..." opens a message; it rarely continues one
HANDLE_WORDS = 6
PRIOR_CONTINUE_AFTER_ONE_BLANK = 0.6  # one blank under a body line: mostly the same comment
WIDE_GAP = 2
ARTICLE_ONLY_SCORE = 0.38  # an article alone: parse it, above the no-handles fallback
# (0.35) and below a family that recognises its own empty page (0.4)
TITLE_REPEAT_WITHIN = 4  # the headline repeats the page title within the first paragraphs
STRAY_WIDE_GAP = 0.05  # a wide gap inside the article or a comment of this family
WIDE_GAP_BETWEEN_PARAGRAPHS = 0.4  # comment paragraphs: about one in 2.5 starts a comment
WIDE_GAP_ANYWHERE = 0.15  # a page whose gaps mean nothing still shows a wide one now and then
COUNTED = 0.6  # a comment count line: other families print one, this one does not
COUNT_BROKEN = 0.3  # more comments than the page counts, or no article: a misreading
GAP_MARK_PRIOR = 0.5  # wide gaps where this family puts them are its mark, not chance
BOUND_MARGIN = 1e-3  # scores are rounded to 4 places; a bound must stay above them


@dataclass(frozen=True)
class Unit:
    """One paragraph after the head, chrome lines set aside.

    ``may_be_article``: it lies before the first wide gap.
    ``may_be_handle``: it was a single line with no placeholder under it.
    """

    line_nos: tuple[int, ...]
    texts: tuple[str, ...]
    gap_before: int
    may_be_article: bool
    may_be_handle: bool


def _head_size(paragraphs: Sequence[Paragraph]) -> int:
    """Paragraphs before the first wide gap after the title (the title may stand
    apart, and so may its repetition as the headline)."""
    first = 2
    for i in range(1, min(TITLE_REPEAT_WITHIN, len(paragraphs))):
        earlier = {p.first for p in paragraphs[:i] if p.is_single_line}
        if paragraphs[i].is_single_line and paragraphs[i].first in earlier:
            first = max(first, i + 1)
    for i in range(first, len(paragraphs)):
        if paragraphs[i].gap_before >= WIDE_GAP:
            return i
    return len(paragraphs)


def _units(
    page: PageText, paragraphs: Sequence[Paragraph], head_size: int
) -> tuple[list[Unit], list[ChromeLine], int | None]:
    units: list[Unit] = []
    log: list[ChromeLine] = []
    declared: int | None = None
    for index, p in enumerate(paragraphs):
        kept = []
        for line_no, text in zip(p.line_nos, p.texts, strict=True):
            if is_image_placeholder(text):
                log += chrome([line_no], page, "image-placeholder")
            elif p.is_single_line and declared is None and count_in_line(text) is not None:
                declared = count_in_line(text)
                log += chrome([line_no], page, "comment-count")
            else:
                kept.append((line_no, text))
        if not kept and not any(is_image_placeholder(t) for t in p.texts):
            continue
        units.append(
            Unit(
                line_nos=tuple(n for n, _ in kept),
                texts=tuple(t for _, t in kept),
                gap_before=p.gap_before,
                may_be_article=index < head_size,
                may_be_handle=p.is_single_line,
            )
        )
    return units, log, declared


def _label(units: Sequence[Unit], declared: int | None) -> list[str]:
    """Viterbi roles per unit: "A" article, "H" handle, "B" comment body."""
    texts = [u.texts[0] if u.may_be_handle and u.texts else None for u in units]
    narrow_cost, wide_cost = _handle_gap_costs(units, texts)
    short_opening = [
        text is not None and unit.gap_before >= WIDE_GAP and len(words(text)) <= HANDLE_WORDS
        for text, unit in zip(texts, units, strict=True)
    ]

    addressed = [bool(u.texts) and opens_with_address(u.texts[0]) for u in units]

    def emission_for(odds: Sequence[float]) -> Callable[[int, str], float]:
        def emission(i: int, state: str) -> float:
            unit = units[i]
            if state == "H":
                return cost_as_handle(odds[i]) if texts[i] is not None else IMPOSSIBLE
            if state == "A" and not unit.may_be_article:
                return IMPOSSIBLE
            return cost_as_body(odds[i]) if len(unit.texts) == 1 else 0.0

        return emission

    def transition_for(p_continue: float) -> Callable[[int, str | None, str], float]:
        continue_cost, end_cost = continuation_costs(p_continue)

        def transition(i: int, previous: str | None, state: str) -> float:
            wide = units[i].gap_before >= WIDE_GAP
            if previous is None:
                return 0.0 if state != "B" else ARTICLE_END_COST
            if state == "A":
                return 0.0 if previous == "A" and not wide else IMPOSSIBLE
            if previous == "A":
                return ARTICLE_END_COST if state == "H" or wide else IMPOSSIBLE
            if previous == "H":
                if state == "B" and not wide:
                    return 0.0
                return EMPTY_COMMENT_COST + NEW_COMMENT_COST
            if wide:
                return NEW_COMMENT_COST + (wide_cost if state == "H" else 0.0)
            if state == "B" and not units[i].texts:
                return continue_cost + IMAGE_BELOW_PARAGRAPH_COST
            if state == "B":
                opening = SHORT_OPENING_COST if short_opening[i - 1] else 0.0
                return continue_cost + opening + (ADDRESS_CONTINUES_COST if addressed[i] else 0.0)
            return end_cost + narrow_cost

        return transition

    def continuations(labels: Sequence[str]) -> tuple[int, int]:
        steps = zip(labels, labels[1:], units[1:], strict=False)
        narrow = [(a, b) for a, b, unit in steps if unit.gap_before < WIDE_GAP and a == "B"]
        return narrow.count(("B", "B")), narrow.count(("B", "H"))

    def final(state: str) -> float:
        return TRAILING_HANDLE_COST if state == "H" else 0.0

    return decode_roles(
        texts,
        ("A", "H", "B"),
        emission_for,
        transition_for,
        final,
        continuations,
        declared,
        pull_to_count=False,  # comments may have no handle
        prior_continue=PRIOR_CONTINUE_AFTER_ONE_BLANK,
        page_text=joined(u.texts for u in units),
    )


def _handle_gap_costs(units: Sequence[Unit], texts: Sequence[str | None]) -> tuple[float, float]:
    """Costs of a handled comment following the previous comment after one
    blank line, and after two or more, as this page does it.

    Some sites always put two or more blank lines before a handle, some often
    only one; the page shows which: among the lines that are clearly handles
    (handle-shaped, a body one blank below, a comment above), count how many
    follow one blank line (shrunk a little towards even odds).
    """
    narrow = wide = 0
    for i in range(1, len(units) - 1):
        text, below = texts[i], units[i + 1]
        if text is None or units[i - 1].may_be_article:
            continue
        if shape_log_odds(text) < CLEAR_HANDLE_ODDS or below.gap_before >= WIDE_GAP:
            continue
        if units[i].gap_before >= WIDE_GAP:
            wide += 1
        else:
            narrow += 1
    p_narrow = (narrow + 0.5) / (narrow + wide + 1)
    return -math.log(p_narrow), -math.log(1 - p_narrow)


def _comments(units: Sequence[Unit], labels: Sequence[str]) -> list[ParsedComment]:
    comments: list[ParsedComment] = []
    handle: tuple[int, str] | None = None
    body: list[Unit] = []
    open_comment = False
    previous = "A"

    def close() -> None:
        if not open_comment:
            return
        comments.append(
            ParsedComment(
                position=len(comments),
                parent_position=None,
                depth=0,
                handle=handle[1] if handle else None,
                text=joined(u.texts for u in body),
                text_lines=tuple(n for u in body for n in u.line_nos),
                handle_line=handle[0] if handle else None,
            )
        )

    for unit, label in zip(units, labels, strict=True):
        if label == "H":
            close()
            handle, body, open_comment = (unit.line_nos[0], unit.texts[0]), [], True
        elif label == "B":
            if previous in ("H", "B") and unit.gap_before < WIDE_GAP:
                body.append(unit)
            elif not unit.texts:
                label = "A"  # a lone image placeholder between comments opens none
            else:
                close()
                handle, body, open_comment = None, [unit], True
        previous = label
    close()
    return comments


@dataclass(frozen=True)
class Reading:
    """A parse and the decoded units behind it (the score reads both)."""

    parsed: ParsedPage
    units: tuple[Unit, ...]
    labels: tuple[str, ...]


@lru_cache(maxsize=2)  # the detector scores the page, then parses it with the winner
def read_page(page: PageText) -> Reading:
    paragraphs, log = split_paragraphs(page)
    if not paragraphs:
        raise LayoutMismatch(f"{page.source_file}: the page has no text")
    head_size = _head_size(paragraphs)
    head = read_head(page, paragraphs[:head_size])
    log += head.chrome
    candidates = [p for p in head.body_paragraphs] + list(paragraphs[head_size:])
    units, unit_log, declared = _units(page, candidates, len(head.body_paragraphs))
    log += unit_log
    labels = _label(units, declared)
    article = [u for u, label in zip(units, labels, strict=True) if label == "A"]
    comments = tuple(_comments(units, labels))
    parsed = ParsedPage(
        layout=NAME,
        title=head.title,
        body=joined(u.texts for u in article),
        site=head.site,
        n_comments_declared=declared,
        comments=comments,
        chrome=tuple(sorted(log, key=lambda c: c.line_no)),
        title_lines=head.title_lines,
        body_lines=tuple(n for u in article for n in u.line_nos),
        # handles are optional per comment; no replies are shown
        handles_shown=any(c.handle is not None for c in comments),
    )
    return Reading(parsed, tuple(units), tuple(labels))


class BlankSeparated:
    """Pages whose comments are blank-line separated, with or without a handle line."""

    name = NAME

    def parse(self, page: PageText) -> ParsedPage:
        return read_page(page).parsed

    def score_bound(self, page: PageText) -> float:
        """At least :meth:`score`, from the page's shape alone (no decoding): the
        score is a fit of at most 1 times this shape factor."""
        paragraphs, _ = split_paragraphs(page)
        if not paragraphs:
            return 0.0
        return _flatness(paragraphs[1:]) ** 3 * _no_comment_header(paragraphs) + BOUND_MARGIN

    def score(self, page: PageText) -> float:
        try:
            reading = read_page(page)
        except LayoutMismatch:
            return 0.0
        parsed = reading.parsed
        paragraphs, _ = split_paragraphs(page)
        shape = _flatness(paragraphs[1:]) ** 3 * _no_comment_header(paragraphs)
        if parsed.n_comments_declared is not None:  # these sites print no count
            shape *= COUNTED if len(parsed.comments) <= parsed.n_comments_declared else COUNT_BROKEN
        gaps = gap_log_odds(reading.units, reading.labels)
        if not parsed.comments:
            marked = gaps < 0 or parsed.n_comments_declared is not None  # other families' marks
            article_only = ARTICLE_ONLY_SCORE / 2 if marked else ARTICLE_ONLY_SCORE
            return round(article_only * shape, 4)
        if not parsed.body_lines:  # comments with no article above them: not this family
            shape *= COUNT_BROKEN
        first_comment_line = _first_comment_line(parsed)
        zone = [p for p in paragraphs if p.line_nos[0] >= first_comment_line]
        handles = 0.6 * _handle_fit(parsed) + 0.2 * _handle_then_body(page, parsed)
        handles *= _boundary_density(len(parsed.comments), len(zone))
        wide_gaps = 1 / (1 + math.exp(-(gaps + GAP_MARK_PRIOR)))
        fit = 1 - (1 - wide_gaps) * (1 - handles)
        return round(fit * shape, 4)


def gap_log_odds(units: Sequence[Unit], labels: Sequence[str]) -> float:
    """Log-odds that the page's blank lines mean what this family makes them
    mean (one between article paragraphs and inside a comment, two or more
    between comments) rather than nothing (a page whose wide gaps fall
    anywhere now and then, :data:`WIDE_GAP_ANYWHERE`).

    Gaps inside the article, the gap where the comments start, and the gaps
    between comment paragraphs are scored; the gap under a handle line is the
    handle's own structure and is left to the handle evidence.
    """
    total = 0.0
    previous: str | None = None
    for unit, label in zip(units, labels, strict=True):
        if not unit.texts:
            continue
        p_wide = _p_wide_gap(previous, label)
        if p_wide is not None:
            if unit.gap_before >= WIDE_GAP:
                total += math.log(p_wide / WIDE_GAP_ANYWHERE)
            else:
                total += math.log((1 - p_wide) / (1 - WIDE_GAP_ANYWHERE))
        previous = label
    return total


def _p_wide_gap(previous: str | None, label: str) -> float | None:
    """How likely this family puts a wide gap between roles ``previous`` and
    ``label`` (None: the gap says nothing, e.g. under a handle)."""
    if previous is None or previous == "H":
        return None
    if label == "A":
        return STRAY_WIDE_GAP
    if previous == "A":
        return 0.5 if label == "H" else 1 - STRAY_WIDE_GAP
    return WIDE_GAP_BETWEEN_PARAGRAPHS


def _boundary_density(n_comments: int, n_paragraphs: int) -> float:
    """1.0 when comment boundaries are visible often enough (wide gaps or
    handles every two or three paragraphs); low when the page runs on in
    one-blank paragraphs with few visible boundaries (the no-handles family)."""
    density = n_comments / max(1, n_paragraphs)
    return min(1.0, max(0.0, (density - 0.12) / 0.2))


def _first_comment_line(parsed: ParsedPage) -> int:
    first = parsed.comments[0]
    lines = [*first.text_lines, *([first.handle_line] if first.handle_line else [])]
    return min(lines) if lines else 0


def _handle_fit(parsed: ParsedPage) -> float:
    """Handle-likeness of the handles found, weighted by how many there are."""
    handles = [c.handle for c in parsed.comments if c.handle]
    return handle_fit(handles) * min(1.0, len(handles) / 3)


def _handle_then_body(page: PageText, parsed: ParsedPage) -> float:
    """Share of handles whose body starts one blank line below (the family's mark)."""
    handled = [c for c in parsed.comments if c.handle_line is not None]
    if not handled:
        return 0.0
    good = sum(
        1
        for c in handled
        if c.text_lines
        and c.text_lines[0] == c.handle_line + 2  # type: ignore[operator]
        and not page.line(c.handle_line + 1).strip()  # type: ignore[operator]
    )
    return good / len(handled)


def _flatness(zone: Sequence[Paragraph]) -> float:
    """Lower for indentation and list markers (the numbered and Disqus families)."""
    if not zone:
        return 1.0
    n = len(zone)
    indented = sum(p.indent >= 2 for p in zone) / n
    marked = sum(is_list_marked(p.first) for p in zone) / n
    return max(0.0, 1 - indented) * max(0.0, 1 - marked)


def _no_comment_header(paragraphs: Sequence[Paragraph]) -> float:
    """A run of label lines stating a count is the flat-with-handles header."""
    for p in paragraphs:
        if is_chrome_run(p) and any(count_in_line(t) is not None for t in p.texts):
            return 0.4
    return 1.0


LAYOUT = BlankSeparated()
