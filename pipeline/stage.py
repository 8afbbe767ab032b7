"""What every stage returns: output tables plus a small report of what it did.

A stage is a plain function ``run(inputs: dict[str, pa.Table], **options) ->
StageResult``. It does no file I/O, keeps no global state and does not know
which stage runs before or after it. The runner (pipeline/runner.py) loads its
inputs, validates them, calls it, validates the outputs and persists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
