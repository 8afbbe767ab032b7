"""Renderer for the blank-separated family.

Page shape: the title, an optional caption line, the article paragraphs
(one blank line apart), then the comments: comments are separated by two or
more blank lines, paragraphs inside a comment by exactly one, lines inside a
paragraph are consecutive. A comment may start with a handle line followed
by one blank line, or have no handle. Image placeholders ("comment image")
are chrome (the scrape lost the image): they follow a comment's last line,
stand alone between comments, or are all a handled comment with no text
shows.

``loose_handles=True`` (used by the corpus generator, as seen on real pages)
lets a handled comment follow the previous one after a single blank line;
the property tests keep the strict form, where every boundary is visible.

No threading is shown.
"""

from __future__ import annotations

import random

from pipeline.synth.model import SynthPage
from pipeline.synth.render.page_writer import (
    FamilyTraits,
    PageWriter,
    RenderedPage,
    flattened_tree,
    pick,
    with_comments,
)
from pipeline.synth.text import caption, pick_topic

TRAITS = FamilyTraits(
    shows_handles=True,
    shows_threading=False,
    allows_empty_body=True,
    multiline_paragraphs=True,
    max_depth=2,
)
IMAGE_PLACEHOLDER = "comment image"


def visible(page: SynthPage) -> SynthPage:
    """Handles where present, text, no threading."""
    return with_comments(page, flattened_tree(page.comments))


def render(page: SynthPage, rng: random.Random, loose_handles: bool = False) -> str:
    return render_lines(page, rng, loose_handles).text


def render_lines(page: SynthPage, rng: random.Random, loose_handles: bool = False) -> RenderedPage:
    shown = visible(page)
    writer = PageWriter()
    writer.title(shown.title)
    writer.blank()
    if rng.random() < 0.6:
        writer.chrome(caption(rng, pick_topic(rng)))
        writer.blank()
    for index, paragraph in enumerate(shown.paragraphs):
        if index:
            writer.blank()
        writer.body(paragraph, index)
    for position, comment in enumerate(shown.comments):
        single = loose_handles and comment.handle is not None and rng.random() < 0.7
        writer.blank(1 if single else 2 + int(rng.random() < 0.25))
        if comment.handle is not None:
            writer.handle(comment.handle, position)
            writer.blank()
        for index, paragraph in enumerate(comment.paragraphs):
            if index:
                writer.blank()
            writer.text(paragraph, position, index, "", "")
        if not comment.paragraphs or rng.random() < 0.05:
            writer.chrome(IMAGE_PLACEHOLDER)
        if rng.random() < 0.03:
            writer.blank(2)
            writer.chrome(IMAGE_PLACEHOLDER + pick(rng, ("", "%3AnffzfJMC_ylMDj&cuid=3606370")))
    writer.blank()
    return writer.rendered(final_newline=True)
