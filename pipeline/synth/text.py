"""Seeded generators of realistic page text: headlines, news paragraphs,
"Update N:" parts, comment paragraphs, short handle-like body lines, handles
and mentions of other commenters.

Everything here is a pure function of the ``random.Random`` it is given, so a
seed reproduces a corpus byte for byte. Functions are built from templates
with slots (not word-by-word sampling) so that a gigabyte of text takes
minutes, not hours, while two random paragraphs still almost never share a
sentence.

This module must never produce a line with leading or trailing white space,
a blank line inside a paragraph, or a literal from one real site's chrome
(layout markers and chrome belong to the renderers).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import NamedTuple

# --------------------------------------------------------------------------
# Word banks

FIRST_NAMES = (
    "Maria",
    "David",
    "Igor",
    "Sarah",
    "Ahmed",
    "Olga",
    "John",
    "Fatima",
    "Pierre",
    "Mei",
    "Carlos",
    "Anna",
    "Viktor",
    "Leila",
    "James",
    "Ingrid",
    "Tomasz",
    "Aisha",
    "Kenji",
    "Elena",
    "Robert",
    "Nadia",
    "Hassan",
    "Claire",
    "Dmitri",
    "Grace",
    "Yusuf",
    "Helen",
    "Marco",
    "Ruth",
)
LAST_NAMES = (
    "Konashenkov",
    "Mattis",
    "Zakharova",
    "Peterson",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Chen",
    "Haddad",
    "Novak",
    "Fischer",
    "Ramirez",
    "Kowalski",
    "Tanaka",
    "Ivanova",
    "O'Brien",
    "Singh",
    "Dubois",
    "Weber",
    "Nakamura",
    "Hughes",
    "Mansour",
    "Costa",
    "Bauer",
    "Reyes",
    "Lund",
)
TITLES = (
    "spokesman",
    "spokeswoman",
    "senior official",
    "minister",
    "deputy minister",
    "governor",
    "mayor",
    "chief executive",
    "analyst",
    "professor",
    "general",
    "ambassador",
    "senator",
    "central bank governor",
    "health commissioner",
    "prosecutor",
    "union leader",
)
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "conflict": {
        "actors": (
            "the Defense Ministry",
            "coalition forces",
            "the army",
            "rebel groups",
            "the militia",
            "NATO",
            "the UN Security Council",
            "government troops",
        ),
        "places": (
            "Deir Ezzor",
            "Raqqa",
            "Donetsk",
            "the eastern province",
            "the border region",
            "the air base",
            "the capital",
            "the coastal city",
        ),
        "things": (
            "airstrikes",
            "a ceasefire",
            "the offensive",
            "an evacuation deal",
            "artillery fire",
            "the peace talks",
            "a prisoner exchange",
            "the blockade",
        ),
    },
    "economy": {
        "actors": (
            "the central bank",
            "the finance ministry",
            "exporters",
            "the IMF",
            "bond investors",
            "the treasury",
            "retailers",
            "the statistics office",
        ),
        "places": (
            "Frankfurt",
            "the eurozone",
            "Tokyo",
            "emerging markets",
            "the Gulf states",
            "Wall Street",
            "Shanghai",
            "the City of London",
        ),
        "things": (
            "interest rates",
            "inflation",
            "the budget deficit",
            "a trade deal",
            "tariffs",
            "the currency",
            "unemployment",
            "the pension reform",
        ),
    },
    "health": {
        "actors": (
            "the health ministry",
            "hospital managers",
            "the WHO",
            "nurses' unions",
            "regulators",
            "the vaccine maker",
            "doctors",
            "public health officials",
        ),
        "places": (
            "rural districts",
            "the northern region",
            "care homes",
            "the capital",
            "three provinces",
            "the port city",
            "the island",
            "the suburbs",
        ),
        "things": (
            "the outbreak",
            "waiting lists",
            "a new vaccine",
            "drug prices",
            "the screening programme",
            "hospital funding",
            "the lockdown",
            "staff shortages",
        ),
    },
    "technology": {
        "actors": (
            "the regulator",
            "the platform",
            "chip makers",
            "the start-up",
            "privacy campaigners",
            "the competition authority",
            "engineers",
            "the telecom",
        ),
        "places": (
            "Silicon Valley",
            "Brussels",
            "Shenzhen",
            "Bangalore",
            "the data centre",
            "Seoul",
            "Tallinn",
            "Austin",
        ),
        "things": (
            "the data breach",
            "an antitrust case",
            "the satellite launch",
            "facial recognition",
            "the outage",
            "encryption rules",
            "the merger",
            "content moderation",
        ),
    },
    "climate": {
        "actors": (
            "environment ministers",
            "the utility",
            "farmers",
            "climate scientists",
            "the energy agency",
            "oil companies",
            "activists",
            "insurers",
        ),
        "places": (
            "the delta",
            "the Arctic",
            "coastal towns",
            "the river basin",
            "the Sahel",
            "the wine region",
            "the glacier",
            "the national park",
        ),
        "things": (
            "the heatwave",
            "emission targets",
            "the drought",
            "flood defences",
            "the carbon tax",
            "wildfires",
            "the wind farm",
            "water rationing",
        ),
    },
    "elections": {
        "actors": (
            "the electoral commission",
            "opposition parties",
            "the ruling party",
            "pollsters",
            "election observers",
            "the incumbent",
            "the challenger",
            "voters",
        ),
        "places": (
            "swing districts",
            "the southern states",
            "the capital",
            "rural areas",
            "the diaspora",
            "the industrial north",
            "polling stations",
            "the islands",
        ),
        "things": (
            "the runoff",
            "turnout",
            "postal ballots",
            "the recount",
            "campaign finance",
            "the televised debate",
            "the coalition talks",
            "the referendum",
        ),
    },
    "courts": {
        "actors": (
            "the supreme court",
            "prosecutors",
            "defence lawyers",
            "the jury",
            "the appeals court",
            "the judge",
            "the attorney general",
            "the plaintiffs",
        ),
        "places": (
            "the federal court",
            "the district court",
            "The Hague",
            "the high court",
            "the tribunal",
            "Strasbourg",
            "the county court",
            "the court of appeal",
        ),
        "things": (
            "the verdict",
            "the extradition request",
            "the class action",
            "bail",
            "the corruption trial",
            "the injunction",
            "the sentence",
            "the settlement",
        ),
    },
}
VERBS_SAID = (
    "said",
    "told reporters",
    "said in a statement",
    "wrote on social media",
    "told the agency",
    "said on Tuesday",
    "said late on Friday",
    "added",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _pick(rng: random.Random, seq: Sequence[str]) -> str:
    return seq[int(rng.random() * len(seq))]


def official(rng: random.Random) -> str:
    """'Defense Ministry spokesman Igor Konashenkov'-like attribution."""
    return f"{_pick(rng, TITLES)} {_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}"


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return f"{rng.randint(2, 99)} percent"
    if kind < 0.6:
        return f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"
    if kind < 0.8:
        return f"${rng.randint(1, 950)} million"
    return str(rng.randint(3, 480))


# --------------------------------------------------------------------------
# Article register

_ARTICLE_SENTENCES = (
    "On {day}, {actors} said that {things} in {places} had reached a critical stage.",
    "According to {official}, {things} affected more than {number} people in {places}.",
    "\u201c{Things} cannot continue like this,\u201d {official} {said}.",
    "The announcement came after {actors} accused {actors2} of ignoring {things}.",
    "Local observers believe that {actors} are not only ignoring {things} but also "
    "facilitating them.",
    "Figures published in {month} showed {number} more cases than a year earlier.",
    "{Actors} have repeatedly warned that {things} could spread beyond {places}.",
    "In a statement, {official} described {things} as \u201ca serious and blatant mistake.\u201d",
    "Critics say the plan, first proposed in {month} {year}, does little to address {things}.",
    "The decision was welcomed by {actors}, who had campaigned for changes to {things}.",
    "\u201cWe were told in no uncertain terms that {things} would be dealt with,\u201d {official} "
    "{said}, adding that {number} had already been committed.",
    "It was not immediately clear how {actors} would respond to {things} in {places}.",
    "Earlier this year, {actors2} reached an agreement on {things}, which allowed {number} "
    "to be moved out of {places}.",
    "The report, seen by reporters on {day}, estimates the cost of {things} at {number}.",
    "Officials in {places} declined to comment on {things} when contacted.",
)


def _fill(template: str, rng: random.Random, topic: str) -> str:
    bank = TOPICS[topic]
    things = _pick(rng, bank["things"])
    actors = _pick(rng, bank["actors"])
    return template.format(
        day=_pick(rng, DAYS),
        month=_pick(rng, MONTHS),
        year=rng.randint(2009, 2024),
        actors=actors,
        Actors=actors[:1].upper() + actors[1:],
        actors2=_pick(rng, bank["actors"]),
        places=_pick(rng, bank["places"]),
        things=things,
        Things=things[:1].upper() + things[1:],
        official=official(rng),
        number=_number(rng),
        said=_pick(rng, VERBS_SAID),
    )


def pick_topic(rng: random.Random) -> str:
    return _pick(rng, tuple(TOPICS))


def headline(rng: random.Random, topic: str) -> str:
    """A title-case news headline, one line."""
    bank = TOPICS[topic]
    actors = _pick(rng, bank["actors"])
    patterns = (
        "{A} Accuses {B} Of Ignoring {T}",
        "{A} Rejects Reports About {T} In {P}",
        "{T} In {P}: {A} Warns Of Escalation",
        "{A} Says {T} Will Cost {N}",
        "What {T} Means For {P}",
        "{A} Admits {T} Was A Mistake",
    )
    text = _pick(rng, patterns).format(
        A=actors.title(),
        B=_pick(rng, bank["actors"]).title(),
        T=_pick(rng, bank["things"]).title(),
        P=_pick(rng, bank["places"]).title(),
        N=_number(rng),
    )
    return text[:1].upper() + text[1:]


def article_paragraph(rng: random.Random, topic: str) -> str:
    """Two to five sentences in news register, one line."""
    count = rng.randint(2, 5)
    return " ".join(_fill(_pick(rng, _ARTICLE_SENTENCES), rng, topic) for _ in range(count))


def update_paragraph(rng: random.Random, topic: str, number: int | None) -> str:
    """An 'Update N:' lead paragraph (number None gives a bare 'Update:')."""
    label = "Update:" if number is None else f"Update {number}:"
    return f"{label} {article_paragraph(rng, topic)}"


def caption(rng: random.Random, topic: str) -> str:
    """A photo caption or credit line: short, no final full stop."""
    kind = rng.random()
    if kind < 0.4:
        return f"{_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}"
    if kind < 0.7:
        return f"Photo: {_pick(rng, TOPICS[topic]['actors']).title()}"
    return f"{official(rng).capitalize()} speaks in {_pick(rng, TOPICS[topic]['places'])}"


# --------------------------------------------------------------------------
# Comment register

_COMMENT_SENTENCES = (
    "I think {actors} are lying about {things} again.",
    "Why does nobody ask who pays for {things}?",
    "lol, {things} in {places}? who writes this stuff",
    "You couldn't make this stuff up.",
    "Do they really think people believe this?",
    "Same old story, different year.",
    "Funny how {actors} only care when it suits them :)",
    "Wake up people, {things} was planned all along.",
    "Thanks for the article, very informative.",
    "Anyone else remember what happened in {places} last time?",
    "This is exactly what I said {number} days ago.",
    "Not sure I agree, but good points anyway.",
    "Give it a week and {actors} will deny everything.",
    "IMO {things} is the least of their problems tbh",
    "So {actors} knew and did nothing? Typical.",
    "Source please. I can't find anything about {things}.",
    "Read it again, slowly. {Things} is not the same thing at all.",
    "My cousin lives near {places} and says it's much worse than reported.",
    "Just wait. Your turn will come.",
    "What a joke, almost died laughing :)))",
    "gr8 news if true, but I doubt it",
    "Sorry but you are wrong about {things}.",
)
_RANTS = (
    "THIS IS WHAT HAPPENS WHEN {ACTORS} RUN EVERYTHING!!!",
    "STOP LYING ABOUT {THINGS}. NOBODY BELIEVES YOU ANYMORE.",
    "WHERE IS THE MONEY GOING??? ASK {ACTORS}!!",
)
_URLS = (
    "https://www.youtube.com/watch?v={code}",
    "http://www.example-news.com/world/{code}.html",
    "https://uploads.disquscdn.com/images/{code}.jpg",
    "https://twitter.com/i/status/{code}",
)
SHORT_BODY_LINES = (
    "oops",
    "LOL! ..",
    "Thats a good one",
    "You Are IsIs",
    "Or even better, to Tel Aviv.",
    "Exactly.",
    "lol",
    "+1",
    "Agreed",
    "So true!",
    "Good comment :)",
    "Nope.",
    "Really?",
    "wow",
    "Bingo",
    "This.",
    "Well said",
    "Nice one.",
    "hahaha",
    "Grrrrrr !!!!!!",
    "End of the story .. bomb them",
    "what a shocker lmao",
    "Me too",
    "ok",
    "Indeed",
)
_CODE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _code(rng: random.Random, n: int) -> str:
    return "".join(_CODE_CHARS[int(rng.random() * 62)] for _ in range(n))


def _comment_sentence(rng: random.Random, topic: str) -> str:
    if rng.random() < 0.06:
        text = _fill(_pick(rng, _RANTS).lower(), rng, topic).upper()
        return text
    return _fill(_pick(rng, _COMMENT_SENTENCES), rng, topic)


def mention(rng: random.Random, handle: str) -> str:
    """A reference to another commenter, the ways people write them (a whole paragraph)."""
    first = handle.split()[0].strip(".,()") or handle
    forms = (
        f"Hey {first[:4]}, good to see you back.",
        f"@{handle.replace(' ', '')} you are wrong.",
        f"thank you {handle}, well said.",
        f"{first}\u2026go find someone else to argue with.",
        f"{first.lower()}, please read before you post.",
        f"{handle} is right about this one.",
    )
    return _pick(rng, forms)


# Words nobody uses alone to address a commenter ("the" of "the real one").
_NOT_A_NICKNAME = frozenset("the a an not no my mr mrs dr de le la el von van you i".split())


def drawn_mention(rng: random.Random, handle: str) -> tuple[str, tuple[int, int]]:
    """A reference to another commenter that opens a paragraph, and the span of the
    commenter's name in it: more ways than :func:`mention`, in more languages."""
    first_word = handle.split()[0].strip(".,()") or handle
    first = handle if first_word.casefold() in _NOT_A_NICKNAME else first_word
    nickname = first[:4] if first == first_word and first.isalpha() and len(first) >= 7 else first
    if sum(c.isalnum() for c in nickname) < 3:
        nickname = first = handle  # "C++", "A.M": nobody is called that
    forms = (
        ("Hey ", nickname, ", good to see you back."),
        ("@", handle.replace(" ", ""), " you are wrong."),
        ("thank you ", handle, ", well said."),
        ("", first, "\u2026go find someone else to argue with."),
        ("", first.lower(), ", please read before you post."),
        ("", handle, " is right about this one."),
        ("As ", handle, " said, nobody reads the reports anyway."),
        ("Good point, ", first, "."),
        ("Danke ", first, ", genau so ist es."),
        ("Merci ", first, ", bien dit."),
    )
    before, name, after = _pick(rng, forms)
    return before + name + after, (len(before), len(before) + len(name))


# Sentences that use a word of a handle (the key, case-folded) as an ordinary
# word: a commenter called "the real one" must not make these lose their words.
ORDINARY_USES: dict[str, tuple[str, ...]] = {
    "the real one": (
        "That was a decoy, the real one is still in the depot.",
        "The fake report got more airtime than the real one.",
    ),
    "real deal": ("For once this ceasefire looks like the real deal.",),
    "bot": ("I am not a bot, whatever they say about me.",),
    "patriot": (
        "A real patriot does not cheer for airstrikes.",
        "Any patriot would read the report first.",
    ),
    "general": ("The general said nothing about the blockade.",),
    "professor": ("My old professor said the same thing years ago.",),
    "doctor": ("Ask any doctor about the waiting lists.",),
    "captain": ("The captain of the ship was never questioned.",),
    "kansas": ("Even in Kansas people laugh at this.",),
    "london": ("They will hear about it in London soon enough.",),
    "viking": ("A Viking longship would have been faster than this government.",),
    "guest": ("Every guest at the talks got the same speech.",),
    "name": ("Name one country that gained anything from this.",),
    "owner": ("The owner of the factory was never asked.",),
    "be": ("Be careful what you wish for.",),
    "any": ("Any reader can see the numbers do not add up.",),
    "cat": ("My cat could run a better foreign policy.",),
    "wise": ("A wise man would wait for the report.",),
    "nobody": ("Nobody here has read the whole report.",),
    "wolf": ("The wolf is already inside the fold.",),
    "common sense": ("This has nothing to do with common sense.",),
    "seeker": ("Every truth seeker should read it twice.",),
    "soldier": ("My grandfather was an old soldier and never talked like this.",),
    "deal": ("It was a bad deal from the start.",),
    "rebelde": ("Ser rebelde no es un crimen, dice mi abuela.",),
    "sceptique": ("Je reste sceptique sur ce rapport.",),
    "wanderer": ("Ein Wanderer fand die Kisten im Wald.",),
    "sonnenschein": ("Nach dem Regen kommt Sonnenschein, sagt man.",),
    "bürger": ("Die Bürger wurden wieder nicht gefragt.",),
    "patriota": ("Un patriota no aplaude los bombardeos.",),
    "citoyen": ("Chaque citoyen devrait lire ce rapport.",),
    "loup": ("Le loup est déjà dans la bergerie.",),
    "jo": ("Jo mei, so ist das halt.",),
}


def ordinary_use(rng: random.Random, handles: Sequence[str]) -> str | None:
    """A sentence using a word of one of ``handles`` as an ordinary word, if any has one."""
    found = sorted({key for h in handles for key in _ordinary_keys(h)})
    return _pick(rng, ORDINARY_USES[_pick(rng, found)]) if found else None


def _ordinary_keys(handle: str) -> list[str]:
    words = [w.casefold() for w in re.findall(r"[^\W_]+", handle)]
    phrase = " ".join(words)
    return [key for key in ORDINARY_USES if key == phrase or (" " not in key and key in words)
            or (" " in key and f" {key} " in f" {phrase} ")]


class DrawnCommentParagraph(NamedTuple):
    """A comment paragraph and whether it is a pasted news paragraph (which
    reads exactly like article text) rather than the reader's own words;
    ``mentions`` are the spans naming another commenter, with the handle."""

    text: str
    pasted_news: bool
    mentions: tuple[tuple[int, int, str], ...] = ()


def comment_paragraph(
    rng: random.Random, topic: str, others: Sequence[str] = (), mention_rate: float = 0.15
) -> str:
    """One paragraph in comment register (one line, sometimes two); now and
    then a pasted news paragraph, as readers do."""
    return drawn_comment_paragraph(rng, topic, others, mention_rate).text


def drawn_comment_paragraph(
    rng: random.Random,
    topic: str,
    others: Sequence[str] = (),
    mention_rate: float = 0.15,
    neighbours: Sequence[str] = (),
) -> DrawnCommentParagraph:
    """:func:`comment_paragraph` (same draws from ``rng``, same text) telling
    whether the paragraph is a pasted news paragraph, and where it mentions
    one of ``others``. Now and then it uses a word of one of ``neighbours``'
    handles as an ordinary word (:data:`ORDINARY_USES`)."""
    if rng.random() < 0.015:
        return DrawnCommentParagraph(article_paragraph(rng, topic), pasted_news=True)
    parts: list[str] = []
    named: tuple[int, int, str] | None = None
    named_part = ""
    if others and rng.random() < mention_rate:
        target = _pick(rng, others)
        text, (start, end) = drawn_mention(rng, target)
        named_part = text
        parts.append(named_part)
        named = (start, end, target)
    for _ in range(1 + int(rng.random() * 3)):
        parts.append(_comment_sentence(rng, topic))
    if neighbours and rng.random() < 0.2:
        use = ordinary_use(rng, neighbours)
        if use is not None:
            parts.insert(1 + int(rng.random() * len(parts)), use)
    if rng.random() < 0.08:
        parts.append(_pick(rng, _URLS).format(code=_code(rng, 11)))
    if rng.random() < 0.05:
        parts.insert(0, f"\u201c{_fill(_pick(rng, _ARTICLE_SENTENCES), rng, topic)}\u201d")
    text = " ".join(parts)
    mentions: tuple[tuple[int, int, str], ...] = ()
    if named is not None:
        place = next(i for i, part in enumerate(parts) if part is named_part)
        offset = len(" ".join(parts[:place])) + (1 if place else 0)
        mentions = ((offset + named[0], offset + named[1], named[2]),)
    if rng.random() < 0.12:
        cut = text.find(". ", mentions[0][1] if mentions else 0)
        if 0 < cut < len(text) - 3:
            text = text[: cut + 1] + "\n" + text[cut + 2 :]
    return DrawnCommentParagraph(text, pasted_news=False, mentions=mentions)


def short_body_line(rng: random.Random) -> str:
    """A body line that looks like a handle: short, capitalised or no verb."""
    return _pick(rng, SHORT_BODY_LINES)


# --------------------------------------------------------------------------
# Handles

_COMMON_WORDS = (
    "as",
    "Cat",
    "guest",
    "Rob",
    "Joe",
    "Marko",
    "Smaug",
    "Trovak",
    "Drogba",
    "gustavo",
    "velociraptor",
    "Meatgrinder",
    "cortisol",
    "Turbofan",
    "Anonymous",
)
_DIGIT_HANDLES = (
    "r0b1n",
    "Hrky75",
    "55lanfag",
    "BMWA1",
    "b0b",
    "xX_99_Xx",
    "gr8rambino",
    "Tom1984",
    "user2017",
    "k8e",
    "JEinCA",
    "Dicksonrp",
)
_PUNCT_HANDLES = (
    "northerntruthseeker .",
    "Dr. Pro Liv",
    "Assad must stay (gr8rambino)",
    "J. R. Smith",
    "mr.nobody",
    "O'Neil",
    "-=Wolf=-",
    "jane_doe",
    "A.M. Hants",
    "Mr. T",
    "truth-teller",
    "...",
    "Joe Dirt!",
)
_PHRASE_HANDLES = (
    "You can call me Al",
    "Baron Von MuleBanger",
    "Wise Gandalf",
    "Panthera Pardus",
    "Joe from Kansas",
    "Not a bot",
    "The Real Deal",
    "Cyric London",
    "DJ Double D",
)
_UNICODE_HANDLES = (
    "ihra\u00e7 subay",
    "J\u00fcrgen K.",
    "\u0130smail",
    "Bj\u00f6rn",
    "\u0412\u043b\u0430\u0434\u0438\u043c\u0438\u0440",
    "Fran\u00e7ois",
    "\u00c5sa Lind",
    "Zo\u00eb",
    "\u5c0f\u660e",
    "Se\u00f1or Gato",
)
_REGEX_HANDLES = (
    "a+b",
    "[admin]",
    "$money$",
    "^_^",
    "what?*",
    "C++ fan",
    "(.*)",
    "x|y",
    "back\\slash",
    "{curly}",
)
# Handles that are ordinary words or phrases (the issue of "the real one"), a
# nationality, a title or a place, or words of another language than the page's.
_ORDINARY_PHRASE_HANDLES = (
    "the real one",
    "Not a bot",
    "Common Sense",
    "Truth Seeker",
    "Old Soldier",
    "Name",
    "Owner",
    "Be",
    "Any",
    "Jo",
    "A. Nonyme",
)
_NATIONAL_TITLE_PLACE_HANDLES = (
    "Ostranian Patriot",
    "Patriot",
    "The General",
    "Professor",
    "Doctor",
    "Captain",
    "Kansas",
    "London",
    "Viking",
)
_OTHER_LANGUAGE_HANDLES = (
    "rebelde",
    "sceptique",
    "Wanderer",
    "Sonnenschein",
    "Bürger",
    "patriota",
    "citoyen",
    "vieux_loup",
    "Lobo Solitario",
    "Sonnenblume",
    "Nachteule",
    "le_r\u00eaveur",
)
HANDLE_KINDS: dict[str, tuple[str, ...]] = {  # what the Hypothesis strategies draw from
    "common_word": _COMMON_WORDS,
    "digits": _DIGIT_HANDLES,
    "punctuation": _PUNCT_HANDLES,
    "phrase": _PHRASE_HANDLES,
    "unicode": _UNICODE_HANDLES,
    "regex": _REGEX_HANDLES,
}
# The corpus generator draws from these too: handles that are ordinary words,
# the anonymiser's traps (the parse laws keep to the kinds above).
TRAP_HANDLE_KINDS: dict[str, tuple[str, ...]] = {
    "ordinary_phrase": _ORDINARY_PHRASE_HANDLES,
    "national_title_place": _NATIONAL_TITLE_PLACE_HANDLES,
    "other_language": _OTHER_LANGUAGE_HANDLES,
}


def handle(rng: random.Random) -> str:
    """A commenter handle of any kind, often invented, sometimes from the banks."""
    kind = rng.random()
    if kind < 0.35:
        return f"{_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}"
    if kind < 0.5:
        return f"{_pick(rng, FIRST_NAMES).lower()}{rng.randint(1, 999)}"
    if kind < 0.6:
        return _pick(rng, FIRST_NAMES)
    kinds = {**HANDLE_KINDS, **TRAP_HANDLE_KINDS}
    bank = kinds[_pick(rng, tuple(kinds))]
    return _pick(rng, bank)


def cast_of_commenters(rng: random.Random, size: int) -> list[str]:
    """Distinct handles for one page: some will recur, as on real threads."""
    cast: list[str] = []
    while len(cast) < size:
        name = handle(rng)
        if name not in cast:
            cast.append(name)
    return cast


def copypasta_texts(seed: int, count: int = 12) -> tuple[str, ...]:
    """Texts pasted verbatim by several commenters across the corpus."""
    rng = random.Random(f"copypasta/{seed}")
    return tuple(
        " ".join(_comment_sentence(rng, pick_topic(rng)) for _ in range(4)) + " SHARE THIS!"
        for _ in range(count)
    )
