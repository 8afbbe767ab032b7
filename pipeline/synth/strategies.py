"""Hypothesis strategies: random pages of one layout family, rendered the way
that family's sites write them, with the truth alongside.

``rendered_pages(family)`` draws a :class:`RenderedCase`: an article and a
comment tree (handles that are common words, contain digits, punctuation,
Unicode or regex metacharacters; multi-paragraph bodies; short handle-like
body lines; empty bodies where the family allows them; mentions of other
commenters), rendered by the family's renderer with Hypothesis-controlled
chrome choices, and sometimes NBSP, trailing spaces or tab indentation.

Pages drawn here are *decidable*: nothing a reader of the page could not
tell either (no body line identical to a handle on the page; a handle-less
blank-separated comment does not open with a short handle-like line; comment
boundaries always visible). This module must never draw a page the family's
sites could not show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import strategies as st

from pipeline.synth.generate import add_nbsp, add_trailing_spaces, tab_indentation
from pipeline.synth.model import SynthComment, SynthPage
from pipeline.synth.render import renderer
from pipeline.synth.render.page_writer import count_comments, site_name
from pipeline.synth.text import (
    FIRST_NAMES,
    HANDLE_KINDS,
    LAST_NAMES,
    SHORT_BODY_LINES,
    article_paragraph,
    comment_paragraph,
    headline,
    mention,
    pick_topic,
)

_POOL_RNG = random.Random("strategy-pools")
_TOPICS = [pick_topic(_POOL_RNG) for _ in range(40)]
HEADLINES = tuple(headline(_POOL_RNG, t) for t in _TOPICS)
ARTICLE_PARAGRAPHS = tuple(article_paragraph(_POOL_RNG, t) for t in _TOPICS * 2)
COMMENT_PARAGRAPHS = tuple(comment_paragraph(_POOL_RNG, t) for t in _TOPICS * 4)
SITES = tuple(site_name(_POOL_RNG) for _ in range(10))


@dataclass(frozen=True)
class RenderedCase:
    """A drawn page, its family, and the page text as the family writes it."""

    family: str
    page: SynthPage
    text: str
    variants: tuple[str, ...]


def handles() -> st.SearchStrategy[str]:
    banks = [st.sampled_from(bank) for bank in HANDLE_KINDS.values()]
    invented = [
        st.builds(lambda f, last: f"{f} {last}", st.sampled_from(FIRST_NAMES),
                  st.sampled_from(LAST_NAMES)),
        st.builds(lambda f, n: f"{f.lower()}{n}", st.sampled_from(FIRST_NAMES),
                  st.integers(0, 999)),
        st.sampled_from(FIRST_NAMES),
    ]
    return st.one_of(*banks, *invented)


def _paragraph(cast: list[str], multiline: bool) -> st.SearchStrategy[str]:
    long = st.sampled_from(COMMENT_PARAGRAPHS)
    if not multiline:
        long = long.map(lambda p: p.replace("\n", " "))
    return st.one_of(
        long,
        st.sampled_from(SHORT_BODY_LINES),
        st.tuples(st.sampled_from(cast), st.randoms(use_true_random=False)).map(
            lambda pair: mention(pair[1], pair[0])
        ),
    )


@st.composite
def _comment(draw: st.DrawFn, family: str, cast: list[str], depth: int,
             budget: list[int]) -> SynthComment:
    traits = renderer(family).TRAITS
    budget[0] -= 1
    handle: str | None = draw(st.sampled_from(cast))
    if family == "blank_separated" and draw(st.booleans()):
        handle = None
    min_paragraphs = 0 if traits.allows_empty_body and handle is not None else 1
    paragraphs = draw(st.lists(_paragraph(cast, traits.multiline_paragraphs),
                               min_size=min_paragraphs, max_size=3))
    paragraphs = [p for p in paragraphs if p not in cast] or (
        [] if min_paragraphs == 0 else [COMMENT_PARAGRAPHS[0].replace("\n", " ")])
    if handle is None and len(paragraphs) > 1 and len(paragraphs[0]) < 40:
        paragraphs[0] = COMMENT_PARAGRAPHS[1].replace("\n", " ")
    replies: list[SynthComment] = []
    if depth < traits.max_depth:
        for _ in range(draw(st.integers(0, 2))):
            if budget[0] <= 0:
                break
            replies.append(draw(_comment(family, cast, depth + 1, budget)))
    return SynthComment(handle, tuple(paragraphs), tuple(replies))


@st.composite
def synth_pages(draw: st.DrawFn, family: str, max_comments: int = 10) -> SynthPage:
    """A random page's truth, within what ``family`` allows."""
    cast = draw(st.lists(handles(), min_size=1, max_size=6, unique=True))
    budget = [draw(st.integers(0, max_comments))]
    comments: list[SynthComment] = []
    while budget[0] > 0:
        comments.append(draw(_comment(family, cast, 0, budget)))
    paragraphs = draw(st.lists(st.sampled_from(ARTICLE_PARAGRAPHS), min_size=1, max_size=4))
    if family == "no_handles" and draw(st.booleans()):
        paragraphs.insert(0, f"Update {draw(st.integers(1, 4))}: {ARTICLE_PARAGRAPHS[2]}")
    site = None
    if family == "flat_handles" and draw(st.booleans()):
        site = draw(st.sampled_from(SITES))
    shows_count = family in ("flat_handles", "numbered") or (
        family == "indented_bullets" and draw(st.booleans()))
    tree = tuple(comments)
    return SynthPage(
        title=draw(st.sampled_from(HEADLINES)),
        paragraphs=tuple(paragraphs),
        comments=tree,
        site=site,
        n_comments_declared=count_comments(tree) if shows_count else None,
    )


@st.composite
def rendered_pages(draw: st.DrawFn, family: str, max_comments: int = 10) -> RenderedCase:
    """A page of ``family`` and its text, with Hypothesis-chosen chrome and variants."""
    page = draw(synth_pages(family, max_comments))
    rng = draw(st.randoms(use_true_random=False))
    text = renderer(family).render(page, rng)
    variants: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        text, variants = add_nbsp(text, rng), [*variants, "nbsp"]
    if draw(st.integers(0, 9)) == 0:
        text, variants = add_trailing_spaces(text, rng), [*variants, "trailing_spaces"]
    if family == "indented_bullets" and draw(st.integers(0, 9)) == 0:
        tabbed = tab_indentation(text)
        if tabbed is not None:
            text, variants = tabbed, [*variants, "tabs"]
    return RenderedCase(family, page, text, tuple(variants))
