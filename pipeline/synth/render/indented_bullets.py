"""Renderer for the indented-bullets family (Disqus-like).

Page shape: an optional date line, the title (sometimes twice), an optional
"Photo: ..." caption, the article, an optional comment counter, then every
comment as "<indent>• Handle" (indentation = depth, one step of 2 or 4
spaces or a tab per level) and its body indented one step further, lines of
a paragraph consecutive, paragraphs separated by a blank line. A comment can
have an empty body (the next bullet follows).

Shows everything: handles, text and threading.
"""

from __future__ import annotations

import random

from pipeline.synth.model import SynthPage
from pipeline.synth.render.page_writer import (
    FamilyTraits,
    PageWriter,
    RenderedPage,
    flat_sequence,
    pick,
)
from pipeline.synth.text import MONTHS, caption, pick_topic

TRAITS = FamilyTraits(
    shows_handles=True,
    shows_threading=True,
    allows_empty_body=True,
    multiline_paragraphs=True,
    max_depth=4,
)


def visible(page: SynthPage) -> SynthPage:
    """Disqus shows it all."""
    return page


def render(page: SynthPage, rng: random.Random) -> str:
    return render_lines(page, rng).text


def render_lines(page: SynthPage, rng: random.Random) -> RenderedPage:
    writer = PageWriter()
    step = pick(rng, ("  ", "  ", "    ", "\t"))
    bullet = pick(rng, ("\u2022", "\u2022", "*", "\u25aa"))
    _article(writer, page, rng)
    if page.n_comments_declared is not None:
        n = page.n_comments_declared
        writer.chrome(pick(rng, (f"{n} comments", f"{n} Comments", f"Comments ({n})")))
        writer.blank()
    for position, (comment, depth) in enumerate(flat_sequence(page.comments)):
        indent = step * (depth + 1)
        writer.handle(f"{indent}{bullet} {comment.handle or ''}", position)
        writer.blank()
        for index, paragraph in enumerate(comment.paragraphs):
            writer.text(paragraph, position, index, indent + step, indent + step)
            writer.blank()
        if not comment.paragraphs:
            writer.blank()
    return writer.rendered(final_newline=rng.random() < 0.7)


def _article(writer: PageWriter, page: SynthPage, rng: random.Random) -> None:
    if rng.random() < 0.6:
        writer.chrome(f"{pick(rng, MONTHS).upper()} {rng.randint(2012, 2024)}")
        writer.blank()
    writer.title(page.title)
    writer.blank(rng.randint(1, 2))
    if rng.random() < 0.5:
        writer.title(page.title, repeat=True)
        writer.blank()
    if rng.random() < 0.5:
        writer.chrome(caption(rng, pick_topic(rng)))
        writer.blank()
    for index, paragraph in enumerate(page.paragraphs):
        writer.body(paragraph, index)
        writer.blank()
    writer.blank(rng.randint(0, 2))
