"""The role decoder: the batched Viterbi (every single flip of the tie search
in one numpy pass) gives exactly the costs and paths of the one-table decoder."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.layouts._handle_roles import IMPOSSIBLE, cost_tables

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
def test_batched_decode_equals_the_single_decode(case):
    tables, emissions = case
    costs, pointers = tables.cheapest_costs(np.array(emissions))
    for k, emission in enumerate(emissions):
        path, cost = tables.cheapest_path(emission)
        assert float(costs[k]) == cost
        assert pointers.path(k) == path


def test_an_empty_decode_has_no_roles():
    tables = cost_tables(0, STATES, lambda i, s: 0.0, lambda i, p, s: 1 / 0)
    assert tables.cheapest_path([]) == ([], 0.0)
