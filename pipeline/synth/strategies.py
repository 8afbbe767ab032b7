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
boundaries always visible; not five or more comments nearly all without text,
which read as a menu of names: pipeline.stages.parse.MAX_EMPTY_COMMENTS). This
module must never draw a page the family's sites could not show.

Exclusions for the no-handles family, where nothing marks the end of the
article, so that the laws assert only what the page shows:

* The first comment paragraph is a reader's own remark, never a pasted news
  paragraph (``text.comment_paragraph`` pastes one now and then) nor one of
  the short handle-like lines (``SHORT_BODY_LINES``). Pasted news as the
  first or only comment reads exactly like the article's next paragraph: no
  reader could say the article ended before it. A short handle-like line
  right under the article with a longer paragraph one blank below reads as a
  handle line and its comment on a blank-separated page (where a handled
  comment may follow the article after one blank line), so the page would
  not show its family. Both are still drawn further down the comments.
* One blank line, not two or more, separates the article from the first
  comment. With no handle shown, an article followed by a wide gap and
  handle-less paragraphs is exactly what a blank-separated page shows (its
  comments are wide-gap-separated and may lack handles), so the page would
  not show its family. Wide gaps anywhere else (inside the article, between
  comments) are still drawn.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import assume
from hypothesis import strategies as st

from pipeline.stages.parse import MAX_EMPTY_COMMENTS, MIN_EMPTY_MENU
from pipeline.synth.generate import add_nbsp, add_trailing_spaces, tab_indentation
from pipeline.synth.model import SynthComment, SynthPage, flatten
from pipeline.synth.render import renderer
from pipeline.synth.render.page_writer import (
    BLANK,
    TEXT,
    RenderedPage,
    count_comments,
    site_name,
)
from pipeline.synth.text import (
    FIRST_NAMES,
    HANDLE_KINDS,
    LAST_NAMES,
    SHORT_BODY_LINES,
    article_paragraph,
    drawn_comment_paragraph,
    headline,
    mention,
    pick_topic,
)

_POOL_RNG = random.Random("strategy-pools")
_TOPICS = [pick_topic(_POOL_RNG) for _ in range(40)]
HEADLINES = tuple(headline(_POOL_RNG, t) for t in _TOPICS)
ARTICLE_PARAGRAPHS = tuple(article_paragraph(_POOL_RNG, t) for t in _TOPICS * 2)
_COMMENT_DRAWS = tuple(drawn_comment_paragraph(_POOL_RNG, t) for t in _TOPICS * 4)
COMMENT_PARAGRAPHS = tuple(d.text for d in _COMMENT_DRAWS)
READER_REMARKS = tuple(d.text for d in _COMMENT_DRAWS if not d.pasted_news)
"""The comment paragraphs in the reader's own words (no pasted news)."""
PASTED_NEWS = frozenset(d.text for d in _COMMENT_DRAWS if d.pasted_news)
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
    if family == "no_handles" and comments:
        comments[0] = _opening_in_own_words(comments[0], draw(st.sampled_from(READER_REMARKS)))
    tree = tuple(comments)
    empty = sum(1 for c in flatten(tree) if not c.text)
    assume(empty < MIN_EMPTY_MENU or empty <= MAX_EMPTY_COMMENTS * count_comments(tree))
    return SynthPage(
        title=draw(st.sampled_from(HEADLINES)),
        paragraphs=tuple(paragraphs),
        comments=tree,
        site=site,
        n_comments_declared=count_comments(tree) if shows_count else None,
    )


def _opening_in_own_words(comment: SynthComment, remark: str) -> SynthComment:
    """``comment`` with its first paragraph replaced by ``remark`` if it is a
    pasted news paragraph or a short handle-like line (no-handles exclusion,
    see the module docstring)."""
    opening = comment.paragraphs[0] if comment.paragraphs else None
    if opening not in PASTED_NEWS and opening not in SHORT_BODY_LINES:
        return comment
    return SynthComment(comment.handle, (remark, *comment.paragraphs[1:]), comment.replies)


def single_blank_before_comments(rendered: RenderedPage) -> str:
    """The page text with the blank run just above the first comment line cut
    to one blank line (no-handles exclusion, see the module docstring)."""
    lines = rendered.text.split("\n")
    first = next((i for i, role in enumerate(rendered.roles) if role.kind == TEXT), None)
    if first is None:
        return rendered.text
    top = first
    while top > 0 and rendered.roles[top - 1].kind == BLANK:
        top -= 1
    return "\n".join(lines[:top] + [""] + lines[first:]) if first - top > 1 else rendered.text


def _render(family: str, page: SynthPage, rng: random.Random) -> str:
    if family == "no_handles":
        return single_blank_before_comments(renderer(family).render_lines(page, rng))
    return renderer(family).render(page, rng)


@st.composite
def rendered_pages(draw: st.DrawFn, family: str, max_comments: int = 10) -> RenderedCase:
    """A page of ``family`` and its text, with Hypothesis-chosen chrome and variants."""
    page = draw(synth_pages(family, max_comments))
    rng = draw(st.randoms(use_true_random=False))
    text = _render(family, page, rng)
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
