"""Renderer for the no-handles family (ZeroHedge-like).

Page shape: the title, the article (its leading paragraphs may be
"Update N:" parts separated from the rest by "* * *" lines, and a two-line
photo caption may sit between paragraphs), then the comments with no
handles and no marker where the article ends. One blank line separates
paragraphs and comments alike (sometimes two or three, between anything).

So neither comment boundaries nor threading are visible: what the page
shows of the comments is a sequence of paragraphs. ``visible`` therefore
returns one handle-less top-level comment per paragraph; a parse that groups
paragraphs differently is compared on the paragraph sequence.
"""

from __future__ import annotations

import random

from pipeline.synth.model import SynthComment, SynthPage
from pipeline.synth.render.page_writer import (
    CHROME,
    FamilyTraits,
    LineRole,
    PageWriter,
    RenderedPage,
    flat_sequence,
    pick,
    with_comments,
)
from pipeline.synth.text import caption, pick_topic

TRAITS = FamilyTraits(
    shows_handles=False,
    shows_threading=False,
    allows_empty_body=False,
    multiline_paragraphs=True,
    max_depth=3,
)
SEPARATORS = ("* * *", "***", "* * *")


def visible(page: SynthPage) -> SynthPage:
    """One handle-less comment per comment paragraph, in page order."""
    paragraphs = [
        SynthComment(None, (paragraph,))
        for comment, _depth in flat_sequence(page.comments)
        for paragraph in comment.paragraphs
    ]
    return with_comments(page, tuple(paragraphs))


def render(page: SynthPage, rng: random.Random) -> str:
    return render_lines(page, rng).text


def render_lines(page: SynthPage, rng: random.Random) -> RenderedPage:
    writer = PageWriter()
    writer.title(page.title)
    writer.blank()
    separator = pick(rng, SEPARATORS)
    caption_at = (
        rng.randrange(1, len(page.paragraphs))
        if (len(page.paragraphs) > 2 and rng.random() < 0.3)
        else -1
    )
    separate_main = rng.random() < 0.6
    for index, paragraph in enumerate(page.paragraphs):
        if index and _separator_before(page, index, separate_main):
            writer.chrome(separator)
            writer.blank()
        if index == caption_at:
            _caption(writer, rng)
        writer.body(paragraph, index)
        writer.blank(_gap(rng))
    for position, (comment, _depth) in enumerate(flat_sequence(page.comments)):
        for index, paragraph in enumerate(comment.paragraphs):
            writer.text(paragraph, position, index, "", "")
            writer.blank(_gap(rng))
    return writer.rendered(final_newline=rng.random() < 0.5)


def _gap(rng: random.Random) -> int:
    return 1 if rng.random() < 0.85 else rng.randint(2, 3)


def _separator_before(page: SynthPage, index: int, separate_main: bool) -> bool:
    """A separator opens each later "Update N:" part, and (if the site does so)
    the main story after the last one."""
    if _is_update(page.paragraphs[index]):
        return True
    return separate_main and _is_update(page.paragraphs[index - 1])


def _is_update(paragraph: str) -> bool:
    return paragraph.startswith("Update ") or paragraph.startswith("Update:")


def _caption(writer: PageWriter, rng: random.Random) -> None:
    line = caption(rng, pick_topic(rng))
    writer.chrome(line)
    writer.blank()
    writer.lines.append("\u00a0" + pick(rng, ("walk into their meeting room", "in Geneva")))
    writer.roles.append(LineRole(CHROME))
    writer.blank()
