"""Cut a rendered page short, as a scrape that stopped early would, and cut its
truth to match, using the line roles.

The cut is a prefix of the page's lines, sometimes ending inside a line at a
word boundary. The truth keeps exactly what survives: article paragraphs and
comments (in pre-order) up to the cut, the last one shortened. This module
never changes a line before the cut.
"""

from __future__ import annotations

import random
from dataclasses import replace

from pipeline.synth.model import SynthComment, SynthPage
from pipeline.synth.render.page_writer import BODY, HANDLE, TEXT, LineRole, RenderedPage


def truncate(
    page: SynthPage, rendered: RenderedPage, rng: random.Random
) -> tuple[RenderedPage, SynthPage]:
    """Cut ``rendered`` (a rendering of ``page``) somewhere after the article starts."""
    lines = rendered.text.split("\n")[: len(rendered.roles)]
    content = [i for i, r in enumerate(rendered.roles) if r.kind in (BODY, HANDLE, TEXT)]
    if len(content) < 3:
        return rendered, page
    last = content[int(len(content) * (0.35 + 0.6 * rng.random()))]
    kept_lines = lines[: last + 1]
    roles = rendered.roles[: last + 1]
    partial_chars = _partial_cut(page, roles[-1], _content_lines(page, roles[-1]), rng)
    line_counts = _lines_per_part(roles)
    if partial_chars is not None:
        prefix = len(kept_lines[-1]) - len(_content_lines(page, roles[-1])[line_counts[
            _part_key(roles[-1])] - 1])
        kept_lines[-1] = kept_lines[-1][: prefix + partial_chars]
    truth = _cut_truth(page, line_counts, roles[-1], partial_chars)
    return RenderedPage("\n".join(kept_lines), roles), truth


def _part_key(role: LineRole) -> tuple[str, int, int]:
    return (role.kind, role.comment, role.paragraph)


def _lines_per_part(roles: tuple[LineRole, ...]) -> dict[tuple[str, int, int], int]:
    counts: dict[tuple[str, int, int], int] = {}
    for role in roles:
        if role.kind in (BODY, HANDLE, TEXT):
            key = _part_key(role)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _content_lines(page: SynthPage, role: LineRole) -> list[str]:
    if role.kind == BODY:
        return page.paragraphs[role.paragraph].split("\n")
    comment = _preorder(page.comments)[role.comment]
    if role.kind == HANDLE:
        return [comment.handle or ""]
    return comment.paragraphs[role.paragraph].split("\n")


def _partial_cut(
    page: SynthPage, role: LineRole, content: list[str], rng: random.Random
) -> int | None:
    """Characters of the last content line to keep, or None to keep it whole."""
    if role.kind == HANDLE or rng.random() < 0.5:
        return None
    line = content[-1] if content else ""
    spaces = [i for i, ch in enumerate(line) if ch == " " and line[:i].strip()]
    if not spaces:
        return None
    return spaces[int(rng.random() * len(spaces))]


def _preorder(comments: tuple[SynthComment, ...]) -> list[SynthComment]:
    out: list[SynthComment] = []

    def visit(comment: SynthComment) -> None:
        out.append(comment)
        for reply in comment.replies:
            visit(reply)

    for top in comments:
        visit(top)
    return out


def _cut_paragraphs(
    paragraphs: tuple[str, ...], kind: str, comment: int,
    counts: dict[tuple[str, int, int], int], last: LineRole, partial: int | None,
) -> tuple[str, ...]:
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        n = counts.get((kind, comment, index), 0)
        if n == 0:
            break
        lines = paragraph.split("\n")[:n]
        if partial is not None and last == LineRole(kind, comment, index):
            lines[-1] = lines[-1][:partial].rstrip()
        kept.append("\n".join(lines))
    return tuple(kept)


def _cut_truth(
    page: SynthPage, counts: dict[tuple[str, int, int], int], last: LineRole, partial: int | None
) -> SynthPage:
    body = _cut_paragraphs(page.paragraphs, BODY, -1, counts, last, partial)
    kept_positions = {c for (kind, c, _p) in counts if kind in (HANDLE, TEXT)}
    position = 0

    def visit(comment: SynthComment) -> SynthComment | None:
        nonlocal position
        mine = position
        position += 1
        if mine not in kept_positions:
            return None
        text = _cut_paragraphs(comment.paragraphs, TEXT, mine, counts, last, partial)
        replies = tuple(r for r in (visit(x) for x in comment.replies) if r is not None)
        return SynthComment(comment.handle, text, replies)

    comments = tuple(c for c in (visit(top) for top in page.comments) if c is not None)
    return replace(page, paragraphs=body, comments=comments)
