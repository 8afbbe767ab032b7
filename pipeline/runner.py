"""The stage runner: it owns I/O, ordering, schema checks and progress.

For each stage the runner

1. checks the stage's input tables against the contracts of the stage that
   produced them (pandera, every row, plus cross-table checks),
2. runs the stage function (pure: Arrow tables in, Arrow tables + report out),
3. checks every output table against ``schema/<stage>/<table>.json`` with
   pandera on every row and the stage's cross-table checks,
4. persists the outputs as ``build/<stage>/<table>.parquet`` plus
   ``build/<stage>/report.json``,
5. runs Frictionless on each persisted table: on all rows up to
   :data:`FRICTIONLESS_ROW_LIMIT`, above it on a deterministic sample (every
   k-th row of the key-sorted table), and says which in the report,
6. prints rows in and out, what was dropped and why, and the time.

A failed check raises :class:`StageCheckFailed`, whose message names the
stage, the table, the column, the check and a few failing values. The runner
never prints raw commenter handles: reports are figures, and examples from
tables that hold handles are suppressed (:data:`HANDLE_COLUMNS`).

Swapping this runner for a distributed one must not touch a stage.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console

from pipeline.errors import CorpusError
from pipeline.schemas import Problem, contract, relation_problems, table_problems
from pipeline.stage import StageResult
from pipeline.tables import write_parquet

FRICTIONLESS_ROW_LIMIT = 20_000
# Columns whose values may contain a raw handle before anonymisation: failing
# values from them are never shown.
HANDLE_COLUMNS = frozenset({"handle", "text"})


class StageCheckFailed(CorpusError):
    """A stage's input or output broke its contract."""

    def __init__(self, stage: str, when: str, problems: list[Problem]):
        self.stage = stage
        self.problems = problems
        lines = [f"stage {stage!r}: {when} failed {len(problems)} check(s):"]
        lines += [f"  - {p.describe()}" for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"  ... and {len(problems) - 20} more")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class StageSpec:
    """One stage in a pipeline: its name, function and where its inputs come from.

    ``inputs`` maps the stage's input table name to ``(producing_stage, table)``.
    """

    name: str
    func: Callable[..., StageResult]
    inputs: Mapping[str, tuple[str, str]]
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class StageRun:
    """What happened when one stage ran."""

    name: str
    rows_in: dict[str, int]
    rows_out: dict[str, int]
    seconds: float
    report: dict[str, Any]
    frictionless: dict[str, str]


def frictionless_problems(
    stage: str, table_name: str, path: Path, row_limit: int = FRICTIONLESS_ROW_LIMIT
) -> tuple[list[Problem], str]:
    """Frictionless validation of one persisted table: all rows, or a sample.

    Returns the problems and a one-line statement of which rows were checked.
    """
    table_contract = contract(stage, table_name)
    table = pq.read_table(path)
    with tempfile.TemporaryDirectory(prefix="frictionless-") as tmp:
        if table.num_rows > row_limit:
            step = -(-table.num_rows // row_limit)
            sample = table.take(pa.array(range(0, table.num_rows, step)))
            target = Path(tmp) / f"{table_name}.parquet"
            write_parquet(sample, target)
            coverage = f"sample: 1 row in {step}, {sample.num_rows} of {table.num_rows} rows"
        else:
            target = Path(tmp) / f"{table_name}.parquet"
            shutil.copyfile(path, target)
            coverage = f"all {table.num_rows} rows"
        descriptor = {k: v for k, v in table_contract.descriptor.items() if k != "foreignKeys"}
        resource = frictionless.Resource(
            path=target.name,
            basepath=str(target.parent),
            schema=frictionless.Schema.from_descriptor(descriptor),
        )
        report = resource.validate()
    problems = [
        Problem(
            table_name,
            getattr(error, "field_name", None),
            f"frictionless:{error.type}",
            error.note,
            (f"row {error.row_number}",) if getattr(error, "row_number", None) else (),
            stage=stage,
        )
        for task in report.tasks
        for error in task.errors
    ]
    return problems, coverage


class Runner:
    """Runs stages in order, checking every boundary and persisting under build/."""

    def __init__(
        self,
        build_dir: Path,
        console: Console | None = None,
        frictionless_row_limit: int = FRICTIONLESS_ROW_LIMIT,
    ):
        self.build_dir = build_dir
        self.console = console or Console(stderr=True)
        self.frictionless_row_limit = frictionless_row_limit
        self.outputs: dict[tuple[str, str], pa.Table] = {}
        self.runs: list[StageRun] = []

    def provide(self, stage: str, tables: Mapping[str, pa.Table]) -> None:
        """Make tables available as if ``stage`` had produced them (e.g. the raw files)."""
        for name, table in tables.items():
            self.outputs[(stage, name)] = table

    def run(self, spec: StageSpec) -> StageResult:
        inputs = {name: self.outputs[source] for name, source in spec.inputs.items()}
        self._check_inputs(spec, inputs)
        started = time.perf_counter()
        with self.console.status(f"[bold]{spec.name}[/]: running…", spinner="dots"):
            result = spec.func(inputs, **spec.options)
        seconds = time.perf_counter() - started
        self._check_outputs(spec.name, result.tables)
        coverage = self._persist(spec.name, result)
        for name, table in result.tables.items():
            self.outputs[(spec.name, name)] = table
        stage_run = StageRun(
            spec.name,
            {name: t.num_rows for name, t in inputs.items()},
            {name: t.num_rows for name, t in result.tables.items()},
            seconds,
            result.report.to_dict(),
            coverage,
        )
        self.runs.append(stage_run)
        self._print(stage_run)
        return result

    def _check_inputs(self, spec: StageSpec, inputs: Mapping[str, pa.Table]) -> None:
        problems: list[Problem] = []
        by_stage: dict[str, dict[str, pa.Table]] = {}
        for name, (stage, table_name) in spec.inputs.items():
            try:
                table_contract = contract(stage, table_name)
            except KeyError:
                continue  # raw inputs (e.g. seed bytes) have no contract
            problems += table_problems(table_contract, inputs[name])
            by_stage.setdefault(stage, {})[table_name] = inputs[name]
        if not problems:
            for stage, tables in by_stage.items():
                problems += relation_problems(stage, tables)
        if problems:
            raise StageCheckFailed(spec.name, "input check", _redact(problems))

    def _check_outputs(self, stage: str, tables: Mapping[str, pa.Table]) -> None:
        problems: list[Problem] = []
        for name, table in tables.items():
            problems += table_problems(contract(stage, name), table)
        if not problems:
            problems += relation_problems(stage, tables)
        if problems:
            raise StageCheckFailed(stage, "output check", _redact(problems))

    def _persist(self, stage: str, result: StageResult) -> dict[str, str]:
        stage_dir = self.build_dir / stage
        if stage_dir.exists():
            shutil.rmtree(stage_dir)
        stage_dir.mkdir(parents=True)
        coverage: dict[str, str] = {}
        problems: list[Problem] = []
        for name, table in sorted(result.tables.items()):
            path = stage_dir / f"{name}.parquet"
            write_parquet(table, path)
            found, coverage[name] = frictionless_problems(
                stage, name, path, self.frictionless_row_limit
            )
            problems += found
        report = {**result.report.to_dict(), "frictionless": coverage}
        (stage_dir / "report.json").write_text(
            json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        if problems:
            raise StageCheckFailed(stage, "Frictionless check", _redact(problems))
        return coverage

    def _print(self, run: StageRun) -> None:
        rows_in = ", ".join(f"{k} {v}" for k, v in run.rows_in.items()) or "-"
        rows_out = ", ".join(f"{k} {v}" for k, v in run.rows_out.items())
        self.console.print(
            f"[bold green]✓ {run.name}[/] in {run.seconds:.2f}s | in: {rows_in} | out: {rows_out}"
        )
        for dropped in run.report["dropped"]:
            self.console.print(
                f"    dropped {dropped['count']} {dropped['table']}: {dropped['reason']}"
            )
        for note in run.report["notes"][:10]:
            self.console.print(f"    note: {note}")
        for table, coverage in run.frictionless.items():
            self.console.print(f"    frictionless {table}: {coverage}", style="dim")


def _redact(problems: list[Problem]) -> list[Problem]:
    """Drop example values of handle columns: errors must never print a handle."""
    return [
        Problem(p.table, p.column, p.check, p.message, (), p.stage)
        if p.column in HANDLE_COLUMNS
        else p
        for p in problems
    ]
