"""The role decoder: the one-pass flip costs of the tie search (a segment tree of
min-plus steps) give the costs of the one-table decoder, to rounding."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.layouts._handle_roles import IMPOSSIBLE, cost_tables, flip_costs

STATES = ("H", "B", "X")
# Few distinct values, so equal costs (ties) are common; IMPOSSIBLE forbids steps.
_costs = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.25, IMPOSSIBLE])


@st.composite
def decodes(draw):
    n_units = draw(st.integers(1, 12))
    n_tables = draw(st.integers(1, 4))
    transition = {
        (i, p, s): draw(_costs) for i in range(n_units) for p in (None, *STATES) for s in STATES
    }
    final = {s: draw(_costs) for s in STATES}
    emissions = [[[draw(_costs) for _ in STATES] for _ in range(n_units)] for _ in range(n_tables)]
    tables = cost_tables(
        n_units,
        STATES,
        lambda i, s: emissions[0][i][STATES.index(s)],
        lambda i, p, s: transition[(i, p, s)],
        lambda s: final[s],
    )
    return tables, emissions


@settings(max_examples=300, deadline=None, derandomize=True)
@given(decodes())
def test_flip_costs_equal_the_single_decode(case):
    # every table after the first is a flip of all units of the first
    tables, emissions = case
    base = np.array(emissions[0])
    every_unit = np.arange(len(base))
    costs = flip_costs(tables, base, [every_unit] * len(emissions),
                       [np.array(e) for e in emissions])
    for k, emission in enumerate(emissions):
        _, cost = tables.cheapest_path(emission)
        assert np.isclose(costs[k], cost, rtol=1e-12, atol=1e-6)


def test_an_empty_decode_has_no_roles():
    tables = cost_tables(0, STATES, lambda i, s: 0.0, lambda i, p, s: 1 / 0)
    assert tables.cheapest_path([]) == ([], 0.0)


def test_flip_costs_agree_with_decoding_each_flip() -> None:
    """The one-pass flip costs (a segment tree of min-plus steps) equal, to rounding, the
    cost of decoding each flipped table on its own, including impossible steps and flips
    at the first and last unit."""
    rng = random.Random(7)
    states = STATES
    for _ in range(200):
        n = rng.randint(2, 40)
        emission = [[IMPOSSIBLE if s == 2 and i > 0 else rng.random() * 5 for s in range(3)]
                    for i in range(n)]
        steps = {(i, p, s): rng.choice([rng.random() * 3, IMPOSSIBLE])
                 for i in range(n) for p in range(3) for s in range(3)}
        def emit(i: int, s: str, emission=emission) -> float:
            return emission[i][states.index(s)]

        def step(i: int, p: str | None, s: str, steps=steps) -> float:
            return 0.0 if p is None else steps[(i, states.index(p), states.index(s))]

        tables = cost_tables(n, states, emit, step, lambda s: rng.random())
        base = np.array(tables.emission)
        rows, flipped = [], []
        for _ in range(rng.randint(1, 6)):
            at = np.array(sorted(rng.sample(range(n), rng.randint(1, min(n, 6)))))
            rows.append(at)
            flipped.append(np.array([[rng.random() * 5 for _ in states] for _ in at]))
        fast = flip_costs(tables, base, rows, flipped)
        for k, (at, new) in enumerate(zip(rows, flipped, strict=True)):
            emission = base.copy()
            emission[at] = new
            _, exact = tables.cheapest_path(emission.tolist())
            assert np.isclose(fast[k], exact, rtol=1e-12, atol=1e-6)
