"""The general comment parser: records found from their repeated structure.

Any page whose comments carry a header cue (a date or relative time, a
header verb, a "by" word) next to a handle is parsed here, whatever the
comment system or language: the record template is induced from the page
itself (:mod:`.records`), the article is what precedes the comment section
(:mod:`.article`), and what differs between systems and languages is data
(``cues.yaml``). Pages whose comments show no such cue (a bare name line
above the text, or no handle at all) are left to the layout plug-ins beside
this package, and a page nothing reads with confidence is rejected by the
parse stage.

Layout name: ``records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.layouts.base import ChromeLine, LayoutMismatch, PageText, ParsedComment, ParsedPage
from pipeline.layouts.records.article import Article, find_article, headline_shaped, page_chrome
from pipeline.layouts.records.dates import day_first_votes
from pipeline.layouts.records.lines import Line, analyse, section_phrase
from pipeline.layouts.records.records import (
    C_NAME,
    C_SECTION,
    Record,
    Template,
    find_template,
    line_class,
    plausible_handle,
)

NAME = "records"
SECTION_CHROME = "comment section chrome"  # chrome reason: lines in the section no record claimed


@dataclass(frozen=True)
class PageReading:
    lines: tuple[Line, ...]
    classes: tuple[str, ...]
    template: Template | None
    article: Article
    section_start: int  # index of the first line of the comment section (len(lines) if none)
    day_first: bool | None


@lru_cache(maxsize=8)
def read_page(page: PageText) -> PageReading:
    """Lines, their classes, the best record template and the article of one page."""
    lines = tuple(analyse(no, raw) for no, raw in enumerate(page.lines, start=1) if raw.strip())
    classes = tuple(line_class(line) for line in lines)
    template = find_template(lines, classes)
    section_start = _section_start(lines, classes, template)
    article = find_article(lines, section_start)
    dates = [line.content[d.start:d.end] for line in lines for d in line.dates]
    return PageReading(lines, classes, template, article, section_start, day_first_votes(dates))


def _section_start(lines: Sequence[Line], classes: Sequence[str], template: Template | None) -> int:
    """Where the comment section starts: its first record, or the heading and counter lines
    right above it ("59 Responses to ...", "Kommentare", a reply form)."""
    if template is None:
        return len(lines)
    start = template.section_start
    at = start - 1
    while at >= 0 and start - at <= 12:
        if classes[at] == C_SECTION or section_phrase(lines[at]):
            start = at
        at -= 1
    return start


def confidence(reading: PageReading) -> float:
    """How sure the parser is of the page's structure, 0..1."""
    template = reading.template
    if template is None:
        return 0.0
    records = template.records
    n = len(records)
    handles = sum(1 for r in records if plausible_handle(r.handle)) / n
    size = min(1.0, n / 5)
    article = 1.0 if reading.article.found else 0.0
    return round(0.35 + 0.25 * handles + 0.2 * size + 0.2 * article, 3)


def score(page: PageText) -> float:
    reading = read_page(page)
    return confidence(reading) if reading.template is not None else 0.0


def parse(page: PageText) -> ParsedPage:
    reading = read_page(page)
    if reading.template is None:
        raise LayoutMismatch("no comment header repeats on the page")
    return assemble(page, reading)


def assemble(page: PageText, reading: PageReading) -> ParsedPage:
    lines = reading.lines
    article = reading.article
    if article.title_at is None:
        raise LayoutMismatch("no headline found above the article text")
    records = reading.template.records if reading.template is not None else []
    shown = [r for r in records if not r.dropped]
    chrome: list[ChromeLine] = []
    claimed: set[int] = set()

    def log(at: int, reason: str) -> None:
        if at not in claimed:
            claimed.add(at)
            chrome.append(ChromeLine(lines[at].no, lines[at].raw, reason))

    title_line = lines[article.title_at]
    claimed.add(article.title_at)
    claimed.update(article.body)
    comments = _comments(lines, records, reading.day_first, claimed)
    for at, reason in article.chrome:
        log(at, reason)
    for record in records:
        for at in record.header:
            log(at, "comment header")
        for at, reason in record.chrome:
            log(at, reason)
    for at in range(reading.section_start, len(lines)):
        inside = at < _records_end(records, len(lines))
        log(at, SECTION_CHROME if inside else "page chrome")
    published_text = published = None
    if article.date is not None and article.date_at is not None:
        published_text = lines[article.date_at].content[article.date.start:article.date.end]
        published = article.date.iso(reading.day_first)
    depth_levels = {c.depth for c in comments}
    return ParsedPage(
        layout=NAME,
        title=title_line.content,
        body=_paragraphs(page, [lines[i] for i in article.body]),
        n_comments_declared=_declared(lines, reading.section_start, article),
        comments=tuple(comments),
        chrome=tuple(sorted(chrome, key=lambda c: c.line_no)),
        title_lines=(title_line.no,),
        body_lines=tuple(lines[i].no for i in article.body),
        published_text=published_text,
        published=published,
        threading_shown=len(depth_levels) > 1 or any(r.depth_hint is not None for r in shown),
        handles_shown=any(c.handle for c in comments),
        confidence=confidence(reading),
    )


def _records_end(records: list[Record], default: int) -> int:
    if not any(not r.dropped for r in records):
        return default
    last = next(r for r in reversed(records) if not r.dropped)
    return max([*last.body, *last.header, *(a for a, _ in last.chrome),
                *([last.handle_at] if last.handle_at is not None else [])]) + 1


def _comments(lines: Sequence[Line], records: list[Record], day_first: bool | None,
              claimed: set[int]) -> list[ParsedComment]:
    depths = _depths(records)
    out: list[ParsedComment] = []
    # the open ancestors: (depth shown on the page, position or None for a dropped record,
    # depth given); a reply to a dropped record (a deleted comment) has no known parent
    stack: list[tuple[int, int | None, int]] = []
    for record, shown in zip(records, depths, strict=True):
        while stack and stack[-1][0] >= shown:
            stack.pop()
        if record.dropped:
            stack.append((shown, None, 0))
            continue
        position = len(out)
        if stack and stack[-1][1] is not None:
            parent, depth = stack[-1][1], stack[-1][2] + 1
        else:
            parent, depth = None, 0
        stack.append((shown, position, depth))
        body = [lines[i] for i in record.body if i not in claimed]
        claimed.update(record.body)
        handle_line = None
        if record.handle_at is not None and record.handle:
            handle_line = lines[record.handle_at].no
            claimed.add(record.handle_at)
        date_text = record.date_text
        published = record.date.iso(day_first) if record.date is not None else None
        out.append(ParsedComment(
            position=position,
            parent_position=parent,
            depth=depth,
            handle=record.handle if handle_line is not None else None,
            text=_paragraphs(None, body),
            text_lines=tuple(line.no for line in body),
            handle_line=handle_line,
            published_text=date_text,
            published=published,
        ))
    return out


def _depths(records: list[Record]) -> list[int]:
    """Each record's depth: a "level N" line where the page has one, else the rank of its
    header's column among the columns the page's headers use."""
    if any(r.depth_hint is not None for r in records):
        return [r.depth_hint if r.depth_hint is not None else 0 for r in records]
    cols = sorted({r.col for r in records})
    rank = {col: i for i, col in enumerate(cols)}
    return [rank[r.col] for r in records]


def _paragraphs(page: PageText | None, lines: Sequence[Line]) -> str:
    """Lines joined with "\\n", paragraphs (lines apart on the page) with "\\n\\n"."""
    out: list[str] = []
    previous: int | None = None
    for line in lines:
        text = line.raw.strip()
        if previous is not None:
            out.append("\n" if line.no == previous + 1 else "\n\n")
        out.append(text)
        previous = line.no
    return "".join(out)


def _declared(lines: Sequence[Line], section_start: int, article: Article) -> int | None:
    import re

    for at in range(max(0, section_start - 1), min(len(lines), section_start + 6)):
        line = lines[at]
        if not section_phrase(line):
            continue
        match = re.match(r"^\D{0,20}?(\d[\d.,\u00a0\u202f ]*)", line.content)
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            if digits and len(digits) <= 7:
                return int(digits)
    return None


def headline_like(raw: str) -> bool:
    """A line shaped like a headline and free of page furniture (a check on plug-ins, which
    take a page's first content line for its headline)."""
    line = analyse(1, raw)
    return headline_shaped(line) and not page_chrome(line)


MIN_PARAGRAPH_WORDS = 25  # an article has at least one paragraph this long
MAX_PROSE_AFTER_ARTICLE = 3  # prose lines after an article said to have no comments


def looks_like_article(reading: PageReading) -> bool:
    """A headline above a text with at least one real paragraph (a home page or a list of
    teasers has headlines and short blurbs only)."""
    article = reading.article
    if not article.found:
        return False
    longest = max((len(reading.lines[i].content.split()) for i in article.body), default=0)
    return longest >= MIN_PARAGRAPH_WORDS


def article_without_comments(reading: PageReading) -> bool:
    """The page is an article that shows no comments: no comment header repeats, no counter
    says there are comments, and no prose follows the article (unrecognised comments would)."""
    if reading.template is not None or not looks_like_article(reading):
        return False
    if shows_comment_section(reading):
        return False
    end = max(reading.article.body) + 1 if reading.article.body else 0
    after = sum(1 for line in reading.lines[end:] if _prose(line))
    return after <= MAX_PROSE_AFTER_ARTICLE and not _names_between_texts(reading)


MIN_NAME_RECORDS = 5


def _names_between_texts(reading: PageReading) -> bool:
    """The article's text is cut by short name lines, each followed by text, some of them
    repeated or shaped like handles (lower case, digits): comments without a header cue
    that no reader recognised (a page published this way would show handles as text)."""
    lines, classes = reading.lines, reading.classes
    body = sorted(reading.article.body)
    names = []
    for a, b in zip(body, body[1:], strict=False):
        if classes[a] == C_NAME and classes[b] != C_NAME and len(lines[b].content.split()) >= 4:
            names.append(lines[a].content)
    if len(names) < MIN_NAME_RECORDS:
        return False
    repeated = len(names) - len({n.casefold() for n in names})
    handle_shaped = sum(1 for n in names if n[:1].islower() or any(ch.isdigit() for ch in n))
    return repeated >= 1 or handle_shaped >= 0.3 * len(names)


def _prose(line: Line) -> bool:
    return len(line.content.split()) >= 12 and not line.marker


def shows_comment_section(reading: PageReading) -> bool:
    """The page says it has comments: a counter with a count above zero ("68 Comments",
    "Commentaires (85)") after the article's headline."""
    start = reading.article.title_at or 0
    for at in range(start, len(reading.lines)):
        line = reading.lines[at]
        if reading.classes[at] != C_SECTION:
            continue
        count = _count(line)
        if count:
            return True
    return False


def _count(line: Line) -> int | None:
    import re

    match = re.search(r"(?<![\w.,])(\d{1,6})(?![\w.,])", line.content)
    return int(match.group(1)) if match else None


class _RecordsLayout:
    name = NAME

    def score(self, page: PageText) -> float:
        return score(page)

    def parse(self, page: PageText) -> ParsedPage:
        return parse(page)


LAYOUT = _RecordsLayout()
