"""Register of a prose paragraph: does it read like news copy or a reader comment?

Used by layouts that must find where an article ends and its comments begin
when the page shows no marker (the no-handles family). The model is a small
hand-weighted log-linear score: each cue adds evidence, the sum is the log-odds
that the paragraph is a reader comment rather than article prose.

News cues: attribution verbs ("said", "according to", "told reporters"),
institutions and officials, numbers, dates and weekdays, long sentences in the
third person, quotations attributed to someone, "Update N:" parts.
Comment cues: first and second person outside quotations, slang and reply cues
("lol", "imo", "^", "thank you"), addressing another reader ("Hey Joe, ...",
"joe, please read ...", "Olga…go find ..."), a quotation followed by the
writer's own unattributed remark, profanity and insults, questions
and exclamations, a lowercase start, no closing punctuation, shortness.
News cues do not count attribution verbs a reader reports ("my cousin ...
says", "they said") or compares with ("worse than reported").

This module only scores text. It never decides page structure, never reads
files and never keys on a literal from one site (no site names, no headlines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

CUE_CACHE_SIZE = 65_536  # paragraphs; a few pages' worth of distinct texts
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][^\W\d_'’]*|\d[\d,.%$]*")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]{12,}’")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?:\s+|$)")
_UPDATE_PART = re.compile(r"^(?:update|updated|editor'?s note|correction)\b[^:]{0,12}:", re.I)
_NEWS_OPENER = re.compile(
    r"^(?:meanwhile|earlier|later|last (?:week|month|year)|in a statement|according to|"
    r"however|separately|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.I,
)

_PERSONAL = frozenset(
    "i i'm im i've ive i'd id i'll me my mine myself you you're youre you've your yours "
    "yourself u ur ya y'all".split()
)
_FIRST_PLURAL = frozenset("we we're we've us our ours".split())
_ATTRIBUTION = frozenset(
    "said says told according reported reports stated added confirmed announced noted "
    "claimed alleged blamed warned argued explained declined quoted statement spokesman "
    "spokeswoman spokesperson officials official ministry minister agency department "
    "analysts analyst commented testified wrote insisted acknowledged estimated "
    "reporters".split()
)
_FUNCTION_WORDS = frozenset("the of in by on at from for with to a an".split())
_FUNCTION_WORD_PIVOT = 0.17  # share of these words between comment (~0.1) and news (~0.22)
_IMPERATIVE = frozenset(
    "wake read stop buy sell give go look try ask think imagine remember follow keep let "
    "don't dont do get check take watch tell see say wait trust shut relax calm".split()
)
_EMOTICON = re.compile(r"(?:^|\s)[:;=]-?[()DPp/\\|]+|\bxD\b|<3|\^_\^")
_URL = re.compile(r"https?://|www\.", re.I)
_ELLIPSIS = re.compile(r"\.{3,}|…|[!?]{2,}")
_AT_MENTION = re.compile(r"(?:^|\s)@\w")
_SLANG_DECISIVE = frozenset(
    "lol lmao lmfao rofl imo imho tbh fwiw smh wtf omg haha hahaha hehe kek".split()
)
_STANCE = re.compile(
    r"\b(?:(?:is|are|you're|you are|he's|she's) (?:so |absolutely |dead )?(?:right|wrong)|"
    r"well said|good point|spot on|i (?:dis)?agree|(?:dis)?agreed|nailed it|me too)\b",
    re.I,
)
_CONJUNCTION_START = re.compile(r"^(?:or|and|plus|nor)\b", re.I)
_HEARSAY = frozenset("they you i we people everyone everybody somebody someone having".split())
_COMPARISON = frozenset({"than"})
_FIRST_PERSON = frozenset("i my me we our us".split())  # "my cousin ... says"
_META = frozenset(
    "article headline author comments comment commenters thread upvote downvote upvoted "
    "downvoted bookmarked op".split()
)
_EVALUATIVE = frozenset(
    "great awesome brilliant terrible ridiculous amazing cool sad insane crazy nice "
    "priceless lovely genius absurd laughable hypocrites hypocrisy cute".split()
)
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april june july august september october november december yesterday".split()
)
_SLANG = frozenset(
    "lol lmao lmfao rofl imo imho tbh fwiw btw smh wtf omg haha hahaha hehe meh yeah yep "
    "yup nope nah ok okay oops bingo hmm hmmm hummm ugh duh gee wow msm nwo sheeple libtard tptb "
    "banksters globalists neocons derp kek cuz gonna wanna gotta dunno ain't y'all".split()
)
_PROFANE_OR_INSULT = frozenset(
    "fuck fucking fucked fuckin shit shitty crap damn damned ass asshole bitch bastard "
    "bullshit idiot idiots moron morons stupid dumb clown clowns scum scumbag traitor "
    "traitors evil demon satanist satanists pathetic disgusting retard retarded "
    "paedophiles pedophiles cunts cunt dickhead loser losers joke hilarious".split()
)
_ADDRESSED = re.compile(
    r"^(?:(?:hey|hi|hello|dear)\b|@\w"
    r"|[^\W\d_][\w.'’-]{0,24}(?: [^\W\d_][\w.'’-]{0,24})?\s*(?:,|…|\.\.\.)\s*"
    r"(?:please|you|your|go|read|stop|look|try|get)\b)",
    re.I,
)
# A reader's verdict on the piece itself ("Thanks for the article", "great
# post", "very informative piece"): news copy never reviews itself in its own voice.
_ABOUT_THE_PIECE = re.compile(
    r"\b(?:thanks|thank you|thx)(?: (?:so much|a lot))? for (?:the|this|your|a) "
    r"(?:\w+ )?(?:article|post|piece|write-?up|report|story)\b"
    r"|\b(?:great|excellent|informative|superb|brilliant|terrible|awful|lousy|biased)"
    r"(?:,? (?:very|really|well-written|informative))? (?:article|piece|write-?up)\b",
    re.I,
)
_REPLY_OPENERS = re.compile(
    r"^(?:\^|\+1\b|@|>|lol\b|lmao\b|haha|yeah\b|yes\b|yep\b|no,|nope\b|exactly\b|"
    r"agreed\b|indeed\b|sure\b|wow\b|thanks?\b|thank you\b|well said\b|good (?:one|point|"
    r"comment)\b|great\b|this\.|you\b|your\b|you're\b|u\b|ok\b|oh\b|hmm+\b|meh\b|"
    r"spot on\b|me\.|ditto\b|same\b)",
    re.I,
)


@dataclass(frozen=True)
class RegisterCues:
    """Counts of the cues found in one paragraph (kept for explanation and tests)."""

    words: int
    personal: int
    first_plural: int
    slang: int
    profane: int
    questions: int
    exclamations: int
    attribution: int
    numbers: int
    time_words: int
    mean_sentence_words: float
    lowercase_start: bool
    unterminated: bool
    update_part: bool
    news_opener: bool
    quoted: bool
    meta: int
    evaluative: int
    shouted: int
    sentences: int
    function_word_share: float
    imperatives: int
    emoticons: int
    urls: int
    ellipses: int
    stance: int
    conjunction_start: bool
    addressed: bool
    quote_then_remark: bool


def words_of(text: str) -> list[str]:
    """Word tokens (letters, apostrophes) and number tokens, in order."""
    return _WORD.findall(text)


def outside_quotes(text: str) -> str:
    """The paragraph with quoted spans removed (what the writer says in their own voice)."""
    return _QUOTED.sub(" ", text)


def is_terminated(text: str) -> bool:
    """Whether the paragraph ends like a finished sentence (or introduces one with ':')."""
    stripped = text.rstrip().rstrip("\"'”’)]")
    return bool(stripped) and stripped[-1] in ".!?:;…"


def starts_lowercase(text: str) -> bool:
    """Whether the first letter of the paragraph is lower case."""
    for char in text:
        if char.isalpha():
            return char.islower()
    return False


def _attributions(own_voice: str) -> int:
    """Attribution words, except hearsay ("they said", "you say", "I said", "my
    cousin ... says": a first person earlier in the sentence) and comparisons
    ("worse than reported")."""
    count = 0
    for sentence in _SENTENCE_END.split(own_voice):
        tokens = [_folded(w) for w in words_of(sentence)]
        for i, token in enumerate(tokens):
            if token not in _ATTRIBUTION:
                continue
            if i and tokens[i - 1] in _HEARSAY | _COMPARISON:
                continue
            count += not _FIRST_PERSON & set(tokens[:i])
    return count


def _folded(word: str) -> str:
    """Lower case with straight apostrophes; capitals such as "U", "US", "ME" stay
    as they are (a letter, a country, a region), not "you", "us", "me"."""
    if word == "U" or (len(word) >= 2 and word.isupper()):
        return word
    return word.lower().replace("’", "'")


@lru_cache(maxsize=CUE_CACHE_SIZE)
def cues_of(text: str) -> RegisterCues:
    """Count every register cue in one paragraph.

    Memoised: the no-handles layout weighs each paragraph several times (the
    boundary, the comment segmentation, the fit), and this is a pure function
    of the text returning a frozen value, so a bounded cache changes nothing
    but the time (about half of all parse time before it)."""
    own_voice = outside_quotes(text)
    tokens = [w.lower() for w in words_of(text)]
    own_tokens = [_folded(w) for w in words_of(own_voice)]
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    return RegisterCues(
        words=len(tokens),
        personal=sum(t in _PERSONAL for t in own_tokens),
        first_plural=sum(t in _FIRST_PLURAL for t in own_tokens),
        slang=sum(t.lower() in _SLANG for t in own_tokens),  # "LOL" and "lol" alike
        profane=sum(t in _PROFANE_OR_INSULT for t in own_tokens),
        questions=own_voice.count("?"),
        exclamations=own_voice.count("!"),
        attribution=_attributions(own_voice),
        numbers=sum(t[0].isdigit() for t in tokens),
        time_words=sum(t in _TIME_WORDS for t in tokens),
        mean_sentence_words=len(tokens) / max(1, len(sentences)),
        lowercase_start=starts_lowercase(text),
        unterminated=not is_terminated(text),
        update_part=bool(_UPDATE_PART.match(text)),
        news_opener=bool(_NEWS_OPENER.match(text)),
        quoted=own_voice != text,
        meta=sum(t in _META for t in own_tokens),
        evaluative=sum(t in _EVALUATIVE for t in own_tokens),
        shouted=sum(len(w) >= 5 and w.isupper() for w in words_of(own_voice)),
        sentences=len(sentences),
        function_word_share=sum(t in _FUNCTION_WORDS for t in tokens) / max(1, len(tokens)),
        imperatives=sum(
            bool(w) and _folded(w[0]) in _IMPERATIVE
            for w in (words_of(s) for s in _SENTENCE_END.split(own_voice))
        ),
        emoticons=len(_EMOTICON.findall(own_voice)),
        urls=len(_URL.findall(text)),
        ellipses=len(_ELLIPSIS.findall(own_voice)),
        stance=len(_STANCE.findall(own_voice)),
        conjunction_start=bool(_CONJUNCTION_START.match(text)),
        addressed=bool(_ADDRESSED.match(text.lstrip())),
        quote_then_remark=_quote_then_remark(text),
    )


def _quote_then_remark(text: str) -> bool:
    """A paragraph that opens with a quotation and goes on in the writer's own
    words with no attribution: a reader quoting ("“...” Sorry but you are
    wrong."), where news attributes its quotes ("“...,” the minister said.")."""
    opening = _QUOTED.match(text.lstrip())
    if opening is None:
        return False
    sentences = [s for s in _SENTENCE_END.split(text.lstrip()[opening.end() :]) if s.strip()]
    return bool(sentences) and _attributions(sentences[0]) == 0


def comment_log_odds(text: str, may_be_cut: bool = False) -> float:
    """Evidence that a paragraph is a reader comment (> 0) rather than news prose (< 0).

    ``may_be_cut``: the paragraph ends the page, so a missing full stop may be a
    truncated capture rather than a commenter's habit.
    """
    cues = cues_of(text)
    if may_be_cut:
        cues = replace(cues, unterminated=False)
    return _comment_evidence(cues) - _news_evidence(cues)


def _comment_evidence(cues: RegisterCues) -> float:
    evidence = 0.7 * min(cues.personal, 3) + 0.3 * min(cues.first_plural, 2)
    evidence += 1.4 * min(cues.slang, 2) + 1.0 * min(cues.profane, 2)
    evidence += 0.7 * min(cues.questions, 2) + 0.8 * min(cues.exclamations, 2)
    evidence += 1.5 * cues.lowercase_start + 0.8 * cues.unterminated
    evidence += 0.8 * min(cues.meta, 2) + 0.5 * min(cues.evaluative, 2)
    evidence += 0.5 * min(cues.shouted, 2)
    if cues.words <= 4:
        evidence += 0.6
    elif cues.words <= 8 and not (cues.attribution or cues.numbers):
        evidence += 0.4  # a one-line remark; news paragraphs run longer
    evidence += 1.2 * cues.addressed + 1.5 * cues.quote_then_remark
    if cues.conjunction_start:
        evidence += 0.6
    if cues.sentences >= 2 and cues.mean_sentence_words < 10:
        evidence += 0.8
    evidence += 0.6 * min(cues.imperatives, 2) + 1.5 * min(cues.emoticons, 1)
    evidence += 0.8 * min(cues.urls, 1) + 0.5 * min(cues.ellipses, 2)
    evidence += 2.0 * min(cues.stance, 1)  # siding with a reader: replies do, news copy not
    if cues.words >= 10:
        shift = 8.0 * (_FUNCTION_WORD_PIVOT - cues.function_word_share)
        evidence += max(-0.6, min(0.5, shift))
    return evidence


def _news_evidence(cues: RegisterCues) -> float:
    evidence = 1.0 * min(cues.attribution, 3) + 0.4 * min(cues.numbers, 3)
    evidence += 0.4 * min(cues.time_words, 2) + 0.6 * cues.news_opener
    evidence += 4.0 * cues.update_part
    if cues.quoted and cues.attribution and not cues.quote_then_remark:
        evidence += 1.0
    if cues.mean_sentence_words >= 20:
        evidence += 0.8
    if cues.words >= 40:
        evidence += 0.6
    return evidence


def is_unmistakably_comment(text: str) -> bool:
    """Cues news copy never has in its own voice: chat slang ("lol", "imo"),
    emoticons, an @-mention of another reader, a verdict on the piece itself
    ("Thanks for the article")."""
    own_voice = outside_quotes(text)
    if _EMOTICON.search(own_voice) or _AT_MENTION.search(own_voice):
        return True
    if _ABOUT_THE_PIECE.search(own_voice):
        return True
    return any(_folded(w).lower() in _SLANG_DECISIVE for w in words_of(own_voice))


def opens_with_address(text: str) -> bool:
    """Whether a paragraph opens by addressing someone ("Hey Rob, ...", "@x",
    "igor, please ..."): the way a new message starts, not a continuation."""
    return bool(_ADDRESSED.match(text.lstrip()))


def is_reply_opener(text: str) -> bool:
    """Whether a paragraph opens the way replies do ("^", "lol", "Thank you", "You ...")."""
    return bool(_REPLY_OPENERS.match(text.lstrip()))
