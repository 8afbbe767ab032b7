"""Renderer for the numbered family: no handles, numbered top-level comments,
bulleted replies indented deeper.

Page shape: title, optional "Fact checked"-like badge and standfirst-free
article, a comment counter ("3 Comments", "Comments (3)", ...), top-level
comments as "<indent>1. text", replies as "<deeper indent>• text" (one more
indentation step per depth), continuation paragraphs aligned under the text,
then a reply form ("Leave a Reply" / "Leave a comment", e-mail notice, spam
notice), often without a final newline.

Shows threading, never handles. Never writes a count the truth does not
declare.
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
    with_comments,
    without_handles,
)

TRAITS = FamilyTraits(
    shows_handles=False,
    shows_threading=True,
    allows_empty_body=False,
    multiline_paragraphs=False,
    max_depth=3,
)
BULLETS = ("\u2022", "\u25e6", "-")


def visible(page: SynthPage) -> SynthPage:
    """Text and threading, no handles."""
    return with_comments(page, without_handles(page.comments))


def render(page: SynthPage, rng: random.Random) -> str:
    return render_lines(page, rng).text


def render_lines(page: SynthPage, rng: random.Random) -> RenderedPage:
    shown = visible(page)
    writer = PageWriter()
    step = pick(rng, ("  ", "  ", "    ", "\t"))
    bullet = pick(rng, BULLETS)
    writer.title(shown.title)
    writer.blank()
    if rng.random() < 0.5:
        writer.chrome(pick(rng, ("Fact checked", "Opinion", "Analysis", "World News")))
    for index, paragraph in enumerate(shown.paragraphs):
        writer.body(paragraph, index)
        writer.blank()
    if shown.n_comments_declared is not None:
        n = shown.n_comments_declared
        writer.chrome(
            pick(
                rng,
                (
                    f"{n} Comments",
                    f"{n} comments",
                    f"Comments ({n})",
                    f"{n} thoughts on \u201c{shown.title}\u201d",
                ),
            )
        )
        writer.blank()
    number = 0
    for position, (comment, depth) in enumerate(flat_sequence(shown.comments)):
        indent = step * (depth + 1)
        if depth == 0:
            number += 1
            marker = f"{number}. "
        else:
            marker = f"{bullet} "
        continuation = indent + " " * len(marker)
        for index, paragraph in enumerate(comment.paragraphs):
            first = indent + marker if index == 0 else continuation
            writer.text(paragraph, position, index, first, continuation)
            writer.blank()
    _reply_form(writer, rng)
    return writer.rendered(final_newline=rng.random() < 0.4)


def _reply_form(writer: PageWriter, rng: random.Random) -> None:
    writer.chrome(pick(rng, ("Leave a Reply", "Leave a comment", "Leave a Reply Cancel reply")))
    writer.blank()
    writer.chrome(
        pick(
            rng,
            (
                "Your email address will not be published.",
                "Your email address will not be published. Required fields are marked *",
            ),
        )
    )
    writer.blank(rng.randint(1, 4))
    writer.chrome(
        pick(
            rng,
            (
                "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
                "Comments are moderated before they appear.",
            ),
        )
    )
