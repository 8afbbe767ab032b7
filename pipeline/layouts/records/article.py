"""The article of a page: its headline, its text and its date, from the lines before the
comment section.

The text is the densest run of prose: every line scores by what it looks
like (a paragraph of sentences scores high, a menu item, a share button or a
comment-section word scores below zero) and the body is the run of lines with
the highest total (the maximum-sum segment, in one pass). The headline is the
headline-shaped line closest above that run, preferring a line the page
repeats (in a breadcrumb, a "59 Responses to “...”" counter, the window
title). The date is the first date shown between the headline and the text.
Nothing is keyed to a site; the words that mark chrome come from the lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from pipeline.layouts.records.dates import KIND_DATE, DateSpan
from pipeline.layouts.records.lexicon import alternation, lexicon
from pipeline.layouts.records.lines import (
    ACTION,
    BY,
    DATE,
    RELATIVE,
    SECTION,
    TIME,
    Line,
    action_only,
    section_phrase,
)

_SENTENCE = re.compile(r"[.!?…:;»\"”)]\s*$")
_WORD = re.compile(r"[^\W\d_]{2,}")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|fr)\b|@\w")
MIN_BODY_CHARS = 200  # an article shows at least a paragraph of text
MIN_PROSE_LINES = 1


@dataclass(frozen=True)
class Article:
    title_at: int | None  # index into the non-blank lines
    body: tuple[int, ...]
    date: DateSpan | None
    date_at: int | None
    chrome: tuple[tuple[int, str], ...]
    prose_chars: int  # characters of prose in the body

    @property
    def found(self) -> bool:
        return self.title_at is not None and self.prose_chars >= MIN_BODY_CHARS


def _words(line: Line) -> int:
    return len(_WORD.findall(line.content))


def _line_score(line: Line) -> float:
    text = line.content
    words = _words(line)
    kinds = line.kinds()
    if not text:
        return -0.5
    if section_phrase(line) or action_only(line):
        return -3.0
    if page_chrome(line) and words <= 8:
        return -2.0
    if line.marker == "bullet" and words <= 6:
        return -1.5  # a menu item, a tag, a share button
    if _URLISH.search(text) and words <= 4:
        return -1.5
    if kinds & {DATE, RELATIVE, TIME} and words <= 10:
        return -0.5  # a dateline, a byline with a date
    if words >= 12 or (len(text) >= 80 and words >= 8):
        return 1.0 + min(words, 80) / 12.0
    if words >= 5 and _SENTENCE.search(text):
        return 0.8
    if words <= 4:
        return -0.7
    return -0.2


def _best_segment(scores: Sequence[float]) -> tuple[int, int]:
    """(start, end) of the maximum-sum run of ``scores`` (Kadane), end exclusive."""
    best = (0, 0)
    best_sum = 0.0
    run_start = 0
    run_sum = 0.0
    for i, score in enumerate(scores):
        if run_sum <= 0:
            run_start, run_sum = i, score
        else:
            run_sum += score
        if run_sum > best_sum:
            best_sum, best = run_sum, (run_start, i + 1)
    return best


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def headline_shaped(line: Line) -> bool:
    text = line.content
    words = len(text.split())
    if not 1 <= words <= 30 or len(text) > 220 or len(text) < 4:
        return False
    if text.endswith((",", ";")):
        return False
    if text.endswith(".") and (words > 25 or text.count(". ") > 0):
        return False  # a sentence of prose, not a headline that ends with a period
    kinds = line.kinds()
    if section_phrase(line) or action_only(line) or _URLISH.search(text):
        return False
    if kinds & {DATE, RELATIVE, TIME} and _words(line) < 10:
        return False  # a dateline
    toks = [t for t in line.tokens if t.kind != "p"]
    if toks and toks[0].kind == BY:
        return False  # a byline
    if toks and all(t.kind in (SECTION, ACTION) for t in toks):
        return False
    return _words(line) >= 1


def _byline(line: Line) -> bool:
    from pipeline.layouts.records.records import C_DATE, C_HEADER, line_class

    return line_class(line) in (C_HEADER, C_DATE) and len(line.content.split()) <= 20


def line_scores(lines: Sequence[Line], end: int) -> list[float]:
    """How much each of ``lines[:end]`` looks like article prose (below zero: chrome)."""
    return [_line_score(line) for line in lines[:end]]


def text_run(scores: Sequence[float]) -> tuple[int, int]:
    """(start, stop) of the article text: the maximum-sum run of ``scores``, without the
    chrome-like lines at its ends; start >= stop when there is none."""
    start, stop = _best_segment(scores)
    while start < stop and scores[start] < 0:
        start += 1
    while stop > start and scores[stop - 1] < 0:
        stop -= 1
    return start, stop


def find_article(lines: Sequence[Line], end: int) -> Article:
    """The article in ``lines[:end]`` (``end``: where the comment section starts)."""
    scores = line_scores(lines, end)
    start, stop = text_run(scores)
    if stop <= start:
        return Article(None, (), None, None, tuple((i, "page chrome") for i in range(end)), 0)
    title_at = _title(lines, scores, start, stop, end)
    if title_at is not None and title_at >= start:
        start = title_at + 1
    # the text's first lines may be its byline or a forum post's header ("macbacchi28.09.19
    # 12:44", "By Ela on 31. October, 2023"): a name with a date is not article text
    while start < stop and _byline(lines[start]):
        start += 1
    body = [i for i in range(start, stop) if i != title_at]
    date_at, date = _article_date(lines, title_at, start)
    chrome = []
    body_set = set(body)
    for i in range(end):
        if i in body_set or i == title_at:
            continue
        chrome.append((i, "article date" if i == date_at else "page chrome"))
    prose = sum(len(lines[i].content) for i in body if scores[i] > 0)
    return Article(title_at, tuple(body), date, date_at, tuple(chrome), prose)


@cache
def _chrome_pattern() -> re.Pattern[str]:
    words = lexicon().page_chrome_words
    return re.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)|©", re.IGNORECASE)


def page_chrome(line: Line) -> bool:
    """The line holds page furniture words (share, subscribe, ratings, credits, ©)."""
    return bool(_chrome_pattern().search(line.content))


# Weights of the headline features (order of _headline_features): a softmax ranker over
# every headline-shaped line near the text, fitted on the 26 real pages of shared/real-pages
# whose headline is among those lines (L2 1.0; python -m tests.layouts.title_cv --fit).
# Refitted leaving each page out in turn, it puts the headline first on 18 of the 26 pages
# it did not see (the weights before the last two features: 11-13 of 26).
_TITLE_WEIGHTS = (-0.11, 0.98, 0.75, 1.01, -1.11, -0.64, -0.5, 0.13, 0.38, -0.29, 0.3, -0.37,
                  0.14, 1.7, 1.37)
TITLE_WINDOW = 80  # lines above the text searched for its headline


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def _headline_features(lines: Sequence[Line], folded: Sequence[str], scores: Sequence[float],
                       at: int, start: int, body_words: frozenset[str]) -> tuple[float, ...]:
    line = lines[at]
    words = len(line.content.split())
    key = folded[at]
    repeats = sum(1 for j, other in enumerate(folded) if j != at and key in other)
    numbers = len(re.findall(r"\d+", line.content))
    first_alpha = next((ch for ch in line.content if ch.isalpha()), "")
    prose_after = sum(1 for j in range(at + 1, min(len(scores), at + 7)) if scores[j] > 0)
    own = _CONTENT_WORD.findall(line.content.casefold())
    return (
        abs(start - at) / 10,  # distance from the text
        float(1 <= repeats <= 3),  # the page repeats it (breadcrumb, counter, share text)
        float(repeats > 3),
        float(4 <= words <= 20),
        float(words <= 2),
        float(page_chrome(line)),  # share, subscribe, ratings, ©
        float(bool(line.marker)),  # a list item (menu, breadcrumb)
        float(numbers >= 2 and words <= 6),  # "5 from 7 votes"
        float(first_alpha.isupper()),
        float(line.content.endswith(".")),
        prose_after / 6,  # prose follows it
        float(at >= start),  # inside the text's first lines
        float(at > 0 and scores[at - 1] < 0),  # chrome right above it
        sum(w in body_words for w in own) / len(own) if own else 0.0,  # the text uses its words
        float(any(_byline(lines[j]) for j in range(at + 1, min(len(lines), at + 4)))),  # byline
    )


def headline_candidates(lines: Sequence[Line], scores: Sequence[float], start: int, stop: int,
                        end: int) -> list[tuple[int, tuple[float, ...]]]:
    """(line index, features) of every headline-shaped line near the text ``start..stop``."""
    folded = [_fold(line.content) for line in lines]
    body_words = frozenset(w for i in range(start, stop)
                           for w in _CONTENT_WORD.findall(lines[i].content.casefold()))
    return [(at, _headline_features(lines, folded, scores, at, start, body_words))
            for at in range(max(0, start - TITLE_WINDOW), min(end, start + 3))
            if headline_shaped(lines[at]) and len(folded[at]) >= 4]


def _title(lines: Sequence[Line], scores: Sequence[float], start: int, stop: int,
           end: int) -> int | None:
    """The headline: the best-ranked headline-shaped line near the start of the text."""
    best: tuple[float, int] | None = None
    for at, features in headline_candidates(lines, scores, start, stop, end):
        value = sum(w * f for w, f in zip(_TITLE_WEIGHTS, features, strict=True))
        if best is None or value > best[0]:
            best = (value, at)
    return best[1] if best is not None else None


def _article_date(lines: Sequence[Line], title_at: int | None,
                  body_start: int) -> tuple[int | None, DateSpan | None]:
    if title_at is None:
        return None, None
    window = [*range(title_at + 1, min(body_start + 1, title_at + 8)),
              *range(title_at - 1, max(-1, title_at - 4), -1)]
    for at in window:
        if not 0 <= at < len(lines):
            continue
        for span in lines[at].dates:
            if span.kind == KIND_DATE:
                return at, span
    return None, None
