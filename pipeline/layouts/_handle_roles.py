"""Handle line or body line: the evidence, and a Viterbi decoder over a page.

A commenter handle and a short comment line can look alike ("Cat" and
"oops", "You can call me Al" and "You Are IsIs"), so no line is judged alone.
This module gives each one-line paragraph a *handle log-odds* from its shape
and leaves the decision to a dynamic program over the page's sequence of
paragraphs (:meth:`CostTables.cheapest_path`, a Viterbi decoder), where each layout
states which role sequences its sites can produce and what they cost (an
empty comment, a comment of many paragraphs, ...). Two page-wide constraints
sit on top of the chain (:func:`decode_roles`): a text that recurs on the
page takes one role at all its occurrences (a handle recurs because one
person comments twice; a pasted body line stays a body line), found by
coordinate descent over the recurring texts (:func:`tied_decode`); and the
comment count the page declares caps the number of handles and, weakly,
pulls a short count up (:func:`_towards_count`; only where the page shows its
whole comment section). A line that other comments address by name ("thank
you Not a bot, well said", "igor, please read", "@name") gains handle
evidence (:func:`addressed_names`): people address each other by handle.

Shape evidence (all family-wide, none from one site): few words, no sentence
ending, no question mark or URL, no function words ("the", "is", "you"),
every word capitalised or a phrase ending in a name ("You can call me Al"),
letters mixed with digits ("r0b1n"), one unbroken
token ("FlorianGeyer", also with a stray mark after a space:
"northerntruthseeker ."), a trailing "(username)". Evidence against: sentence
punctuation, emoticons, a leading quote or ellipsis, elongated words and
"!!!", interjections ("lol", "oops") alone or chat slang in a phrase
("what a shocker lmao"), phrases made only of function and
reaction words ("Me too", "Well said", "So true!") and length.

This module never reads page structure beyond the lines it is given and never
decides where the article ends: the layouts do.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

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
CHAT_SLANG = frozenset("lol lmao lmfao rofl haha hahaha hehe omg wtf smh tbh imo imho".split())
REACTION_WORDS = frozenset(
    """agree agreed disagree same too true false said nice good great one thats that's
    well done point sense me lol funny joke totally absolutely definitely""".split()
)
_REACTION_VOCABULARY = FUNCTION_WORDS | INTERJECTIONS | REACTION_WORDS
_ELONGATED = re.compile(r"([A-Za-z])\1{3,}|[!?]{2,}")
_EMOTICON = re.compile(r"(?:[:;=]-?[()DPpO3\]\[/\\|]|\(\s*:|<3|\^\^|xD)")
_MIXED_TOKEN = re.compile(r"(?=\w*[A-Za-z])(?=\w*\d)\w{3,}")
_QUESTION = re.compile(r"\?(?:\s|[\"'”’)]*$)")
_DETACHED_END = re.compile(r"\w\s+[.!?…]$")  # "northerntruthseeker .": a name, a stray mark
_TRAILING_USERNAME = re.compile(r"\(\s*[\w.@\-]{2,}\s*\)$")

# Where commenters address each other by handle: "@name", "thank you name,",
# "name, please read ...". What is captured is compared with the candidate lines.
_AT_NAME = re.compile(r"(?:^|(?<=\s))@([\w.\-]{2,40})")
_CUED_NAME = re.compile(
    r"\b(?i:thanks|thank you|thx|hey|hi|hello|dear|sorry|well said|good point|agreed)"
    r",?[ \t]+([^\s,!.?…:;][^,!.?…:;\n]{0,38}?)(?=[ \t]*(?:[,!?…:;]|\.(?:\s|$)|$))",
    re.M,
)
_OPENING_NAME = re.compile(
    r"^([^\s,!.?…:;][^,!.?…:;\n]{0,38}?)(?:[ \t]*(?:,|…|\.\.\.)[ \t]*"
    r"(?i:please|you|your|you're|go|read|stop|look|try|get|what|why|how|are|is|i|did)\b"
    r"|[ \t]+(?i:is|was) (?i:so |absolutely |dead )?(?i:right|wrong)\b)",
    re.M,
)

IMPOSSIBLE = 1e9
SHAPE_CACHE_SIZE = 65_536  # shape_log_odds is pure and every layout asks it again
RECURRENCE_BONUS = 0.75
ADDRESSED_BONUS = 1.5  # another comment addresses this exact text by name
PRIOR_CONTINUE = 0.3
PRIOR_WEIGHT = 8.0
MIN_CONTINUE, MAX_CONTINUE = 0.1, 0.6
ESTIMATION_ROUNDS = 2
HANDLE = "H"
TIE_ROUNDS = 4
NEAR_COST, NEAR_SHARE = 1e-6, 1e-9  # flips this close to the cheapest are decoded exactly
COUNT_STEP = 0.5
MAX_CAP_PENALTY = 4.0
MAX_SHORTFALL_BONUS = 1.5  # only where the page shows its whole comment section


def _bare(token: str) -> str:
    return token.strip(".,!?;:\"'“”‘’()[]…-").lower()


@lru_cache(maxsize=SHAPE_CACHE_SIZE)
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
    detached_mark = n == 1 and bool(_DETACHED_END.search(text))
    if _QUESTION.search(text) and not detached_mark:
        score -= 3.0
    elif ends_sentence(text) and not detached_mark:
        score -= 2.0
    if not (text[0].isalnum() or text[0] in "(@_[-"):
        score -= 1.5
    if _EMOTICON.search(text):
        score -= 2.0
    function_words = sum(b in FUNCTION_WORDS for b in bare)
    score -= min(2.4, 0.8 * function_words) if n >= 2 else 0.5 * function_words
    if all(b in INTERJECTIONS for b in bare):
        score -= 5.0
    elif n >= 2 and any(b in CHAT_SLANG for b in bare):
        score -= 1.5  # "what a shocker lmao": a remark; a handle is a name, not a laugh
    elif n >= 2 and all(b in _REACTION_VOCABULARY for b in bare):
        score -= 3.0
    if _ELONGATED.search(text):
        score -= 2.0
    if not any(char.isalpha() for char in text):
        score -= 3.0
    if n == 1 and ends_sentence(text) and not detached_mark:
        score -= 1.0
        if bare[0] in FUNCTION_WORDS:
            score -= 2.0  # "This.": a one-word sentence; the handle "as" has no full stop
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


@dataclass(frozen=True)
class CostTables:
    """Every emission and transition cost of a decode, computed once, and the
    Viterbi decoder over them (:meth:`cheapest_path`).

    Costs of :data:`IMPOSSIBLE` or more forbid a step; ties go to the state
    listed first, so the result is deterministic.

    A page is decoded many times with the same costs (coordinate descent over
    recurring texts, steps towards the declared count), so the costs are
    tabulated once and each decode is a plain dynamic program over lists.
    ``emission[i][s]``, ``start[s]`` (entering the first unit),
    ``transition[i][p][s]`` (from state p at unit i-1 to s at unit i; row 0
    unused) and ``final[s]``, states by index in ``states``.
    """

    states: tuple[str, ...]
    emission: list[list[float]]
    start: list[float]
    transition: list[list[list[float]]]
    final: list[float]

    def cheapest_path(self, emission: list[list[float]]) -> tuple[list[str], float]:
        """The cheapest states for these costs, with ``emission`` in place of
        the tabulated emission costs (the same shape)."""
        n_units, indices = len(emission), range(len(self.states))
        if n_units == 0:
            return [], 0.0
        best = [self.start[s] + emission[0][s] for s in indices]
        back: list[list[int]] = []
        for i in range(1, n_units):
            steps, here = self.transition[i], emission[i]
            row: list[float] = []
            pointers: list[int] = []
            for s in indices:
                chosen, cost = 0, best[0] + steps[0][s]
                for p in indices[1:]:
                    candidate = best[p] + steps[p][s]
                    if candidate < cost:
                        chosen, cost = p, candidate
                row.append(cost + here[s])
                pointers.append(chosen)
            best = row
            back.append(pointers)
        last = min(indices, key=lambda s: best[s] + self.final[s])
        total = best[last] + self.final[last]
        path = [last]
        for pointers in reversed(back):
            path.append(pointers[path[-1]])
        return [self.states[s] for s in reversed(path)], total

    @cached_property
    def transition_array(self) -> np.ndarray:
        """``transition`` as one array, shape ``(n_units, n_states, n_states)`` (row 0 zeros)."""
        n_states = len(self.states)
        steps = [np.zeros((n_states, n_states))] + [np.array(t) for t in self.transition[1:]]
        return np.stack(steps)


def cost_tables(
    n_units: int,
    states: Sequence[str],
    emission: Callable[[int, str], float],
    transition: Callable[[int, str | None, str], float],
    final: Callable[[str], float] = lambda state: 0.0,
) -> CostTables:
    """Tabulate the costs of a decode over ``n_units`` units: ``emission(i, state)``
    of unit ``i`` having ``state``, ``transition(i, previous, state)`` of
    entering ``state`` at unit ``i`` from ``previous`` (None for the first
    unit), ``final(state)`` of ending in it."""
    return CostTables(
        states=tuple(states),
        emission=[[emission(i, s) for s in states] for i in range(n_units)],
        start=[transition(0, None, s) for s in states] if n_units else [0.0] * len(states),
        transition=[[]]
        + [[[transition(i, p, s) for s in states] for p in states] for i in range(1, n_units)],
        final=[final(s) for s in states] if n_units else [0.0] * len(states),
    )


def decode_roles(
    texts: Sequence[str | None],
    states: Sequence[str],
    emission_for: Callable[[Sequence[float]], Callable[[int, str], float]],
    transition_for: Callable[[float], Callable[[int, str | None, str], float]],
    final: Callable[[str], float],
    continuations: Callable[[Sequence[str]], tuple[int, int]],
    declared: int | None = None,
    pull_to_count: bool = True,
    prior_continue: float = PRIOR_CONTINUE,
    page_text: str = "",
) -> list[str]:
    """Roles for a page's units (handle state ``"H"``): shape evidence, one role
    for every occurrence of a text, the page's declared comment count, decoded.

    ``texts[i]`` is unit i's one line when it could be a handle, else None;
    ``emission_for(odds)`` gives the emission costs for per-unit handle
    log-odds; ``transition_for(p)`` the transition costs when a body paragraph
    is followed by another paragraph of the same comment with probability
    ``p``. That probability differs from page to page (some threads are one
    paragraph per comment, some long letters), so it is estimated on the page
    itself: decode, count the continuations the decoded roles show
    (``continuations(labels) -> (continued, ended)``), re-estimate (shrunk to
    a prior, ``prior_continue``) and decode again.

    Each decode is :func:`tied_decode` (a text that occurs more than once is a
    handle at every occurrence or at none), then moved towards ``declared``,
    the comment count the page states, if any (:func:`_towards_count`); when
    comments may have no handle, or the page may be cut off before the end of
    its comments (``pull_to_count=False``), the count only caps the handles.
    ``page_text``: the text of the comment zone, where commenters address each
    other by handle (:func:`addressed_names`).
    """
    odds = handle_log_odds(texts, page_text)
    p_continue = prior_continue
    labels: list[str] = []
    for _ in range(ESTIMATION_ROUNDS):
        tables = cost_tables(len(texts), states, emission_for(odds), transition_for(p_continue),
                             final)  # fmt: skip
        labels = tied_decode(texts, tables)
        if declared is not None and (pull_to_count or labels.count(HANDLE) > declared):
            labels = _towards_count(texts, tables, declared, labels)
        continued, ended = continuations(labels)
        p_continue = (continued + PRIOR_WEIGHT * prior_continue) / (
            continued + ended + PRIOR_WEIGHT
        )
        p_continue = min(MAX_CONTINUE, max(MIN_CONTINUE, p_continue))
    return labels


def handle_log_odds(texts: Sequence[str | None], page_text: str = "") -> list[float]:
    """Shape log-odds per unit (impossible for None), plus
    :data:`RECURRENCE_BONUS` for a text that occurs more than once and
    :data:`ADDRESSED_BONUS` for one that the page addresses by name
    (:func:`addressed_names`)."""
    occurrences = Counter(t for t in texts if t is not None)
    named, at_named = addressed_names(page_text)
    odds = []
    for text in texts:
        if text is None:
            odds.append(-IMPOSSIBLE)
            continue
        score = shape_log_odds(text) + (RECURRENCE_BONUS if occurrences[text] > 1 else 0.0)
        if text.strip() in named or _at_form(text) in at_named:
            score += ADDRESSED_BONUS
        odds.append(score)
    return odds


def addressed_names(page_text: str) -> tuple[frozenset[str], frozenset[str]]:
    """What the page's comments address by name: texts after a greeting or
    thanks and before punctuation ("thank you Not a bot, well said"), texts
    opening a paragraph before a comma and a directive ("igor, please read")
    or a verdict ("Mr. T is right ..."), and ``@name`` mentions (second set,
    spaces dropped and lower-cased).

    A commenter addresses another by handle, not by a line of someone's
    comment, so a one-line paragraph named this way is more likely a handle.
    """
    named = {m.group(1).strip() for m in _CUED_NAME.finditer(page_text)}
    named |= {m.group(1).strip() for m in _OPENING_NAME.finditer(page_text)}
    at_named = {m.group(1).rstrip(".-").lower() for m in _AT_NAME.finditer(page_text)}
    return frozenset(n for n in named if n), frozenset(n for n in at_named if n)


def _at_form(text: str) -> str:
    return "".join(text.split()).rstrip(".-").lower()


def tied_decode(
    texts: Sequence[str | None],
    tables: CostTables,
    handle_penalty: float = 0.0,
) -> list[str]:
    """The cheapest roles when every occurrence of a recurring text has the same
    role, handle or not (one person's handle recurs as a handle; a body line
    pasted twice stays a body line).

    Every occurrence keeps its own emission cost (a short body line pasted
    three times is three times as unlikely to be a handle line). Found by coordinate
    descent over the recurring texts from two starts, the untied decode (each
    text takes the role most of its occurrences got) and each text's own shape:
    take the single flip of one text's role that lowers the cost of the whole
    page most, until no flip helps; the cheaper end wins.
    ``handle_penalty`` is added to every handle (see :func:`_towards_count`).
    """
    occurrences = Counter(t for t in texts if t is not None)
    recurring_texts = [t for t in dict.fromkeys(texts) if t is not None and occurrences[t] > 1]
    handle = tables.states.index(HANDLE)
    # A bonus (negative penalty) is for the text, not for each of its
    # occurrences: a line pasted three times must not win three times over.
    shares = [occurrences[t] if handle_penalty < 0 and t is not None else 1 for t in texts]
    penalised = [
        [cost + handle_penalty / shares[i] if s == handle else cost for s, cost in enumerate(row)]
        for i, row in enumerate(tables.emission)
    ]

    def decode(is_handle: dict[str, bool]) -> tuple[list[str], float]:
        rows = list(penalised)
        for i, text in enumerate(texts):
            if text is not None and text in is_handle:
                tie = is_handle[text]
                rows[i] = [
                    IMPOSSIBLE if (s == handle) != tie else cost
                    for s, cost in enumerate(penalised[i])
                ]
        return tables.cheapest_path(rows)

    base = np.array(penalised, dtype=float).reshape(len(texts), len(tables.states))
    at_rows: dict[str, list[int]] = {t: [] for t in recurring_texts}
    for i, text in enumerate(texts):
        if text is not None and text in at_rows:
            at_rows[text].append(i)
    rows_of = {t: np.array(at_rows[t], dtype=np.intp) for t in recurring_texts}
    is_handle_state = np.arange(len(tables.states)) == handle

    def tied_rows(text: str, tie: bool) -> np.ndarray:
        """The emission rows of ``text``'s occurrences, all handle (tie) or all not."""
        return np.where(is_handle_state != tie, IMPOSSIBLE, base[rows_of[text]])

    def descend(is_handle: dict[str, bool]) -> tuple[list[str], float]:
        labels, cost = decode(is_handle)
        for _ in range(TIE_ROUNDS * len(recurring_texts)):  # each flip lowers the cost
            # Every single flip from here, and the best of them (the first
            # improving flip can lead away from a better one). The cost of each
            # flip comes from one pass over the page (flip_costs); the flips
            # whose cost is near the lowest are decoded again exactly, and the
            # first of them that lowers the cost most by more than 1e-9 wins:
            # the same flip, path and cost as decoding every flip exactly.
            current = base.copy()
            for text, tie in is_handle.items():
                current[rows_of[text]] = tied_rows(text, tie)
            approx = flip_costs(tables, current, [rows_of[t] for t in recurring_texts],
                                [tied_rows(t, not is_handle[t]) for t in recurring_texts])
            lowest = float(approx.min())
            best: tuple[float, int, list[str]] | None = None
            near = NEAR_COST + NEAR_SHARE * abs(lowest)  # the sums' rounding grows with them
            for k in np.flatnonzero(approx <= lowest + near).tolist():
                text = recurring_texts[k]
                trial = {**is_handle, text: not is_handle[text]}
                flipped_labels, flipped_cost = decode(trial)
                if flipped_cost < cost - 1e-9 and (best is None or flipped_cost < best[0] - 1e-9):
                    best = (flipped_cost, k, flipped_labels)
            if best is None:
                break
            cost, k, labels = best
            is_handle = {**is_handle, recurring_texts[k]: not is_handle[recurring_texts[k]]}
        return labels, cost

    labels, cost = decode({})
    if not recurring_texts:
        return labels
    votes = Counter((t, label == HANDLE) for t, label in zip(texts, labels, strict=True))
    by_votes = {t: votes[(t, True)] >= votes[(t, False)] for t in recurring_texts}
    first_at = {t: texts.index(t) for t in recurring_texts}
    by_shape = {
        t: penalised[i][handle] < min(c for s, c in enumerate(penalised[i]) if s != handle)
        for t, i in first_at.items()
    }
    # Two starts, because flipping one text at a time cannot swap two texts'
    # roles at once ("{curly}" a handle and "You Are IsIs" a body line, both
    # recurring): the votes of the untied decode, and each text's own shape.
    best_labels, best_cost = descend(by_votes)
    if by_shape != by_votes:
        shape_labels, shape_cost = descend(by_shape)
        if shape_cost < best_cost - 1e-9:
            best_labels = shape_labels
    return best_labels


def _min_plus(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Min-plus products of stacks of square matrices, ``a[k] (x) b[k]``."""
    return (a[..., :, :, None] + b[..., None, :, :]).min(axis=-2)


def flip_costs(tables: CostTables, emission: np.ndarray, rows: Sequence[np.ndarray],
               flipped: Sequence[np.ndarray]) -> np.ndarray:
    """The cheapest-path cost for each flip ``k``: ``emission`` (shape ``(n_units,
    n_states)``) with the rows ``rows[k]`` (ascending) replaced by ``flipped[k]``.

    One pass over the page for all flips, however many: the steps between
    units are min-plus matrices (transition into unit i plus its emission),
    kept in a segment tree, so the cost of a flip is the product of the
    stretches between its rows (a few tree nodes each) and its flipped rows.
    Linear in the page plus the flipped rows times the log of the page, where
    decoding each flip alone is quadratic once texts recur across the page.
    The sums are in another order than :meth:`CostTables.cheapest_path`'s, so
    the costs agree with it to rounding only: callers decode the cheapest
    flips again exactly.
    """
    n_units, n_states = emission.shape
    steps = tables.transition_array + emission[:, None, :]  # step into unit i (i >= 1)
    start = np.asarray(tables.start) + emission[0]
    final = np.asarray(tables.final)
    identity = np.full((n_states, n_states), np.inf)
    np.fill_diagonal(identity, 0.0)
    size = 1
    while size < max(n_units - 1, 1):
        size *= 2
    tree = np.broadcast_to(identity, (2 * size, n_states, n_states)).copy()
    tree[size:size + n_units - 1] = steps[1:]
    lo = size // 2
    while lo >= 1:
        tree[lo:2 * lo] = _min_plus(tree[2 * lo:4 * lo:2], tree[2 * lo + 1:4 * lo:2])
        lo //= 2

    def stretch(first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Products of the steps into units first..last (inclusive; empty: identity)."""
        left = np.broadcast_to(identity, (len(first), n_states, n_states)).copy()
        right = left.copy()
        lo_at = first - 1 + size
        hi_at = last + size  # half-open over step indices first-1 .. last-1
        while True:
            active = lo_at < hi_at
            if not active.any():
                break
            take = active & (lo_at % 2 == 1)
            if take.any():
                left[take] = _min_plus(left[take], tree[lo_at[take]])
                lo_at = lo_at + take
            take = active & (hi_at % 2 == 1)
            if take.any():
                hi_at = hi_at - take
                right[take] = _min_plus(tree[hi_at[take]], right[take])
            lo_at //= 2
            hi_at //= 2
        return _min_plus(left, right)

    # every stretch needed: before each text's first row, between its rows, after its last
    counts = np.array([len(at) for at in rows], np.intp)
    ends = np.cumsum(counts + 1)  # text k's stretches: ends[k] - counts[k] - 1 .. ends[k] - 1
    all_rows = np.concatenate(rows)
    row_start = np.cumsum(counts) - counts  # text k's rows: row_start[k] .. + counts[k]
    firsts = np.empty(int(ends[-1]), np.intp)
    lasts = np.empty(int(ends[-1]), np.intp)
    text_of_row = np.repeat(np.arange(len(rows)), counts)
    stretch_of_row = np.arange(len(all_rows)) + text_of_row  # stretch before each row
    firsts[stretch_of_row] = np.concatenate([[0], all_rows[:-1]]) + 1
    firsts[stretch_of_row[row_start]] = 1
    lasts[stretch_of_row] = all_rows - 1
    firsts[ends - 1] = all_rows[row_start + counts - 1] + 1
    lasts[ends - 1] = n_units - 1
    products = stretch(firsts, lasts)
    row_steps = tables.transition_array[all_rows] + np.concatenate(flipped)[:, None, :]
    first_rows = all_rows[row_start]
    vector = ((start[:, None] + products[stretch_of_row[row_start]]).min(axis=1)[:, :, None]
              + row_steps[row_start]).min(axis=1)
    at_zero = first_rows == 0
    if at_zero.any():
        vector[at_zero] = np.asarray(tables.start)[None, :] + np.concatenate(flipped)[
            row_start[at_zero]]
    for j in range(1, int(counts.max())):
        active = np.flatnonzero(counts > j)
        at = row_start[active] + j
        between = products[stretch_of_row[at]]
        step = (vector[active][:, :, None] + between).min(axis=1)
        vector[active] = (step[:, :, None] + row_steps[at]).min(axis=1)
    tail = products[ends - 1]
    vector = (vector[:, :, None] + tail).min(axis=1)
    return (vector + final[None, :]).min(axis=1)


def _towards_count(
    texts: Sequence[str | None],
    tables: CostTables,
    declared: int,
    labels: list[str],
) -> list[str]:
    """The roles moved towards the comment count the page declares.

    A page never shows more comments than it counts, but often fewer (deleted
    or hidden ones), so the count is a firm cap and a weak target. Too many
    handles: every handle pays an extra cost, raised in steps up to
    :data:`MAX_CAP_PENALTY`, until no more than ``declared`` are left (if
    even that cost leaves too many, the count is stale and the page's own
    evidence stands). Too few: every handle gets a small bonus, up to
    :data:`MAX_SHORTFALL_BONUS`, enough to tip a line that is nearly as
    likely a handle as a body line, never to overshoot the count.
    """
    found = labels.count(HANDLE)
    if found == declared:
        return labels
    too_many = found > declared
    limit = MAX_CAP_PENALTY if too_many else MAX_SHORTFALL_BONUS
    best = labels
    for step in range(1, int(round(limit / COUNT_STEP)) + 1):
        penalty = step * COUNT_STEP * (1 if too_many else -1)
        trial = tied_decode(texts, tables, penalty)
        found = trial.count(HANDLE)
        if too_many and found <= declared:
            return trial
        if not too_many:
            if found > declared:
                return best
            best = trial
            if found == declared:
                return best
    return best


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
