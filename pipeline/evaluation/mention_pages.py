"""Seeded generator of comment threads with known mentions and trap words.

Each generated page has an article naming public figures, 5-8 commenters with
handles of every awkward kind (first names that are common words, single
common-word handles like "Cat" or "as", camelCase, digits, Unicode, regex
metacharacters, slogans containing a public figure's name, "Dr. Pro Liv"),
and comments that either address someone in their thread (vocative, "@",
greeting, trailing "Name :)", full handle, mid-sentence reference) or use a
handle's word as an ordinary word ("as bad as", "the Dutch army", "Pro-West",
"support for Assad", "John Kerry", "Cat videos").

The truth is recorded as spans: the evaluation (pipeline.evaluation.anonymise)
and the tests compare the mention finder against it. Nothing here touches real
commenters; all names are invented or public.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PUBLIC_FIGURES = ("Assad", "Putin", "Trump", "Erdogan", "Netanyahu", "Macron")


@dataclass(frozen=True)
class Persona:
    """A commenter: the handle, and how others address them."""

    handle: str
    addresses: tuple[str, ...]  # vocative forms ("Prom", "david", "Jerry")
    capital_forms: tuple[str, ...] = ()  # forms for mid-sentence reference


@dataclass
class GoldComment:
    position: int
    parent_position: int | None
    handle: str | None
    text: str = ""
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, handle
    traps: list[tuple[int, int]] = field(default_factory=list)
    # mentions neither counted nor held against the finder (a commenter the page hides)
    ignored: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class GoldPage:
    article: str
    comments: list[GoldComment]


PERSONAS = (
    Persona("Promitheas Apollonious", ("Prom", "Promitheas"), ("Promitheas",)),
    Persona("jerry hamilton", ("Jerry", "jerry", "Hamilton"), ("Jerry",)),
    Persona("David Leach", ("David", "david"), ("David",)),
    Persona("John Whitehot", ("John", "Whitehot"), ("John",)),
    Persona("Rob", ("Rob",), ("Rob",)),
    Persona("Cat", ("Cat",), ()),
    Persona("as", (), ()),
    Persona("Joe", ("Joe",), ()),
    Persona("dutchnational", ("dutchnational", "Dutchnational"), ("dutchnational",)),
    Persona("FlorianGeyer", ("Florian", "FlorianGeyer"), ("Florian",)),
    Persona("Dr. Pro Liv", ("Dr. Pro Liv",), ()),
    Persona("Assad must stay (gr8rambino)", ("gr8rambino",), ()),
    Persona("Putin lover", ("Putin lover",), ()),
    Persona("Hrky75", ("Hrky75", "Hrky"), ("Hrky75",)),
    Persona("r0b1n", ("r0b1n",), ("r0b1n",)),
    Persona("Zoë Ångström", ("Zoë", "Ångström"), ("Zoë",)),
    Persona("ihraç subay", ("ihraç",), ()),
    Persona("C++ (fan)*", ("C++ (fan)*",), ()),
    Persona("$mike$ [x]?", ("mike",), ("Mike",)),
    Persona("Wise Gandalf", ("Gandalf",), ("Gandalf",)),
    Persona("Siegfried", ("Siegfried",), ("Siegfried",)),
    Persona("Elmarie Muller", ("Elmarie", "Muller"), ("Elmarie",)),
)

SENTENCES = (
    "the sanctions will not change anything",
    "I think the coalition planned this all along",
    "nobody believes the official report",
    "read the article again before you post",
    "the map shows who controls the river",
    "that is exactly what happened in 2016",
)

# (template, persona handles whose words appear as ordinary words in it)
TRAPS = (
    ("It is as bad as it looks, and as usual nobody cares.", "as", ("as", "as", "as")),
    ("Cat videos are better than this article.", "Cat", ("Cat",)),
    ("My cat could run a better foreign policy.", "Cat", ("cat",)),
    ("The Dutch army would run away again.", "dutchnational", ("Dutch",)),
    ("Why the Dutch waste money on weapons is a mystery.", "dutchnational", ("Dutch",)),
    ("They have a Pro-West government now.", "Dr. Pro Liv", ("Pro",)),
    ("There are pros and cons, mostly cons, the pro side is weak.", "Dr. Pro Liv", ("pro",)),
    ("Russia is there to help Assad, not itself.", "Assad must stay (gr8rambino)", ("Assad",)),
    ("Assad makes the calls and Russia complies.", "Assad must stay (gr8rambino)", ("Assad",)),
    ("Israel bombed ASSAD's troops again.", "Assad must stay (gr8rambino)", ("ASSAD",)),
    ("Putin will not accept a smaller role.", "Putin lover", ("Putin",)),
    ("Nobody trusts Mr Putin on this.", "Putin lover", ("Putin",)),
    ("When John Kerry took over nothing changed.", "John Whitehot", ("John",)),
    ("David Cameron said the same in 2013.", "David Leach", ("David",)),
    ("Joe Biden will not change that.", "Joe", ("Joe",)),
    ("You must stay calm and read it twice.", "Assad must stay (gr8rambino)", ("must", "stay")),
    ("A wise man would wait for the report.", "Wise Gandalf", ("wise",)),
    ("It is just a story, even the Dutch press says so.", "dutchnational", ("Dutch",)),
    ("Cat, dog and parrot videos get more views than this.", "Cat", ("Cat",)),
    ("Thanks to Putin the talks failed.", "Putin lover", ("Putin",)),
    ("They call him Dr. Pro because he is a pro at lying.", "Dr. Pro Liv", ("Pro", "pro")),
    ("David and Goliath, that is the story here.", "David Leach", ("David",)),
    ("Hey, as I said before, the report is fake.", "as", ("as",)),
    ("Ask the Dutch.", "dutchnational", ("Dutch",)),
    ("Joe, the plumber, would know better.", "Joe", ("Joe",)),
)


def _mention_templates(form: str, full: str, capital: str | None) -> list[str]:
    """Comment templates that address someone; {m} marks the mention."""
    templates = [
        "Hey {m}, {s}.",
        "{m}, {s}.",
        "{m}…{s}.",
        "@{m} {s}.",
        "Thank you {m}, {s}.",
        "thanks {m}! {s}.",
        "{S}. You were right {m} :)",
        "ok {m}, {s}.",
    ]
    if capital:
        templates += [
            "I agree with {c} here, {s}.",
            "If your name were really {c}, {s}.",
            "{c}'s point is fair: {s}.",
            "{S}, as {c} wrote above.",
        ]
    if full:
        templates += ["{f} is right: {s}.", "As {f} said, {s}."]
    return templates


def _render(template: str, form: str, full: str, capital: str | None, sentence: str):
    """Fill a template, returning the text and the span of the mention."""
    text, span = "", None
    i = 0
    while i < len(template):
        if template.startswith("{m}", i) or template.startswith("{f}", i) or template.startswith(
            "{c}", i
        ):
            value = {"m": form, "f": full, "c": capital or form}[template[i + 1]]
            span = (len(text), len(text) + len(value))
            text += value
            i += 3
        elif template.startswith("{s}", i):
            text += sentence
            i += 3
        elif template.startswith("{S}", i):
            text += sentence[:1].upper() + sentence[1:]
            i += 3
        else:
            text += template[i]
            i += 1
    return text, span


def _article(rng: random.Random) -> str:
    names = rng.sample(PUBLIC_FIGURES, 3)
    return (
        f"{names[0]} and {names[1]} meet again\n\n"
        f"{names[0]} met {names[1]} on Monday. {names[2]} was not invited, officials said."
    )


def generate_pages(seed: int = 7, n_pages: int = 200) -> list[GoldPage]:
    rng = random.Random(seed)
    return [_page(rng) for _ in range(n_pages)]


def _page(rng: random.Random) -> GoldPage:
    cast = rng.sample(PERSONAS, rng.randint(5, 8))
    comments: list[GoldComment] = []
    for position in range(rng.randint(6, 12)):
        author = rng.choice(cast + [None])  # type: ignore[list-item]
        parent = rng.choice([None, None] + list(range(position))) if position else None
        comment = GoldComment(position, parent, author.handle if author else None)
        target = _target(comments, parent, author, far=rng.random() < 0.15)
        if target is not None and rng.random() < 0.6:
            _fill_mention(rng, comment, next(p for p in cast if p.handle == target))
        else:
            _fill_trap_or_plain(rng, comment, cast)
        comments.append(comment)
    return GoldPage(_article(rng), comments)


def _target(
    comments: list[GoldComment], parent: int | None, author, far: bool = False
) -> str | None:
    candidates = [comments[parent].handle] if parent is not None else []
    candidates += [c.handle for c in comments[-1:]]
    if far:  # someone further up the page, outside the thread
        candidates = [c.handle for c in comments[:-4]]
    own = author.handle if author else None
    for handle in candidates:
        if handle and handle != own:
            return handle
    return None


def _fill_mention(rng: random.Random, comment: GoldComment, persona: Persona) -> None:
    forms = list(persona.addresses)
    full = persona.handle if rng.random() < 0.3 else ""
    if not forms and not full:
        full = persona.handle
    capital = rng.choice(persona.capital_forms) if persona.capital_forms else None
    form = rng.choice(forms) if forms else persona.handle
    templates = _mention_templates(form, full, capital)
    if not forms:
        templates = ["@{f} {s}."]  # a handle like "as" is only recognisable after "@"
    template = rng.choice(templates)
    text, span = _render(template, form, full, capital, rng.choice(SENTENCES))
    comment.text = text
    if span is not None:
        comment.mentions.append((span[0], span[1], persona.handle))


def _fill_trap_or_plain(rng: random.Random, comment: GoldComment, cast) -> None:
    handles = {p.handle for p in cast}
    usable = [t for t in TRAPS if t[1] in handles]
    if not usable or rng.random() < 0.3:
        comment.text = rng.choice(SENTENCES).capitalize() + "."
        return
    sentence, _, words = rng.choice(usable)
    comment.text = sentence
    cursor = 0
    for word in words:
        start = _word_at(sentence, word, cursor)
        comment.traps.append((start, start + len(word)))
        cursor = start + len(word)


def _word_at(text: str, word: str, cursor: int) -> int:
    position = cursor
    while True:
        position = text.index(word, position)
        before = text[position - 1] if position else " "
        after = text[position + len(word)] if position + len(word) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return position
        position += 1
