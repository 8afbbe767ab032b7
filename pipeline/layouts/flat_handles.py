"""Layout plug-in for flat comments with handles (the wpDiscuz family).

What such a page looks like: site chrome and a donation widget, the title
(often twice: page title and headline), a photo caption, the article; then a
comment header (a run of short label lines with no blank between them:
subscribe/notify controls, "N Comments", sort controls); then every comment
as a handle line, one blank line and one or more body paragraphs; then a
footer counter (bare numbers, a one-line prompt, stray symbols). Threading is
not shown, so every comment is top level.

Method:

1. The page is cut into paragraphs (``_page_structure``). The comment header
   is the first run of three or more short label lines (or a lone counter
   line) that states a comment count, found after some article prose; when no
   run states a count, the first such run after the prose. The footer is the
   trailing paragraph(s) made of counters and symbols.
2. The head (before the header) gives title, repeated title, caption, site
   name and article paragraphs (``_page_structure.read_head``).
3. The comment zone is a sequence of paragraphs to label handle (H) or body
   (B) by a Viterbi decoder (``_handle_roles``). Emission costs come from each
   line's handle log-odds (its shape); transitions say what the family
   allows: a comment starts with a handle; a handle followed directly by
   another handle is an empty comment (rare, costly); a body paragraph
   followed by another body paragraph continues one comment, with a
   probability estimated on the page itself (``decode_roles``). The last
   header line may instead be the first handle (sites print it with no blank
   line after the header, and it may be any handle, "^_^" too); the decoder
   chooses that too. Page-wide: a line that recurs is a handle at every
   occurrence or at none, and the declared count ("N Comments") caps the
   number of handles (a page shows at most that many, often fewer).
4. Footer: bare unsigned numbers, a one-line prompt, stray symbols. A signed
   number ("+1") is a reader's vote, i.e. comment text, never a counter.

Never keys on one site's name, wording or counts, never invents a site name,
never drops a line silently: every non-blank line ends up in the title, the
body, a comment's handle or text, or the chrome log with a reason.
"""

from __future__ import annotations

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
)
from pipeline.layouts._page_structure import (
    Paragraph,
    chrome,
    count_in_line,
    is_chrome_run,
    is_image_placeholder,
    is_list_marked,
    is_numeric,
    is_punctuation_only,
    joined,
    read_head,
    split_paragraphs,
)
from pipeline.layouts.base import (
    ChromeLine,
    LayoutMismatch,
    PageText,
    ParsedComment,
    ParsedPage,
)

NAME = "flat_handles"
EMPTY_COMMENT_COST = 3.0
HEADER_LINE_AS_CHROME_COST = 1.5
HEADLESS_COMMENT_COST = 6.0
HANDLE_GLUED_TO_BODY_COST = 1.5
TRAILING_HANDLE_COST = 1.5
PROSE_WORDS = 8


@dataclass(frozen=True)
class Unit:
    """One paragraph of the comment zone, chrome lines already set aside."""

    line_nos: tuple[int, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Zones:
    """Where the head, the comment header, the comments and the footer are."""

    header_at: int | None
    footer_at: int


def find_header(paragraphs: Sequence[Paragraph]) -> int | None:
    """Index of the comment header paragraph, or None when the page has none."""
    prose_seen = False
    first_run: int | None = None
    for i, p in enumerate(paragraphs):
        states_count = any(count_in_line(t) is not None for t in p.texts)
        if prose_seen and states_count and (is_chrome_run(p) or p.is_single_line):
            return i
        if prose_seen and first_run is None and is_chrome_run(p):
            first_run = i
        prose_seen = prose_seen or p.word_count() >= PROSE_WORDS
    return first_run


def _is_counter(text: str) -> bool:
    """A bare unsigned number: a counter. "+1" or "-3" is a reader's vote, a comment."""
    return is_numeric(text) and text[0] not in "+-\u2212"


def _is_footer(paragraph: Paragraph) -> bool:
    counters = [t for t in paragraph.texts if _is_counter(t) or is_punctuation_only(t)]
    if paragraph.is_single_line:
        return bool(counters)
    return bool(counters) and len(counters) + 2 >= len(paragraph.texts) / 2 + 1


def find_zones(paragraphs: Sequence[Paragraph]) -> Zones:
    header_at = find_header(paragraphs)
    footer_at = len(paragraphs)
    start = (header_at + 1) if header_at is not None else len(paragraphs)
    while footer_at > start and _is_footer(paragraphs[footer_at - 1]):
        footer_at -= 1
    return Zones(header_at, footer_at)


def _zone_units(
    page: PageText, paragraphs: Sequence[Paragraph]
) -> tuple[list[Unit], list[ChromeLine]]:
    """Comment-zone paragraphs without their chrome lines (images, vote counts, symbols)."""
    units: list[Unit] = []
    log: list[ChromeLine] = []
    for p in paragraphs:
        kept: list[tuple[int, str]] = []
        for line_no, text in zip(p.line_nos, p.texts, strict=True):
            if is_image_placeholder(text):
                log += chrome([line_no], page, "image-placeholder")
            elif _is_counter(text):
                log += chrome([line_no], page, "comment-counter")
            else:
                kept.append((line_no, text))
        units.append(Unit(tuple(n for n, _ in kept), tuple(t for _, t in kept)))
    return units, log


def _label(
    units: Sequence[Unit], header_line_candidate: bool, declared: int | None, complete: bool
) -> list[str]:
    """Viterbi labels per unit: "X" header chrome, "H" handle (first line), "B" body."""
    texts = [u.texts[0] if u.texts else None for u in units]
    # the header's last line is section chrome ("Show all comments") or the first handle,
    # glued to the header; a text that opens another comment unit further down is a
    # commenter's handle shown again, never the section's own words
    recurs_below = bool(texts) and texts[0] is not None and texts[0] in texts[1:]

    def emission_for(odds: Sequence[float]) -> Callable[[int, str], float]:
        def emission(i: int, state: str) -> float:
            unit = units[i]
            if state == "X":
                first = i == 0 and header_line_candidate and not recurs_below
                return HEADER_LINE_AS_CHROME_COST if first else IMPOSSIBLE
            if state == "B":
                return cost_as_body(odds[i]) if len(unit.texts) == 1 else 0.0
            if not unit.texts:
                return IMPOSSIBLE
            glued = HANDLE_GLUED_TO_BODY_COST if len(unit.texts) > 1 else 0.0
            return cost_as_handle(odds[i]) + glued

        return emission

    def transition_for(p_continue: float) -> Callable[[int, str | None, str], float]:
        continue_cost, end_cost = continuation_costs(p_continue)

        def transition(i: int, previous: str | None, state: str) -> float:
            if previous is None or previous == "X":
                return HEADLESS_COMMENT_COST if state == "B" else 0.0
            previous_had_body = previous == "H" and len(units[i - 1].texts) > 1
            if state == "H":
                if previous == "H" and not previous_had_body:
                    return EMPTY_COMMENT_COST
                return end_cost
            if state == "B" and (previous == "B" or previous_had_body):
                return continue_cost
            return 0.0

        return transition

    def continuations(labels: Sequence[str]) -> tuple[int, int]:
        pairs = list(zip(labels, labels[1:], strict=False))
        return pairs.count(("B", "B")), pairs.count(("B", "H"))

    def final(state: str) -> float:
        return TRAILING_HANDLE_COST if state == "H" and len(units[-1].texts) == 1 else 0.0

    page_text = "\n\n".join("\n".join(u.texts) for u in units)
    return decode_roles(
        texts, ("H", "B", "X"), emission_for, transition_for, final, continuations, declared,
        pull_to_count=complete, page_text=page_text,
    )  # fmt: skip


def _comments(units: Sequence[Unit], labels: Sequence[str]) -> list[ParsedComment]:
    comments: list[ParsedComment] = []
    handle: tuple[int, str] | None = None
    paragraphs: list[Unit] = []

    def close() -> None:
        if handle is None and not paragraphs:
            return
        text_lines = tuple(n for u in paragraphs for n in u.line_nos)
        comments.append(
            ParsedComment(
                position=len(comments),
                parent_position=None,
                depth=0,
                handle=handle[1] if handle else None,
                text=joined(u.texts for u in paragraphs),
                text_lines=text_lines,
                handle_line=handle[0] if handle else None,
            )
        )

    for unit, label in zip(units, labels, strict=True):
        if label == "H":
            close()
            handle = (unit.line_nos[0], unit.texts[0])
            paragraphs = [Unit(unit.line_nos[1:], unit.texts[1:])]
        elif label == "B":
            paragraphs.append(unit)
    close()
    return comments


def _header_chrome(
    page: PageText, header: Paragraph, upto: int
) -> tuple[list[ChromeLine], int | None]:
    log: list[ChromeLine] = []
    declared: int | None = None
    for line_no, text in zip(header.line_nos[:upto], header.texts[:upto], strict=True):
        count = count_in_line(text)
        if count is not None and declared is None:
            declared = count
            log += chrome([line_no], page, "comment-count")
        else:
            log += chrome([line_no], page, "comment-chrome")
    return log, declared


class FlatHandles:
    """wpDiscuz-like pages: handle line, blank line, body paragraphs; no threading."""

    name = NAME

    def parse(self, page: PageText) -> ParsedPage:
        return _parsed(self, page)

    def read(self, page: PageText) -> ParsedPage:
        paragraphs, log = split_paragraphs(page)
        if not paragraphs:
            raise LayoutMismatch(f"{page.source_file}: the page has no text")
        zones = find_zones(paragraphs)
        head_end = zones.header_at if zones.header_at is not None else zones.footer_at
        head = read_head(page, paragraphs[:head_end])
        log += head.chrome
        for p in paragraphs[zones.footer_at :]:
            log += chrome(p.line_nos, page, "comment-footer")
        comments: list[ParsedComment] = []
        declared: int | None = None
        if zones.header_at is not None:
            comments, declared, zone_log = self._read_comments(page, paragraphs, zones)
            log += zone_log
        return ParsedPage(
            layout=NAME,
            title=head.title,
            body=joined(p.texts for p in head.body_paragraphs),
            site=head.site,
            n_comments_declared=declared,
            comments=tuple(comments),
            chrome=tuple(sorted(log, key=lambda c: c.line_no)),
            title_lines=head.title_lines,
            body_lines=tuple(n for p in head.body_paragraphs for n in p.line_nos),
            handles_shown=True,  # flat: a handle line per comment, no replies shown
        )

    def _read_comments(
        self, page: PageText, paragraphs: Sequence[Paragraph], zones: Zones
    ) -> tuple[list[ParsedComment], int | None, list[ChromeLine]]:
        assert zones.header_at is not None
        header = paragraphs[zones.header_at]
        units, log = _zone_units(page, paragraphs[zones.header_at + 1 : zones.footer_at])
        last_line = header.texts[-1]
        candidate = bool(units) and len(header.texts) > 1 and count_in_line(last_line) is None
        if candidate:
            units.insert(0, Unit((header.line_nos[-1],), (last_line,)))
        _, declared = _header_chrome(page, header, len(header.texts))
        # A page cut off before its footer shows fewer comments than it counts:
        # there the count only caps the handles; it pulls only on a whole page.
        complete = zones.footer_at < len(paragraphs)
        labels = _label(units, candidate, declared, complete)
        taken_as_handle = candidate and labels[0] == "H"
        header_log, declared = _header_chrome(
            page, header, len(header.texts) - (1 if taken_as_handle else 0)
        )
        if candidate and not taken_as_handle:
            units, labels = units[1:], labels[1:]
        return _comments(units, labels), declared, log + header_log

    def score(self, page: PageText) -> float:
        try:
            paragraphs, _ = split_paragraphs(page)
            zones = find_zones(paragraphs)
            parsed = self.parse(page)
        except LayoutMismatch:
            return 0.0
        if zones.header_at is None:
            return 0.0
        header = paragraphs[zones.header_at]
        states_count = parsed.n_comments_declared is not None
        fit = (0.35 if is_chrome_run(header) else 0.1) + (0.2 if states_count else 0.0)
        fit += 0.05 if zones.footer_at < len(paragraphs) else 0.0
        zone = paragraphs[zones.header_at + 1 : zones.footer_at]
        if not zone:
            return round(min(1.0, fit + 0.2 * (states_count and is_chrome_run(header))), 4)
        return round(min(1.0, fit + 0.4 * _comment_fit(parsed) * _flatness(zone)), 4)


@lru_cache(maxsize=2)  # the detector scores the page, then parses it with the winner
def _parsed(layout: FlatHandles, page: PageText) -> ParsedPage:
    return layout.read(page)


def _comment_fit(parsed: ParsedPage) -> float:
    """How handle-like the handles are (0..1)."""
    return handle_fit([c.handle for c in parsed.comments if c.handle])


def _flatness(zone: Sequence[Paragraph]) -> float:
    """1.0 when the comment zone is flat paragraphs one blank apart, lower for
    indentation, list markers or wide gaps (other families' marks)."""
    n = len(zone)
    indented = sum(p.indent >= 2 for p in zone) / n
    marked = sum(is_list_marked(p.first) for p in zone) / n
    wide = sum(p.gap_before >= 2 for p in zone) / n
    return max(0.0, 1 - indented) * max(0.0, 1 - marked) * max(0.0, 1 - 0.8 * wide)


LAYOUT = FlatHandles()
