"""Renderer for the flat-with-handles family (wpDiscuz-like).

Page shape: optional donation widget, the title (sometimes twice, with a
"Support <site>" line between), an optional photo caption, the article
paragraphs, comment chrome (subscribe / notify / comment count / sort
controls / view all), then every comment as a handle line, a blank line and
one or more single-line body paragraphs, and a footer counter.

Threading is not shown: replies appear at top level in page order. Never
writes a site name unless the truth states one, never writes a count unless
the truth declares one.
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
from pipeline.synth.text import MONTHS, caption, pick_topic

TRAITS = FamilyTraits(
    shows_handles=True,
    shows_threading=False,
    allows_empty_body=False,
    multiline_paragraphs=False,
    max_depth=3,
)


def visible(page: SynthPage) -> SynthPage:
    """Handles and text, no threading."""
    return with_comments(page, flattened_tree(page.comments))


def render(page: SynthPage, rng: random.Random) -> str:
    return render_lines(page, rng).text


def render_lines(page: SynthPage, rng: random.Random) -> RenderedPage:
    shown = visible(page)
    writer = PageWriter()
    if rng.random() < 0.6:
        _donation_widget(writer, rng)
    _article(writer, shown, rng)
    _comment_chrome(writer, shown, rng)
    for position, comment in enumerate(shown.comments):
        writer.handle(comment.handle or "", position)
        for index, paragraph in enumerate(comment.paragraphs):
            writer.blank()
            writer.text(paragraph, position, index, "", "")
        writer.blank()
    _footer(writer, shown, rng)
    return writer.rendered(final_newline=rng.random() < 0.5)


def _donation_widget(writer: PageWriter, rng: random.Random) -> None:
    currency = pick(rng, ("$", "\u20ac", "USD"))
    goal = pick(rng, ("2,500", "5,000", "10,000"))
    writer.chrome(f"0 {currency}", f"{goal} {currency}", f"{rng.randint(100, 2400):,} {currency}")
    days = rng.randint(2, 20)
    month = pick(rng, MONTHS)
    writer.chrome(
        pick(
            rng,
            (
                f"{days} DAYS LEFT UNTIL THE END OF {month.upper()}",
                f"Only {days} days left in our {month} fundraiser",
                "Help us reach our goal",
            ),
        )
    )
    writer.blank()


def _article(writer: PageWriter, page: SynthPage, rng: random.Random) -> None:
    writer.title(page.title)
    writer.blank()
    support = pick(rng, ("Support {}", "Donate to {}", "Support {} today"))
    if page.site is not None and rng.random() < 0.7:
        writer.chrome(support.format(page.site))
        writer.blank()
    if rng.random() < 0.6:
        writer.title(page.title, repeat=True)
        writer.blank()
    if rng.random() < 0.6:
        writer.chrome(caption(rng, pick_topic(rng)))
        writer.blank()
    for index, paragraph in enumerate(page.paragraphs):
        writer.body(paragraph, index)
        writer.blank()
    if page.site is not None:
        writer.chrome(support.format(page.site))
        writer.blank()
        writer.chrome(page.site)
        writer.blank()


def _comment_chrome(writer: PageWriter, page: SynthPage, rng: random.Random) -> None:
    writer.chrome("Subscribe", pick(rng, ("Notify of", "Notify me of")))
    if rng.random() < 0.7:
        writer.chrome(pick(rng, ("guest", "Guest")))
    if page.n_comments_declared is not None:
        n = page.n_comments_declared
        writer.chrome(
            pick(rng, (f"{n} Comments", f"{n} comments", f"Comments ({n})", f"{n} Responses"))
        )
    writer.chrome(
        *pick(
            rng,
            (
                "Oldest\nNewest Most Voted",
                "Newest\nOldest Most Voted",
                "Most Voted\nNewest Oldest",
            ),
        ).split("\n")
    )
    writer.chrome("Inline Feedbacks", pick(rng, ("View all comments", "Show all comments")))


def _footer(writer: PageWriter, page: SynthPage, rng: random.Random) -> None:
    if page.n_comments_declared is not None:
        writer.chrome(str(page.n_comments_declared))
    writer.chrome(
        "0",
        pick(
            rng,
            (
                "Would love your thoughts, please comment.x",
                "Share your thoughts, please comment.x",
                "Join the discussion.x",
            ),
        ),
        "()",
        "x",
    )
