"""The ground truth of a synthetic page: an article and its comment tree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SynthComment:
    """One comment: handle (None when the site shows none), paragraphs
    (empty tuple for an empty comment), its replies in page order, and where
    its text names another commenter: (start, end, handle) spans of ``text``."""

    handle: str | None
    paragraphs: tuple[str, ...]
    replies: tuple[SynthComment, ...] = ()
    mentions: tuple[tuple[int, int, str], ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class SynthPage:
    """One page's truth: title, article paragraphs, the site's own name when
    the page states it (else None), declared comment count, comment tree."""

    title: str
    paragraphs: tuple[str, ...]
    comments: tuple[SynthComment, ...] = ()
    site: str | None = None
    n_comments_declared: int | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class FlatComment:
    """A comment in page order, as a parse should report it (and its mentions)."""

    position: int
    parent_position: int | None
    depth: int
    handle: str | None
    text: str
    mentions: tuple[tuple[int, int, str], ...] = ()


def flatten(comments: tuple[SynthComment, ...]) -> tuple[FlatComment, ...]:
    """Depth-first pre-order: the order comments appear on a threaded page."""
    flat: list[FlatComment] = []

    def visit(comment: SynthComment, parent: int | None, depth: int) -> None:
        position = len(flat)
        flat.append(
            FlatComment(position, parent, depth, comment.handle, comment.text, comment.mentions)
        )
        for reply in comment.replies:
            visit(reply, position, depth + 1)

    for top in comments:
        visit(top, None, 0)
    return tuple(flat)
