"""The handle rule: which forms of a commenter handle may not stay in a release, and where.

One definition, used by the mention finder (:mod:`pipeline.mentions`, which
replaces mentions), the anonymise stage's last sweep
(:mod:`pipeline.handle_sweep`, which makes sure none is left) and the leak
audit (:mod:`pipeline.audit`, which refuses a release with one):

* A handle's *forms* are the whole handle and its *parts*: its words and their
  camelCase and letter/digit pieces ("FlorianGeyer" -> Florian, Geyer).
* A form is *ordinary* when it is an ordinary word of the text's language
  (:mod:`pipeline.common_words`; a whole handle when every word of it is:
  "the real one", "Cat", "Jürgen K.") or a name the articles themselves use
  (*public*: "Assad"). Otherwise it is *distinctive*: a whole handle with a
  rare word in it ("FlorianGeyer", "Ostranian Patriot", "Hrky75") or a part of
  at least :data:`DISTINCTIVE_MIN_LEN` characters that is rare ("Promitheas",
  "Ostranian").
* A distinctive form is replaced wherever it occurs, on any page.
* An ordinary form is replaced only where a text uses it to name or address
  a commenter of its own page (:func:`addressed`): after "@" (or "@ "); after a
  greeting ("Hey Cat", "Good point, Will"); as a vocative at the start of the
  comment or of a line, in a reply to that commenter ("the real one, you are
  wrong") or, for a part of a longer handle, anywhere on the page ("david,
  please"); as a vocative at the end of a sentence ("You were right Jerry :)");
  as the subject of reported speech or a naming phrase ("as Cat said", "Cat
  is right", "according to Cat", "Cat's point"); alone on a line of the
  comment (a signature, or whom a reply answers: "nest", "TRISTAN"); or, in a reply to that
  commenter, capitalised as a name in mid-sentence ("I agree with Jerry
  here"). Never: joined by a hyphen ("Pro-West"), after a title or next to
  another name ("Mr Putin", "John Kerry", "spokeswoman Aisha Novak"), after a
  determiner ("The general said"), opening a list or an apposition ("Cat,
  dog and parrot", "Joe, the plumber, ..."), a part in the commenter's own
  comment; a function word ("as", "be", "any") only after "@" or a greeting,
  an interjection ("ok", "Jo") at the start of a sentence only after a greeting;
  a name the articles use ("Putin") only after "@", a greeting, at the start
  or as the subject of reported speech. "Capitalised as a name" means as the
  handle writes it or capitalised, and counts for nothing in German text
  (every noun is capitalised there).

What differs between languages (greetings, reporting verbs) is data, one
file per language in ``pipeline/addressing/``; with no language given, the
cues of every language there count. This module sees handles and texts but
returns only booleans and spans; it never logs anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pipeline.common_words import is_function_word

WORD_RE = re.compile(r"[^\W_]+")
DISTINCTIVE_MIN_LEN = 4
CUES_DIR = Path(__file__).resolve().parent / "addressing"

_OPENERS = " \t\"'“‘(*[•"
_SIGNATURE_MARKS = " \t\u00a0-–—~"
_VOCATIVE_PUNCT = re.compile(r"\s*(?:,|…|\.\.\.|:(?!-?[)(DPp3])|!|\s[-–—]\s|[-–—]\s)")
_TRAILING = re.compile(
    r"[\s,.!?…]*(?:(?:[:;=]-?[)(DPp3/\\]+|<3|[xX][dD]|[\U0001F300-\U0001FAFF\u2600-\u27BF])"
    r"[\s.!]*)*$"
)
_TITLES = (
    r"(?:mr|mrs|ms|dr|president|general|gen|minister|senator|sen|sir|king|queen|prince"
    r"|saint|st|pope|judge|secretary|chancellor|premier|governor|gov|rep|comrade|herr|frau"
    r"|monsieur|madame|señor|señora|signor|signora)"
)
_TITLE_BEFORE = re.compile(rf"(?i)\b{_TITLES}\.?\s+$")
_TITLE = re.compile(rf"(?i){_TITLES}")
# After a form, a list or an apposition, not an address: "Cat, dog and parrot videos",
# "Joe, the plumber, would know".
_ENUMERATION = re.compile(
    r"\s*,\s+(?:[^\W\d_]+(?:\s+[^\W\d_]+)?\s+(?:and|or|und|oder|et|ou|y|o|e)\s"
    r"|(?:the|a|an|der|die|das|le|la|el)\s+[^\W\d_]+,)",
    re.IGNORECASE,
)
_EMOTICON_AFTER = re.compile(
    r"[\s,.!?…]*(?:[:;=]-?[)(DPp3/\\]+|<3|[xX][dD]|[\U0001F300-\U0001FAFF\u2600-\u27BF])"
)
_CONTINUATION = re.compile(r" ([A-Z](?:[a-z]|['’][A-Z])\w*)")
_NAME_BEFORE = re.compile(r"(?:^|([^\s]))\s*\b([A-Z][a-z]\w*) $")
_POSSESSIVE = re.compile(r"['’]s\b")
_OBJECT_WORDS = frozenset(
    "of to for with by on in at from about like than as and or the a an his her their our my "
    "your its is was are were be vs against help support".split()
)


# --------------------------------------------------------------------------
# Forms: words, parts, distinctive or ordinary


def split_subparts(token: str) -> list[str]:
    """Split a word at camelCase and letter/digit boundaries: "AMHants" -> AM, Hants."""
    return list(subparts(token))


@lru_cache(maxsize=1 << 17)
def subparts(token: str) -> tuple[str, ...]:
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
        for piece in subparts(token):
            seen.setdefault(piece, None)
    return tuple(seen)


def is_distinctive_handle(
    handle: str, ordinary: Container[str], public: Container[str] = frozenset()
) -> bool:
    """A whole handle with a token that is neither an ordinary word nor a public name.

    Tokens are the handle's white-space separated pieces with a letter or digit,
    judged whole ("jane_doe", "Tom1984" and "vieux_loup" are not words, though
    their pieces are; "truth-teller" and "C++" are).
    """
    tokens = [token for token in handle.split() if WORD_RE.search(token)]
    if not tokens:
        return False
    return not all(token in ordinary or _public_token(token, public) for token in tokens)


def _public_token(token: str, public: Container[str]) -> bool:
    return all(word.casefold() in public for word in WORD_RE.findall(token))


def is_distinctive_part(
    part: str, ordinary: Container[str], public: Container[str] = frozenset()
) -> bool:
    """A part worth hunting for on its own: >= 4 characters with a letter, rare, not public."""
    folded = part.casefold()
    if len(folded) < DISTINCTIVE_MIN_LEN or not any(c.isalpha() for c in folded):
        return False
    return folded not in ordinary and folded not in public


def distinctive_parts(
    handle: str, ordinary: Container[str], public: Container[str] = frozenset()
) -> frozenset[str]:
    """The handle's distinctive parts, case-folded."""
    return frozenset(
        p.casefold() for p in handle_parts(handle) if is_distinctive_part(p, ordinary, public)
    )


# --------------------------------------------------------------------------
# Addressing cues, one data file per language


@dataclass(frozen=True)
class Cues:
    """Compiled addressing cues of some languages (see pipeline/addressing/*.json)."""

    strong_greeting: re.Pattern[str]
    weak_greeting: re.Pattern[str]
    reporting_after: re.Pattern[str]
    naming_before: re.Pattern[str]
    possessed: re.Pattern[str]
    determiner: re.Pattern[str]
    place_before: re.Pattern[str]
    sign_off: re.Pattern[str]  # a line that holds at most a greeting: what may precede a signature


def _alternation(phrases: Iterable[str]) -> str:
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(word) for word in p.split()) for p in ordered)


@lru_cache(maxsize=1)
def interjections() -> frozenset[str]:
    """One-word greetings and interjections of every cue language ("ok", "jo", "hey"):
    a handle that is one is addressed only after "@" or a greeting, like a function word."""
    words: set[str] = set()
    for language in cue_languages():
        data = _cue_file(language)
        for phrase in data.get("greetings", []) + data.get("weak_greetings", []):
            if len(phrase.split()) == 1:
                words.add(phrase.casefold())
    return frozenset(words)


def cue_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in CUES_DIR.glob("*.json")))


@lru_cache(maxsize=16)
def cues(language: str | None = None) -> Cues:
    """The cues of ``language`` and English; of every language there when None."""
    languages = cue_languages() if language is None else tuple(dict.fromkeys(("en", language)))
    data: dict[str, list[str]] = {}
    for lang in languages:
        path = CUES_DIR / f"{lang}.json"
        if not path.is_file():
            continue
        for key, values in json.loads(path.read_text(encoding="utf-8")).items():
            if isinstance(values, list) and key != "stopwords":
                data.setdefault(key, []).extend(values)
    greeting = _alternation(data.get("greetings", []))
    weak = _alternation(data.get("weak_greetings", []))
    possessed = _alternation(data.get("possessed", [])) or r"(?!)"
    reporting = _alternation(data.get("reporting_after", [])) or r"(?!)"
    naming = _alternation(data.get("naming_before", [])) or r"(?!)"
    determiners = _alternation(data.get("determiners", [])) or r"(?!)"
    places = _alternation(data.get("place_before", [])) or r"(?!)"
    return Cues(
        strong_greeting=re.compile(rf"(?i)(?:^|[^\w])(?:{greeting})[\s,!]*$"),
        weak_greeting=re.compile(rf"(?i)(?:^|[.!?…\n]\s*)[\"“‘(]*(?:{weak})[\s,!.]*$"),
        reporting_after=re.compile(rf"(?i)\s+(?:{reporting})\b"),
        naming_before=re.compile(rf"(?i)(?:^|[^\w])(?:{naming})\s+$"),
        possessed=re.compile(rf"(?i)['’]s\s+(?:{possessed})\b"),
        determiner=re.compile(rf"(?i)(?:^|[^\w])(?:{determiners})\s+$"),
        place_before=re.compile(rf"(?i)(?:^|[^\w])(?:{places})\s+$"),
        sign_off=re.compile(rf"(?i)[\s\-–—~]*(?:(?:{greeting})[\s,!]*)?"),
    )


# --------------------------------------------------------------------------
# Where a form stands in a text


class Features:
    """What surrounds text[start:end]: the evidence that it names or addresses someone.

    Each feature is computed when first asked for (most decisions need few).
    ``owner_parts`` are the folded pieces of the owner's handle, ``spelling``
    the form as the handle writes it.
    """

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        owner_parts: frozenset[str],
        spelling: str,
        language: str | None = None,
    ):
        self.text, self.start, self.end = text, start, end
        self.owner_parts, self.spelling = owner_parts, spelling
        self.cue = cues(language)
        self.before, self.after = text[:start], text[end:]

    @cached_property
    def tail(self) -> str:
        return _tail(self.before)

    @cached_property
    def stripped(self) -> str:
        return self.before.rstrip(_OPENERS)

    @cached_property
    def line_after(self) -> str:
        return self.after.split("\n", 1)[0]

    @cached_property
    def at(self) -> bool:
        return self.before.endswith(("@", "@ "))  # "@ boulga" too

    @cached_property
    def strong_greeting(self) -> bool:
        return self.cue.strong_greeting.search(self.tail) is not None

    @cached_property
    def weak_greeting(self) -> bool:
        return self.cue.weak_greeting.search(self.tail) is not None

    @cached_property
    def sentence_initial(self) -> bool:
        return self.stripped == "" or self.stripped[-1] in ".!?…\n:”\""

    @cached_property
    def own_line(self) -> bool:
        """Alone on its line, or after a greeting only (a signature, or whom a reply
        answers: "nest", "TRISTAN", "Lg nada.")."""
        line_before = self.before[self.before.rfind("\n") + 1 :]
        return (
            "\n" in self.before + self.after
            and self.cue.sign_off.fullmatch(line_before) is not None
            and self.line_after.strip(_SIGNATURE_MARKS + ".!") == ""
        )

    @cached_property
    def punct_after(self) -> bool:
        return _VOCATIVE_PUNCT.match(self.after) is not None

    @cached_property
    def lead(self) -> bool:
        return self.sentence_initial and self.punct_after

    @cached_property
    def trailing(self) -> bool:
        return _TRAILING.match(self.line_after) is not None and not _after_object_word(self.before)

    @cached_property
    def as_name(self) -> bool:
        return written_as_name(self.text[self.start : self.end], self.spelling)

    @cached_property
    def continuation(self) -> bool:
        return _continues_name(self.after, self.owner_parts)

    @cached_property
    def name_before(self) -> bool:
        return _name_before(self.before, self.owner_parts)

    @cached_property
    def title_before(self) -> bool:
        return _TITLE_BEFORE.search(self.tail) is not None

    @cached_property
    def hyphenated(self) -> bool:
        return _hyphenated(self.before, self.after)

    @cached_property
    def reported(self) -> bool:
        return (
            self.cue.reporting_after.match(self.after) is not None
            or self.cue.naming_before.search(self.tail) is not None
            or self.cue.possessed.match(self.after) is not None
        )

    @cached_property
    def possessive(self) -> bool:
        return _POSSESSIVE.match(self.after) is not None

    @cached_property
    def determiner_before(self) -> bool:
        return self.cue.determiner.search(self.tail) is not None

    @cached_property
    def place_before(self) -> bool:
        return self.cue.place_before.search(self.tail) is not None

    @cached_property
    def enumeration(self) -> bool:
        return _ENUMERATION.match(self.after) is not None

    @cached_property
    def emoticon_after(self) -> bool:
        return _EMOTICON_AFTER.match(self.line_after) is not None

    @property
    def vocative(self) -> bool:
        return (
            self.lead
            or self.strong_greeting
            or (self.weak_greeting and (self.punct_after or self.trailing))
        )


features = Features


def written_as_name(token: str, spelling: str) -> bool:
    """``token`` writes the handle form ``spelling`` as a name: each piece as the
    handle writes it or capitalised ("Cat", "jerry" for "jerry", "Jerry"; not "cat"
    for "Cat", "The general" for "The General", "JERRY" for "Jerry")."""
    written = [p for word in WORD_RE.findall(token) for p in subparts(word)]
    own = [p for word in WORD_RE.findall(spelling) for p in subparts(word)]
    if not written:
        return False
    return all(_piece_as_name(piece, mine) for piece, mine in zip(written, own, strict=False))


def _piece_as_name(piece: str, spelling: str) -> bool:
    if piece == spelling:
        return True
    if len(piece) > 1 and piece.isupper():
        return False
    return piece[:1].isupper() or not piece[:1].isalpha()


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
    return word.casefold() not in owner_parts and not is_function_word(word)


def _name_before(before: str, owner_parts: frozenset[str]) -> bool:
    """Another person's name right before: a capitalised word, not the owner's, that
    is not the first of its sentence ("spokeswoman Aisha Novak said")."""
    match = _NAME_BEFORE.search(before[-60:])
    if match is None:
        return False
    word = match.group(2)
    if word.casefold() in owner_parts or is_function_word(word):
        return False
    opener = match.group(1)
    return opener is not None and opener not in ".!?…:\"“‘("


def _hyphenated(before: str, after: str) -> bool:
    joined_after = len(after) > 1 and after[0] == "-" and after[1].isalpha()
    joined_before = len(before) > 1 and before[-1] == "-" and before[-2].isalpha()
    return joined_after or joined_before


# --------------------------------------------------------------------------
# The rule for ordinary forms


@dataclass(frozen=True)
class OrdinaryForm:
    """An ordinary form of a commenter's handle found in a comment, and its commenter.

    ``whole``: the form is the commenter's whole handle ("Cat", "the real one"),
    not a part of a longer one ("David" of "David Leach"). ``on_page`` /
    ``in_thread``: the commenter
    commented on the comment's page / in its thread (the comments it replies to
    and the few just before it). ``spelling``: the form as the handle writes it.
    """

    whole: bool
    on_page: bool
    in_thread: bool
    is_author: bool
    public: bool
    function_word: bool
    owner_parts: frozenset[str]
    spelling: str


def addressed(text: str, start: int, end: int, form: OrdinaryForm) -> bool:
    """Does text[start:end], an ordinary form of a handle, name or address its commenter?"""
    if not form.on_page:
        return False
    f = features(text, start, end, form.owner_parts, form.spelling)
    if f.at:
        return True
    if f.hyphenated:
        return False
    if form.function_word:
        return f.strong_greeting and (f.punct_after or f.trailing)  # "as", "be"
    if f.own_line and not f.hyphenated:
        return True  # a signature, or a line naming whom the comment answers
    if text[start:end].casefold() in interjections() and f.sentence_initial:
        return f.strong_greeting  # "Jo, das stimmt" ("yeah"); "Danke Jo!"
    if form.is_author and not form.whole:
        return False  # "David" in David Leach's own comment; his whole handle is hidden
    if form.whole and not form.is_author and not form.function_word and (
            _opens_with_name(text, start, end, form) or _shouted_name(text, start, end)):
        # the comment opens with another commenter's handle ("Hot Mac bei der früher ...",
        # "CINDY CATS Aucun parallèle"), or writes it in capitals in a text that is not
        # shouting ("der Bloginhaber MATHIAS an dieser Stelle"): it names that commenter
        return True
    if f.continuation:
        return False  # "John Kerry": someone else's name
    named = f.as_name and not f.determiner_before
    if f.title_before or f.name_before:
        return f.lead or f.strong_greeting
    if form.public:  # a name the articles use: only when clearly addressed or quoted
        return f.lead or f.strong_greeting or (f.reported and named)
    if not form.whole and _TITLE.fullmatch(form.spelling):
        return False  # "Dr" of "Dr. Pro Liv" names nobody on its own
    if f.lead and not f.enumeration:
        return True
    if f.vocative and not f.lead and (named or form.in_thread or not form.whole):
        return True
    if f.reported and named:
        return True
    if f.trailing and f.emoticon_after and not f.sentence_initial:
        return True  # "You were right Jerry :)"
    if not form.in_thread or not named:
        return False
    if f.trailing:
        return True
    # In a reply, capitalised as a name in mid-sentence: no evidence in German,
    # where every noun is capitalised ("kommt Sonnenschein, sagt man").
    if not text[start : start + 1].isupper() or capitalises_nouns(sentence_at(text, start)):
        return False
    if f.place_before:
        return False  # "Even in Kansas", for "Joe from Kansas"
    if form.whole:
        return not f.sentence_initial and f.punct_after
    return f.possessive or not f.sentence_initial


def _opens_with_name(text: str, start: int, end: int, form: OrdinaryForm) -> bool:
    """The comment opens with a handle of several words written as the handle writes it
    ("Hot Mac bei der früher bereits ..."); "Cat videos are ..." or "The general said"
    (one word, or a determiner first) are sentences."""
    if text[:start].strip() or text[start:end] != form.spelling:
        return False
    words = form.spelling.split()
    return len(words) >= 2 and not is_function_word(words[0].casefold())


def _shouted_name(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is in capitals (at least three letters) while the words around
    it mostly are not: a name set apart, not a shouted sentence."""
    form = text[start:end]
    letters = [ch for ch in form if ch.isalpha()]
    if len(letters) < 3 or not all(ch.isupper() for ch in letters):
        return False
    around = WORD_RE.findall(text[max(0, start - 80):start] + " " + text[end:end + 80])
    words = [w for w in around if len(w) >= 3]
    upper = sum(1 for w in words if w.isupper())
    return bool(words) and upper * 2 < len(words)


def sentence_at(text: str, start: int) -> str:
    """The sentence (or line) of ``text`` around position ``start``."""
    begin = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, start) for mark in ".!?\n") if i >= 0]
    return text[begin : min(ends) if ends else len(text)]


def capitalises_nouns(text: str, language: str | None = None) -> bool:
    """Is ``text`` written in a language that capitalises every noun (German)?
    Given no language, the one whose most frequent words the text uses most."""
    return _noun_capitals().get(language or guess_language(text), False)


def guess_language(text: str) -> str | None:
    """The cue language whose stop words ``text`` uses most (at least two), else None."""
    words = Counter(word.casefold() for word in WORD_RE.findall(text))
    best, hits = None, 1
    for language, stopwords in _stopwords().items():
        found = sum(words[word] for word in stopwords)
        if found > hits:
            best, hits = language, found
    return best


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    return {lang: frozenset(_cue_file(lang).get("stopwords", [])) for lang in cue_languages()}


@lru_cache(maxsize=1)
def _noun_capitals() -> dict[str, bool]:
    return {lang: bool(_cue_file(lang).get("capitalises_nouns")) for lang in cue_languages()}


def _cue_file(language: str) -> dict:
    return json.loads((CUES_DIR / f"{language}.json").read_text(encoding="utf-8"))
