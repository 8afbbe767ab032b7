"""The page-layout plug-in interface.

A layout family (wpDiscuz flat comments, numbered comments, Disqus bullets,
blank-separated comments, handle-less comments) is one module under
``pipeline/layouts/`` exposing one object that satisfies :class:`Layout`:

* ``name``: the value written to the ``layout`` column;
* ``score(page)``: how well the page fits this family, 0.0 (not at all) to
  1.0 (certainly), computed from the page's structure, never from a literal of
  one site;
* ``parse(page)``: the article, its comments and a chrome log. Raises
  :class:`LayoutMismatch` with a human reason when the page turns out not to
  fit after all.

Layouts are pure: they see a :class:`PageText` and return a
:class:`ParsedPage`. They never read files, never log, keep no global state.

The line accounting law: every non-blank line of the page lands in exactly
one of the title, the body, one comment's text, one comment's handle, or the
chrome log. Every :class:`ParsedPage` carries the line numbers of each part so
that the parse stage can check the law on every page it publishes
(:func:`line_accounting_errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


class LayoutMismatch(Exception):
    """The page does not fit this layout; the message says why."""


@dataclass(frozen=True)
class PageText:
    """One decoded page: the unit every layout works on.

    ``lines`` are the page's lines as decoded by ingest (LF line ends, BOM
    removed), without their newline. Line numbers used everywhere are 1-based
    indices into this tuple.
    """

    source_file: str
    lines: tuple[str, ...]

    @classmethod
    def from_text(cls, source_file: str, text: str) -> PageText:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls(source_file=source_file, lines=tuple(lines))

    def line(self, line_no: int) -> str:
        return self.lines[line_no - 1]

    def non_blank_line_numbers(self) -> frozenset[int]:
        return frozenset(i for i, text in enumerate(self.lines, start=1) if not is_blank(text))


def is_blank(line: str) -> bool:
    """A line with nothing but white space (including NBSP and other Unicode spaces)."""
    return line.strip() == ""


@dataclass(frozen=True)
class ChromeLine:
    """A page line that is not content, and why it was set aside."""

    line_no: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedComment:
    """One comment as the page shows it.

    ``position`` is 0-based order on the page. ``parent_position`` is the
    position of the comment replied to, or None for top level or when the page
    shows no threading. ``handle`` is the raw commenter handle exactly as shown
    (stripped of surrounding white space), or None when the page shows none.
    ``text`` is the comment's paragraphs joined by one blank line ("\\n\\n"),
    lines inside a paragraph joined by "\\n", layout markers (numbering,
    bullets, indentation) removed; it may be "" (an empty comment).
    ``text_lines``/``handle_line`` are the page line numbers they came from.
    ``published_text`` is the date or time the page shows beside the comment,
    exactly as shown (lines of a two-line date joined by one space), or None;
    ``published`` the same as ISO 8601 (``YYYY-MM-DD`` or
    ``YYYY-MM-DDTHH:MM``, page-local time, no zone), None when none is shown
    or it cannot be read (relative dates such as "3 days ago" stay None).
    """

    position: int
    parent_position: int | None
    depth: int
    handle: str | None
    text: str
    text_lines: tuple[int, ...] = ()
    handle_line: int | None = None
    published_text: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class ParsedPage:
    """What a layout makes of one page.

    ``published_text``/``published``: the article's publication date as shown
    and as ISO 8601 (as for a comment). ``threading_shown``: the page shows
    which comment replies to which (when False, ``parent_position`` None means
    "not known"). ``handles_shown``: the page shows commenter handles (when
    False, ``handle`` None means "the page shows none"). ``confidence``: how
    sure the parser is of the page's structure, 0..1; the parse stage rejects
    a page below its threshold.
    """

    layout: str
    title: str
    body: str
    site: str | None = None
    n_comments_declared: int | None = None
    comments: tuple[ParsedComment, ...] = ()
    chrome: tuple[ChromeLine, ...] = ()
    title_lines: tuple[int, ...] = ()
    body_lines: tuple[int, ...] = ()
    published_text: str | None = None
    published: str | None = None
    threading_shown: bool = False
    handles_shown: bool = False
    confidence: float = 1.0


@runtime_checkable
class Layout(Protocol):
    """What every layout plug-in module exposes as ``LAYOUT``."""

    name: str

    def score(self, page: PageText) -> float:  # pragma: no cover - protocol
        ...

    def parse(self, page: PageText) -> ParsedPage:  # pragma: no cover - protocol
        ...


# A plug-in may also offer ``score_bound(page) -> float``: a cheap value never
# below ``score(page)``. The detector then skips scoring it when the bound is
# below the best score so far (pipeline.stages.parse); it is optional.


@dataclass(frozen=True)
class FunctionLayout:
    """A layout plug-in made of a module's ``score`` and ``parse`` functions:
    ``LAYOUT = FunctionLayout(NAME, score, parse)``."""

    name: str
    score_page: Callable[[PageText], float]
    parse_page: Callable[[PageText], ParsedPage]

    def score(self, page: PageText) -> float:
        return self.score_page(page)

    def parse(self, page: PageText) -> ParsedPage:
        return self.parse_page(page)


@dataclass
class LineAccounting:
    """Where each non-blank line went; problems listed by line number."""

    unaccounted: list[int] = field(default_factory=list)
    claimed_twice: list[int] = field(default_factory=list)
    blank_claimed: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.unaccounted or self.claimed_twice or self.blank_claimed)

    def describe(self) -> str:
        parts = []
        if self.unaccounted:
            parts.append(f"lines not accounted for: {self.unaccounted[:10]}")
        if self.claimed_twice:
            parts.append(f"lines claimed twice: {self.claimed_twice[:10]}")
        if self.blank_claimed:
            parts.append(f"blank lines claimed as content: {self.blank_claimed[:10]}")
        return "; ".join(parts) or "ok"


def line_accounting_errors(page: PageText, parsed: ParsedPage) -> LineAccounting:
    """Check the line accounting law for one parsed page.

    Every non-blank line must be claimed exactly once by the title, the body,
    a comment's text, a comment's handle or the chrome log.
    """
    claims: list[int] = [*parsed.title_lines, *parsed.body_lines]
    for comment in parsed.comments:
        claims.extend(comment.text_lines)
        if comment.handle_line is not None:
            claims.append(comment.handle_line)
    claims.extend(c.line_no for c in parsed.chrome)

    seen: set[int] = set()
    twice: set[int] = set()
    for line_no in claims:
        (twice if line_no in seen else seen).add(line_no)
    non_blank = page.non_blank_line_numbers()
    return LineAccounting(
        unaccounted=sorted(non_blank - seen),
        claimed_twice=sorted(twice),
        blank_claimed=sorted(seen - non_blank),
    )
