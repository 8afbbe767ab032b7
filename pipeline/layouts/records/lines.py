"""Lines as the record parser sees them: indentation, list marker, dates, and a mask.

A line's *mask* is its shape with everything a commenter or an author chose
masked out: dates become ``D`` (``R`` relative, ``T`` a time alone), the
comment system's own words (header verbs, "by" words, actions, connectors,
section words from ``cues.yaml``) stay as they are, and every run of other
words and numbers becomes ``X``. Two comment headers of one page have the same
mask ("X says :", "X on D said :", "par X , le D") whatever the handle and the
date; that repetition is what the parser looks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import NamedTuple

from pipeline.layouts.records.dates import KIND_DATE, KIND_RELATIVE, KIND_TIME, DateSpan, find_dates
from pipeline.layouts.records.lexicon import alternation, lexicon

# list markers as w3m draws them: bullets of each nesting level, "12." numbers, "#"
_BULLETS = "•□☆○◦■★◎●▪▫‣⁃∙*+-–"
_MARKER = re.compile(rf"^(?P<indent>[ \t\u00a0]*)(?:(?P<bullet>[{re.escape(_BULLETS)}])(?=\s|$)"
                     r"|(?P<number>\d{1,5})\.(?=\s|$)|(?P<hash>#)(?=\s))?\s*")
_TOKEN = re.compile(r"@?\w(?:\w|[-'’.](?=\w))*|\S")
_SENTENCE_END = re.compile(r"[.!?…:;)\"”»]$")
LONG_LINE = 200  # characters: longer lines are prose, never a header
MAX_HEADER_WORDS = 14

# token classes
VERB, BY, ACTION, CONNECTOR, SECTION, PINGBACK = "verb", "by", "action", "conn", "section", "ping"
BADGE = "badge"
DATE, RELATIVE, TIME = "D", "R", "T"
NAME = "X"
PUNCT_KEPT = frozenset(":|()@#[]/+-–—·»«>")


class Token(NamedTuple):  # a tuple: a page makes one per word, and tuples are cheap to make
    kind: str  # one of the classes above, "X" for a run of other words, "p" punctuation
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Line:
    """One non-blank line of a page."""

    no: int  # 1-based line number on the page
    raw: str
    indent: int  # leading blanks before the marker
    marker: str  # "" | "bullet" | "number" | "hash"
    content: str  # the text after the marker, stripped
    col: int  # column where the content starts
    tokens: tuple[Token, ...]
    dates: tuple[DateSpan, ...]  # positions in ``content``
    mask: str
    words: int  # words of the content outside dates

    @property
    def long(self) -> bool:
        return self.mask == "¶"

    def names(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == NAME]

    def kinds(self) -> set[str]:
        return {t.kind for t in self.tokens}

    @property
    def has_date(self) -> bool:
        return any(d.kind in (KIND_DATE, KIND_RELATIVE) for d in self.dates)

    @property
    def ends_sentence(self) -> bool:
        return bool(_SENTENCE_END.search(self.content))


@cache
def _phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    lex = lexicon()
    kinds: dict[str, str] = {}
    # later assignments win: an action word that is also a section word ("reply") is an action
    for kind, words in ((SECTION, lex.section_words), (CONNECTOR, lex.connectors),
                        (BY, lex.by_words), (VERB, lex.header_verbs),
                        (ACTION, lex.action_words), (BADGE, lex.badge_words),
                        (PINGBACK, lex.pingback_words)):
        for w in words:
            kinds[w] = kind
    pattern = re.compile(rf"(?<![\w@])(?:{alternation(set(kinds))})(?!\w)", re.IGNORECASE)
    return pattern, kinds


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def split_marker(raw: str) -> tuple[int, str, int]:
    """(indent, marker kind, content column) of a raw line."""
    match = _MARKER.match(raw)
    indent = len(match.group("indent")) if match else 0
    if not match or not (match.group("bullet") or match.group("number") or match.group("hash")):
        return indent, "", indent
    kind = "bullet" if match.group("bullet") else "number" if match.group("number") else "hash"
    return indent, kind, match.end()


def analyse(no: int, raw: str) -> Line:
    """The :class:`Line` of one non-blank raw line."""
    line = _analysed(raw)
    return line if line.no == no else replace(line, no=no)


LINE_CACHE_SIZE = 8_192  # a site's menus, footers and forms recur on every page of it


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _analysed(raw: str) -> Line:
    """The :class:`Line` of ``raw``, numbered 0 (analysis does not depend on the number)."""
    no = 0
    stripped = raw.strip()
    indent, marker, col = split_marker(raw)
    if marker == "number" and (found := find_dates(stripped)) and found[0].start == 0:
        marker, col = "", indent  # "8. Dezember 2010" is a date, not item 8
    content = raw[col:].strip() if marker else stripped
    if len(content) > LONG_LINE:
        return Line(no, raw, indent, marker, content, col, (), (), "¶", len(content.split()))
    dates = tuple(find_dates(content))
    tokens = _tokens(content, dates)
    mask = " ".join(t.text if t.kind not in (NAME, DATE, RELATIVE, TIME) else t.kind
                    for t in tokens if t.kind != "p" or t.text in PUNCT_KEPT)
    words = sum(1 for t in tokens if t.kind not in ("p", DATE, RELATIVE, TIME))
    name_words = sum(len(t.text.split()) for t in tokens if t.kind == NAME)
    if name_words > MAX_HEADER_WORDS:
        mask = "¶"
    return Line(no, raw, indent, marker, content, col, tuple(tokens), dates, mask or "∅", words)


def _tokens(content: str, dates: tuple[DateSpan, ...]) -> list[Token]:
    pattern, kinds = _phrases()
    out: list[Token] = []
    pos = 0
    spans = list(dates)
    for span in [*spans, None]:
        end = span.start if span is not None else len(content)
        out.extend(_word_tokens(content, pos, end, pattern, kinds))
        if span is not None:
            kind = {KIND_DATE: DATE, KIND_RELATIVE: RELATIVE, KIND_TIME: TIME}[span.kind]
            out.append(Token(kind, kind, span.start, span.end))
            pos = span.end
    kinds = {t.kind for t in out}
    if NAME not in kinds and kinds & {VERB, DATE, RELATIVE}:
        # in a header a form word is a name: "Name says:" is a commenter called Name
        out = [Token(NAME, content[t.start:t.end], t.start, t.end) if t.kind == SECTION else t
               for t in out]
    return _collapse(out, content)


def _word_tokens(content: str, start: int, end: int, pattern: re.Pattern[str],
                 kinds: dict[str, str]) -> list[Token]:
    out: list[Token] = []
    pos = start
    segment = content[:end]
    for match in pattern.finditer(segment, start):
        out.extend(_plain(content, pos, match.start()))
        folded = _fold(match.group())
        out.append(Token(kinds.get(folded, SECTION), folded, match.start(), match.end()))
        pos = match.end()
    out.extend(_plain(content, pos, end))
    return out


def _plain(content: str, start: int, end: int) -> list[Token]:
    out = []
    for match in _TOKEN.finditer(content, start, end):
        text = match.group()
        if text[0].isalnum() or (text[0] in "@_" and len(text) > 1):
            out.append(Token(NAME, text, match.start(), match.end()))
        else:
            out.append(Token("p", text, match.start(), match.end()))
    return out


_NAME_GLUE = frozenset(".-_'’()[]&/,")


def _collapse(tokens: list[Token], content: str) -> list[Token]:
    """Runs of other words (with the punctuation inside names) become one ``X`` token."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind != NAME:
            out.append(tok)
            i += 1
            continue
        j = i + 1
        last = i
        while j < len(tokens):
            nxt = tokens[j]
            if nxt.kind == NAME:
                last = j
                j += 1
            elif nxt.kind == "p" and nxt.text in _NAME_GLUE and nxt.text != ",":
                j += 1
            else:
                break
        # a closing bracket right after the run belongs to it ("Catherine (GiveWell)"), and so
        # does a dot right after it ("Jeff K.", "pierre.s.")
        end_tok = tokens[last]
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        if after is not None and after.text == "." and after.start == end_tok.end:
            end_tok = tokens[last + 1]
            last += 1
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        if after is not None and after.text == ")" and "(" in content[tok.start:end_tok.end]:
            end_tok = tokens[last + 1]
            last += 1
        out.append(Token(NAME, content[tok.start:end_tok.end], tok.start, end_tok.end))
        i = last + 1
    return out


def section_phrase(line: Line) -> bool:
    """The whole line is comment-section furniture ("Comments", "68 Comments", "Leave a Reply")."""
    kinds = [t.kind for t in line.tokens if t.kind != "p"]
    if not kinds or line.long:
        return False
    if SECTION not in kinds:
        return False
    rest = [t for t in line.tokens if t.kind not in ("p", SECTION, CONNECTOR, ACTION)]
    if not rest:
        return True
    # "59 Responses to “Title”", "45 Gedanken zu „Title“", "Comments (85)"
    first = next(t for t in line.tokens if t.kind != "p")
    return first.kind == NAME and first.text.isdigit() and kinds[1:2] == [SECTION]


def is_section_end(line: Line) -> bool:
    """A reply form or the comment system's footer ("Leave a Reply", "Kommentar verfassen")."""
    return _fold(line.content).rstrip(" :.") in lexicon().section_end


def action_only(line: Line) -> bool:
    """Only the system's actions, numbers, arrows and punctuation ("Reply", "+2", "6709")."""
    if line.long or not line.tokens or line.content[-1:] in "!?":
        return False  # "Like!" is a commenter's word; a system writes "Like"
    if number_only(line):
        return True
    has_action = False
    for t in line.tokens:
        if t.kind in (ACTION, "p"):
            has_action = has_action or t.kind == ACTION
            continue
        if t.kind == NAME and re.fullmatch(r"[+\-−]?\d[\d.,]*[kKmM]?", t.text):
            continue
        if t.kind == CONNECTOR and has_action:
            continue
        return False
    return has_action


def number_only(line: Line) -> bool:
    return bool(re.fullmatch(r"[+\-−]?\d[\d.,]*[kKmM]?", line.content))
