"""Seeded generator of labelled no-handles pages, and the measures of a parse.

A page is drawn from the hand-written pools in ``no_handles_pool.py``: a title,
optional "Update N:" parts with separators, body paragraphs with photo captions
and separators, then reader comments separated exactly like paragraphs (one
blank line, sometimes two or three), with the scrape variants seen in the wild
(NBSP, trailing spaces, tabs, curly quotes, soft line breaks, zero comments,
truncated pages). The truth records which page lines are the title, each
article paragraph, each comment and each chrome line.

Run ``python -m tests.layouts.no_handles_pages [N] [SEED]`` to print the
measured figures. This module must never import the parser's internals: it
measures only what ``LAYOUT.parse`` returns.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field

from pipeline.layouts.base import PageText, ParsedPage
from tests.layouts.no_handles_pool import GENERIC_COMMENTS, TOPICS, Topic

SEPARATORS = ("* * *", "***", "* * * *", "___")


@dataclass
class PageTruth:
    """What a correct parse of one generated page is."""

    page: PageText
    title: str
    article: list[tuple[int, ...]] = field(default_factory=list)
    comments: list[list[tuple[int, ...]]] = field(default_factory=list)
    chrome: list[int] = field(default_factory=list)

    @property
    def comment_starts(self) -> set[int]:
        return {comment[0][0] for comment in self.comments}


class _PageWriter:
    """Appends paragraphs to a page, with the scrape variants of one page."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.nbsp = rng.random() < 0.4
        self.trailing = rng.choice(["", "", "  ", " \u00a0", "\t"])
        self.curly = rng.random() < 0.3

    def blank(self, count: int = 1) -> None:
        self.lines.extend([self.rng.choice(["", "", " ", "\u00a0"]) for _ in range(count)])

    def paragraph(self, text: str, soft_break: bool = False) -> tuple[int, ...]:
        parts = self._soft_split(text) if soft_break else [text]
        numbers = []
        for part in parts:
            self.lines.append(self._dress(part))
            numbers.append(len(self.lines))
        return tuple(numbers)

    def _soft_split(self, text: str) -> list[str]:
        words = text.split(" ")
        if len(words) < 6:
            return [text]
        cut = self.rng.randrange(2, len(words) - 2)
        return [" ".join(words[:cut]), " ".join(words[cut:])]

    def _dress(self, text: str) -> str:
        if self.curly:
            text = _curl_quotes(text)
        if self.nbsp and self.rng.random() < 0.3:
            text = text.replace(". ", ".\u00a0 ", 1)
        if self.nbsp and self.rng.random() < 0.1:
            text = "\u00a0" + text
        return text + (self.trailing if self.rng.random() < 0.5 else "")


def _curl_quotes(text: str) -> str:
    out, opening = [], True
    for char in text:
        if char == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(char.replace("'", "’"))
    return "".join(out)


def generate_page(rng: random.Random, index: int = 0) -> PageTruth:
    """One labelled page of the no-handles family."""
    topic = rng.choice(TOPICS)
    writer = _PageWriter(rng)
    title = rng.choice(topic.titles)
    writer.lines.append(title + writer.trailing)
    truth = PageTruth(page=PageText("", ()), title=title)
    _write_updates(writer, topic, truth)
    _write_body(writer, topic, truth)
    _write_comments(writer, _draw_comments(rng, topic), truth)
    if rng.random() < 0.1:
        _truncate(writer, truth)
    truth.page = PageText(f"generated_{index:04d}.txt", tuple(writer.lines))
    return truth


def _write_updates(writer: _PageWriter, topic: Topic, truth: PageTruth) -> None:
    rng = writer.rng
    if not topic.updates or rng.random() < 0.4:
        return
    chosen = topic.updates[: rng.randint(1, len(topic.updates))]
    for update in reversed(chosen):
        writer.blank()
        truth.article.append(writer.paragraph(update))
        if rng.random() < 0.6:
            writer.blank()
            truth.chrome.extend(writer.paragraph(rng.choice(SEPARATORS)))


def _write_body(writer: _PageWriter, topic: Topic, truth: PageTruth) -> None:
    rng = writer.rng
    count = rng.randint(min(3, len(topic.paragraphs)), len(topic.paragraphs))
    chosen = sorted(rng.sample(range(len(topic.paragraphs)), count))
    caption_after = rng.randrange(len(chosen)) if topic.captions and rng.random() < 0.5 else -1
    separator_after = rng.randrange(1, len(chosen)) if rng.random() < 0.3 else -1
    for position, index in enumerate(chosen):
        writer.blank(1 if rng.random() < 0.9 else rng.randint(2, 3))
        truth.article.append(writer.paragraph(topic.paragraphs[index]))
        if position == caption_after:
            _write_caption(writer, rng.choice(topic.captions), truth)
        if position == separator_after:
            writer.blank()
            truth.chrome.extend(writer.paragraph(rng.choice(SEPARATORS)))


def _write_caption(writer: _PageWriter, caption: tuple[str, ...], truth: PageTruth) -> None:
    together = writer.rng.random() < 0.3
    for i, line in enumerate(caption):
        if i == 0 or not together:
            writer.blank()
        truth.chrome.extend(writer.paragraph(line))


def _draw_comments(rng: random.Random, topic: Topic) -> list[tuple[str, ...]]:
    if rng.random() < 0.1:
        return []
    own = rng.sample(topic.comments, rng.randint(0, len(topic.comments)))
    generic = rng.sample(GENERIC_COMMENTS, rng.randint(1, 20))
    comments = own + generic
    rng.shuffle(comments)
    return comments


def _write_comments(
    writer: _PageWriter, comments: list[tuple[str, ...]], truth: PageTruth
) -> None:
    rng = writer.rng
    for comment in comments:
        writer.blank(1 if rng.random() < 0.75 else rng.randint(2, 3))
        paragraphs = []
        for i, text in enumerate(comment):
            if i:
                writer.blank()
            paragraphs.append(writer.paragraph(text, soft_break=rng.random() < 0.05))
        truth.comments.append(paragraphs)


def _truncate(writer: _PageWriter, truth: PageTruth) -> None:
    """Cut the page after a random content line, as an interrupted capture would."""
    content = [n for n, line in enumerate(writer.lines, start=1) if line.strip()]
    if len(content) < 3:
        return
    keep = writer.rng.choice(content[1:])
    cut_line = writer.lines[keep - 1]
    writer.lines[keep - 1] = cut_line[: max(1, len(cut_line) * 2 // 3)].rstrip() or cut_line
    del writer.lines[keep:]
    truth.article = [p for p in (_clip(p, keep) for p in truth.article) if p]
    truth.chrome = [n for n in truth.chrome if n <= keep]
    clipped = [[q for q in (_clip(p, keep) for p in c) if q] for c in truth.comments]
    truth.comments = [c for c in clipped if c]


def _clip(numbers: tuple[int, ...], keep: int) -> tuple[int, ...]:
    return tuple(n for n in numbers if n <= keep)


# --- measures -------------------------------------------------------------------------


@dataclass
class Measures:
    """Counts summed over pages; the figures are properties."""

    pages: int = 0
    exact_boundary: int = 0
    paragraphs: int = 0
    paragraphs_right: int = 0
    starts_true: int = 0
    starts_found: int = 0
    starts_matched: int = 0
    chrome_leaked: int = 0
    chrome_true: int = 0

    @property
    def boundary_accuracy(self) -> float:
        return self.exact_boundary / max(1, self.pages)

    @property
    def paragraph_accuracy(self) -> float:
        return self.paragraphs_right / max(1, self.paragraphs)

    @property
    def comment_start_f1(self) -> float:
        found, true = self.starts_found, self.starts_true
        return 2 * self.starts_matched / (found + true) if found + true else 1.0

    def add(self, parsed: ParsedPage, truth: PageTruth) -> None:
        self.pages += 1
        body = set(parsed.body_lines)
        in_comment = {n for c in parsed.comments for n in c.text_lines}
        found_starts = {c.text_lines[0] for c in parsed.comments if c.text_lines}
        first_true = min(truth.comment_starts, default=None)
        self.exact_boundary += min(found_starts, default=None) == first_true
        for paragraph in truth.article:
            self.paragraphs += 1
            self.paragraphs_right += paragraph[0] in body
        for comment in truth.comments:
            for paragraph in comment:
                self.paragraphs += 1
                self.paragraphs_right += paragraph[0] in in_comment
        self.starts_true += len(truth.comment_starts)
        self.starts_found += len(found_starts)
        self.starts_matched += len(found_starts & truth.comment_starts)
        chrome = {c.line_no for c in parsed.chrome}
        self.chrome_true += len(truth.chrome)
        self.chrome_leaked += len(set(truth.chrome) - chrome)

    def summary(self) -> str:
        return (
            f"pages={self.pages} exact_boundary={self.boundary_accuracy:.3f} "
            f"paragraph_assignment={self.paragraph_accuracy:.4f} "
            f"comment_start_f1={self.comment_start_f1:.3f} "
            f"chrome_leaked={self.chrome_leaked}/{self.chrome_true}"
        )


def measure_generated(count: int, seed: int) -> Measures:
    """Generate ``count`` pages from ``seed``, parse them, sum the measures."""
    from pipeline.layouts.no_handles import LAYOUT

    rng = random.Random(seed)
    measures = Measures()
    for index in range(count):
        truth = generate_page(rng, index)
        measures.add(LAYOUT.parse(truth.page), truth)
    return measures


if __name__ == "__main__":
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20240917
    print(measure_generated(pages, seed).summary())
