"""One partition of a partitioned stage: the unit of work an executor runs.

A per-page stage (ingest, parse) handles every page independently, so the
runner cuts its input into partitions of pages (contiguous ranges of the
name-sorted seed files), and an executor runs :func:`run_partition` on each:
check the inputs, call the unchanged stage function, sort every output table
by its primary key, check the outputs with pandera. Failed checks come back
as data in the :class:`PartitionOutcome`, so the runner can report every
failing partition rather than the first.

A stage over whole articles (dedupe, anonymise) runs on partitions of
*article groups* instead: the runner puts every row of one group in the same
partition, choosing the partition from the group id alone
(:func:`group_partitions`). Tables a stage function returns without a
contract in ``schema/`` are work tables (e.g. dedupe's near-dup sketches):
persisted for a later global step, never checked or published.

:func:`run_partition` and the task it receives are top-level and picklable:
Dask ships them to worker processes, which re-import this module (never the
caller's ``__main__`` code). It does no file I/O: the runner reads each
partition's input and writes each partition's output.

:func:`merge_reports` combines the partitions' reports into the one the stage
would have given on the whole input: counts summed, dropped records summed per
(table, reason) in that order, notes in partition order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from pipeline.checks import (
    has_contract,
    input_problems,
    key_bounds,
    output_problems,
    sorted_by_key,
)
from pipeline.neardup import string_hashes
from pipeline.schemas import Problem
from pipeline.stage import Dropped, StageReport, StageResult

KeyBounds = tuple[tuple, tuple] | None


class ArrowTables(Mapping[str, pa.Table]):
    """Named Arrow tables that pickle as Arrow IPC streams.

    Plain pickling hands the receiving process buffers at arbitrary offsets,
    which Acero (the joins in the relation checks) warns about as "poorly
    aligned"; an IPC stream is read back into aligned buffers.
    """

    def __init__(self, tables: Mapping[str, pa.Table]):
        self._tables = dict(tables)

    def __getitem__(self, name: str) -> pa.Table:
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_ipc, ({name: _to_ipc(t) for name, t in self._tables.items()},))


def _to_ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _from_ipc(streams: Mapping[str, bytes]) -> ArrowTables:
    return ArrowTables({name: ipc.open_stream(data).read_all() for name, data in streams.items()})


@dataclass(frozen=True)
class PartitionTask:
    """Everything a worker needs to run one partition of one stage.

    ``check_outputs`` is false for a first pass whose outputs a ``finish``
    step still completes: the second pass checks them.
    """

    stage: str
    index: int
    func: Callable[..., StageResult]
    inputs: ArrowTables
    sources: Mapping[str, tuple[str, str]]
    options: Mapping[str, Any] = field(default_factory=dict)
    check_outputs: bool = True


@dataclass(frozen=True)
class PartitionOutcome:
    """What one partition produced, and every check it failed."""

    index: int
    tables: ArrowTables
    report: StageReport
    rows_in: Mapping[str, int]
    seconds: float
    input_problems: list[Problem] = field(default_factory=list)
    output_problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.input_problems or self.output_problems)


def run_partition(task: PartitionTask, common: Mapping[str, Any] | None = None) -> PartitionOutcome:
    """Check inputs, run the stage, key-sort and check outputs (runs on a worker).

    The stage function gets the task's own options and the ``common`` ones
    every partition shares (sent to a worker once).
    """
    started = time.perf_counter()
    rows_in = {name: table.num_rows for name, table in task.inputs.items()}
    rejected = input_problems(task.inputs, task.sources)
    if rejected:
        return PartitionOutcome(task.index, ArrowTables({}), StageReport(), rows_in, 0.0, rejected)
    result = task.func(dict(task.inputs), **(common or {}), **task.options)
    tables = ArrowTables(
        {
            name: sorted_by_key(task.stage, name, table)
            if has_contract(task.stage, name)
            else table
            for name, table in result.tables.items()
        }
    )
    checked = {name: t for name, t in tables.items() if has_contract(task.stage, name)}
    problems = output_problems(task.stage, checked) if task.check_outputs else []
    seconds = time.perf_counter() - started
    return PartitionOutcome(task.index, tables, result.report, rows_in, seconds, [], problems)


def merge_reports(reports: Sequence[StageReport]) -> StageReport:
    """The reports of all partitions, in partition order, as one report."""
    counts: dict[str, int | float] = {}
    dropped: dict[tuple[str, str], int] = {}
    notes: list[str] = []
    for report in reports:
        for name, value in report.counts.items():
            counts[name] = counts.get(name, 0) + value
        for record in report.dropped:
            key = (record.table, record.reason)
            dropped[key] = dropped.get(key, 0) + record.count
        notes += report.notes
    return StageReport(
        counts=counts,
        dropped=[Dropped(table, n, reason) for (table, reason), n in sorted(dropped.items())],
        notes=notes,
    )


def keys_in_order(bounds: Sequence[KeyBounds]) -> bool:
    """Whether the partitions' key ranges follow each other strictly.

    With every partition sorted by key and unique within itself, strictly
    increasing ranges mean the concatenation is sorted and unique overall.
    """
    previous_last: tuple | None = None
    for bound in bounds:
        if bound is None:
            continue
        first, last = bound
        if previous_last is not None and not previous_last < first:
            return False
        previous_last = last
    return True


def table_bounds(outcome: PartitionOutcome, stage: str) -> dict[str, KeyBounds]:
    """The first and last primary key of each output table (with a contract) of one partition."""
    return {
        name: key_bounds(stage, name, table)
        for name, table in outcome.tables.items()
        if has_contract(stage, name)
    }


def group_partitions(groups: pa.Array | pa.ChunkedArray, n_parts: int) -> np.ndarray:
    """The partition (0 .. n_parts-1) of each row, from its group id alone.

    A 64-bit hash of the group id's bytes (``pipeline.neardup.string_hashes``)
    modulo ``n_parts``: rows of one group always land together, groups spread
    evenly, and the result depends on nothing but the id and ``n_parts``.
    """
    if isinstance(groups, pa.ChunkedArray):
        groups = groups.combine_chunks()
    if len(groups) == 0:
        return np.empty(0, np.int64)
    return (string_hashes(groups.cast(pa.string())) % np.uint64(n_parts)).astype(np.int64)
