"""What every stage returns: output tables plus a small report of what it did.

A stage is a plain function ``run(inputs: dict[str, pa.Table], **options) ->
StageResult``. It does no file I/O, keeps no global state and does not know
which stage runs before or after it. The runner (pipeline/runner.py) loads its
inputs, validates them, calls it, validates the outputs and persists them.

A stage that needs the whole corpus for one decision (the pseudonym map, the
near-duplicate clusters) but can do everything else a partition at a time is
split into pure pieces the runner calls in order: an optional ``prepare``
over the input partitions (returns :class:`Prepared`: options for every
partition), the partition function, and an optional ``finish`` over the
partitions' outputs (returns :class:`Finished`: options per partition for a
second, pure pass). ``prepare`` and ``finish`` read partitions through a
:class:`PartReader` the runner hands them, a few columns at a time; they
never open a file themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa


@dataclass(frozen=True)
class Dropped:
    """Records a stage set aside: how many, of what, and why."""

    table: str
    count: int
    reason: str


@dataclass
class StageReport:
    """Per-stage figures the runner prints and the datasheet quotes.

    ``counts`` holds named figures (e.g. ``{"mentions_replaced": 12}``);
    ``dropped`` says what was removed and why; ``notes`` are one-line remarks
    a maintainer should read (e.g. "2 pages rejected: no layout fits").
    Nothing here may contain a raw commenter handle.
    """

    counts: dict[str, int | float] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "counts": dict(sorted(self.counts.items())),
            "dropped": [
                {"table": d.table, "count": d.count, "reason": d.reason} for d in self.dropped
            ],
            "notes": list(self.notes),
        }


@dataclass
class StageResult:
    """A stage's output tables (by table name) and its report."""

    tables: dict[str, pa.Table]
    report: StageReport = field(default_factory=StageReport)


class PartReader(Protocol):
    """Read access to the partitions of some tables (the runner reads them from build/)."""

    def __len__(self) -> int:
        """How many partitions."""
        ...

    def read(self, table: str, part: int, columns: Sequence[str] | None = None) -> pa.Table:
        """Partition ``part`` of ``table``, or only some of its columns."""
        ...


@dataclass(frozen=True)
class Prepared:
    """What a stage's ``prepare`` step found over all input partitions.

    ``options`` go to every partition; ``report`` holds the figures that are
    about the whole input (e.g. how many pseudonyms), merged before the
    partitions' own.
    """

    options: Mapping[str, Any]
    report: StageReport = field(default_factory=StageReport)


@dataclass(frozen=True)
class Finished:
    """What a stage's ``finish`` step decided over all partitions' outputs.

    ``part_options[i]`` are the options of partition i's second pass; it may
    compute them when asked, so they need not all be in memory at once.
    ``report`` is the stage's whole report.
    """

    report: StageReport
    part_options: Sequence[Mapping[str, Any]]
