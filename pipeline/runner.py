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
   k-th row of the key-sorted table, from row 0), and says which in the report,
6. prints rows in and out, what was dropped and why, and the time.

A per-page stage (``StageSpec(partitioned=True)``: ingest, parse) runs in
partitions of pages on an executor (:mod:`pipeline.executors`: in process, or
on Dask). Steps 1-3 then happen per partition on the worker
(:func:`pipeline.partitions.run_partition`); the runner writes partition i's
tables to ``build/<stage>/<table>/part-<i:05d>.parquet`` as they arrive,
collects the failed checks of every partition, verifies that the partitions'
primary-key ranges follow each other (so their concatenation in partition
order is the key-sorted table the stage gives on the whole input), merges the
reports and runs step 5 on the concatenation. The result is the same bytes
whatever the executor or the partition size.

Stage outputs are kept on disk, not in memory: a later stage's input is read
back when it runs. A table a stage passes through unchanged (the same object
as one of its inputs) and that has no contract in that stage is not checked
or written again: it stays the producing stage's table.

A failed check raises :class:`StageCheckFailed`, whose message names the
stage, the table, the column, the check, a few failing values and, for a
partitioned stage, every failing partition. The runner never prints raw
commenter handles: reports are figures, and examples from tables that hold
handles are suppressed (:data:`pipeline.checks.HANDLE_COLUMNS`).

Swapping the executor must not touch a stage.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from pipeline.checks import has_contract, input_problems, output_problems, redact
from pipeline.errors import CorpusError
from pipeline.executors import Executor, LocalExecutor
from pipeline.partitions import (
    ArrowTables,
    KeyBounds,
    PartitionOutcome,
    PartitionTask,
    keys_in_order,
    merge_reports,
    run_partition,
    table_bounds,
)
from pipeline.schemas import Problem, contract, table_problems
from pipeline.stage import StageReport, StageResult
from pipeline.tables import write_parquet

FRICTIONLESS_ROW_LIMIT = 20_000
# Rows per partition when a partitioned stage reads an in-memory table.
PARTITION_ROWS = 1000

TableLoader = Callable[[], pa.Table]


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
    ``partitioned`` marks a per-page stage: it runs on partitions of its
    inputs on the runner's executor.
    """

    name: str
    func: Callable[..., StageResult]
    inputs: Mapping[str, tuple[str, str]]
    options: Mapping[str, Any] = field(default_factory=dict)
    partitioned: bool = False


@dataclass
class StageRun:
    """What happened when one stage ran.

    ``seconds`` is the stage's own work (for a partitioned stage: running and
    checking all partitions); ``started`` (``time.perf_counter()``) and
    ``wall_seconds`` span everything the runner did for it: reading inputs,
    checks, the stage, writing outputs and Frictionless.
    """

    name: str
    rows_in: dict[str, int]
    rows_out: dict[str, int]
    seconds: float
    report: dict[str, Any]
    frictionless: dict[str, str]
    started: float = 0.0
    partitions: int = 0
    wall_seconds: float = 0.0


@dataclass(frozen=True)
class StoredTable:
    """A stage output: in memory (provided), on disk (one file or parts) or loadable parts."""

    table: pa.Table | None = None
    paths: tuple[Path, ...] = ()
    loaders: tuple[TableLoader, ...] = ()

    def load(self, columns: list[str] | None = None) -> pa.Table:
        if self.table is not None:
            return self.table.select(columns) if columns else self.table
        if self.paths:
            return pa.concat_tables(pq.read_table(p, columns=columns) for p in self.paths)
        table = pa.concat_tables(loader() for loader in self.loaders)
        return table.select(columns) if columns else table

    def parts(self, rows_per_part: int) -> list[TableLoader]:
        """Loaders of this table's partitions (at least one, possibly empty)."""
        if self.loaders:
            return list(self.loaders)
        if self.paths:
            return [_ParquetPart(path) for path in self.paths]
        assert self.table is not None
        starts = range(0, max(self.table.num_rows, 1), rows_per_part)
        return [_Slice(self.table, start, rows_per_part) for start in starts]


@dataclass(frozen=True)
class _ParquetPart:
    path: Path

    def __call__(self) -> pa.Table:
        return pq.read_table(self.path)


@dataclass(frozen=True)
class _Slice:
    table: pa.Table
    start: int
    length: int

    def __call__(self) -> pa.Table:
        return self.table.slice(self.start, self.length)


class _Outputs(Mapping[tuple[str, str], pa.Table]):
    """``runner.outputs[(stage, table)]``: read from disk when asked for."""

    def __init__(self, stored: dict[tuple[str, str], StoredTable]):
        self._stored = stored

    def __getitem__(self, key: tuple[str, str]) -> pa.Table:
        return self._stored[key].load()

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


def frictionless_sample_step(total_rows: int, row_limit: int) -> int:
    """1 when every row is checked, else k: rows 0, k, 2k, ... are checked."""
    return 1 if total_rows <= row_limit else -(-total_rows // row_limit)


def frictionless_problems(
    stage: str,
    table_name: str,
    path: Path | Sequence[Path],
    row_limit: int = FRICTIONLESS_ROW_LIMIT,
) -> tuple[list[Problem], str]:
    """Frictionless validation of one persisted table (one file, or its parts in order).

    All rows up to ``row_limit``; above it every k-th row of the key-sorted
    table from row 0. Returns the problems and a one-line statement of which
    rows were checked.
    """
    paths = [path] if isinstance(path, Path) else list(path)
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in paths)
    step = frictionless_sample_step(total, row_limit)
    with tempfile.TemporaryDirectory(prefix="frictionless-") as tmp:
        target = Path(tmp) / f"{table_name}.parquet"
        if step == 1 and len(paths) == 1:
            shutil.copyfile(paths[0], target)
            coverage = f"all {total} rows"
        else:
            sample = _every_kth_row(paths, step)
            write_parquet(sample, target)
            coverage = (
                f"all {total} rows"
                if step == 1
                else f"sample: 1 row in {step}, {sample.num_rows} of {total} rows"
            )
        problems = _frictionless_report(stage, table_name, target)
    return problems, coverage


def _every_kth_row(paths: Sequence[Path], step: int) -> pa.Table:
    """Rows 0, k, 2k, ... of the concatenation of ``paths``, reading one part at a time."""
    pieces: list[pa.Table] = []
    offset = 0
    for path in paths:
        part = pq.read_table(path)
        first = (-offset) % step
        pieces.append(part.take(pa.array(range(first, part.num_rows, step), pa.int64())))
        offset += part.num_rows
    return pa.concat_tables(pieces)


def _frictionless_report(stage: str, table_name: str, target: Path) -> list[Problem]:
    descriptor = {
        k: v for k, v in contract(stage, table_name).descriptor.items() if k != "foreignKeys"
    }
    resource = frictionless.Resource(
        path=target.name,
        basepath=str(target.parent),
        schema=frictionless.Schema.from_descriptor(descriptor),
    )
    report = resource.validate()
    return [
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


def part_name(index: int) -> str:
    """Deterministic file name of partition ``index`` of a table."""
    return f"part-{index:05d}.parquet"


@dataclass
class _PartitionLog:
    """What the runner keeps of each partition once its tables are on disk."""

    reports: dict[int, StageReport] = field(default_factory=dict)
    rows_in: dict[str, int] = field(default_factory=dict)
    rows_out: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, dict[int, KeyBounds]] = field(default_factory=dict)
    failures: dict[int, tuple[str, list[Problem]]] = field(default_factory=dict)


class Runner:
    """Runs stages in order, checking every boundary and persisting under build/."""

    def __init__(
        self,
        build_dir: Path,
        console: Console | None = None,
        frictionless_row_limit: int = FRICTIONLESS_ROW_LIMIT,
        executor: Executor | None = None,
        partition_rows: int = PARTITION_ROWS,
    ):
        self.build_dir = build_dir
        self.console = console or Console(stderr=True)
        self.frictionless_row_limit = frictionless_row_limit
        self.executor: Executor = executor or LocalExecutor()
        self.partition_rows = partition_rows
        self._stored: dict[tuple[str, str], StoredTable] = {}
        self.runs: list[StageRun] = []

    @property
    def outputs(self) -> Mapping[tuple[str, str], pa.Table]:
        return _Outputs(self._stored)

    def read(self, stage: str, table: str, columns: list[str] | None = None) -> pa.Table:
        """One stage output (or some of its columns), read back from disk if persisted."""
        return self._stored[(stage, table)].load(columns)

    def provide(self, stage: str, tables: Mapping[str, pa.Table]) -> None:
        """Make tables available as if ``stage`` had produced them (e.g. the raw files)."""
        for name, table in tables.items():
            self._stored[(stage, name)] = StoredTable(table=table)

    def provide_parts(self, stage: str, table: str, parts: Sequence[TableLoader]) -> None:
        """Make a table available as partitions, each loaded when its turn comes."""
        self._stored[(stage, table)] = StoredTable(loaders=tuple(parts))

    def run(self, spec: StageSpec) -> StageRun:
        if spec.partitioned:
            return self._run_partitioned(spec)
        return self._run_whole(spec)

    # --- a stage on whole tables, in this process -------------------------------------

    def _run_whole(self, spec: StageSpec) -> StageRun:
        begun = time.perf_counter()
        inputs = {name: self._stored[source].load() for name, source in spec.inputs.items()}
        problems = input_problems(inputs, spec.inputs)
        if problems:
            raise StageCheckFailed(spec.name, "input check", problems)
        started = time.perf_counter()
        with self.console.status(f"[bold]{spec.name}[/]: running…", spinner="dots"):
            result = spec.func(inputs, **spec.options)
        seconds = time.perf_counter() - started
        passed_through = self._passed_through(spec, inputs, result)
        checked = {n: t for n, t in result.tables.items() if n not in passed_through}
        problems = output_problems(spec.name, checked)
        if problems:
            raise StageCheckFailed(spec.name, "output check", problems)
        coverage = self._persist(spec.name, checked, result.report)
        for name, source in passed_through.items():
            self._stored[(spec.name, name)] = self._stored[source]
        stage_run = StageRun(
            spec.name,
            {name: t.num_rows for name, t in inputs.items()},
            {name: t.num_rows for name, t in result.tables.items()},
            seconds,
            result.report.to_dict(),
            coverage,
            begun,
            0,
        )
        return self._finish(stage_run)

    def _passed_through(
        self, spec: StageSpec, inputs: Mapping[str, pa.Table], result: StageResult
    ) -> dict[str, tuple[str, str]]:
        """Output tables that are an input object unchanged and have no contract here."""
        passed: dict[str, tuple[str, str]] = {}
        for name, table in result.tables.items():
            if has_contract(spec.name, name):
                continue
            for input_name, given in inputs.items():
                if table is given:
                    passed[name] = spec.inputs[input_name]
        return passed

    def _persist(
        self, stage: str, tables: Mapping[str, pa.Table], report: StageReport
    ) -> dict[str, str]:
        stage_dir = self._fresh_stage_dir(stage)
        coverage: dict[str, str] = {}
        problems: list[Problem] = []
        for name, table in sorted(tables.items()):
            path = stage_dir / f"{name}.parquet"
            write_parquet(table, path)
            found, coverage[name] = frictionless_problems(
                stage, name, path, self.frictionless_row_limit
            )
            problems += found
            self._stored[(stage, name)] = StoredTable(paths=(path,))
        self._write_report(stage_dir, report, coverage)
        if problems:
            raise StageCheckFailed(stage, "Frictionless check", redact(problems))
        return coverage

    def _fresh_stage_dir(self, stage: str) -> Path:
        stage_dir = self.build_dir / stage
        if stage_dir.exists():
            shutil.rmtree(stage_dir)
        stage_dir.mkdir(parents=True)
        return stage_dir

    def _write_report(
        self, stage_dir: Path, report: StageReport, coverage: Mapping[str, str], **extra: Any
    ) -> None:
        content = {**report.to_dict(), "frictionless": dict(coverage), **extra}
        (stage_dir / "report.json").write_text(
            json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )

    # --- a per-page stage, in partitions on the executor ------------------------------

    def _run_partitioned(self, spec: StageSpec) -> StageRun:
        n_parts, tasks = self._partition_tasks(spec)
        stage_dir = self._fresh_stage_dir(spec.name)
        started = time.perf_counter()
        log = _PartitionLog()
        with self._progress(spec.name, n_parts) as advance:
            for index, outcome in self.executor.imap(run_partition, tasks):
                assert index == outcome.index, "an executor mixed up partitions"
                self._keep_partition(spec.name, stage_dir, outcome, log)
                advance()
        seconds = time.perf_counter() - started
        self._raise_partition_failures(spec.name, n_parts, log)
        paths = {
            name: tuple(stage_dir / name / part_name(i) for i in range(n_parts))
            for name in sorted(log.bounds)
        }
        self._ensure_key_order(spec.name, paths, log)
        report = merge_reports([log.reports[i] for i in range(n_parts)])
        coverage = self._frictionless_parts(spec.name, paths)
        self._write_report(stage_dir, report, coverage, partitions=n_parts)
        for name, table_paths in paths.items():
            self._stored[(spec.name, name)] = StoredTable(paths=table_paths)
        run = StageRun(spec.name, log.rows_in, log.rows_out, seconds, report.to_dict(), coverage)
        run.started, run.partitions = started, n_parts
        return self._finish(run)

    def _partition_tasks(self, spec: StageSpec) -> tuple[int, Iterator[PartitionTask]]:
        """How many partitions, and their tasks (each input part read when its turn comes)."""
        parts = {
            name: self._stored[source].parts(self.partition_rows)
            for name, source in spec.inputs.items()
        }
        counts = {len(loaders) for loaders in parts.values()}
        if len(counts) != 1:
            raise ValueError(f"stage {spec.name!r}: its inputs have different partition counts")
        n_parts = counts.pop()
        tasks = (
            PartitionTask(
                spec.name,
                index,
                spec.func,
                ArrowTables({name: loaders[index]() for name, loaders in parts.items()}),
                dict(spec.inputs),
                dict(spec.options),
            )
            for index in range(n_parts)
        )
        return n_parts, tasks

    def _keep_partition(
        self, stage: str, stage_dir: Path, outcome: PartitionOutcome, log: _PartitionLog
    ) -> None:
        """Write one partition's tables and keep only its figures."""
        if outcome.failed:
            when = "input check" if outcome.input_problems else "output check"
            log.failures[outcome.index] = (when, outcome.input_problems or outcome.output_problems)
            return
        for name, table in outcome.tables.items():
            write_parquet(table, stage_dir / name / part_name(outcome.index))
            log.rows_out[name] = log.rows_out.get(name, 0) + table.num_rows
        for name, bound in table_bounds(outcome, stage).items():
            log.bounds.setdefault(name, {})[outcome.index] = bound
        for name, rows in outcome.rows_in.items():
            log.rows_in[name] = log.rows_in.get(name, 0) + rows
        log.reports[outcome.index] = outcome.report

    def _raise_partition_failures(self, stage: str, n_parts: int, log: _PartitionLog) -> None:
        if not log.failures:
            return
        failing = sorted(log.failures)
        problems = [
            Problem(
                p.table, p.column, p.check, f"partition {i:05d}: {p.message}", p.examples, p.stage
            )
            for i in failing
            for p in log.failures[i][1]
        ]
        whens = sorted({log.failures[i][0] for i in failing})
        where = ", ".join(f"{i:05d}" for i in failing)
        raise StageCheckFailed(
            stage,
            f"{' and '.join(whens)} of {len(failing)} of {n_parts} partition(s) ({where})",
            problems,
        )

    def _ensure_key_order(
        self, stage: str, paths: Mapping[str, tuple[Path, ...]], log: _PartitionLog
    ) -> None:
        """Concatenated parts must be key-sorted and unique; if not, sort and re-split."""
        for name, table_paths in paths.items():
            bounds = [log.bounds[name].get(i) for i in range(len(table_paths))]
            if keys_in_order(bounds):
                continue
            self.console.print(f"    {stage}/{name}: partitions overlap in key; sorting all rows")
            whole = pa.concat_tables(pq.read_table(p) for p in table_paths)
            key = contract(stage, name).primary_key
            whole = whole.sort_by([(column, "ascending") for column in key])
            problems = redact(table_problems(contract(stage, name), whole))
            if problems:
                raise StageCheckFailed(stage, "check across partitions", problems)
            offset = 0
            for path in table_paths:
                rows = pq.ParquetFile(path).metadata.num_rows
                write_parquet(whole.slice(offset, rows), path)
                offset += rows

    def _frictionless_parts(
        self, stage: str, paths: Mapping[str, tuple[Path, ...]]
    ) -> dict[str, str]:
        coverage: dict[str, str] = {}
        problems: list[Problem] = []
        for name, table_paths in sorted(paths.items()):
            found, coverage[name] = frictionless_problems(
                stage, name, table_paths, self.frictionless_row_limit
            )
            problems += found
        if problems:
            raise StageCheckFailed(stage, "Frictionless check", redact(problems))
        return coverage

    def _progress(self, stage: str, total: int) -> _ProgressBar:
        return _ProgressBar(self.console, f"{stage} ({self.executor.describe()})", total)

    # --- reporting ---------------------------------------------------------------------

    def _finish(self, run: StageRun) -> StageRun:
        run.wall_seconds = time.perf_counter() - run.started
        self.runs.append(run)
        self._print(run)
        return run

    def _print(self, run: StageRun) -> None:
        rows_in = ", ".join(f"{k} {v}" for k, v in run.rows_in.items()) or "-"
        rows_out = ", ".join(f"{k} {v}" for k, v in run.rows_out.items())
        parts = f" in {run.partitions} partition(s)" if run.partitions else ""
        self.console.print(
            f"[bold green]✓ {run.name}[/] in {run.seconds:.2f}s{parts} "
            f"({run.wall_seconds:.2f}s with checks and I/O) | in: {rows_in} | "
            f"out: {rows_out}"
        )
        for dropped in run.report["dropped"]:
            self.console.print(
                f"    dropped {dropped['count']} {dropped['table']}: {dropped['reason']}"
            )
        for note in run.report["notes"][:10]:
            self.console.print(f"    note: {note}")
        for table, coverage in run.frictionless.items():
            self.console.print(f"    frictionless {table}: {coverage}", style="dim")


class _ProgressBar:
    """A transient progress bar over partitions: ``with ... as advance: advance()``."""

    def __init__(self, console: Console, label: str, total: int):
        self._progress = Progress(
            "[bold]{task.description}[/]",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task(label, total=total)

    def __enter__(self) -> Callable[[], None]:
        self._progress.start()
        return lambda: self._progress.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()
