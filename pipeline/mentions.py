"""Finds where a comment mentions a commenter, so the mention can become a pseudonym.

Commenters address each other by full handle ("Promitheas Apollonious"), by a
part of it ("david, please" for "David Leach"), by a nickname prefix ("Hey
Prom"), or with "@". The same strings are often ordinary words ("as", "Cat",
"Dutch" next to "dutchnational", "Assad" next to "Assad must stay
(gr8rambino)"). Each candidate is decided from context:

* *who can be meant*: only handles on the same page (article) count as
  mentioned by context; the thread (parent chain and the three previous comments)
  makes a person likelier;
* *where the word sits*: "@", after a greeting ("Hey", "thanks", "ok"), first
  word of the comment before a comma/ellipsis, last word of a line before an
  emoticon;
* *what the word is*: capitalised or not, an everyday English word (wordfreq),
  a name the articles themselves use (a public figure), followed by another
  capitalised name ("John Kerry"), part of a hyphenated word ("Pro-West").

Two rules are unconditional so that the leak audit (pipeline/audit.py) passes
by construction: a full handle that is not a common word is replaced wherever
it occurs in the release, and so is a *distinctive part* of a handle (>= 4
letters, not a common word, not a word the articles use).

Handles are matched as sequences of parts (camelCase and letter/digit
boundaries split too), never compiled into regular expressions, so regex
metacharacters in handles are harmless. This module returns spans and handle
keys; it never logs or prints anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.common_words import COMMON_ZIPF, FUNCTION_WORD_ZIPF, zipf
from pipeline.pseudonyms import canonical_handle

WORD_RE = re.compile(r"[^\W_]+")
DISTINCTIVE_MIN_LEN = 4
PREFIX_MIN_LEN = 3
THREAD_WINDOW = 3
_MAX_GAP = 3

_STRONG_GREETING = re.compile(
    r"(?i)(?:^|[^\w])(?:hey+|hi|hello|hiya|howdy|dear|thanks|thank\s+you|thx|ty|cheers|yo"
    r"|bye|congrats|congratulations|welcome(?:\s+back)?|sorry|good\s+(?:morning|evening|night)"
    r"|well\s+said|nice\s+one|good\s+one|sorry)[\s,!]*$"
)
_WEAK_GREETING = re.compile(
    r"(?i)(?:^|[.!?…\n]\s*)[\"“‘(]*(?:ok|okay|yes|yeah|yep|no|nope|nah|well|lol|haha+|oh|ah"
    r"|agreed|exactly|indeed|true|right|correct|sure|come\s+on|look|listen)[\s,!.]*$"
)
_VOCATIVE_PUNCT = re.compile(r"\s*(?:,|…|\.\.\.|:(?!-?[)(DPp3])|!|\s[-–—]\s|[-–—]\s)")
_TRAILING = re.compile(
    r"[\s,.!?…]*(?:(?:[:;=]-?[)(DPp3/\\]+|<3|[xX][dD]|[\U0001F300-\U0001FAFF\u2600-\u27BF])"
    r"[\s.!]*)*$"
)
_TITLE_BEFORE = re.compile(
    r"(?i)\b(?:mr|mrs|ms|dr|president|general|gen|minister|senator|sen|sir|king|queen|prince"
    r"|saint|st|pope|judge|secretary|chancellor|premier|governor|gov|rep|comrade)\.?\s+$"
)
_CONTINUATION = re.compile(r" ([A-Z][a-z]\w*)")
_OBJECT_WORDS = frozenset(
    "of to for with by on in at from about like than as and or the a an his her their our my "
    "your its is was are were be vs against help support".split()
)
_OPENERS = " \t\"'“‘(*[•"


@dataclass(frozen=True)
class Mention:
    """text[start:end] refers to the commenter whose canonical handle is ``handle``."""

    start: int
    end: int
    handle: str
    kind: str  # full | part | prefix | offpage_full | offpage_part


@dataclass(frozen=True)
class CommentContext:
    """What is known around one comment: its author, the page's handles, its thread.

    All handles are canonical (pipeline.pseudonyms.canonical_handle). ``thread``
    is ordered nearest first and never contains the author.
    """

    author: str | None
    page: frozenset[str]
    thread: tuple[str, ...] = ()


def split_subparts(token: str) -> list[str]:
    """Split a word at camelCase and letter/digit boundaries: "AMHants" -> AM, Hants."""
    return list(_subparts(token))


@lru_cache(maxsize=1 << 17)
def _subparts(token: str) -> tuple[str, ...]:
    # Memoised: comment words repeat (Zipf), and every comment is split word by word.
    if not token:
        return ()
    parts, current = [], token[0]
    for i in range(1, len(token)):
        prev, char = token[i - 1], token[i]
        nxt = token[i + 1] if i + 1 < len(token) else ""
        boundary = (
            (prev.islower() and char.isupper())
            or (prev.isalpha() != char.isalpha())
            or (prev.isupper() and char.isupper() and nxt.islower())
        )
        if boundary:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return tuple(parts)


def handle_parts(handle: str) -> tuple[str, ...]:
    """Every word of a handle and every camelCase/digit piece of a word, in order."""
    seen: dict[str, None] = {}
    for token in WORD_RE.findall(handle):
        seen.setdefault(token, None)
        for piece in split_subparts(token):
            seen.setdefault(piece, None)
    return tuple(seen)


def handle_sequence(handle: str) -> tuple[str, ...]:
    """The handle as folded pieces in order (see _fold): what a full mention must spell.

    Handle and text are split the same way and each piece is folded (NFKC,
    casefold), so "ＪＥＲＲＹ" in a comment spells the handle "jerry".
    """
    pieces = (_fold(p) for token in WORD_RE.findall(handle) for p in split_subparts(token))
    return tuple(piece for piece in pieces if piece)


def is_distinctive(part: str, common_words: object = None) -> bool:
    """A part worth hunting for on its own: >= 4 letters and not a common word."""
    folded = part.casefold()
    if len(folded) < DISTINCTIVE_MIN_LEN or not any(c.isalpha() for c in folded):
        return False
    if common_words is not None:
        return folded not in common_words  # type: ignore[operator]
    return zipf(folded) < COMMON_ZIPF


def distinctive_parts(handle: str, common_words: object = None) -> frozenset[str]:
    return frozenset(p.casefold() for p in handle_parts(handle) if is_distinctive(p, common_words))


@dataclass(frozen=True)
class _HandleShape:
    """The handle's characters around and between its pieces, casefolded."""

    prefix: str
    gaps: tuple[str, ...]
    suffix: str


def _shape(handle: str) -> _HandleShape:
    normal = handle
    pieces = _pieces(normal)
    pairs = zip(pieces, pieces[1:], strict=False)
    gaps = tuple(normal[a.end : b.start].casefold() for a, b in pairs)
    return _HandleShape(
        normal[: pieces[0].start].casefold(), gaps, normal[pieces[-1].end :].casefold()
    )


def public_words(article_texts: Iterable[str]) -> frozenset[str]:
    """Names the articles use: words written capitalised there that are not common words.

    A handle part that is such a word ("Assad", "Putin") is a public figure
    first: it is replaced only when a comment clearly addresses someone with it.
    """
    words: set[str] = set()
    for text in article_texts:
        for word in WORD_RE.findall(text or ""):
            if word[:1].isupper() and zipf(word) < COMMON_ZIPF:
                words.add(word.casefold())
    return frozenset(words)


@dataclass
class HandleIndex:
    """Every handle of a release, indexed for matching; ``public`` = words the articles use."""

    handles: Iterable[str]
    public: frozenset[str] = frozenset()
    sequences: dict[str, tuple[str, ...]] = field(init=False, default_factory=dict)
    # a handle's first piece (one-piece handles) or first two pieces -> handles
    by_start: dict[tuple[str, ...], list[str]] = field(init=False, default_factory=dict)
    part_owners: dict[str, set[str]] = field(init=False, default_factory=dict)
    shapes: dict[str, _HandleShape] = field(init=False, default_factory=dict)
    # prefix -> handles with a piece at least two letters longer that starts with it
    prefix_owners: dict[str, set[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.public = frozenset(word.casefold() for word in self.public)
        for handle in sorted(set(self.handles)):
            canonical = canonical_handle(handle)
            sequence = handle_sequence(handle)
            if not sequence or canonical in self.sequences:
                continue
            self.sequences[canonical] = sequence
            self.shapes[canonical] = _shape(handle)
            self.by_start.setdefault(sequence[:2], []).append(canonical)
            for part in handle_parts(handle):
                self.part_owners.setdefault(_fold(part), set()).add(canonical)
        for canonical, sequence in self.sequences.items():
            for piece in sequence:
                for end in range(PREFIX_MIN_LEN, len(piece) - 1):
                    self.prefix_owners.setdefault(piece[:end], set()).add(canonical)

    def is_common_single(self, canonical: str) -> bool:
        sequence = self.sequences[canonical]
        return len(sequence) == 1 and zipf(sequence[0]) >= COMMON_ZIPF


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    folded: str
    word_start: bool
    word_end: bool


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    for word in WORD_RE.finditer(text):
        offset = word.start()
        for start, end, folded, word_start, word_end in _word_pieces(word.group(0)):
            pieces.append(_Piece(offset + start, offset + end, folded, word_start, word_end))
    return pieces


@lru_cache(maxsize=1 << 17)
def _word_pieces(word: str) -> tuple[tuple[int, int, str, bool, bool], ...]:
    """A word's pieces as (start, end, folded, first, last), offsets within the word."""
    subparts = _subparts(word)
    found, offset = [], 0
    for i, sub in enumerate(subparts):
        found.append((offset, offset + len(sub), _fold(sub), i == 0, i == len(subparts) - 1))
        offset += len(sub)
    return tuple(found)


@lru_cache(maxsize=1 << 17)
def _fold(word: str) -> str:
    """NFKC and casefold, keeping letters/digits only ("Ŀ" -> "l", as in the handle)."""
    return "".join(c for c in unicodedata.normalize("NFKC", word).casefold() if c.isalnum())


def find_mentions(
    text: str,
    context: CommentContext,
    index: HandleIndex,
    skip: Sequence[tuple[int, int]] = (),
) -> list[Mention]:
    """Mentions in ``text``, sorted and non-overlapping, outside the ``skip`` spans."""
    taken = list(skip)
    mentions = _full_mentions(text, context, index, taken)
    taken += [(m.start, m.end) for m in mentions]
    for word in WORD_RE.finditer(text):
        if taken and any(word.start() < e and s < word.end() for s, e in taken):
            continue
        mention = _partial_mention(text, word, context, index)
        if mention is not None:
            mentions.append(mention)
    return sorted(mentions, key=lambda m: m.start)


def _full_mentions(
    text: str, context: CommentContext, index: HandleIndex, taken: list[tuple[int, int]]
) -> list[Mention]:
    pieces = _pieces(text)
    found: list[Mention] = []
    i = 0
    while i < len(pieces):
        matched = _match_at(text, pieces, i, context, index, taken)
        if matched is None:
            i += 1
            continue
        mention, length = matched
        found.append(mention)
        i += length
    return found


def _match_at(
    text: str,
    pieces: list[_Piece],
    i: int,
    context: CommentContext,
    index: HandleIndex,
    taken: list[tuple[int, int]],
) -> tuple[Mention, int] | None:
    if not pieces[i].word_start:
        return None
    first = pieces[i].folded
    candidates = index.by_start.get((first,), [])
    if i + 1 < len(pieces):
        candidates = candidates + index.by_start.get((first, pieces[i + 1].folded), [])
    if not candidates:
        return None
    spelled = []
    for canonical in candidates:
        sequence = index.sequences[canonical]
        shape = index.shapes[canonical]
        if _spells(text, pieces, i, sequence, shape.gaps):
            last = pieces[i + len(sequence) - 1]
            start, end = _with_edges(text, pieces[i].start, last.end, shape)
            spelled.append((start - end, start, end, canonical))
    for _, start, end, canonical in sorted(spelled):  # the longest verbatim match first
        if any(start < e and s < end for s, e in taken):
            continue
        if _accept_full(text, start, end, canonical, context, index):
            kind = "full" if canonical in context.page else "offpage_full"
            return Mention(start, end, canonical, kind), len(index.sequences[canonical])
    return None


def _with_edges(text: str, start: int, end: int, shape: _HandleShape) -> tuple[int, int]:
    """Widen a match to the handle's own leading/trailing symbols when the text has them."""
    if shape.prefix and text[:start].casefold().endswith(shape.prefix):
        start -= len(shape.prefix)
    if shape.suffix and text[end:].casefold().startswith(shape.suffix):
        end += len(shape.suffix)
    return start, end


def _spells(
    text: str, pieces: list[_Piece], i: int, sequence: tuple[str, ...], gaps: tuple[str, ...]
) -> bool:
    last = i + len(sequence) - 1
    if last >= len(pieces) or not pieces[last].word_end:
        return False
    for j, part in enumerate(sequence):
        piece = pieces[i + j]
        if piece.folded != part:
            return False
        if j and piece.word_start:
            gap = text[pieces[i + j - 1].end : piece.start]
            own_gap = gap.casefold() == gaps[j - 1]
            if not own_gap and (len(gap) > _MAX_GAP or "\n" in gap):
                return False
    return True


@dataclass(frozen=True)
class _Features:
    at: bool
    strong_greeting: bool
    weak_greeting: bool
    lead: bool
    punct_after: bool
    trailing: bool
    capitalised: bool
    sentence_initial: bool
    continuation: bool
    title_before: bool
    hyphenated: bool

    @property
    def vocative(self) -> bool:
        return (
            self.lead
            or self.strong_greeting
            or (self.weak_greeting and (self.punct_after or self.trailing))
        )


def _features(text: str, start: int, end: int, owner_parts: frozenset[str]) -> _Features:
    before, after = text[:start], text[end:]
    line_after = after.split("\n", 1)[0]
    token = text[start:end]
    stripped = before.rstrip(_OPENERS)
    sentence_initial = stripped == "" or stripped[-1] in ".!?…\n:"
    punct_after = _VOCATIVE_PUNCT.match(after) is not None
    trailing = _TRAILING.match(line_after) is not None and not _after_object_word(before)
    continuation = _continues_name(after, owner_parts)
    return _Features(
        at=before.endswith("@"),
        strong_greeting=_STRONG_GREETING.search(_tail(before)) is not None,
        weak_greeting=_WEAK_GREETING.search(_tail(before)) is not None,
        lead=before.strip(_OPENERS + "\n") == "" and punct_after,
        punct_after=punct_after,
        trailing=trailing,
        capitalised=token[:1].isupper() and not (len(token) > 1 and token.isupper()),
        sentence_initial=sentence_initial,
        continuation=continuation,
        title_before=_TITLE_BEFORE.search(_tail(before)) is not None,
        hyphenated=_hyphenated(before, after),
    )


def _tail(before: str, size: int = 40) -> str:
    """The last ``size`` characters; a word character stands in for the cut-off rest."""
    return before if len(before) <= size else "a" + before[-size:]


def _after_object_word(before: str) -> bool:
    words = WORD_RE.findall(before[-30:])
    return bool(words) and words[-1].casefold() in _OBJECT_WORDS and before.endswith(" ")


def _continues_name(after: str, owner_parts: frozenset[str]) -> bool:
    match = _CONTINUATION.match(after)
    if match is None:
        return False
    word = match.group(1)
    return word.casefold() not in owner_parts and zipf(word) < FUNCTION_WORD_ZIPF


def _hyphenated(before: str, after: str) -> bool:
    joined_after = len(after) > 1 and after[0] == "-" and after[1].isalpha()
    joined_before = len(before) > 1 and before[-1] == "-" and before[-2].isalpha()
    return joined_after or joined_before


def _accept_full(
    text: str, start: int, end: int, canonical: str, context: CommentContext, index: HandleIndex
) -> bool:
    if not index.is_common_single(canonical):
        return True  # a distinctive full handle never survives, on any page
    if canonical not in context.page:
        return False
    f = _features(text, start, end, frozenset(index.sequences[canonical]))
    if f.at:
        return True
    if f.hyphenated or zipf(text[start:end]) >= FUNCTION_WORD_ZIPF:
        return False
    in_thread = canonical in context.thread
    if f.vocative and (f.capitalised or in_thread) and (in_thread or not f.lead):
        return True
    closes = f.punct_after or f.trailing
    return in_thread and f.capitalised and not f.sentence_initial and closes


def _partial_mention(
    text: str, word: re.Match[str], context: CommentContext, index: HandleIndex
) -> Mention | None:
    folded = _fold(word.group(0))
    if folded not in index.part_owners and folded not in index.prefix_owners:
        return None  # most words: no handle has this part or a piece it begins
    if len(folded) < 2 or not any(c.isalpha() for c in folded):
        return None
    for kind, owners in _owners_on_page(folded, context, index):
        owner = _nearest(owners, context)
        if _accept_partial(text, word, folded, kind, owner, context, index):
            return Mention(word.start(), word.end(), owner, kind)
    return _offpage_part(word, folded, context, index)


def _owners_on_page(
    folded: str, context: CommentContext, index: HandleIndex
) -> list[tuple[str, list[str]]]:
    # Set intersection walks the smaller side: a common word can have many owners.
    on_page = context.page & index.part_owners.get(folded, _NO_OWNERS)
    exact = sorted(c for c in on_page if index.sequences[c] != (folded,))
    prefix: list[str] = []
    if len(folded) >= PREFIX_MIN_LEN and folded.isalpha():
        prefixed = context.page & index.prefix_owners.get(folded, _NO_OWNERS)
        prefix = sorted(c for c in prefixed if c not in exact)
    return [(kind, owners) for kind, owners in (("part", exact), ("prefix", prefix)) if owners]


_NO_OWNERS: frozenset[str] = frozenset()


def _nearest(owners: list[str], context: CommentContext) -> str:
    for canonical in context.thread:
        if canonical in owners:
            return canonical
    others = [c for c in owners if c != context.author]
    return others[0] if others else owners[0]


def _accept_partial(
    text: str,
    word: re.Match[str],
    folded: str,
    kind: str,
    owner: str,
    context: CommentContext,
    index: HandleIndex,
) -> bool:
    f = _features(text, word.start(), word.end(), frozenset(index.sequences[owner]))
    public = folded in index.public
    if f.at:
        return True
    if f.hyphenated or zipf(folded) >= FUNCTION_WORD_ZIPF:
        return False
    if kind == "part" and is_distinctive(folded) and not public:
        return True  # the audit would flag it anywhere: never leave it
    if owner == context.author:
        return False
    in_thread = owner in context.thread
    if public or f.title_before or f.continuation:
        return (f.lead or f.strong_greeting) and not f.continuation
    if kind == "prefix":
        return in_thread and (f.punct_after or f.trailing) and (f.vocative or f.trailing)
    if f.vocative or (in_thread and f.trailing):
        return True
    possessive = re.match(r"['’]s\b", text[word.end() :]) is not None
    return in_thread and f.capitalised and (possessive or not f.sentence_initial)


def _offpage_part(
    word: re.Match[str], folded: str, context: CommentContext, index: HandleIndex
) -> Mention | None:
    owners = index.part_owners.get(folded)
    if not owners or not is_distinctive(folded) or folded in index.public:
        return None
    return Mention(word.start(), word.end(), min(owners), "offpage_part")


def thread_contexts(
    comment_ids: Sequence[str],
    parent_ids: Sequence[str | None],
    handles: Sequence[str | None],
) -> list[CommentContext]:
    """Context of each comment of ONE page, given in page order (position)."""
    canonical = [canonical_handle(h) if h else None for h in handles]
    page = frozenset(c for c in canonical if c)
    row_of = {comment_id: row for row, comment_id in enumerate(comment_ids)}
    contexts = []
    for row, author in enumerate(canonical):
        thread: list[str] = []
        parent = parent_ids[row]
        while parent is not None and parent in row_of and len(thread) < 50:
            parent_row = row_of[parent]
            thread.append(canonical[parent_row] or "")
            parent = parent_ids[parent_row]
        thread += [canonical[r] or "" for r in range(row - 1, max(row - 1 - THREAD_WINDOW, -1), -1)]
        ordered = tuple(dict.fromkeys(c for c in thread if c and c != author))
        contexts.append(CommentContext(author, page, ordered))
    return contexts
