"""Page structure shared by the layouts whose comments are blank-line paragraphs.

The flat-with-handles (wpDiscuz) and blank-separated families both write a
page as *paragraphs*: runs of non-blank lines separated by blank lines. This
module cuts a page into paragraphs (remembering how many blank lines came
before each), recognises the kinds of chrome line every such site has in some
wording (comment counters, image placeholders, bare numbers, donation and
site-name lines), and reads the head of the page (title, repeated title, photo
caption, article paragraphs, the site's own name).

Every cue here is structural or family-wide (a number followed by a noun, a
line repeated on the page, a line ending in a name the page states elsewhere);
nothing here may key on a literal of one site, one headline or one count, and
nothing here decides who wrote a comment (that is ``_handle_roles``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.layouts._article import is_date_line
from pipeline.layouts.base import ChromeLine, PageText

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_COUNT_LINE = re.compile(
    r"^(?:(?P<n1>\d[\d,.\u00a0 ]*)\s*(?:\w+[\s-]*){1,3}"
    r"|(?:\w+\s*){1,2}[(:\[]\s*(?P<n2>\d[\d,.]*)\s*[)\]]?)$"
)
_COUNT_ABOUT = re.compile(r"^(?P<count>\d[\d,.]*\s+\w+)\s+(?:on|to|about|for)\s+\S.*$")
_COMMENT_NOUN = re.compile(
    r"(?i)\b(comments?|responses?|repl(?:y|ies)|thoughts?|reactions?|opinions?|"
    r"kommentare?|commentaires?|comentarios?|commenti|reacties|komment\w*)\b"
)
_IMAGE_PLACEHOLDER = re.compile(
    r"(?i)^[\[(<]?\s*(?:comment|embedded|attached|inline)?\s*"
    r"(?:image|img|picture|photo|gif)(?:[\])>]|[^\s\w]\S*)?\s*$"
)
_LIST_MARK = re.compile(r"^\s*(?:[•·◦▪‣]|[*\-–]\s|\d{1,3}[.)]\s)")
_URL = re.compile(r"(?i)(https?://|www\.|\b[\w-]+\.(?:com|org|net|ru|uk|de|io)\b/)")
_NUMERIC = re.compile(r"^[+\-\u2212]?[$€£¥₽]?\s*\d[\d,.\s]*[kKmM]?\s*[$€£¥₽%]?$")
_DONATION = re.compile(
    r"(?i)^(?:support|donate\s+to|donate|help|back|fund|subscribe\s+to|follow)\s+"
    r"(?P<site>[A-Z0-9][\w.&'’\- ]{1,40})$"
)
_SENTENCE_END = ".!?…:;"


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines: their 1-based line numbers and stripped texts.

    ``gap_before`` is the number of blank lines before it (0 at page start).
    ``indent`` is the smallest leading white-space width among its lines.
    """

    line_nos: tuple[int, ...]
    texts: tuple[str, ...]
    gap_before: int
    indent: int

    @property
    def first(self) -> str:
        return self.texts[0]

    @property
    def is_single_line(self) -> bool:
        return len(self.texts) == 1

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def word_count(self) -> int:
        return sum(len(t.split()) for t in self.texts)


_SPACE_RUN_WITH_UNICODE = re.compile(r"[^\S\n]*[^\S\n\t ][^\S\n]*")


@lru_cache(maxsize=1 << 16)  # pure; each layout cleans the same page lines again
def clean(line: str) -> str:
    """A line without surrounding white space or invisible characters, and with
    every run of spaces that holds a non-breaking or other Unicode space made
    one plain space (a scraping artefact: "Mr.\u00a0 T" is "Mr. T")."""
    line = _SPACE_RUN_WITH_UNICODE.sub(" ", line)
    return line.strip().strip(INVISIBLE).strip()


def _indent_width(line: str) -> int:
    width = 0
    for char in line:
        if char == "\t":
            width += 4
        elif char.isspace():
            width += 1
        else:
            break
    return width


def split_paragraphs(page: PageText) -> tuple[list[Paragraph], list[ChromeLine]]:
    """Cut a page into paragraphs.

    Lines that are not blank but hold only invisible characters separate
    paragraphs like blank lines do and go to the chrome log. The lists are the
    caller's own (layouts extend the log); the cut itself is made once per page.
    """
    paragraphs, invisible = _split_paragraphs(page)
    return list(paragraphs), list(invisible)


@lru_cache(maxsize=2)  # every layout cuts the page being detected and parsed
def _split_paragraphs(page: PageText) -> tuple[tuple[Paragraph, ...], tuple[ChromeLine, ...]]:
    paragraphs: list[Paragraph] = []
    invisible: list[ChromeLine] = []
    run: list[int] = []
    gap = 0
    gap_before_run = 0

    def close_run() -> None:
        if run:
            texts = tuple(clean(page.line(n)) for n in run)
            indent = min(_indent_width(page.line(n)) for n in run)
            paragraphs.append(Paragraph(tuple(run), texts, gap_before_run, indent))
            run.clear()

    for line_no, line in enumerate(page.lines, start=1):
        if clean(line):
            if not run:
                gap_before_run = gap
            run.append(line_no)
            gap = 0
            continue
        close_run()
        gap += 1
        if line.strip():
            invisible.append(ChromeLine(line_no, line, "invisible-characters"))
    close_run()
    return tuple(paragraphs), tuple(invisible)


def count_in_line(text: str) -> int | None:
    """The comment count a counter line states ("12 Comments", "Comments (12)",
    "12 thoughts on <title>"), else None."""
    if not _COMMENT_NOUN.search(text):
        return None
    about = _COUNT_ABOUT.match(text)
    if about is not None:
        text = about.group("count")
    if len(text) > 40:
        return None
    match = _COUNT_LINE.match(text)
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group("n1") or match.group("n2") or "")
    return int(digits) if digits else None


def is_list_marked(text: str) -> bool:
    """A line opening with a list marker: a bullet ("• x", "•x"), a dash or star
    followed by a space ("- x"), or a number ("1. x", "2) x"). "-=Wolf=-" or
    "*nix fan" is a handle, not a list item."""
    return bool(_LIST_MARK.match(text))


def is_image_placeholder(text: str) -> bool:
    """An image a comment embedded, as the scrape shows it ("comment image", "[image]")."""
    return bool(_IMAGE_PLACEHOLDER.match(text))


def is_numeric(text: str) -> bool:
    """A bare number (vote counts, counters, donation totals)."""
    return bool(_NUMERIC.match(text))


def is_punctuation_only(text: str) -> bool:
    return not any(char.isalnum() for char in text)


def has_url(text: str) -> bool:
    return bool(_URL.search(text))


def words(text: str) -> list[str]:
    """Tokens that contain a letter or digit (bare punctuation is not a word)."""
    return list(_words(text))


@lru_cache(maxsize=1 << 16)  # pure; layouts and cues ask again for the same texts
def _words(text: str) -> tuple[str, ...]:
    return tuple(token for token in text.split() if any(c.isalnum() for c in token))


def ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)»").endswith(tuple(_SENTENCE_END))


def is_short_label(text: str, max_words: int = 4) -> bool:
    """A short UI label or counter: few words and no sentence ending."""
    return len(words(text)) <= max_words and len(text) <= 40 and not ends_sentence(text)


def is_chrome_run(paragraph: Paragraph) -> bool:
    """Several lines in a row with no blank between, each a short label or number:
    the shape of widgets, comment headers and counters, not of prose."""
    if len(paragraph.texts) < 3:
        return False
    labels = sum(
        is_short_label(t) or is_numeric(t) or is_punctuation_only(t) for t in paragraph.texts
    )
    return labels >= len(paragraph.texts) - 1


def chrome(line_nos: Iterable[int], page: PageText, reason: str) -> list[ChromeLine]:
    return [ChromeLine(n, page.line(n), reason) for n in line_nos]


# -- the head of the page: site name, title, caption, article ----------------------------


def find_site(paragraphs: Sequence[Paragraph]) -> str | None:
    """The site's own name where the page itself states it, else None.

    A name counts when it stands alone on a line and a donation appeal names
    it ("Support X today" ... "X"), else when every donation appeal on the
    page names the same capitalised name ("Support X").
    """
    lines = [t for p in paragraphs for t in p.texts if is_short_label(t, 6)]
    appeals = [t for t in lines if _DONATION.match(t)]
    standalone = [t for t in lines if 1 <= len(words(t)) <= 3 and not _DONATION.match(t)]
    for name in standalone:
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", a) for a in appeals):
            return name
    named = {_appeal_name(a) for a in appeals} - {None}
    return named.pop() if len(named) == 1 else None


def _appeal_name(appeal: str) -> str | None:
    """The capitalised name a donation appeal ends with ("Support Harbour News today")."""
    match = _DONATION.match(appeal)
    if match is None:
        return None
    name: list[str] = []
    for token in match.group("site").split():
        if not (token[0].isupper() or token[0].isdigit()):
            break
        name.append(token)
    return " ".join(name) or None


def is_site_line(text: str, site: str | None) -> bool:
    """A line naming the site: the bare name or an appeal ending with it."""
    if site is None:
        return False
    if text == site:
        return True
    return bool(_DONATION.match(text)) and bool(re.search(rf"(?<!\w){re.escape(site)}(?!\w)", text))


@dataclass
class ArticleHead:
    """Title, article paragraphs and what was set aside before the comments."""

    title: str
    title_lines: tuple[int, ...]
    body_paragraphs: list[Paragraph]
    chrome: list[ChromeLine]
    site: str | None


def is_caption(paragraph: Paragraph, following: Paragraph | None) -> bool:
    """A photo caption: a short line right after the title, before longer prose."""
    if not paragraph.is_single_line or following is None:
        return False
    text = paragraph.first
    return (
        len(words(text)) <= 10
        and not ends_sentence(text)
        and following.word_count() > len(words(text))
    )


def _headline_shaped(text: str) -> bool:
    """Three to twenty words and no closing full stop: a headline, not a sentence."""
    return 3 <= len(words(text)) <= 20 and not text.endswith(".")


def _title_index(paragraphs: Sequence[Paragraph], skip: set[int]) -> int | None:
    """The title: a line the page repeats (the page title and the headline), else the
    first single-line paragraph that is not chrome."""
    candidates = [i for i, p in enumerate(paragraphs) if i not in skip and p.is_single_line]
    seen = Counter(paragraphs[i].first for i in candidates if _headline_shaped(paragraphs[i].first))
    for i in candidates:
        if seen[paragraphs[i].first] >= 2:
            return i
    for i in candidates:
        if words(paragraphs[i].first):
            return i
    remaining = [i for i in range(len(paragraphs)) if i not in skip]
    return remaining[0] if remaining else None


def read_head(page: PageText, paragraphs: Sequence[Paragraph]) -> ArticleHead:
    """Title, caption, site lines, widgets and article paragraphs of the part of the
    page before the comments."""
    site = find_site(paragraphs)
    log: list[ChromeLine] = []
    skip: set[int] = set()
    for i, p in enumerate(paragraphs):
        if all(is_site_line(t, site) for t in p.texts):
            skip.add(i)
            log += chrome(p.line_nos, page, "site-name")
        elif all(is_date_line(t) for t in p.texts):  # a dateline is never the title
            skip.add(i)
            log += chrome(p.line_nos, page, "date-line")
        elif is_chrome_run(p) or all(is_numeric(t) for t in p.texts):
            skip.add(i)
            reason = "donation-widget" if any(is_numeric(t) for t in p.texts) else "site-chrome"
            log += chrome(p.line_nos, page, reason)
    title_at = _title_index(paragraphs, skip)
    if title_at is None:
        return ArticleHead("", (), [], log, site)
    title = paragraphs[title_at]
    log += chrome(title.line_nos[1:], page, "title-continuation")
    for i in range(title_at):
        if i not in skip:
            skip.add(i)
            log += chrome(paragraphs[i].line_nos, page, "site-chrome")
    skip.add(title_at)
    for i, p in enumerate(paragraphs):
        if i not in skip and p.texts == (title.first,):
            skip.add(i)
            log += chrome(p.line_nos, page, "repeated-title")
    rest = [i for i in range(title_at + 1, len(paragraphs)) if i not in skip]
    if rest and is_caption(paragraphs[rest[0]], paragraphs[rest[1]] if len(rest) > 1 else None):
        skip.add(rest[0])
        log += chrome(paragraphs[rest[0]].line_nos, page, "photo-caption")
    body = [p for i, p in enumerate(paragraphs) if i > title_at and i not in skip]
    return ArticleHead(title.first, (title.line_nos[0],), body, log, site)


def joined(paragraphs: Iterable[Sequence[str]]) -> str:
    """Paragraphs joined by a blank line, their lines by a line break."""
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines).strip()
