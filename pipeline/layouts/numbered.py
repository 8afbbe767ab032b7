"""Layout family "numbered": WordPress-style numbered comments without handles.

What the page looks like: the article (headline, maybe a label such as
"Fact checked", a standfirst, paragraphs), a comment counter ("N Comments"),
then top-level comments as numbered items ("  1. text") and replies as
bullets ("    • text") indented deeper; a comment's further paragraphs are
indented like its text; a comment form ("Leave a Reply", "Your email address
will not be published", a spam notice) closes the page.

How the page is read:

1. Every line gets a shape (blank, numbered, bullet, plain; its indent).
2. The comment list is the last run of consecutively numbered items that
   all sit at one indent (an article's own numbered list comes earlier; a
   list inside a comment is indented deeper). When a counter line precedes
   the comments, the comments start at the first numbered item after it.
3. Lines before the counter (or the first comment) are the article
   (``pipeline.layouts._article``); lines between counter and first comment
   are comment-widget chrome.
4. In the comment list, a numbered item or bullet opens a comment; its parent
   is the nearest open comment indented less (``pipeline.layouts._thread``);
   a bullet is always a reply. Plain lines continue the latest comment. A
   comment-form heading, or a plain line dedented to the top-level items'
   indent, ends the list: what follows is chrome.

Scoring rewards numbered items that are the shallowest markers of the comment
region, consecutive numbering, a counter and a comment form. When neither a
counter nor replies between numbered items confirm the thread, bullets shaped
like handles (short line, body indented below: the Disqus family) pull it
down.

This module must never key on one site's wording, and never guess a handle:
the family shows none, so every comment's handle is None.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.layouts._article import (
    assemble_page,
    comment_count,
    is_date_line,
    is_reply_form_heading,
    is_widget_line,
    parse_article,
)
from pipeline.layouts._line_shape import LineShape, next_non_blank, shapes_of, word_count
from pipeline.layouts._thread import CommentDraft, ThreadBuilder
from pipeline.layouts.base import (
    ChromeLine,
    FunctionLayout,
    LayoutMismatch,
    PageText,
    ParsedPage,
)

NAME = "numbered"
_COMMENT_META = frozenset({"reply", "log in to reply", "report", "report comment", "edit"})
_HANDLE_LIKE_MAX_WORDS = 6


@dataclass(frozen=True)
class _Regions:
    """Where the article ends and the comment list begins (indices into shapes)."""

    article_end: int
    comments_start: int | None
    counter_index: int | None


def _numbered_runs(shapes: tuple[LineShape, ...]) -> list[list[int]]:
    """Outermost runs of consecutively numbered items at one indent, in page
    order (indices into shapes).

    Runs are kept on a stack: an item continuing an open run ("2." after "1."
    at the same indent) extends it and closes every run opened since, which
    were lists nested inside it (a numbered list inside a comment); those
    nested runs are not returned."""
    runs: list[list[int]] = []
    nested: set[int] = set()  # ids of runs closed by an enclosing run's continuation
    open_runs: list[list[int]] = []
    for index, shape in enumerate(shapes):
        if shape.kind != "number":
            continue
        depth = _continued_run(shapes, open_runs, shape)
        if depth is not None:
            nested.update(id(run) for run in open_runs[depth + 1 :])
            del open_runs[depth + 1 :]
            open_runs[depth].append(index)
            continue
        while open_runs and shapes[open_runs[-1][0]].indent >= shape.indent:
            open_runs.pop()
        open_runs.append([index])
        runs.append(open_runs[-1])
    return [run for run in runs if id(run) not in nested]


def _continued_run(
    shapes: tuple[LineShape, ...], open_runs: list[list[int]], item: LineShape
) -> int | None:
    """Stack index of the open run ``item`` continues, if any."""
    for depth in range(len(open_runs) - 1, -1, -1):
        last = shapes[open_runs[depth][-1]]
        if last.indent == item.indent and (last.number or 0) + 1 == item.number:
            return depth
    return None


def _counter_indices(shapes: tuple[LineShape, ...]) -> list[int]:
    return [
        i for i, s in enumerate(shapes)
        if s.kind == "plain" and comment_count(s.full_text) is not None
    ]


def _regions(shapes: tuple[LineShape, ...]) -> _Regions:
    runs = _numbered_runs(shapes)
    start = runs[-1][0] if runs else None
    counters = [c for c in _counter_indices(shapes) if start is None or c < start]
    counter = counters[-1] if counters else None
    if counter is not None and start is not None:
        if not _only_widgets_between(shapes, counter, start):
            counter = None
        else:
            start = next(r[0] for r in runs if r[0] > counter)
    end = counter if counter is not None else (start if start is not None else len(shapes))
    return _Regions(article_end=end, comments_start=start, counter_index=counter)


def _only_widgets_between(shapes: tuple[LineShape, ...], counter: int, start: int) -> bool:
    """Is the counter the comment list's heading (only short controls between
    it and the first comment), rather than a counter shown near the headline?"""
    return all(
        s.kind == "blank" or word_count(s.full_text) <= _HANDLE_LIKE_MAX_WORDS
        for s in shapes[counter + 1:start]
    )


def _form_start(shapes: tuple[LineShape, ...], begin: int, end: int) -> int:
    """Index of the first comment-form heading in ``shapes[begin:end]``, else ``end``."""
    for index in range(begin, end):
        shape = shapes[index]
        if shape.kind == "plain" and is_reply_form_heading(shape.full_text):
            return index
    return end


@dataclass
class _CommentReader:
    """Walks the comment list line by line (step 4 of the module docstring)."""

    top_indent: int
    indent_meaningful: bool
    thread: ThreadBuilder
    chrome: list[ChromeLine]
    current: CommentDraft | None = None
    state: str = "comments"  # or "form", "after"

    def read(self, shape: LineShape) -> None:
        if shape.kind == "blank":
            if self.current is not None and self.state == "comments":
                self.current.add(shape)
        elif shape.is_marker and self.state != "form" and shape.indent >= self.top_indent:
            self._open(shape)
        elif self.state == "form" or is_reply_form_heading(shape.full_text):
            self._set_aside(shape, "reply-form", "form")
        elif self.state == "after" or self._dedented(shape):
            self._set_aside(shape, self._outside_reason(shape), "after")
        elif self._is_meta(shape):
            self._set_aside(shape, "comment-meta", self.state)
        elif self.current is not None:
            self.current.add(shape)

    def _open(self, shape: LineShape) -> None:
        floor = self.thread.last_top_level() if shape.kind == "bullet" else None
        self.current = self.thread.start(shape, reply_floor=floor)
        self.current.add(shape)
        self.state = "comments"

    def _dedented(self, shape: LineShape) -> bool:
        return self.indent_meaningful and shape.indent <= self.top_indent

    def _is_meta(self, shape: LineShape) -> bool:
        text = shape.full_text
        return text.casefold().strip(" ↓|") in _COMMENT_META or is_date_line(text)

    def _outside_reason(self, shape: LineShape) -> str:
        if comment_count(shape.full_text) is not None:
            return "comment-count"
        return "comment-widget" if is_widget_line(shape.full_text) else "after-comments"

    def _set_aside(self, shape: LineShape, reason: str, state: str) -> None:
        self.chrome.append(ChromeLine(shape.line_no, shape.full_text, reason))
        self.state = state
        if state != "comments":
            self.current = None


def _indent_meaningful(section: tuple[LineShape, ...], top_indent: int) -> bool:
    """Does indentation separate comment lines from what follows the list?"""
    return top_indent > 0 or any(
        s.kind == "plain" and s.indent > top_indent for s in section
    )


def _read_comments(
    shapes: tuple[LineShape, ...], start: int
) -> tuple[ThreadBuilder, list[ChromeLine]]:
    section = shapes[start:]
    top_indent = shapes[start].indent
    form_at = _form_start(shapes, start, len(shapes)) - start
    reader = _CommentReader(
        top_indent=top_indent,
        indent_meaningful=_indent_meaningful(section[:form_at], top_indent),
        thread=ThreadBuilder(),
        chrome=[],
    )
    for shape in section:
        reader.read(shape)
    return reader.thread, reader.chrome


def _between_chrome(shapes: tuple[LineShape, ...], begin: int, end: int) -> list[ChromeLine]:
    """Lines between the article and the first comment (counter, sort controls, form)."""
    chrome = []
    in_form = False
    for shape in shapes[begin:end]:
        if shape.kind == "blank":
            continue
        in_form = in_form or is_reply_form_heading(shape.full_text)
        if in_form:
            reason = "reply-form"
        elif comment_count(shape.full_text) is not None:
            reason = "comment-count"
        else:
            reason = "comment-widget"
        chrome.append(ChromeLine(shape.line_no, shape.full_text, reason))
    return chrome


def parse(page: PageText) -> ParsedPage:
    shapes = shapes_of(page.lines)
    if not any(s.kind != "blank" for s in shapes):
        raise LayoutMismatch(f"{page.source_file}: the page is empty")
    regions = _regions(shapes)
    form_at = _form_start(shapes, 0, regions.article_end)
    article = parse_article(shapes[:form_at])
    chrome = [*article.chrome, *_between_chrome(shapes, form_at, regions.article_end)]
    comments: tuple = ()
    if regions.comments_start is not None:
        chrome.extend(_between_chrome(shapes, regions.article_end, regions.comments_start))
        thread, comment_chrome = _read_comments(shapes, regions.comments_start)
        comments = thread.comments()
        chrome.extend(comment_chrome)
    else:
        chrome.extend(_between_chrome(shapes, regions.article_end, len(shapes)))
    if not article.title:
        raise LayoutMismatch(f"{page.source_file}: no headline before the comments")
    declared = (
        comment_count(shapes[regions.counter_index].full_text)
        if regions.counter_index is not None
        else article.n_comments_declared
    )
    # A thread of replies (ThreadBuilder) under handle lines: both are shown.
    return assemble_page(
        NAME, article, declared, comments, chrome, threading_shown=True, handles_shown=True
    )


def _handle_shaped(shapes: tuple[LineShape, ...], index: int) -> bool:
    """A bullet shaped like a Disqus handle: short, with its body indented below."""
    shape = shapes[index]
    following = next_non_blank(shapes, index)
    return (
        word_count(shape.text) <= _HANDLE_LIKE_MAX_WORDS
        and following is not None
        and following.kind == "plain"
        and following.indent > shape.indent
    )


def _score_without_comments(
    shapes: tuple[LineShape, ...], counter: int | None, form_at: int
) -> float:
    """A page with no numbered comment: only a counter closely followed by a
    comment form says "numbered family with zero comments"."""
    if form_at == len(shapes):
        return 0.0
    if counter is not None and counter < form_at:
        between = [s for s in shapes[counter + 1 : form_at] if s.kind != "blank"]
        if not between:
            return 0.8
        return 0.35 if _only_widgets_between(shapes, counter, form_at) else 0.1
    return 0.3


def score(page: PageText) -> float:
    shapes = shapes_of(page.lines)
    regions = _regions(shapes)
    has_counter = regions.counter_index is not None
    form_at = _form_start(shapes, 0, len(shapes))
    has_form = form_at < len(shapes)
    if regions.comments_start is None:
        return _score_without_comments(shapes, regions.counter_index, form_at)
    section = range(regions.comments_start, len(shapes))
    markers = [i for i in section if shapes[i].is_marker]
    numbers = [i for i in markers if shapes[i].kind == "number"]
    top_indent = shapes[regions.comments_start].indent
    if any(shapes[i].indent < top_indent for i in markers):
        return 0.1
    value = 0.55 + 0.1 * has_counter + 0.1 * has_form + 0.1 * (top_indent > 0)
    value += 0.1 * min(len(numbers), 3) / 3
    if not (has_counter or _replies_between_numbers(shapes, numbers)):
        bullets = [i for i in markers if shapes[i].kind == "bullet"]
        handle_shaped = sum(_handle_shaped(shapes, i) for i in bullets)
        value *= 1.0 - 0.8 * handle_shaped / max(len(markers), 1)
    return round(min(value, 1.0), 3)


def _replies_between_numbers(shapes: tuple[LineShape, ...], numbers: list[int]) -> bool:
    """Bullets between numbered items: replies threaded under numbered comments,
    which a Disqus page (bullets only) or an article list never shows."""
    top = [i for i in numbers if shapes[i].indent == shapes[numbers[0]].indent]
    return any(shapes[i].kind == "bullet" for i in range(top[0], top[-1])) if top else False


LAYOUT = FunctionLayout(NAME, score, parse)
