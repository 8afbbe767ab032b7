"""Shared machinery of the renderers: a writer that records each line's role,
family traits, and the truth transformations (what a family does not show).

Line roles are the evaluation's ground truth at line level. They must stay
aligned with the text: one role per line, in order. Nothing here chooses
chrome wording; that is each family's business.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import NamedTuple

from pipeline.synth.model import SynthComment, SynthPage

BLANK = "blank"
TITLE = "title"
TITLE_REPEAT = "title_repeat"  # a second copy of the headline: title or chrome, both fine
BODY = "body"
HANDLE = "handle"
TEXT = "text"
CHROME = "chrome"
CONTENT_KINDS = frozenset({TITLE, BODY, HANDLE, TEXT})


class LineRole(NamedTuple):
    """What one rendered line is: ``comment`` is the comment's pre-order
    position in the page's comment tree (``flatten`` order), ``paragraph`` the
    paragraph index in the article body or the comment; -1 when not relevant."""

    kind: str
    comment: int = -1
    paragraph: int = -1


@dataclass(frozen=True)
class RenderedPage:
    """Page text and one :class:`LineRole` per line of ``text.split('\\n')``
    (without the empty string after a final newline)."""

    text: str
    roles: tuple[LineRole, ...]


@dataclass(frozen=True)
class FamilyTraits:
    """What a layout family shows and what its pages allow."""

    shows_handles: bool
    shows_threading: bool
    allows_empty_body: bool
    multiline_paragraphs: bool
    max_depth: int


class PageWriter:
    """Accumulates lines and their roles."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.roles: list[LineRole] = []

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self._add("", LineRole(BLANK))

    def chrome(self, *lines: str) -> None:
        for line in lines:
            self._add(line, LineRole(CHROME) if line.strip() else LineRole(BLANK))

    def title(self, headline: str, repeat: bool = False) -> None:
        self._add(headline, LineRole(TITLE_REPEAT if repeat else TITLE))

    def body(self, paragraph: str, index: int) -> None:
        for line in paragraph.split("\n"):
            self._add(line, LineRole(BODY, -1, index))

    def handle(self, line: str, comment: int) -> None:
        self._add(line, LineRole(HANDLE, comment))

    def text(self, paragraph: str, comment: int, index: int, first: str, rest: str) -> None:
        """A comment paragraph: ``first`` prefixes its first line, ``rest`` the others."""
        for i, line in enumerate(paragraph.split("\n")):
            self._add((first if i == 0 else rest) + line, LineRole(TEXT, comment, index))

    def _add(self, line: str, role: LineRole) -> None:
        self.lines.append(line)
        self.roles.append(role)

    def rendered(self, final_newline: bool = True) -> RenderedPage:
        """The page; trailing blank lines dropped so that roles match the lines
        ``PageText.from_text`` will see."""
        lines, roles = list(self.lines), list(self.roles)
        while lines and not lines[-1].strip():
            lines.pop()
            roles.pop()
        text = "\n".join(lines) + ("\n" if final_newline else "")
        return RenderedPage(text, tuple(roles))


def pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[int(rng.random() * len(options))]


def site_name(rng: random.Random) -> str:
    """An invented publishing site name (never a real one)."""
    first = pick(
        rng,
        (
            "South",
            "North",
            "Global",
            "Free",
            "Daily",
            "Front",
            "Truth",
            "Open",
            "Euro",
            "Pacific",
            "Real",
            "Deep",
        ),
    )
    second = pick(
        rng,
        (
            "Front",
            "Wire",
            "Post",
            "Monitor",
            "Herald",
            "Report",
            "Review",
            "Dispatch",
            "Observer",
            "Ledger",
            "Insider",
            "Signal",
        ),
    )
    return first + second


def declared_count(page: SynthPage) -> int:
    """The comment count the page states: the drawn one, else the real one."""
    if page.n_comments_declared is not None:
        return page.n_comments_declared
    return count_comments(page.comments)


def count_comments(comments: tuple[SynthComment, ...]) -> int:
    return sum(1 + count_comments(c.replies) for c in comments)


def without_handles(comments: tuple[SynthComment, ...]) -> tuple[SynthComment, ...]:
    return tuple(SynthComment(None, c.paragraphs, without_handles(c.replies)) for c in comments)


def flattened_tree(comments: tuple[SynthComment, ...]) -> tuple[SynthComment, ...]:
    """Every comment at top level, in page (pre-order) order: no threading."""
    out: list[SynthComment] = []

    def visit(comment: SynthComment) -> None:
        out.append(SynthComment(comment.handle, comment.paragraphs))
        for reply in comment.replies:
            visit(reply)

    for top in comments:
        visit(top)
    return tuple(out)


def with_comments(page: SynthPage, comments: tuple[SynthComment, ...]) -> SynthPage:
    return replace(page, comments=comments)


def flat_sequence(comments: tuple[SynthComment, ...]) -> list[tuple[SynthComment, int]]:
    """(comment, depth) in pre-order."""
    out: list[tuple[SynthComment, int]] = []

    def visit(comment: SynthComment, depth: int) -> None:
        out.append((comment, depth))
        for reply in comment.replies:
            visit(reply, depth + 1)

    for top in comments:
        visit(top, 0)
    return out
