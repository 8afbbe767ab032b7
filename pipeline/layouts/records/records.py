"""Finding a page's comment records from their repeated structure.

A comment is a record: a *header* (the handle, and perhaps a number or
bullet, a date, a verb such as "says:"), a *body* (the commenter's text) and
perhaps a *trailer* (actions such as "Reply", votes, a date shown after the
text). Records repeat, so their header repeats with the same mask
(:mod:`pipeline.layouts.records.lines`): "X says :", "X on D said :",
"par X , le D", or a date line "D" next to a name line.

The template is induced per page, with no rule for any site:

1. every mask that occurs at least twice and carries a header cue (a date or
   relative time, a header verb, a "by" word) is a candidate *anchor*;
2. around the anchor's occurrences, the lines at each offset are classed
   (name, marker, action, date, depth, header, text); an offset whose class
   agrees across most occurrences is part of the record's fixed *block*
   (e.g. "Reply" just before each header, a date line just after it);
3. the block is cut at the handle: what comes before the handle line is the
   previous record's trailer, the rest is this record's header;
4. records run from one header to the next block; the last one ends at its
   trailer, a reply form, a drop in indentation or the end of the records'
   usual length;
5. each candidate is scored by how many records it explains with a body
   and a handle, how strong its cue is and how regular it is; the best wins.

Threading comes from the content column of the header (nested lists are
drawn further right) or from a "level N" line, where the page shows it.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from pipeline.layouts.records.dates import KIND_DATE, KIND_RELATIVE, KIND_TIME, DateSpan, with_time
from pipeline.layouts.records.lexicon import lexicon
from pipeline.layouts.records.lines import (
    ACTION,
    BADGE,
    BY,
    CONNECTOR,
    DATE,
    NAME,
    PINGBACK,
    RELATIVE,
    SECTION,
    TIME,
    VERB,
    Line,
    action_only,
    is_section_end,
    number_only,
    section_phrase,
)

# line classes
C_NAME = "name"  # a short line that is only a name ("Julia", "• craftylandry")
C_MARKER = "marker"  # a list marker alone ("•", "1.", "1. 1")
C_ACTION = "action"  # the system's actions or a vote count ("Reply", "+2", "6709")
C_DATE = "date"  # only a date or time, with connectors and actions ("D | reply", "( D )")
C_DEPTH = "depth"  # "level 2"
C_HEADER = "header"  # a name with a date, a verb or a by-word ("X says :", "par X , le D")
C_SECTION = "section"  # comment-section furniture ("68 Comments", "Leave a Reply")
C_PING = "pingback"
C_TEXT = "text"

_PUNCT_ONLY = re.compile(r"[!-/:-@\[-`{-~\s]+")
STRUCTURAL = frozenset({C_NAME, C_MARKER, C_ACTION, C_DATE, C_DEPTH, C_HEADER})
AGREEMENT = 0.6  # share of occurrences whose line at an offset has the block's class
MAX_OFFSET = 4
MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 50


def line_class(line: Line) -> str:
    kinds = [t.kind for t in line.tokens if t.kind != "p"]
    if line.long:
        return C_TEXT
    if PINGBACK in kinds[:1]:
        return C_PING
    if not line.content or (line.marker and number_only(line) and len(line.content) <= 4):
        return C_MARKER
    if _PUNCT_ONLY.fullmatch(line.content):
        return C_MARKER  # ":" or "|" alone: a separator the system draws
    if any(p.match(line.content) for p in lexicon().depth_lines):
        return C_DEPTH
    if section_phrase(line) or is_section_end(line):
        return C_SECTION
    if action_only(line):
        return C_ACTION
    names = line.names()
    has_date = any(k in (DATE, RELATIVE, TIME) for k in kinds)
    if has_date and not names:
        return C_DATE
    if names and (has_date or _verb_cue(line) or _by_then_name(line)) and _header_shaped(line):
        return C_HEADER
    if len(names) == 1 and not kinds.count(VERB) and _name_like(line):
        return C_NAME
    return C_TEXT


def _verb_cue(line: Line) -> bool:
    """A header verb as headers use it: closing the line ("X says:", "X dijo :") or followed
    by the date ("X wrote on D:"); "who writes this stuff" or "Well said" is a sentence."""
    toks = [t for t in line.tokens if t.kind != "p"]
    for i, t in enumerate(toks):
        if t.kind != VERB:
            continue
        rest = line.content[t.end:].strip()
        if rest.startswith(":") or rest == "" and line.content.rstrip().endswith(":"):
            return True
        following = toks[i + 1:i + 3]
        if following and following[0].kind in (DATE, RELATIVE) or (
                len(following) == 2 and following[0].kind == CONNECTOR
                and following[1].kind in (DATE, RELATIVE)):
            return True
    return False


MAX_LEAD_WORDS = 6  # words of a header before its first cue (the handle)


def _header_shaped(line: Line) -> bool:
    """Short before its cue, and not a sentence: "This is exactly what I said 3 days ago."
    has a relative date and a verb, and is a comment's text."""
    text = line.content.rstrip()
    if text.endswith((".", "!", "?")) and not text.endswith(("..", " am.", " pm.")):
        return False
    lead = 0
    cue_end = None
    for t in line.tokens:
        if t.kind in (DATE, RELATIVE, TIME, VERB, BY):
            cue_end = t.end
            break
        if t.kind == NAME:
            lead += len(t.text.split())
    if cue_end is not None:
        goes_on = _SENTENCE_GOES_ON.search(text, cue_end)
        if goes_on and any(t.kind == NAME and t.start >= goes_on.end() for t in line.tokens):
            return False  # "... said 68 days ago. You couldn't make this up": a sentence goes on
    return lead <= MAX_LEAD_WORDS


# after a header's cue, a sentence end followed by more words: the line is a comment's text
_SENTENCE_GOES_ON = re.compile(r"(?<=[^\W\d_]{2})[.!?](?=\s+\S)")


def _by_then_name(line: Line) -> bool:
    """The line opens with a "by" word and a name ("Kommentar von Mareike", "Par X, le D")."""
    toks = [t for t in line.tokens if t.kind != "p"]
    return len(toks) >= 2 and toks[0].kind == BY and toks[1].kind == NAME


def _name_like(line: Line) -> bool:
    text = line.content
    if len(text) > MAX_NAME_CHARS or len(text.split()) > MAX_NAME_WORDS:
        return False
    if text[-1:] in "!?:;,":
        return False
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[^\W\d_]{1,2}\.$", text):
        return False  # "Jeff K." ends with an initial; "Great article." is a sentence
    return any(ch.isalnum() for ch in text)


@dataclass
class Record:
    """One comment found on a page; indices point into the page's non-blank lines."""

    header: list[int] = field(default_factory=list)  # system lines of the header (chrome)
    handle_at: int | None = None  # the line holding the handle
    handle: str | None = None
    body: list[int] = field(default_factory=list)
    chrome: list[tuple[int, str]] = field(default_factory=list)  # trailer, actions, markers
    date: DateSpan | None = None
    date_at: int | None = None
    date_text: str | None = None
    depth_hint: int | None = None
    col: int = 0
    dropped: bool = False  # no text: not published, but its replies know their parent is gone
    unread_depths: list[int] = field(default_factory=list)  # "level N" records not recognised


@dataclass
class Template:
    anchor: str
    block: tuple[int, int]  # lowest and highest offset of the fixed block
    handle_offset: int | None
    records: list[Record]
    score: float
    classes: dict[int, str]
    section_start: int  # first line index of the comment section (first block)
    section_end: int  # one past the last line index of the last record
    reasons: list[str] = field(default_factory=list)


def _occurrence_clusters(positions: list[int]) -> list[int]:
    """The densest run of occurrences: a gap far above the usual one splits them."""
    if len(positions) < 3:
        return positions
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    typical = statistics.median(gaps)
    limit = max(40, 6 * typical)
    runs: list[list[int]] = [[positions[0]]]
    for gap, pos in zip(gaps, positions[1:], strict=True):
        if gap > limit:
            runs.append([pos])
        else:
            runs[-1].append(pos)
    return max(runs, key=len)


def _consensus(lines: Sequence[Line], classes: Sequence[str], positions: list[int],
               offset: int) -> tuple[str | None, float]:
    """The class most occurrences show at ``offset`` from the anchor, and its share.

    The first occurrence has no record before it and the last none after it: where their
    line at the offset is outside the comment section (a heading, a reply form, the page's
    end) it does not count, for or against.
    """
    votes: Counter[str] = Counter()
    defined = 0
    edges = 0
    for j, k in enumerate(positions):
        at = k + offset
        edge = (offset > 0 and j + 1 == len(positions)) or (offset < 0 and j == 0)
        if not 0 <= at < len(lines) or (edge and classes[at] == C_SECTION):
            edges += edge
            continue
        # the offset must stay between this occurrence and its neighbours
        if offset > 0 and j + 1 < len(positions) and at >= positions[j + 1]:
            continue
        if offset < 0 and j > 0 and at <= positions[j - 1]:
            continue
        defined += 1
        votes[classes[at]] += 1
    counted = len(positions) - edges
    if not votes or counted <= 0 or defined < max(1, counted // 2) or (
            len(positions) > 2 and defined < 2):
        return None, 0.0
    cls, n = votes.most_common(1)[0]
    return cls, n / counted


def _block(lines: Sequence[Line], classes: Sequence[str], positions: list[int],
           anchor_class: str) -> tuple[int, int, dict[int, str]]:
    found: dict[int, str] = {0: anchor_class}
    lo = hi = 0
    names = int(anchor_class in (C_HEADER, C_NAME))
    for direction in (-1, 1):
        offset = direction
        while abs(offset) <= MAX_OFFSET:
            cls, support = _consensus(lines, classes, positions, offset)
            if cls not in STRUCTURAL or support < AGREEMENT:
                break
            if cls in (C_NAME, C_HEADER):
                if names:
                    break  # one handle per record
                names += 1
            found[offset] = cls
            if direction < 0:
                lo = offset
            else:
                hi = offset
            offset += direction
    return lo, hi, found


def find_template(lines: Sequence[Line], classes: Sequence[str]) -> Template | None:
    """The best record template of the page, or None when no mask repeats as a header."""
    by_mask: dict[str, list[int]] = {}
    for i, (line, cls) in enumerate(zip(lines, classes, strict=True)):
        if cls in (C_HEADER, C_DATE):
            by_mask.setdefault(_anchor_key(line), []).append(i)
    best: Template | None = None
    for mask, positions in sorted(by_mask.items()):
        if len(positions) < 2:
            continue
        template = _records_for(lines, classes, mask, _occurrence_clusters(positions))
        if template is None or template.score <= 0:
            continue
        if best is None or template.score > best.score:
            best = template
    return best


def _anchor_key(line: Line) -> str:
    """The mask without the system's actions and separators: "X R | parent | next [–]" and
    "X R | prev | next [–]" are one header shape ("X R")."""
    parts: list[str] = []
    for t in line.tokens:
        if t.kind in (ACTION, SECTION, BADGE, "p"):
            if t.kind == "p" and t.text in "(:@#" and parts[-1:] != [t.text]:
                parts.append(t.text)
            continue
        parts.append(t.kind if t.kind in (NAME, DATE, RELATIVE, TIME) else t.text)
    parts = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]  # "R edited R"
    # words after the last cue are the system's navigation ("| root | parent") or a subject:
    # "X R | root | parent" and "X R | parent" are one header shape
    cues = [i for i, p in enumerate(parts) if p in (DATE, RELATIVE, TIME) or p in _CUE_WORDS()]
    if cues and cues[-1] < len(parts) - 1:
        parts = parts[:cues[-1] + 1]
    while parts and parts[-1] in "(:@#":
        parts.pop()
    return " ".join(parts) or line.mask


@cache
def _CUE_WORDS() -> frozenset[str]:  # noqa: N802
    lex = lexicon()
    return lex.header_verbs | lex.by_words


def _records_for(lines: Sequence[Line], classes: Sequence[str], mask: str,
                 positions: list[int]) -> Template | None:
    if len(positions) < 2:
        return None
    anchor_class = Counter(classes[k] for k in positions).most_common(1)[0][0]
    lo, hi, block = _block(lines, classes, positions, anchor_class)
    handle_offset = next(
        (o for o in sorted(block, key=abs) if block[o] in (C_HEADER, C_NAME)), None)
    if handle_offset is not None and block[handle_offset] == C_HEADER and not any(
            lines[k + handle_offset].names() for k in positions):
        handle_offset = None
    cut = handle_offset if handle_offset is not None else _headless_cut(block)
    # list markers and "level N" lines right before the handle open the record
    while cut - 1 in block and block[cut - 1] in (C_MARKER, C_DEPTH):
        cut -= 1
    positions = _conforming(lines, classes, positions, block, cut, handle_offset)
    if len(positions) < 2:
        return None
    # (start, handle line) of every record
    heads: list[tuple[int, int | None]] = []
    if handle_offset is not None and handle_offset > 0:
        # the handle comes after the anchor (a date shown after the text): the anchor closes
        # the previous record, and the first record's handle is before the first anchor
        first = _first_handle_before(lines, classes, positions[0], block[handle_offset])
        if first is not None:
            heads.append((first, first))
        for k in positions:
            at = k + handle_offset
            if at < len(lines) and _fits(classes[at], block[handle_offset]):
                heads.append((k + cut, at))
    else:
        for k in positions:
            heads.append((k + cut, k + handle_offset if handle_offset is not None else None))
    trailer_classes = [block[o] for o in range(lo, cut)]
    records: list[Record] = []
    for j, (start, handle_at) in enumerate(heads):
        anchor = start - cut
        header_end = max(anchor + hi, handle_at if handle_at is not None else start)
        # the next record's block lines before its start are this record's trailer
        next_start = heads[j + 1][0] - (cut - lo) if j + 1 < len(heads) else None
        if next_start is not None and handle_offset is not None and handle_offset > 0:
            next_start = heads[j + 1][0]
        records.append(_record(lines, classes, start, handle_at, header_end, next_start,
                               trailer_classes))
    records = _after_section_heading(lines, classes, records)
    records = _with_text(_with_unread(records))
    if sum(1 for r in records if not r.dropped) < 2:
        return None
    section_start = min([records[0].handle_at or 0, *records[0].header]) if records[0].header or (
        records[0].handle_at is not None) else records[0].body[0]
    section_end = _last_index(records) + 1
    score = _score(lines, records, positions, block)
    return Template(mask, (lo, hi), handle_offset, records, score, block, section_start,
                    section_end)


def _after_section_heading(lines: Sequence[Line], classes: Sequence[str],
                           records: list[Record]) -> list[Record]:
    """Records before the comment section's heading are not comments: on a forum thread the
    opening post has the same header as the answers, and the article is that post."""
    if len(records) < 3:
        return records
    second = _first_index(records[1])
    first = _first_index(records[0])
    heading = any(classes[at] == C_SECTION and not is_section_end(lines[at])
                  for at in range(first + 1, second))
    later = any(classes[at] == C_SECTION for r in records[1:] for at in r.body)
    return records[1:] if heading and not later else records


def _with_unread(records: list[Record]) -> list[Record]:
    """A record the page shows with a depth line but no recognised header (a deleted
    comment) stays in the sequence as a dropped record, so that its replies get no parent
    rather than the wrong one."""
    out: list[Record] = []
    for record in records:
        out.append(record)
        out.extend(Record(depth_hint=d, dropped=True) for d in record.unread_depths)
    return out


def _first_index(record: Record) -> int:
    return min([*record.header, *([record.handle_at] if record.handle_at is not None else []),
                *record.body])


def _with_text(records: list[Record]) -> list[Record]:
    """A record with no text (a deleted comment: "[deleted]" and a date) is not a comment;
    its lines stay in the chrome log of the page, and it is kept, marked dropped, only so
    that its replies are not given a wrong parent."""
    for record in records:
        record.dropped = record.dropped or not record.body
    while records and records[0].dropped:
        records = records[1:]
    return records


def _conforming(lines: Sequence[Line], classes: Sequence[str], positions: list[int],
                block: dict[int, str], cut: int, handle_offset: int | None) -> list[int]:
    """The occurrences that show the record's block: a header quoted inside a comment shows
    the name and date but not the list marker or the other lines around a real header.

    The header part of the block (from the record's start on) must be there on every
    occurrence; the trailer part (before the start: the previous record's "Reply") varies
    (the first record has none) and is not checked.
    """
    marked = None
    if handle_offset is not None:
        flags = [bool(lines[k + handle_offset].marker) for k in positions
                 if 0 <= k + handle_offset < len(lines)]
        share = sum(flags) / len(flags) if flags else 0.0
        marked = True if share >= 0.8 else False if share <= 0.2 else None
    header = [o for o in block if o != 0 and o >= cut]
    kept = []
    for j, k in enumerate(positions):
        at = k + handle_offset if handle_offset is not None else -1
        if marked is not None and 0 <= at < len(lines) and bool(lines[at].marker) != marked:
            continue
        # (a line after the anchor is checked only up to the next occurrence: after the last
        # one the section may end)
        if not all(0 <= k + o < len(lines) and _fits(classes[k + o], block[o]) for o in header
                   if o < 0 or (j + 1 < len(positions) and k + o < positions[j + 1])):
            continue
        kept.append(k)
    return kept


def _fits(cls: str, expected: str) -> bool:
    """A list marker alone where a name line is expected is a comment posted without a name."""
    return cls == expected or (expected == C_NAME and cls == C_MARKER)


def _headless_cut(block: dict[int, str]) -> int:
    """Where a record starts when no line holds a handle: its first marker or depth line,
    else the anchor."""
    for offset in sorted(block):
        if block[offset] in (C_MARKER, C_DEPTH) and offset <= 0:
            return offset
    return 0


def _first_handle_before(lines: Sequence[Line], classes: Sequence[str], anchor: int,
                         cls: str) -> int | None:
    for at in range(anchor - 1, max(-1, anchor - 15), -1):
        if classes[at] == cls:
            return at
        if classes[at] in (C_SECTION, C_ACTION, C_DATE, C_HEADER):
            return None
    return None


def _record(lines: Sequence[Line], classes: Sequence[str], start: int, handle_at: int | None,
            header_end: int, next_start: int | None, trailer_classes: list[str]) -> Record:
    record = Record()
    header_end = min(header_end, len(lines) - 1)
    if next_start is not None:
        header_end = min(header_end, next_start - 1)
    record.header = [at for at in range(start, header_end + 1) if at != handle_at]
    if handle_at is not None:
        record.handle_at = handle_at
        record.handle = _handle_text(lines[handle_at])
    record.col = lines[handle_at if handle_at is not None else start].col
    for at in range(start, header_end + 1):
        _take_date(record, lines[at], at)
        _take_time(record, lines[at], at)
        depth = _depth(lines[at])
        if depth is not None:
            record.depth_hint = depth
    end = next_start if next_start is not None else _last_body_end(
        lines, classes, header_end, trailer_classes,
        lines[handle_at if handle_at is not None else start].indent)
    body = list(range(header_end + 1, end))
    # the system's lines inside and after the text: actions, votes, markers, a trailing date
    while body and classes[body[-1]] in (C_ACTION, C_MARKER, C_DATE, C_DEPTH):
        at = body.pop()
        if classes[at] == C_DATE and record.date is None:
            _take_date(record, lines[at], at)
        if classes[at] == C_DEPTH and (depth := _depth(lines[at])) is not None:
            record.unread_depths.insert(0, depth)  # a record whose header was not recognised
        record.chrome.append((at, _chrome_reason(classes[at])))
    kept = []
    for n, at in enumerate(body):
        if classes[at] == C_DEPTH:
            # a "level N" line opens a record whose header was not recognised (a deleted
            # comment): what follows is not this commenter's text
            record.chrome.extend((b, "comment without a recognised header") for b in body[n:])
            depths = [_depth(lines[b]) for b in body[n:] if classes[b] == C_DEPTH]
            record.unread_depths.extend(d for d in depths if d is not None)
            break
        if classes[at] in (C_ACTION, C_MARKER) or (classes[at] == C_PING):
            record.chrome.append((at, _chrome_reason(classes[at])))
        else:
            kept.append(at)
    record.body = kept
    return record


def _chrome_reason(cls: str) -> str:
    return {
        C_ACTION: "comment action or vote count",
        C_MARKER: "list marker",
        C_DATE: "comment date",
        C_DEPTH: "comment depth",
        C_PING: "pingback",
    }.get(cls, "comment header")


def _last_body_end(lines: Sequence[Line], classes: Sequence[str], header_end: int,
                   trailer_classes: list[str], indent: int) -> int:
    """One past the last body line of the last record."""
    limit = min(len(lines), header_end + 1 + 60)
    at = header_end + 1
    while at < limit:
        cls = classes[at]
        line = lines[at]
        if cls == C_SECTION or is_section_end(line):
            return at
        if line.indent < indent:
            return at  # back out of the list the comment is an item of
        if trailer_classes and cls == trailer_classes[0]:
            # the trailer (e.g. "Reply") closes the record
            n = len(trailer_classes)
            return min(at + n, len(lines))
        if cls == C_DATE and at + 1 < len(lines) and classes[at + 1] == C_ACTION:
            return at + 2  # a date shown after the text, then "Reply": the trailer
        if cls in (C_DATE, C_HEADER) and at > header_end + 1:
            # a date or a header after the text, where this template shows none: the page
            # has moved on (a list of teasers, a sidebar); the short lines just before it
            # are that list's, not the commenter's
            while at - 1 > header_end + 1 and _short_label(lines[at - 1]):
                at -= 1
            return at
        at += 1
    return at


def _short_label(line: Line) -> bool:
    """A short line that is not a sentence: a menu item, a teaser's kicker ("Actu")."""
    return len(line.content.split()) <= 3 and line.content[-1:] not in ".!?:;,)"


def _handle_text(line: Line) -> str | None:
    if line_class(line) == C_NAME:
        return line.content.strip() or None
    toks = [t for t in line.tokens if t.kind != "p"]
    names = [t for t in toks if t.kind == NAME]
    if not names:
        return None
    # the name after a "by" word wins ("par Horus en réponse à : ..." -> Horus)
    for a, b in zip(toks, toks[1:], strict=False):
        if a.kind == BY and b.kind == NAME:
            return b.text.strip()
    return names[0].text.strip()


def _take_date(record: Record, line: Line, at: int) -> None:
    if record.date is not None:
        return
    for span in line.dates:
        if span.kind in (KIND_DATE, KIND_RELATIVE):
            record.date = span
            record.date_at = at
            record.date_text = line.content[span.start:span.end]
            return
    for span in line.dates:
        if span.kind == KIND_TIME:
            record.date = span
            record.date_at = at
            record.date_text = line.content[span.start:span.end]
            return


def _take_time(record: Record, line: Line, at: int) -> None:
    """The time on the line after a date without one: "24 janvier 2017" / "12h10"."""
    date = record.date
    if date is None or date.kind != KIND_DATE or date.has_time or record.date_at != at - 1:
        return
    times = [d for d in line.dates if d.kind == KIND_TIME]
    if times and not line.names():
        record.date = with_time(date, times[0])
        record.date_text = f"{record.date_text} {line.content[times[0].start:times[0].end]}"


def _depth(line: Line) -> int | None:
    for pattern in lexicon().depth_lines:
        match = pattern.match(line.content)
        if match:
            return max(0, int(match.group(1)) - 1)
    return None


def _last_index(records: list[Record]) -> int:
    last = next(r for r in reversed(records) if not r.dropped)
    return max([*last.body, *last.header, *(a for a, _ in last.chrome),
                *([last.handle_at] if last.handle_at is not None else [])])


def _context(lines: Sequence[Line], records: list[Record], block: dict[int, str]) -> bool:
    """Something besides the repetition says these are comments: a comment-section heading
    or counter just before them, a header verb or "by" word, or the system's actions."""
    first = _first_index(records[0])
    for at in range(max(0, first - 12), first):
        if section_phrase(lines[at]):
            return True
    for r in records:
        if r.handle_at is not None and lines[r.handle_at].kinds() & {VERB, BY}:
            return True
        if any(reason.startswith("comment action") for _, reason in r.chrome):
            return True
    return C_ACTION in block.values()


def plausible_handle(handle: str | None) -> bool:
    """A handle is short: a headline or a sentence in the handle's place is not one."""
    if not handle:
        return False
    words = handle.split()
    return (len(words) <= MAX_NAME_WORDS + 1 and len(handle) <= MAX_NAME_CHARS
            and any(ch.isalpha() for ch in handle) and not words[0].isdigit())


def _score(lines: Sequence[Line], records: list[Record], positions: list[int],
           block: dict[int, str]) -> float:
    n = len(records)
    with_body = sum(1 for r in records if r.body)
    with_handle = sum(1 for r in records if plausible_handle(r.handle))
    if with_body < max(2, 0.6 * n) or with_handle < 0.5 * n:
        return 0.0
    distinct = len({r.handle.casefold() for r in records if r.handle})
    if n <= 3 and not _context(lines, records, block):
        return 0.0  # two or three look-alike lines with nothing around them that says comments
    if n <= 3 and distinct < 2:
        return 0.0  # two or three lines opening alike ("This is exactly what I said ..."):
        # one phrase that comments repeat, not a comment section of one commenter
    if n >= 4 and distinct < 2:
        return 0.0  # one "handle" on every record: a list of links, not a discussion
    kinds: set[str] = set()
    for offset in block:
        at = positions[0] + offset
        if 0 <= at < len(lines):
            kinds |= lines[at].kinds()
    cue = 0.0
    if DATE in kinds or RELATIVE in kinds:
        cue += 1.0
    if VERB in kinds:
        cue += 1.0
    if BY in kinds:
        cue += 0.5
    if cue == 0:
        return 0.0  # a time alone, a name alone: not enough to call it a comment header
    return (with_body + 0.5 * with_handle) * cue * (len(block) ** 0.25)
