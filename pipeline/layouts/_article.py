"""The article part of a page, and the chrome that surrounds comment threads.

Shared by the threaded layout families. Given the lines before the comments,
:func:`parse_article` finds the headline (the first content line, or the line
the page repeats as its headline), sets aside page chrome with a reason
(date lines, photo captions, labels such as "Fact checked", bylines, comment
counters, share and comment-widget controls, copyright lines) and returns
the remaining paragraphs as the body.

Recognisers work on the *kind* of line (a date, a caption, a counter), never
on the wording of one site: the vocabularies below are the generic controls
of comment platforms and publishing themes.

This module must never invent: ``site`` is set only from the page's own
copyright line, and a counter only from a line that states a count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.layouts._line_shape import LineShape, join_paragraphs, paragraphs, word_count
from pipeline.layouts.base import ChromeLine, ParsedComment, ParsedPage

_NUMBER_WORDS = {
    "no": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_COUNT_NOUNS = r"(?:comments?|responses?|replies|thoughts?|reactions?)"
_COUNT_FIRST = re.compile(
    rf"^(?P<n>\d[\d,.\u00a0\u202f ]*|{'|'.join(_NUMBER_WORDS)})\s+{_COUNT_NOUNS}"
    r"(?:\s+(?:on|to|for)\s+.+)?\s*:?$",
    re.IGNORECASE,
)
_COUNT_AFTER = re.compile(
    r"^(?:comments?|responses?|discussion)\s*[:(\[]?\s*(?P<n>\d[\d,.]*)\s*[)\]]?$",
    re.IGNORECASE,
)
_REPLY_FORM = re.compile(
    r"^(?:leave|post|add|write|submit|start|join)\s+(?:a|an|your|the)?\s*"
    r"(?:reply|comment|response|discussion|conversation)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^[(\[]?(?:photo|image|picture|photograph|illustration|file photo|pic|caption"
    r"|credit|featured image|video)s?(?:\s+(?:credit|by|courtesy|source|via))?\s*[:：]"
    r"|^[(\[]?(?:photo|image|picture)s?\s+(?:by|courtesy|credit|via)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|posted by|written by|author:)\s+\S", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?[\s,]*"
    r"(?P<name>[^.,|©]*?)\s*(?:[.,|].*)?$",
    re.IGNORECASE,
)
_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
})
_WEEKDAYS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
})
_DATE_FILLERS = {
    "am",
    "pm",
    "at",
    "on",
    "updated",
    "published",
    "posted",
    "gmt",
    "utc",
    "edt",
    "est",
    "cet",
    "cest",
    "bst",
    "pst",
    "pdt",
    "of",
    "the",
    "-",
}
_AGO = re.compile(
    r"^[•·]?\s*(?:about\s+)?(?:an?|\d+)\s+(?:second|minute|hour|day|week|month|year)s?"
    r"\s+ago\b",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DECORATION = " \t•·›»«‹|:–—-()[]"
WIDGET_VOCABULARY = frozenset(
    {
        "comment",
        "comments",
        "discussion",
        "sort by",
        "sort by best",
        "sort by newest",
        "sort by oldest",
        "best",
        "newest",
        "oldest",
        "most voted",
        "newest most voted",
        "most popular",
        "top",
        "login",
        "log in",
        "sign in",
        "sign up",
        "register",
        "subscribe",
        "notify of",
        "inline feedbacks",
        "view all comments",
        "load more comments",
        "show more comments",
        "show more replies",
        "recommend",
        "share",
        "tweet",
        "share this",
        "share on facebook",
        "share on twitter",
        "facebook",
        "twitter",
        "email",
        "print",
        "whatsapp",
        "reddit",
        "telegram",
        "like this",
        "like",
        "loading",
        "like loading",
        "powered by disqus",
        "add disqus to your site",
        "disqus' privacy policy",
        "privacy policy",
        "do not sell my data",
        "related",
        "related posts",
        "related articles",
        "advertisement",
        "be the first to comment",
        "what do you think?",
        "what do you think",
        "join the discussion",
        "you may also like",
        "read more",
        "continue reading",
    }
)
_LABEL_MAX_WORDS = 3
_CAPTION_MAX_WORDS = 10
_HEAD_CHROME_MAX_LINES = 3
_TITLE_SEARCH_LINES = 4
_HEADLINE_MIN_WORDS = 3
_HEADLINE_MAX_WORDS = 30
_CLOSING = "\"'”’)]» "
_LEAD_IN_END = (":", ";", ",")
_SENTENCE_END = tuple('.!?"”’…)')


@dataclass(frozen=True)
class Article:
    """The article part of a page and the chrome set aside while reading it."""

    title: str
    title_lines: tuple[int, ...]
    body: str
    body_lines: tuple[int, ...]
    chrome: tuple[ChromeLine, ...]
    site: str | None
    n_comments_declared: int | None


def assemble_page(
    layout: str,
    article: Article,
    declared: int | None,
    comments: Sequence[ParsedComment],
    chrome: Sequence[ChromeLine],
    *,
    threading_shown: bool = False,
    handles_shown: bool = False,
) -> ParsedPage:
    """The ParsedPage of an article head plus its comments and chrome (chrome in line order)."""
    return ParsedPage(
        layout=layout,
        title=article.title,
        body=article.body,
        site=article.site,
        n_comments_declared=declared,
        comments=tuple(comments),
        chrome=tuple(sorted(chrome, key=lambda c: c.line_no)),
        title_lines=article.title_lines,
        body_lines=article.body_lines,
        threading_shown=threading_shown,
        handles_shown=handles_shown,
    )


def comment_count(text: str) -> int | None:
    """The count a comment counter line states ("12 Comments", "One thought on ..."),
    or None when the line is not a counter."""
    match = _COUNT_FIRST.match(text) or _COUNT_AFTER.match(text)
    if match is None:
        return None
    numeral = match.group("n").strip().lower()
    if numeral in _NUMBER_WORDS:
        return _NUMBER_WORDS[numeral]
    digits = re.sub(r"\D", "", numeral)
    return int(digits) if digits else None


def is_reply_form_heading(text: str) -> bool:
    """The heading of a comment form ("Leave a Reply", "Post a comment")."""
    return bool(_REPLY_FORM.match(text)) and word_count(text) <= 12


def is_widget_line(text: str) -> bool:
    """A comment-platform, sharing or sorting control shown as a line of its own."""
    return text.strip(_DECORATION).casefold() in WIDGET_VOCABULARY


def is_date_line(text: str) -> bool:
    """A line that is only a date or time ("JULY 2020", "Sep 14, 2017 at 3:12 pm",
    "3 years ago")."""
    if _AGO.match(text) and word_count(text) <= 5:
        return True
    if word_count(text) > 8:
        return False
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    has_month = any(t in _MONTHS for t in tokens)
    if not (has_month or _NUMERIC_DATE.search(text)):
        return False
    leftovers = [
        t
        for t in tokens
        if t not in _MONTHS
        and t not in _WEEKDAYS
        and t not in _DATE_FILLERS
        and not re.fullmatch(r"\d+(?:st|nd|rd|th)?", t)
    ]
    return not leftovers


def site_from_copyright(text: str) -> str | None:
    """The site's own name from its copyright line ("© 2020 Example News"), else None."""
    match = _COPYRIGHT.match(text)
    if match is None or text[:1] not in "©(Cc":
        return None
    name = match.group("name").strip()
    name = re.sub(r"\ball rights reserved\b", "", name, flags=re.IGNORECASE).strip()
    return name if name and word_count(name) <= 5 else None


def chrome_reason(text: str) -> str | None:
    """Why an article-side line is page chrome, or None when it may be content."""
    if comment_count(text) is not None:
        return "comment-count"
    if is_reply_form_heading(text):
        return "reply-form"
    if is_widget_line(text):
        return "comment-widget"
    if is_date_line(text):
        return "date-line"
    if _CAPTION.match(text):
        return "photo-caption"
    if _BYLINE.match(text) and word_count(text) <= 6 and not text.endswith(_SENTENCE_END):
        return "byline"
    if _COPYRIGHT.match(text) and site_from_copyright(text) is not None:
        return "copyright"
    return None


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def _headline_shaped(text: str) -> bool:
    """Could this line be a headline (a few words, not a sentence ending in a full stop)?"""
    bare = text.rstrip(_CLOSING)
    return _HEADLINE_MIN_WORDS <= word_count(text) <= _HEADLINE_MAX_WORDS and not bare.endswith(".")


def _title_index(candidates: list[LineShape]) -> int:
    """Index in ``candidates`` of the headline: the first line the page repeats
    near its top (a headline shown twice), else the first candidate."""
    head = candidates[:8]
    for index, shape in enumerate(head[:_TITLE_SEARCH_LINES]):
        if not _headline_shaped(shape.full_text):
            continue
        key = _normalised(shape.text)
        if any(_normalised(other.text) == key for other in head[index + 1 :]):
            return index
    return 0


def is_head_label(text: str) -> bool:
    """A line right under the headline of at most a few words that is not a
    sentence or a lead-in: a byline name ("Ruth Peterson") or a label
    ("Opinion", "Fact checked")."""
    text = text.strip()
    bare = text.rstrip()
    return (
        bool(bare)
        and not bare.endswith(_SENTENCE_END + _LEAD_IN_END)
        and word_count(bare) <= _LABEL_MAX_WORDS
        and any(c.isalpha() for c in bare)
    )


def _head_chrome_reason(shape: LineShape) -> str | None:
    """Between headline and article, a short line that is not a sentence (nor
    a list item, nor a lead-in ending with a colon) is a label ("Fact
    checked", "Opinion") or a caption ("The minister speaks in Rome")."""
    text = shape.full_text
    if shape.kind != "plain" or text.endswith(_SENTENCE_END + _LEAD_IN_END):
        return None
    words = word_count(text)
    if words <= _LABEL_MAX_WORDS:
        return "label"
    return "photo-caption" if words <= _CAPTION_MAX_WORDS else None


def parse_article(shapes: Sequence[LineShape]) -> Article:
    """Read the article region of a page (its lines before the comments, blanks included)."""
    chrome: dict[int, str] = {}
    for shape in shapes:
        if shape.kind != "blank" and (reason := chrome_reason(shape.full_text)):
            chrome[shape.line_no] = reason
    candidates = [s for s in shapes if s.kind != "blank" and s.line_no not in chrome]
    if not candidates:
        return _article_without_title(shapes, chrome)

    title_at = _title_index(candidates)
    title = candidates[title_at]
    title_key = _normalised(title.text)
    for shape in candidates[:title_at]:
        chrome[shape.line_no] = "site-chrome"
    last_repeat = title_at
    for index, shape in enumerate(candidates[title_at + 1 :], start=title_at + 1):
        if _normalised(shape.text) == title_key:
            chrome[shape.line_no] = "repeated-title"
            last_repeat = index
    for shape in candidates[title_at + 1 : last_repeat]:
        chrome.setdefault(shape.line_no, "site-chrome")
    for shape in candidates[last_repeat + 1 : last_repeat + 1 + _HEAD_CHROME_MAX_LINES]:
        reason = _head_chrome_reason(shape)
        if reason is None:
            break
        chrome[shape.line_no] = reason

    body_shapes = [
        s if s.line_no not in chrome else _blank(s.line_no)
        for s in shapes
        if s.line_no > title.line_no
    ]
    grouped = paragraphs(body_shapes)
    return Article(
        title=title.full_text,
        title_lines=(title.line_no,),
        body=join_paragraphs([[s.full_text for s in group] for group in grouped]),
        body_lines=tuple(s.line_no for group in grouped for s in group),
        chrome=_chrome_lines(shapes, chrome),
        site=_site(shapes, chrome),
        n_comments_declared=_declared(shapes, chrome),
    )


def _blank(line_no: int) -> LineShape:
    return LineShape(line_no, "blank", 0, "", full_text="")


def _article_without_title(shapes: Sequence[LineShape], chrome: dict[int, str]) -> Article:
    return Article(
        title="",
        title_lines=(),
        body="",
        body_lines=(),
        chrome=_chrome_lines(shapes, chrome),
        site=_site(shapes, chrome),
        n_comments_declared=_declared(shapes, chrome),
    )


def _chrome_lines(shapes: Sequence[LineShape], chrome: dict[int, str]) -> tuple[ChromeLine, ...]:
    return tuple(
        ChromeLine(s.line_no, s.full_text, chrome[s.line_no]) for s in shapes if s.line_no in chrome
    )


def _site(shapes: Sequence[LineShape], chrome: dict[int, str]) -> str | None:
    names = [
        site_from_copyright(s.full_text) for s in shapes if chrome.get(s.line_no) == "copyright"
    ]
    return names[0] if names else None


def _declared(shapes: Sequence[LineShape], chrome: dict[int, str]) -> int | None:
    counts = [
        comment_count(s.full_text) for s in shapes if chrome.get(s.line_no) == "comment-count"
    ]
    return counts[-1] if counts else None
