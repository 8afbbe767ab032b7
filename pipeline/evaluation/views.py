"""What a family shows, in one comparable form: the expected view (from the
synthetic truth) and the parsed view (from a :class:`ParsedPage`).

Comparison is up to white space: inside a line every run of white space
(spaces, tabs, NBSP and other Unicode spaces) counts as one space, and lines
are stripped; paragraph breaks ("\\n\\n") and line breaks inside a paragraph
("\\n") are kept. Handles compare the same way.

For the no-handles family neither comment boundaries nor threading are
visible, so both views hold one comment per paragraph in page order; a parse
that groups paragraphs into comments is compared on the paragraph sequence.

This module must never read files or parse pages itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.layouts.base import ParsedPage
from pipeline.synth.model import SynthPage, flatten
from pipeline.synth.render import renderer


@dataclass(frozen=True)
class CommentView:
    handle: str | None
    text: str
    parent: int | None
    depth: int


@dataclass(frozen=True)
class PageView:
    title: str
    body: str
    comments: tuple[CommentView, ...]


def normalise(text: str) -> str:
    """White space made canonical, line and paragraph breaks kept."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    joined = "\n".join(lines)
    while "\n\n\n" in joined:
        joined = joined.replace("\n\n\n", "\n\n")
    return joined


def _handle(handle: str | None) -> str | None:
    return None if handle is None else " ".join(handle.split())


def expected_view(family: str, page: SynthPage) -> PageView:
    """What a correct parse of ``page`` rendered in ``family`` must report."""
    shown = renderer(family).visible(page)
    comments = tuple(
        CommentView(_handle(c.handle), normalise(c.text), c.parent_position, c.depth)
        for c in flatten(shown.comments)
    )
    return PageView(normalise(shown.title), normalise(shown.body), comments)


def parsed_view(family: str, parsed: ParsedPage) -> PageView:
    """The same view of a parse (no-handles: split into paragraphs)."""
    if family == "no_handles":
        comments = tuple(
            CommentView(_handle(c.handle), paragraph, c.parent_position, c.depth)
            for c in parsed.comments
            for paragraph in normalise(c.text).split("\n\n")
            if paragraph
        )
    else:
        comments = tuple(
            CommentView(_handle(c.handle), normalise(c.text), c.parent_position, c.depth)
            for c in parsed.comments
        )
    return PageView(normalise(parsed.title), normalise(parsed.body), comments)
