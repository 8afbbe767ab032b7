"""Comment threads drawn with indentation: drafts, parents and depths.

Shared by the ``numbered`` and ``indented_bullets`` layouts. A comment starts
at a marker line; its parent is the nearest preceding comment whose marker is
indented *less* (a stack of open comments, popped while the top is indented as
much or more). Depth therefore follows the page's own relative indentation,
whatever number of columns (or tabs) a site uses per level.

This module must never look at what the lines say: it only turns marker
lines and their indentation into a tree, and a comment's lines into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.layouts._line_shape import LineShape, join_paragraphs, paragraphs
from pipeline.layouts.base import ParsedComment


@dataclass
class CommentDraft:
    """A comment being read: its marker line and the lines that follow it."""

    marker: LineShape
    position: int
    parent: CommentDraft | None = None
    depth: int = 0
    handle_line: int | None = None
    handle: str | None = None
    lines: list[LineShape] = field(default_factory=list)

    def add(self, shape: LineShape) -> None:
        self.lines.append(shape)

    def finish(self) -> ParsedComment:
        grouped = paragraphs(self.lines)
        text_lines = tuple(s.line_no for group in grouped for s in group)
        texts = [[s.text for s in group if s.text] for group in grouped]
        return ParsedComment(
            position=self.position,
            parent_position=self.parent.position if self.parent else None,
            depth=self.depth,
            handle=self.handle,
            text=join_paragraphs(texts),
            text_lines=text_lines,
            handle_line=self.handle_line,
        )


@dataclass
class ThreadBuilder:
    """Places each new comment under the nearest open comment indented less."""

    open_comments: list[CommentDraft] = field(default_factory=list)
    drafts: list[CommentDraft] = field(default_factory=list)

    def start(self, marker: LineShape, reply_floor: CommentDraft | None = None) -> CommentDraft:
        """Open a comment at ``marker``. ``reply_floor``: the comment this one
        must at least reply to when indentation shows no parent (a family
        whose reply marker says "this is a reply" even on an unindented page)."""
        while self.open_comments and self.open_comments[-1].marker.indent >= marker.indent:
            self.open_comments.pop()
        if not self.open_comments and reply_floor is not None:
            self.open_comments.append(reply_floor)
        parent = self.open_comments[-1] if self.open_comments else None
        draft = CommentDraft(
            marker=marker,
            position=len(self.drafts),
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
        )
        self.drafts.append(draft)
        self.open_comments.append(draft)
        return draft

    def last_top_level(self) -> CommentDraft | None:
        for draft in reversed(self.drafts):
            if draft.parent is None:
                return draft
        return None

    def comments(self) -> tuple[ParsedComment, ...]:
        return tuple(draft.finish() for draft in self.drafts)
