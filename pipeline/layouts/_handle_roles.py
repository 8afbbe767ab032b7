"""Handle line or body line: the evidence, and a Viterbi decoder over a page.

A commenter handle and a short comment line can look alike ("Cat" and
"oops", "You can call me Al" and "You Are IsIs"), so no line is judged alone.
This module gives each one-line paragraph a *handle log-odds* from its shape,
adds evidence from the whole page (the same line recurring, as handles do
when one person comments twice), and leaves the decision to a dynamic
program over the page's sequence of paragraphs (:func:`viterbi`), where each
layout states which role sequences its sites can produce and what they cost
(an empty comment, a comment of many paragraphs, ...).

Shape evidence (all family-wide, none from one site): few words, no sentence
ending, no question mark or URL, no function words ("the", "is", "you"),
every word capitalised or a phrase ending in a name ("You can call me Al"),
letters mixed with digits ("r0b1n"), one unbroken
token ("FlorianGeyer"), a trailing "(username)". Evidence against: sentence
punctuation, emoticons, a leading quote or ellipsis, elongated words and
"!!!", interjections ("lol", "oops"), phrases made only of function and
reaction words ("Me too", "Well said", "So true!") and length.

This module never reads page structure beyond the lines it is given and never
decides where the article ends: the layouts do.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from pipeline.layouts._page_structure import ends_sentence, has_url, words

FUNCTION_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been
    am i i'm im you your you're he she it it's its we they them me my his her our their
    this that these those what which who whom do does did don't not no so than then there
    here just can could will would should must have has had all any some very about how why
    when where also only even more most much too yes""".split()
)
INTERJECTIONS = frozenset(
    """lol lmao lmfao rofl haha hahaha hehe oops ooops wow yes yep yeah no nope ok okay
    exactly indeed agreed agree true thanks thank thx amen bingo bravo right correct sure
    nice great excellent wrong what why really hmm hm ugh yawn boom well so""".split()
)
REACTION_WORDS = frozenset(
    """agree agreed disagree same too true false said nice good great one thats that's
    well done point sense me lol funny joke totally absolutely definitely""".split()
)
_REACTION_VOCABULARY = FUNCTION_WORDS | INTERJECTIONS | REACTION_WORDS
_ELONGATED = re.compile(r"([A-Za-z])\1{3,}|[!?]{2,}")
_EMOTICON = re.compile(r"(?:[:;=]-?[()DPpO3\]\[/\\|]|\(\s*:|<3|\^\^|xD)")
_MIXED_TOKEN = re.compile(r"(?=\w*[A-Za-z])(?=\w*\d)\w{3,}")
_QUESTION = re.compile(r"\?(?:\s|[\"'”’)]*$)")
_TRAILING_USERNAME = re.compile(r"\(\s*[\w.@\-]{2,}\s*\)$")

IMPOSSIBLE = 1e9
RECURRENCE_BONUS = 0.75
PRIOR_CONTINUE = 0.3
PRIOR_WEIGHT = 8.0
MIN_CONTINUE, MAX_CONTINUE = 0.1, 0.6
ESTIMATION_ROUNDS = 2


def _bare(token: str) -> str:
    return token.strip(".,!?;:\"'“”‘’()[]…-").lower()


def shape_log_odds(text: str) -> float:
    """How much a one-line paragraph looks like a handle (> 0) or a body line (< 0)."""
    tokens = words(text)
    if not tokens:
        return 0.0 if len(text) <= 12 and " " not in text else -4.0
    if has_url(text):
        return -6.0
    n = len(tokens)
    bare = [_bare(t) for t in tokens]
    score = 0.5
    score += {1: 1.0, 2: 1.0, 3: 0.8, 4: 0.0, 5: -1.0}.get(n, -1.0 - 2.5 * (n - 5))
    score -= 0.15 * max(0, len(text) - 30)
    if _QUESTION.search(text):
        score -= 3.0
    elif ends_sentence(text):
        score -= 2.0
    if not (text[0].isalnum() or text[0] in "(@_[-"):
        score -= 1.5
    if _EMOTICON.search(text):
        score -= 2.0
    function_words = sum(b in FUNCTION_WORDS for b in bare)
    score -= min(2.4, 0.8 * function_words) if n >= 2 else 0.5 * function_words
    if all(b in INTERJECTIONS for b in bare):
        score -= 5.0
    elif n >= 2 and all(b in _REACTION_VOCABULARY for b in bare):
        score -= 3.0
    if _ELONGATED.search(text):
        score -= 2.0
    if not any(char.isalpha() for char in text):
        score -= 3.0
    if n == 1 and ends_sentence(text):
        score -= 1.0
    if n >= 2 and not function_words and all(t[0].isupper() or not t[0].isalpha() for t in tokens):
        score += 1.2
    if n >= 3 and tokens[-1][0].isupper() and not all(t[0].isupper() for t in tokens):
        score += 1.0
    if _MIXED_TOKEN.search(text):
        score += 1.5
    if n == 1 and len(tokens[0]) >= 4 and bare[0] not in INTERJECTIONS:
        score += 0.8
    if _TRAILING_USERNAME.search(text):
        score += 1.5
    return score


def recurring(texts: Iterable[str]) -> Counter[str]:
    """How often each one-line paragraph text occurs on the page."""
    return Counter(texts)


def cost_as_handle(log_odds: float) -> float:
    """-log P(handle) for a log-odds (softplus of its negation)."""
    return _softplus(-log_odds)


def cost_as_body(log_odds: float) -> float:
    """-log P(body line) for a log-odds."""
    return _softplus(log_odds)


def _softplus(x: float) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def viterbi(
    n_units: int,
    states: Sequence[str],
    emission: Callable[[int, str], float],
    transition: Callable[[int, str | None, str], float],
    final: Callable[[str], float] = lambda state: 0.0,
) -> list[str]:
    """The cheapest sequence of states for ``n_units`` units.

    ``emission(i, state)`` is the cost of unit ``i`` having ``state``;
    ``transition(i, previous, state)`` the cost of entering ``state`` at unit
    ``i`` from ``previous`` (None for the first unit); ``final(state)`` the
    cost of ending in it. Costs of :data:`IMPOSSIBLE` or more forbid a step.
    Ties go to the state listed first, so the result is deterministic.
    """
    if n_units == 0:
        return []
    best: list[dict[str, float]] = []
    back: list[dict[str, str | None]] = []
    for i in range(n_units):
        row: dict[str, float] = {}
        pointers: dict[str, str | None] = {}
        for state in states:
            here = emission(i, state)
            if i == 0:
                row[state] = here + transition(0, None, state)
                pointers[state] = None
                continue
            options = [(best[-1][prev] + transition(i, prev, state), prev) for prev in states]
            cost, prev = min(options, key=lambda option: option[0])
            row[state] = cost + here
            pointers[state] = prev
        best.append(row)
        back.append(pointers)
    last = min(states, key=lambda state: best[-1][state] + final(state))
    path = [last]
    for i in range(n_units - 1, 0, -1):
        previous = back[i][path[-1]]
        assert previous is not None
        path.append(previous)
    return path[::-1]


def log_posteriors(
    n_units: int,
    states: Sequence[str],
    emission: Callable[[int, str], float],
    transition: Callable[[int, str | None, str], float],
    final: Callable[[str], float] = lambda state: 0.0,
) -> list[dict[str, float]]:
    """Forward-backward over the same costs as :func:`viterbi`: for every unit,
    the log posterior of each state (up to a shared constant per unit)."""
    forward: list[dict[str, float]] = []
    for i in range(n_units):
        row = {}
        for state in states:
            if i == 0:
                into = -transition(0, None, state)
            else:
                into = _logsumexp(
                    forward[-1][prev] - transition(i, prev, state) for prev in states
                )
            row[state] = into - emission(i, state)
        forward.append(row)
    backward: list[dict[str, float]] = [{} for _ in range(n_units)]
    for i in range(n_units - 1, -1, -1):
        for state in states:
            if i == n_units - 1:
                backward[i][state] = -final(state)
                continue
            backward[i][state] = _logsumexp(
                backward[i + 1][nxt] - transition(i + 1, state, nxt) - emission(i + 1, nxt)
                for nxt in states
            )
    return [{s: forward[i][s] + backward[i][s] for s in states} for i in range(n_units)]


def _logsumexp(values: Iterable[float]) -> float:
    values = [v for v in values if v > -IMPOSSIBLE / 2]
    if not values:
        return -IMPOSSIBLE
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def pooled_log_odds(
    texts: Sequence[str | None],
    shape: Sequence[float],
    posteriors: Sequence[dict[str, float]],
    limit: float = 4.0,
) -> list[float]:
    """Handle log-odds per unit with the evidence of every other place its text occurs.

    The *context* of an occurrence is what its neighbours say (its posterior
    log-odds minus its own shape evidence). A handle recurs and every
    occurrence sits where a handle fits; a short body line that recurs ("ok")
    sits at least once where only a body line fits. Each occurrence thus gets
    its own shape plus the (clipped) contexts of its other occurrences, and
    the decoder adds its own context. Recurring at all is mild evidence too
    (:data:`RECURRENCE_BONUS`): people comment more than once.
    """
    context: list[float] = []
    for odds, post in zip(shape, posteriors, strict=True):
        others = _logsumexp(v for state, v in post.items() if state != "H")
        raw = post.get("H", -IMPOSSIBLE) - others - odds
        context.append(max(-limit, min(limit, raw)))
    totals: dict[str, float] = {}
    for text, ctx in zip(texts, context, strict=True):
        if text is not None:
            totals[text] = totals.get(text, 0.0) + ctx
    occurrences = Counter(t for t in texts if t is not None)
    return [
        odds
        if text is None or occurrences[text] < 2
        else odds + RECURRENCE_BONUS + totals[text] - ctx
        for text, odds, ctx in zip(texts, shape, context, strict=True)
    ]


def decode_roles(
    texts: Sequence[str | None],
    states: Sequence[str],
    emission_for: Callable[[Sequence[float]], Callable[[int, str], float]],
    transition_for: Callable[[float], Callable[[int, str | None, str], float]],
    final: Callable[[str], float],
    continuations: Callable[[Sequence[str]], tuple[int, int]],
) -> list[str]:
    """Roles for a page's units: shape evidence, pooled over recurring texts, decoded.

    ``texts[i]`` is unit i's one line when it could be a handle, else None;
    ``emission_for(odds)`` gives the emission costs for per-unit handle
    log-odds; ``transition_for(p)`` the transition costs when a body paragraph
    is followed by another paragraph of the same comment with probability
    ``p``. That probability differs from page to page (some threads are one
    paragraph per comment, some long letters), so it is estimated on the page
    itself: decode, count the continuations the decoded roles show
    (``continuations(labels) -> (continued, ended)``), re-estimate (shrunk to
    a prior) and decode again. Each decode runs one forward-backward pass to
    measure every occurrence's context, shares it among occurrences of the
    same text (:func:`pooled_log_odds`), then runs :func:`viterbi`.
    """
    shape = [shape_log_odds(t) if t is not None else -IMPOSSIBLE for t in texts]
    p_continue = PRIOR_CONTINUE
    labels: list[str] = []
    for _ in range(ESTIMATION_ROUNDS):
        transition = transition_for(p_continue)
        posteriors = log_posteriors(len(texts), states, emission_for(shape), transition, final)
        pooled = pooled_log_odds(texts, shape, posteriors)
        labels = viterbi(len(texts), states, emission_for(pooled), transition, final)
        continued, ended = continuations(labels)
        p_continue = (continued + PRIOR_WEIGHT * PRIOR_CONTINUE) / (
            continued + ended + PRIOR_WEIGHT
        )
        p_continue = min(MAX_CONTINUE, max(MIN_CONTINUE, p_continue))
    return labels


def continuation_costs(p_continue: float) -> tuple[float, float]:
    """(cost of a body paragraph continuing its comment, cost of it ending it)."""
    return -math.log(p_continue), -math.log(1 - p_continue)


def handle_fit(handles: Sequence[str]) -> float:
    """Mean probability that the handles found look like handles (0..1), a
    recurring one counting as more likely."""
    if not handles:
        return 0.0
    counts = recurring(handles)
    total = 0.0
    for handle in handles:
        odds = shape_log_odds(handle) + (1.5 if counts[handle] > 1 else 0.0)
        total += 1 / (1 + math.exp(-odds))
    return total / len(handles)
