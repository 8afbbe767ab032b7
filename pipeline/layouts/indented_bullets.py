"""Layout family "indented_bullets": Disqus-style threads of handle bullets.

What the page looks like: site chrome (a date line), the headline (sometimes
shown twice), a photo caption, the article; then every comment as a bullet
line carrying the commenter's handle ("  • Handle"), whose indentation gives
its depth, and its body indented one step further below (one or more
paragraphs; the lines of a paragraph may follow each other without a blank
line). A comment may have no body at all: the next bullet follows at once.

How the page is read (structure first, wording never):

1. Every line gets a shape (``pipeline.layouts._line_shape``).
2. A bullet *opens a comment* when it is short enough to be a handle and
   what follows it is another bullet, a line indented differently (its body,
   below it; or the end of the thread), or the end of the page. A bullet
   followed by text at its own indent is a list item inside some text.
3. The page's *mode*: when bodies sit deeper than their bullets (the usual
   case) indentation is trusted; when a scrape flattened all indentation,
   every handle-shaped bullet is a comment, all at depth 0.
4. The article ends at the first opening bullet after the last line that
   breaks the thread's shape (a line not deeper than the bullet above it),
   so a bulleted list inside the article stays in the article. Lines after
   the thread's last comment line that break its shape are chrome.
5. Parents: the nearest preceding comment whose bullet is indented less
   (``pipeline.layouts._thread``), so depth follows the page's own steps
   (2 or 4 spaces, tabs) rather than fixed columns.

Scoring rewards handle-shaped bullets with bodies indented below them and
visible nesting; sentence-long bullets (numbered family replies) and
numbered top-level items pull it down.

This module must never key on one site's wording nor on a list of handles:
a handle is whatever the bullet line says, Unicode, digits and common words
included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layouts._article import (
    assemble_page,
    comment_count,
    is_widget_line,
    parse_article,
)
from pipeline.layouts._line_shape import LineShape, shapes_of, word_count
from pipeline.layouts._thread import ThreadBuilder
from pipeline.layouts.base import (
    ChromeLine,
    FunctionLayout,
    LayoutMismatch,
    PageText,
    ParsedPage,
)

NAME = "indented_bullets"
_HANDLE_MAX_WORDS = 8
_HANDLE_MAX_CHARS = 60
_TYPICAL_HANDLE_MAX_WORDS = 5
_FOREIGN_MARKER_WEIGHT = 3  # a sentence bullet or a top-level number weighs 3 handle bullets
_TRUSTED_INDENT_SHARE = 0.5
_TIME_SUFFIX = re.compile(
    r"\s+[•·|]\s*(?:about\s+)?(?:an?|\d+)\s+\w+\s+ago\s*$|\s+[•·|]\s*edited\s*$", re.IGNORECASE
)
_IN_THREAD_WIDGETS = frozenset({
    "reply", "share", "load more comments", "show more replies", "show more comments",
    "view all comments", "see more", "hide replies", "collapse", "expand", "edited",
})
_AGO = re.compile(
    r"^[•·]?\s*(?:about\s+)?(?:an?|\d+)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago$",
    re.IGNORECASE,
)
_DECORATED = re.compile(r"^(?:reply|share|edit|flag|report|delete)\s*[•·›»|]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Thread:
    """What step 2-4 found: the comment bullets, the article end, the mode."""

    openers: frozenset[int]  # indices of bullets that open a comment
    start: int | None  # index of the first comment bullet
    last_thread_line: int  # index of the last line belonging to the thread
    trusted_indent: bool
    deeper_share: float


def _following(shapes: tuple[LineShape, ...], index: int) -> LineShape | None:
    """The next non-blank line after ``index`` that is not a widget control."""
    for at in range(index + 1, len(shapes)):  # not a slice: a copy per line is quadratic
        shape = shapes[at]
        if shape.kind != "blank" and not _is_thread_widget(shape):
            return shape
    return None


def _is_thread_widget(shape: LineShape) -> bool:
    text = shape.full_text
    if shape.kind == "bullet":
        return bool(_DECORATED.match(shape.text))
    return (
        text.casefold().strip(" •·›»|") in _IN_THREAD_WIDGETS
        or bool(_AGO.match(text))
    )


def _handle_shaped(shape: LineShape) -> bool:
    return (
        shape.kind == "bullet"
        and not _DECORATED.match(shape.text)
        and len(shape.text) <= _HANDLE_MAX_CHARS
        and word_count(shape.text) <= _HANDLE_MAX_WORDS
    )


def _opens(shapes: tuple[LineShape, ...], index: int, trusted_indent: bool) -> bool:
    """Step 2 (and 3: with flattened indentation every handle-shaped bullet opens)."""
    if not _handle_shaped(shapes[index]):
        return False
    following = _following(shapes, index)
    return (
        not trusted_indent
        or following is None
        or following.kind == "bullet"
        or following.indent != shapes[index].indent
    )


def _deeper_share(shapes: tuple[LineShape, ...]) -> float:
    """Share of handle-shaped bullets followed by text whose text sits deeper."""
    followed = deeper = 0
    for index, shape in enumerate(shapes):
        if not _handle_shaped(shape):
            continue
        following = _following(shapes, index)
        if following is None or following.kind == "bullet":
            continue
        followed += 1
        deeper += following.indent > shape.indent
    return deeper / followed if followed else 1.0


def _breaks_shape(shape: LineShape, governing: LineShape | None) -> bool:
    """A plain line not deeper than the comment bullet above it."""
    return (
        governing is not None
        and shape.kind != "blank"
        and shape.indent <= governing.indent
        and not _is_thread_widget(shape)
    )


def _thread(shapes: tuple[LineShape, ...]) -> _Thread:
    """Steps 2-4: which bullets open comments, where the thread starts and ends."""
    share = _deeper_share(shapes)
    trusted = share >= _TRUSTED_INDENT_SHARE
    openers = frozenset(
        i for i, s in enumerate(shapes) if s.kind == "bullet" and _opens(shapes, i, trusted)
    )
    governing: LineShape | None = None
    breaks: list[int] = []
    last_good = -1
    for index, shape in enumerate(shapes):
        if index in openers:
            governing = shape
            last_good = index
        elif shape.kind == "blank" or _is_thread_widget(shape):
            continue
        elif trusted and _breaks_shape(shape, governing):
            breaks.append(index)
        elif governing is not None:
            last_good = index
    inner_breaks = [i for i in breaks if i < last_good]
    last_break = inner_breaks[-1] if inner_breaks else -1
    start = min((i for i in openers if i > last_break), default=None)
    return _Thread(openers, start, last_good, trusted, share)


def _handle(text: str) -> str | None:
    """The handle a bullet shows, without a trailing "• 3 years ago"."""
    return _TIME_SUFFIX.sub("", text).strip() or None


def _as_text(shape: LineShape) -> LineShape:
    """A line kept in a comment body exactly as written (a list item keeps its bullet)."""
    return LineShape(shape.line_no, "plain", shape.indent, shape.full_text,
                     full_text=shape.full_text)


def _trailing_reason(shape: LineShape) -> str:
    if comment_count(shape.full_text) is not None:
        return "comment-count"
    return "comment-widget" if is_widget_line(shape.full_text) else "after-comments"


def _read_thread(
    shapes: tuple[LineShape, ...], thread: _Thread
) -> tuple[ThreadBuilder, list[ChromeLine]]:
    """Step 5: open comments at opening bullets, give them the lines below."""
    builder = ThreadBuilder()
    chrome: list[ChromeLine] = []
    current = None
    for index in range(thread.start or 0, len(shapes)):
        shape = shapes[index]
        if shape.kind == "blank":
            if current is not None:
                current.add(shape)
        elif index > thread.last_thread_line:
            chrome.append(ChromeLine(shape.line_no, shape.full_text, _trailing_reason(shape)))
        elif index in thread.openers:
            current = builder.start(shape)
            current.handle = _handle(shape.text)
            current.handle_line = shape.line_no
        elif _is_thread_widget(shape) or current is None:
            chrome.append(ChromeLine(shape.line_no, shape.full_text, "comment-widget"))
        else:
            current.add(_as_text(shape))
    return builder, chrome


def parse(page: PageText) -> ParsedPage:
    shapes = shapes_of(page.lines)
    if not any(s.kind != "blank" for s in shapes):
        raise LayoutMismatch(f"{page.source_file}: the page is empty")
    thread = _thread(shapes)
    article = parse_article(shapes[: thread.start if thread.start is not None else len(shapes)])
    if not article.title:
        raise LayoutMismatch(f"{page.source_file}: no headline before the comments")
    chrome = list(article.chrome)
    comments: tuple = ()
    if thread.start is not None:
        builder, thread_chrome = _read_thread(shapes, thread)
        comments = builder.comments()
        chrome.extend(thread_chrome)
    declared = article.n_comments_declared
    if declared is None:
        trailing = [comment_count(c.text) for c in chrome if c.reason == "comment-count"]
        declared = trailing[-1] if trailing else None
    # A thread of replies (ThreadBuilder) under handle lines: both are shown.
    return assemble_page(
        NAME, article, declared, comments, chrome, threading_shown=True, handles_shown=True
    )


def _sentence_bullet(shape: LineShape) -> bool:
    """A bullet carrying a sentence rather than a handle (a numbered-family reply)."""
    return shape.kind == "bullet" and (
        not _handle_shaped(shape) or word_count(shape.text) > _TYPICAL_HANDLE_MAX_WORDS
    )


def _score_without_comments(shapes: tuple[LineShape, ...]) -> float:
    """A page with no comment bullet: only the family's article head (a date
    line, a repeated headline) without any other platform's comment widgets
    hints at a Disqus page whose thread is empty."""
    reasons = {c.reason for c in parse_article(shapes).chrome}
    if reasons & {"reply-form", "comment-widget"}:
        return 0.05
    return 0.4 if reasons & {"date-line", "repeated-title"} else 0.05


def score(page: PageText) -> float:
    shapes = shapes_of(page.lines)
    thread = _thread(shapes)
    if thread.start is None:
        return _score_without_comments(shapes)
    section = range(thread.start, thread.last_thread_line + 1)
    openers = [i for i in section if i in thread.openers]
    sentences = [i for i in section if _sentence_bullet(shapes[i])]
    top = min(shapes[i].indent for i in openers)
    numbered = [s for s in shapes if s.kind == "number" and s.indent < top]
    nested = len({shapes[i].indent for i in openers}) > 1
    value = 0.5 + 0.15 * min(len(openers), 4) / 4 + 0.2 * thread.deeper_share + 0.15 * nested
    foreign = _FOREIGN_MARKER_WEIGHT * (len(sentences) + len(numbered))
    value *= len(openers) / (len(openers) + foreign)
    return round(min(value, 1.0), 3)


LAYOUT = FunctionLayout(NAME, score, parse)
