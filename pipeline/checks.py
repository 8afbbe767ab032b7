"""Boundary checks: what the runner verifies before and after a stage runs.

The same functions run in the runner's process (whole-table stages) and on
an executor's worker (one partition of a per-page stage), so a partition is
held to exactly the contract the whole table is. They return problems as
data (:class:`pipeline.schemas.Problem`), never raise on a failed check, so a
distributed run can collect every failing partition instead of the first.

This module only checks Arrow tables handed to it: no file I/O, no printing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.neardup import string_hashes
from pipeline.schemas import Problem, contract, relation_problems, table_problems

# Columns whose values may contain a raw handle before anonymisation: failing
# values from them are never shown.
HANDLE_COLUMNS = frozenset({"handle", "text"})


def has_contract(stage: str, table: str) -> bool:
    """Whether ``schema/<stage>/<table>.json`` exists."""
    try:
        contract(stage, table)
    except KeyError:
        return False
    return True


def input_problems(
    inputs: Mapping[str, pa.Table],
    sources: Mapping[str, tuple[str, str]],
    columns: Mapping[str, Sequence[str]] | None = None,
) -> list[Problem]:
    """Every input table against the contract of the stage that produced it.

    ``sources`` maps an input name to ``(producing stage, table)``; inputs
    without a contract (raw seed bytes) are not checked. An input the stage
    reads only some ``columns`` of is checked on those columns. Cross-table
    checks run only when every single table passed.
    """
    problems: list[Problem] = []
    by_stage: dict[str, dict[str, pa.Table]] = {}
    for name, (stage, table_name) in sources.items():
        if not has_contract(stage, table_name):
            continue
        table_contract = contract(stage, table_name)
        if columns and name in columns:
            table_contract = table_contract.select(columns[name])
        problems += table_problems(table_contract, inputs[name])
        by_stage.setdefault(stage, {})[table_name] = inputs[name]
    if not problems:
        for stage, tables in by_stage.items():
            problems += relation_problems(stage, tables)
    return redact(problems)


def output_problems(stage: str, tables: Mapping[str, pa.Table]) -> list[Problem]:
    """Every output table against ``schema/<stage>/<table>.json``, then across tables."""
    problems: list[Problem] = []
    for name, table in tables.items():
        problems += table_problems(contract(stage, name), table)
    if not problems:
        problems += relation_problems(stage, tables)
    return redact(problems)


def redact(problems: list[Problem]) -> list[Problem]:
    """Drop example values of handle columns: errors must never print a handle."""
    return [
        Problem(p.table, p.column, p.check, p.message, (), p.stage)
        if p.column in HANDLE_COLUMNS
        else p
        for p in problems
    ]


def sorted_by_key(stage: str, table_name: str, table: pa.Table) -> pa.Table:
    """``table`` in primary-key order (a stable sort; a no-op on sorted tables)."""
    key = contract(stage, table_name).primary_key
    if not key or table.num_rows < 2:
        return table
    return table.sort_by([(column, "ascending") for column in key])


def key_bounds(stage: str, table_name: str, table: pa.Table) -> tuple[tuple, tuple] | None:
    """The primary key of the first and last row, or None for an empty table."""
    key = contract(stage, table_name).primary_key
    if not key or table.num_rows == 0:
        return None
    ends = table.select(key)
    first = tuple(ends.slice(0, 1).to_pylist()[0].values())
    last = tuple(ends.slice(table.num_rows - 1, 1).to_pylist()[0].values())
    return first, last


def key_hashes(keys: pa.Table) -> np.ndarray:
    """A 64-bit hash per row of a table of primary-key columns (uniqueness across partitions).

    Multi-column keys are joined with U+001F first; equal keys give equal
    hashes, different keys almost never do (collisions are re-checked on the
    values by whoever uses this).
    """
    if keys.num_rows == 0:
        return np.empty(0, np.uint64)
    columns = [pc.cast(keys[name], pa.string()) for name in keys.column_names]
    joined = columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, "\x1f")
    return string_hashes(joined.combine_chunks())
