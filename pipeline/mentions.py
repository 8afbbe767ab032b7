"""Finds where a comment mentions a commenter, so the mention can become a pseudonym.

Commenters address each other by full handle ("Promitheas Apollonious"), by a
part of it ("david, please" for "David Leach"), by a nickname prefix ("Hey
Prom"), or with "@". The same strings are often ordinary words ("as", "Cat",
"the real one", "Patriot" of "Ostranian Patriot", "Assad" next to "Assad must
stay (gr8rambino)"). What may stay and what may not is the handle rule
(:mod:`pipeline.handle_rule`): a distinctive handle or part is replaced
wherever it occurs, on any page; an ordinary one only where the text uses it
to name or address a commenter of the same page (:func:`handle_rule.addressed`).
This module finds the candidates and applies that rule, and adds one thing
the rule does not require: nickname prefixes ("Prom" for "Promitheas") in a
reply to their commenter, closed by punctuation.

Every :class:`Mention` says why it is one (``kind``): ``full_handle`` (a
distinctive whole handle), ``distinctive_part`` or ``addressed`` (an ordinary
form, or a nickname, used to address or name a commenter).

Handles are matched as sequences of parts (camelCase and letter/digit
boundaries split too), never compiled into regular expressions, so regex
metacharacters in handles are harmless. This module returns spans and handle
keys; it never logs or prints anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from pipeline.common_words import ANY_LANGUAGE, COMMON_ZIPF, is_function_word, zipf
from pipeline.handle_rule import (
    WORD_RE,
    OrdinaryForm,
    addressed,
    features,
    handle_parts,
    is_distinctive_handle,
    is_distinctive_part,
    split_subparts,
    subparts,
)
from pipeline.pseudonyms import canonical_handle

__all__ = [
    "WORD_RE", "CommentContext", "HandleIndex", "Mention", "find_mentions", "handle_parts",
    "handle_sequence", "public_words", "rule_mentions", "split_subparts", "thread_contexts",
]  # fmt: skip

PREFIX_MIN_LEN = 3
THREAD_WINDOW = 3
_MAX_GAP = 3
FULL_HANDLE, DISTINCTIVE_PART, ADDRESSED = "full_handle", "distinctive_part", "addressed"
# What the anonymiser writes into texts, opaque to the rule: pseudonyms and identifier marks.
OPAQUE_RE = re.compile(r"(?<![^\W_])u_[a-z2-7]{10}(?![^\W_])|\[(?:email|phone)\]")


@dataclass(frozen=True)
class Mention:
    """text[start:end] refers to the commenter whose canonical handle is ``handle``.

    ``kind``: why it is replaced (``full_handle``, ``distinctive_part``,
    ``addressed``); ``form``: what of the handle it spells (``full``,
    ``part``, ``prefix``); ``offpage``: the commenter is not on this page.
    """

    start: int
    end: int
    handle: str
    kind: str
    form: str = "full"
    offpage: bool = False


@dataclass(frozen=True)
class CommentContext:
    """What is known around one comment: its author, the page's handles, its thread.

    All handles are canonical (pipeline.pseudonyms.canonical_handle). ``thread``
    is ordered nearest first and never contains the author.
    """

    author: str | None
    page: frozenset[str]
    thread: tuple[str, ...] = ()


def handle_sequence(handle: str) -> tuple[str, ...]:
    """The handle as folded pieces in order (see _fold): what a full mention must spell.

    Handle and text are split the same way and each piece is folded (NFKC,
    casefold), so "ＪＥＲＲＹ" in a comment spells the handle "jerry".
    """
    pieces = (_fold(p) for token in WORD_RE.findall(handle) for p in subparts(token))
    return tuple(piece for piece in pieces if piece)


@dataclass(frozen=True)
class _HandleShape:
    """The handle's characters around and between its pieces, casefolded."""

    prefix: str
    gaps: tuple[str, ...]
    suffix: str


@lru_cache(maxsize=1 << 16)
def _part_spellings(handle: str) -> dict[str, str]:
    """Each folded part of a handle -> the part as the handle writes it."""
    written: dict[str, str] = {}
    for part in handle_parts(handle):
        written.setdefault(_fold(part), part)
    return written


@lru_cache(maxsize=1 << 16)
def _shape(handle: str) -> _HandleShape:
    normal = handle
    pieces = _pieces(normal)
    pairs = zip(pieces, pieces[1:], strict=False)
    gaps = tuple(normal[a.end : b.start].casefold() for a, b in pairs)
    return _HandleShape(
        normal[: pieces[0].start].casefold(), gaps, normal[pieces[-1].end :].casefold()
    )


def public_words(article_texts: Iterable[str]) -> frozenset[str]:
    """Names the articles use: words written capitalised there that are not among
    the most frequent words of the corpus' languages (Zipf below COMMON_ZIPF, 4.5:
    "Putin", "Assad", "Konashenkov"; not "David", "The").

    A handle or part that is such a word is a public figure's name first: it is
    replaced only when a comment clearly addresses someone with it.
    """
    words: set[str] = set()
    for text in article_texts:
        for word in WORD_RE.findall(text or ""):
            if word[:1].isupper() and zipf(word) < COMMON_ZIPF:
                words.add(word.casefold())
    return frozenset(words)


Owners = tuple[str, ...] | frozenset[str]
_FEW = 4


def _owners(owners: set[str]) -> Owners:
    return tuple(sorted(owners)) if len(owners) <= _FEW else frozenset(owners)


def _on_page(page: frozenset[str], owners: Owners) -> frozenset[str]:
    """The owners who are on the page, walking the smaller side (a common word can
    have many owners)."""
    if isinstance(owners, tuple):
        return frozenset(c for c in owners if c in page)
    return page & owners


@dataclass
class HandleIndex:
    """Every handle of a release, indexed for matching.

    ``public`` = words the articles use as names; ``ordinary`` = the ordinary
    words of the texts' language (pipeline.common_words).
    """

    handles: Iterable[str]
    public: frozenset[str] = frozenset()
    ordinary: Container[str] = ANY_LANGUAGE
    sequences: dict[str, tuple[str, ...]] = field(init=False, default_factory=dict)
    distinctive: dict[str, bool] = field(init=False, default_factory=dict)
    # the handle as written (its parts' spellings and shape are derived when needed)
    spellings: dict[str, str] = field(init=False, default_factory=dict)

    # a handle's first piece (one-piece handles) or first two pieces -> handles
    by_start: dict[tuple[str, ...], list[str]] = field(init=False, default_factory=dict)
    part_owners: dict[str, Owners] = field(init=False, default_factory=dict)
    # prefix -> handles with a piece at least two letters longer that starts with it
    prefix_owners: dict[str, Owners] = field(init=False, default_factory=dict)
    # first pieces of the distinctive handles (matched whole on any page)
    distinctive_firsts: frozenset[str] = field(init=False, default=frozenset())
    # first piece -> pieces in the longest handle starting with it
    longest: dict[str, int] = field(init=False, default_factory=dict)
    _page_keys: dict[frozenset[str], PageKeys] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.public = frozenset(word.casefold() for word in self.public)
        parts: dict[str, set[str]] = {}
        prefixes: dict[str, set[str]] = {}
        for handle in sorted(set(self.handles)):
            canonical = canonical_handle(handle)
            sequence = handle_sequence(handle)
            if not sequence or canonical in self.sequences:
                continue
            self.sequences[canonical] = sequence
            self.distinctive[canonical] = is_distinctive_handle(handle, self.ordinary, self.public)
            self.spellings[canonical] = handle
            self.by_start.setdefault(sequence[:2], []).append(canonical)
            for part in handle_parts(handle):
                parts.setdefault(_fold(part), set()).add(canonical)
        for canonical, sequence in self.sequences.items():
            for piece in sequence:
                for end in range(PREFIX_MIN_LEN, len(piece) - 1):
                    prefixes.setdefault(piece[:end], set()).add(canonical)
        # most parts have one owner or a few: a tuple weighs less than a set (millions)
        self.part_owners = {part: _owners(owners) for part, owners in parts.items()}
        self.prefix_owners = {start: _owners(owners) for start, owners in prefixes.items()}
        del parts, prefixes
        self.distinctive_firsts = frozenset(
            sequence[0] for c, sequence in self.sequences.items() if self.distinctive[c]
        )
        for sequence in self.sequences.values():
            self.longest[sequence[0]] = max(self.longest.get(sequence[0], 0), len(sequence))

    def is_distinctive_part(self, folded: str) -> bool:
        return is_distinctive_part(folded, self.ordinary, self.public)

    def keys_of_page(self, page: frozenset[str]) -> PageKeys:
        """What can start a mention on a page with these handles (see PageKeys)."""
        cached = self._page_keys.get(page)
        if cached is None:
            firsts: set[str] = set()  # the page's; distinctive ones are the index's
            words: set[str] = set()
            for canonical in page:
                sequence = self.sequences.get(canonical)
                if sequence is None:
                    continue
                firsts.add(sequence[0])
                words.update(_part_spellings(self.spellings[canonical]))
                words.update(
                    piece[:end]
                    for piece in sequence
                    for end in range(PREFIX_MIN_LEN, len(piece) - 1)
                )
            cached = PageKeys(frozenset(firsts), frozenset(words))
            if len(self._page_keys) > 4096:
                self._page_keys.clear()
            self._page_keys[page] = cached
        return cached

    def is_public_whole(self, canonical: str) -> bool:
        sequence = self.sequences[canonical]
        return len(sequence) == 1 and sequence[0] in self.public

    def is_function_whole(self, canonical: str) -> bool:
        sequence = self.sequences[canonical]
        return len(sequence) == 1 and is_function_word(sequence[0])


class _Piece(NamedTuple):
    start: int
    end: int
    folded: str
    word_start: bool
    word_end: bool


def _pieces(text: str) -> list[_Piece]:
    return [
        _Piece(word.start() + start, word.start() + end, folded, first, last)
        for word in WORD_RE.finditer(text)
        for start, end, folded, first, last in _word_pieces(word.group(0))
    ]


@lru_cache(maxsize=1 << 17)
def _word_pieces(word: str) -> tuple[tuple[int, int, str, bool, bool], ...]:
    """A word's pieces as (start, end, folded, first, last), offsets within the word."""
    parts = subparts(word)
    found, offset = [], 0
    for i, sub in enumerate(parts):
        found.append((offset, offset + len(sub), _fold(sub), i == 0, i == len(parts) - 1))
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
    *,
    everywhere: bool = False,
) -> list[Mention]:
    """Mentions in ``text``, sorted and non-overlapping, outside the ``skip`` spans.

    Only words and pieces that can start a mention on this page are looked at
    (:meth:`HandleIndex.keys_of_page`): a whole handle must be distinctive or
    on the page, a part on the page or distinctive. ``everywhere`` looks at
    every position instead (the reference the shortcut must equal).
    """
    keys = None if everywhere else index.keys_of_page(context.page)
    words = list(WORD_RE.finditer(text))
    taken = list(skip)
    if keys is None:
        mentions = _full_mentions(text, _pieces(text), range(10**18), context, index, taken)
    else:
        mentions = _full_mentions_from_keys(text, words, keys, context, index, taken)
    taken += [(m.start, m.end) for m in mentions]
    for word in words:
        if keys is not None and not keys.may_be_part(_fold(word.group(0)), index):
            continue
        if taken and any(word.start() < e and s < word.end() for s, e in taken):
            continue
        mention = _partial_mention(text, word, context, index)
        if mention is not None:
            mentions.append(mention)
    return sorted(mentions, key=lambda m: m.start)


@dataclass(frozen=True)
class PageKeys:
    """What can start a mention on one page: first pieces of its handles (and of the
    distinctive ones, anywhere: :meth:`may_start`), and the words that are parts or
    nickname prefixes there (and distinctive parts: :meth:`may_be_part`)."""

    firsts: frozenset[str]
    words: frozenset[str]

    def may_start(self, folded: str, index: HandleIndex) -> bool:
        return folded in self.firsts or folded in index.distinctive_firsts

    def may_be_part(self, folded: str, index: HandleIndex) -> bool:
        return folded in self.words or (
            folded in index.part_owners and index.is_distinctive_part(folded)
        )


def rule_mentions(text: str, context: CommentContext, index: HandleIndex) -> list[Mention]:
    """What the handle rule forbids in ``text``, as this finder sees it: every mention
    but nickname prefixes, outside pseudonyms and identifier marks (what the sweep
    replaces and the audit fails)."""
    opaque = [m.span() for m in OPAQUE_RE.finditer(text)]
    return [m for m in find_mentions(text, context, index, skip=opaque) if m.form != "prefix"]


def _full_mentions(
    text: str,
    pieces: list[_Piece],
    starts: Iterable[int],
    context: CommentContext,
    index: HandleIndex,
    taken: list[tuple[int, int]],
) -> list[Mention]:
    """Whole-handle mentions, trying the ``starts`` (ascending indices into ``pieces``);
    after a match the next try is past it."""
    found: list[Mention] = []
    resume = 0
    for i in starts:
        if i >= len(pieces):
            break
        if i < resume:
            continue
        matched = _match_at(text, pieces, i, context, index, taken)
        if matched is not None:
            mention, length = matched
            found.append(mention)
            resume = i + length
    return found


def _full_mentions_from_keys(
    text: str,
    words: list[re.Match[str]],
    keys: PageKeys,
    context: CommentContext,
    index: HandleIndex,
    taken: list[tuple[int, int]],
) -> list[Mention]:
    """:func:`_full_mentions` tried only where a piece is a key's first piece: the
    pieces are built for a window after each such place only, as long as the
    longest handle starting there (plus one: a handle is indexed by two pieces)."""
    found: list[Mention] = []
    resume = 0  # index of the first piece a next match may start at
    position = 0
    for w, word in enumerate(words):
        own = _word_pieces(word.group(0))
        for p, piece in enumerate(own):
            here, position = position, position + 1
            if here < resume or not keys.may_start(piece[2], index):
                continue
            window = _window(words, w, p, index.longest[piece[2]] + 1)
            matched = _match_at(text, window, 0, context, index, taken)
            if matched is not None:
                mention, length = matched
                found.append(mention)
                resume = here + length
    return found


def _window(words: list[re.Match[str]], w: int, p: int, size: int) -> list[_Piece]:
    """Up to ``size`` pieces of the text from piece ``p`` of word ``w`` on."""
    window: list[_Piece] = []
    while w < len(words) and len(window) < size:
        word = words[w]
        for start, end, folded, first, last in _word_pieces(word.group(0))[p:]:
            window.append(_Piece(word.start() + start, word.start() + end, folded, first, last))
            if len(window) == size:
                break
        w, p = w + 1, 0
    return window


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
        shape = _shape(index.spellings[canonical])
        if _spells(text, pieces, i, sequence, shape.gaps):
            last = pieces[i + len(sequence) - 1]
            start, end = _with_edges(text, pieces[i].start, last.end, shape)
            spelled.append((start - end, start, end, canonical))
    for _, start, end, canonical in sorted(spelled):  # the longest verbatim match first
        if any(start < e and s < end for s, e in taken):
            continue
        kind = _accept_full(text, start, end, canonical, context, index)
        if kind is not None:
            offpage = canonical not in context.page
            mention = Mention(start, end, canonical, kind, "full", offpage)
            return mention, len(index.sequences[canonical])
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


def _accept_full(
    text: str, start: int, end: int, canonical: str, context: CommentContext, index: HandleIndex
) -> str | None:
    """Why this spelling of a whole handle is replaced (a kind), or None to keep it."""
    if index.distinctive[canonical]:
        return FULL_HANDLE  # a distinctive full handle never survives, on any page
    at = text[:start].endswith(("@", "@ "))
    if not at and _part_of_someone_nearer(canonical, context, index):
        return None  # "Olga" in a reply to "Olga Okafor": the part pass finds her
    form = OrdinaryForm(
        whole=True,
        on_page=canonical in context.page,
        in_thread=canonical in context.thread,
        is_author=canonical == context.author,
        public=index.is_public_whole(canonical),
        function_word=index.is_function_whole(canonical),
        owner_parts=frozenset(index.sequences[canonical]),
        spelling=index.spellings[canonical],
    )
    return ADDRESSED if addressed(text, start, end, form) else None


def _part_of_someone_nearer(canonical: str, context: CommentContext, index: HandleIndex) -> bool:
    """A one-piece handle whose commenter is not in the thread, while that piece is a
    part of the handle of someone who is."""
    sequence = index.sequences[canonical]
    if len(sequence) != 1 or canonical in context.thread:
        return False
    owners = index.part_owners.get(sequence[0], ())
    return any(other != canonical and other in owners for other in context.thread)


def _partial_mention(
    text: str, word: re.Match[str], context: CommentContext, index: HandleIndex
) -> Mention | None:
    folded = _fold(word.group(0))
    if folded not in index.part_owners and folded not in index.prefix_owners:
        return None  # most words: no handle has this part or a piece it begins
    if len(folded) < 2 or not any(c.isalpha() for c in folded):
        return None
    for form, owners in _owners_on_page(folded, context, index):
        owner = _nearest(owners, context)
        kind = _accept_partial(text, word, folded, form, owner, context, index)
        if kind is not None:
            return Mention(word.start(), word.end(), owner, kind, form)
    return _offpage_part(word, folded, context, index)


def _owners_on_page(
    folded: str, context: CommentContext, index: HandleIndex
) -> list[tuple[str, list[str]]]:
    on_page = _on_page(context.page, index.part_owners.get(folded, ()))
    exact = sorted(c for c in on_page if index.sequences[c] != (folded,))
    prefix: list[str] = []
    if len(folded) >= PREFIX_MIN_LEN and folded.isalpha():
        prefixed = _on_page(context.page, index.prefix_owners.get(folded, ()))
        prefix = sorted(c for c in prefixed if c not in exact)
    return [(form, owners) for form, owners in (("part", exact), ("prefix", prefix)) if owners]



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
    form: str,
    owner: str,
    context: CommentContext,
    index: HandleIndex,
) -> str | None:
    """Why this part (or nickname prefix) of an on-page handle is replaced, or None."""
    if form == "part" and index.is_distinctive_part(folded):
        return DISTINCTIVE_PART  # the audit would flag it anywhere: never leave it
    owner_parts = frozenset(index.sequences[owner])
    if form == "prefix":
        return ADDRESSED if _nickname(text, word, folded, owner, context, index) else None
    ordinary = OrdinaryForm(
        whole=False,
        on_page=True,
        in_thread=owner in context.thread,
        is_author=owner == context.author,
        public=folded in index.public,
        function_word=is_function_word(folded),
        owner_parts=owner_parts,
        spelling=_part_spellings(index.spellings[owner]).get(folded, word.group(0)),
    )
    return ADDRESSED if addressed(text, word.start(), word.end(), ordinary) else None


def _nickname(
    text: str,
    word: re.Match[str],
    folded: str,
    owner: str,
    context: CommentContext,
    index: HandleIndex,
) -> bool:
    """A prefix of a handle's piece ("Prom") used as a nickname: after a greeting, or
    closed by punctuation in a reply to its commenter."""
    piece = next(p for p in index.sequences[owner] if p.startswith(folded))
    written = _part_spellings(index.spellings[owner]).get(piece, piece)[: len(word.group(0))]
    f = features(text, word.start(), word.end(), frozenset(index.sequences[owner]), written)
    if f.at:
        return True
    if f.hyphenated or is_function_word(folded) or owner == context.author:
        return False
    if folded in index.public or f.title_before or f.continuation:
        return (f.lead or f.strong_greeting) and not f.continuation
    if f.strong_greeting and (f.punct_after or f.trailing):
        return True
    in_thread = owner in context.thread
    return in_thread and (f.punct_after or f.trailing) and (f.vocative or f.trailing)


def _offpage_part(
    word: re.Match[str], folded: str, context: CommentContext, index: HandleIndex
) -> Mention | None:
    owners = index.part_owners.get(folded)
    if not owners or not index.is_distinctive_part(folded):
        return None
    return Mention(word.start(), word.end(), min(owners), DISTINCTIVE_PART, "part", True)


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
