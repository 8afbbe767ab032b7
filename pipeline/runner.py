"""The stage runner: it owns I/O, ordering, schema checks and progress.

For each stage the runner

1. checks the stage's input tables against the contracts of the stage that
   produced them (pandera, every row, plus cross-table checks),
2. runs the stage function (pure: Arrow tables in, Arrow tables + report out),
3. checks every output table against ``schema/<stage>/<table>.json`` with
   pandera on every row and the stage's cross-table checks,
4. persists the outputs as ``build/<stage>/<table>.parquet`` plus
   ``build/<stage>/report.json`` (mode 600 in mode-700 directories: stage
   outputs hold raw commenter handles),
5. runs Frictionless on each persisted table: on all rows up to
   :data:`FRICTIONLESS_ROW_LIMIT`, above it on a deterministic sample (every
   k-th row of the key-sorted table, from row 0), and says which in the report,
6. prints rows in and out, what was dropped and why, and the time.

A partitioned stage (``StageSpec(partitioned=True)``; per page: ingest,
parse) runs in partitions of pages on an executor (:mod:`pipeline.executors`: in process, or
on Dask). Steps 1-3 then happen per partition on the worker
(:func:`pipeline.partitions.run_partition`); the runner writes partition i's
tables to ``build/<stage>/<table>/part-<i:05d>.parquet`` as they arrive,
collects the failed checks of every partition, verifies that the partitions'
primary-key ranges follow each other (so their concatenation in partition
order is the key-sorted table the stage gives on the whole input), merges the
reports and runs step 5 on the concatenation. The result is the same bytes
whatever the executor or the partition size.

A stage over whole articles (dedupe, anonymise) runs in partitions of
*article groups*: every row of one article in one partition. For dedupe the
runner first regroups parse's partitions (``StageSpec.regroup``: each
source partition is split by destination into one Arrow IPC file under
``build/<stage>/_regroup/``; destination i reads its batch of every file),
anonymise then reads dedupe's group partitions as they are
(``StageSpec.grouped``). Such a stage may also have a global step: a
``prepare`` over all input partitions before they run (anonymise: pseudonyms
of the distinct handles) or a ``finish`` over all outputs after them, then a
second pass per partition (dedupe: near-duplicate clusters). Those steps are
pure functions too; the runner hands them a reader of partition columns.
Work tables (outputs without a contract, e.g. dedupe's near-dup sketches)
and regrouped inputs are deleted when the stage is done. Group partitions
are key-sorted within but not across partitions, so instead of the key-order
check the runner checks that keys are unique across them (64-bit hashes of
the key columns, colliding hashes re-checked on the values).

A whole-table stage may build one output in ranges of its primary key
(``StageSpec.ranges``, :class:`KeyRanges`; release: the comments): its input's
partitions are cut by key range into IPC files under ``build/<stage>/_ranges/``
(as a regroup does), each range is sorted, checked and written as one part, so
the parts follow each other in key order and no step holds the whole table;
the cross-table checks then read the parts a few columns at a time.

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
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from pipeline.checks import has_contract, input_problems, key_bounds, output_problems, redact
from pipeline.errors import CorpusError
from pipeline.executors import Executor, LocalExecutor
from pipeline.partitions import (
    ArrowTables,
    KeyBounds,
    PartitionOutcome,
    PartitionTask,
    group_partitions,
    keys_in_order,
    merge_reports,
    run_partition,
    table_bounds,
)
from pipeline.schemas import Problem, TableContract, contract, table_problems
from pipeline.shard_checks import unique_key_problems
from pipeline.stage import Finished, Prepared, StageReport, StageResult
from pipeline.tables import (
    create_private,
    make_private_dirs,
    open_private,
    write_parquet,
    write_work_parquet,
)

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
class Regroup:
    """Re-partition a stage's inputs so that all rows of one group share a partition.

    ``key`` (pure, per partition of input ``table``) gives each row's group
    id; rows of every other input follow the row of ``table`` with the same
    value in column ``on``. The partition of a group is
    :func:`pipeline.partitions.group_partitions` of its id: same id, same
    partition, whatever the partition a row came from.
    """

    table: str
    key: Callable[[pa.Table], pa.Array]
    on: str


@dataclass(frozen=True)
class KeyRanges:
    """One output of a whole-table stage built in ranges of its primary key.

    The input ``table`` is never loaded whole: the runner cuts it (all its
    partitions, read one at a time) into about ``rows_per_range``-row ranges
    of ``key``, runs ``in_order`` (pure: one range of the input -> that range
    of ``output``, key-sorted) on each and writes range i as part i of
    ``output``, so the parts follow each other in key order. The stage
    function gets ``summary`` instead of ``table``: the concatenated
    ``summarise`` of every input partition. The cross-table checks run by
    ``relations`` over all outputs, one part at a time
    (pipeline/shard_checks.py).
    """

    table: str
    output: str
    key: str
    in_order: Callable[[pa.Table], pa.Table]
    summary: str
    summarise: Callable[[pa.Table], pa.Table]
    relations: Callable[[Mapping[str, Sequence[Callable[..., pa.Table]]]], list[Problem]]
    summary_columns: tuple[str, ...] = ()
    rows_per_range: int = 250_000


@dataclass(frozen=True)
class StageSpec:
    """One stage in a pipeline: its name, function and where its inputs come from.

    ``inputs`` maps the stage's input table name to ``(producing_stage, table)``;
    ``columns`` names the only columns a (whole-table) stage reads of some
    inputs: only those are loaded and checked.
    ``partitioned`` marks a stage that runs on partitions of its inputs on the
    runner's executor; ``func`` is then what runs on one partition.

    A partitioned stage over whole articles also sets (see pipeline/stage.py):

    * ``regroup``: the runner first re-partitions the inputs by group;
    * ``grouped``: its input partitions are such groups already, so its
      output partitions are too (key-sorted within, keys unique across, but
      not in key order from one partition to the next);
    * ``prepare(reader, **options) -> Prepared``: runs once over the input
      partitions before them; its options go to every partition;
    * ``finish(reader, report, **options) -> Finished`` and
      ``finish_partition``: after the partitions, a global step over their
      outputs, then a second pass of ``finish_partition`` on each partition
      with the options ``finish`` gave it. Only the second pass's outputs are
      checked and kept.
    """

    name: str
    func: Callable[..., StageResult]
    inputs: Mapping[str, tuple[str, str]]
    options: Mapping[str, Any] = field(default_factory=dict)
    partitioned: bool = False
    columns: Mapping[str, Sequence[str]] = field(default_factory=dict)
    regroup: Regroup | None = None
    grouped: bool = False
    prepare: Callable[..., Prepared] | None = None
    finish: Callable[..., Finished] | None = None
    finish_partition: Callable[..., StageResult] | None = None
    ranges: KeyRanges | None = None

    @property
    def parts_in_key_order(self) -> bool:
        """Whether its output partitions follow each other in key order (page ranges)."""
        return self.regroup is None and not self.grouped


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

    def __call__(self, columns: Sequence[str] | None = None) -> pa.Table:
        return pq.read_table(self.path, columns=list(columns) if columns else None)


@dataclass(frozen=True)
class _RegroupedPart:
    """Partition ``index`` of a regrouped table: batch ``index`` of every source file."""

    paths: tuple[Path, ...]
    index: int

    def __call__(self, columns: Sequence[str] | None = None) -> pa.Table:
        batches = []
        for path in self.paths:
            with pa.OSFile(str(path)) as source:
                batches.append(ipc.open_file(source).get_batch(self.index))
        table = pa.Table.from_batches(batches)
        return table.select(list(columns)) if columns else table


class _PartReader:
    """:class:`pipeline.stage.PartReader` over partition loaders or Parquet parts.

    A global step reads a few columns of every part many times (e.g. one band
    of signatures at a time), so each Parquet part's footer is read once. It
    may read from several threads: reads of open files take turns (a
    ``ParquetFile`` is not safe to share between threads).
    """

    def __init__(self, tables: Mapping[str, Sequence[TableLoader]]):
        self.tables = tables
        self._files: dict[Path, pq.ParquetFile] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(next(iter(self.tables.values()))) if self.tables else 0

    def read(self, table: str, part: int, columns: Sequence[str] | None = None) -> pa.Table:
        loader = self.tables[table][part]
        wanted = list(columns) if columns else None
        if isinstance(loader, _ParquetPart):
            with self._lock:
                if loader.path not in self._files:
                    self._files[loader.path] = pq.ParquetFile(loader.path)
                return self._files[loader.path].read(columns=wanted)
        if isinstance(loader, _RegroupedPart):
            return loader(wanted)
        loaded = loader()
        return loaded.select(wanted) if wanted else loaded

    def close(self) -> None:
        for parquet_file in self._files.values():
            parquet_file.close()
        self._files.clear()


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


_SAMPLE_BATCH_ROWS = 65_536


def frictionless_sample_step(total_rows: int, row_limit: int) -> int:
    """1 when every row is checked, else k: rows 0, k, 2k, ... are checked."""
    return 1 if total_rows <= row_limit else -(-total_rows // row_limit)


def frictionless_problems(
    stage: str,
    table_name: str,
    path: Path | Sequence[Path],
    row_limit: int = FRICTIONLESS_ROW_LIMIT,
    table_contract: TableContract | None = None,
) -> tuple[list[Problem], str]:
    """Frictionless validation of one persisted table (one file, or its parts in order).

    All rows up to ``row_limit``; above it every k-th row of the key-sorted
    table from row 0. Returns the problems and a one-line statement of which
    rows were checked. ``table_contract``: another contract than the stage's
    own (an older release's columns).

    The rows are read with pyarrow and handed to Frictionless as inline data:
    its own Parquet reader goes through pandas row by row and took 14x as long
    for the same verdicts (``tests/test_schemas.py`` checks that Frictionless
    and pandera agree on good and broken tables).
    """
    paths = [path] if isinstance(path, Path) else list(path)
    total = sum(pq.ParquetFile(p).metadata.num_rows for p in paths)
    step = frictionless_sample_step(total, row_limit)
    sample = _every_kth_row(paths, step)
    coverage = (
        f"all {total} rows"
        if step == 1
        else f"sample: 1 row in {step}, {sample.num_rows} of {total} rows"
    )
    return _frictionless_report(
        stage, table_name, sample, table_contract or contract(stage, table_name)
    ), coverage


def _every_kth_row(paths: Sequence[Path], step: int) -> pa.Table:
    """Rows 0, k, 2k, ... of the concatenation of ``paths``, reading one batch at a time
    (a whole release table would otherwise be read to keep one row in k)."""
    pieces: list[pa.Table] = []
    offset = 0
    for path in paths:
        file = pq.ParquetFile(path)
        for batch in file.iter_batches(batch_size=_SAMPLE_BATCH_ROWS):
            first = (-offset) % step
            rows = pa.array(range(first, batch.num_rows, step), pa.int64())
            pieces.append(pa.Table.from_batches([batch.take(rows)], file.schema_arrow))
            offset += batch.num_rows
        if file.metadata.num_rows == 0:
            pieces.append(file.schema_arrow.empty_table())
    return pa.concat_tables(pieces)


def _frictionless_report(
    stage: str, table_name: str, sample: pa.Table, table_contract: TableContract
) -> list[Problem]:
    descriptor = {k: v for k, v in table_contract.descriptor.items() if k != "foreignKeys"}
    columns = [column.to_pylist() for column in sample.columns]
    rows = [sample.column_names, *(list(row) for row in zip(*columns, strict=True))]
    resource = frictionless.Resource(
        data=rows, name=table_name, schema=frictionless.Schema.from_descriptor(descriptor)
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

    def read_parts(
        self, stage: str, table: str, columns: list[str] | None = None
    ) -> Iterator[pa.Table]:
        """One stage output partition by partition (or some of its columns)."""
        reader = _PartReader({table: self._stored[(stage, table)].parts(self.partition_rows)})
        try:
            for part in range(len(reader)):
                yield reader.read(table, part, columns)
        finally:
            reader.close()

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
        ranges = spec.ranges
        sources = {n: src for n, src in spec.inputs.items() if ranges is None or n != ranges.table}
        inputs = {
            name: self._stored[source].load(
                list(spec.columns[name]) if name in spec.columns else None
            )
            for name, source in sources.items()
        }
        problems = input_problems(inputs, sources, spec.columns)
        if problems:
            raise StageCheckFailed(spec.name, "input check", problems)
        if ranges is not None:
            inputs[ranges.summary] = self._summary(spec, ranges)
        started = time.perf_counter()
        with self.console.status(f"[bold]{spec.name}[/]: running…", spinner="dots"):
            result = spec.func(inputs, **spec.options)
        seconds = time.perf_counter() - started
        passed_through = self._passed_through(spec, inputs, result)
        checked = {n: t for n, t in result.tables.items() if n not in passed_through}
        problems = output_problems(spec.name, checked)
        if problems:
            raise StageCheckFailed(spec.name, "output check", problems)
        ranged: dict[str, str] = {}
        rows_in = {name: t.num_rows for name, t in inputs.items()}
        rows_out = {name: t.num_rows for name, t in result.tables.items()}
        stage_dir = self._fresh_stage_dir(spec.name)
        if ranges is not None:
            range_started = time.perf_counter()
            rows_in[ranges.table], rows_out[ranges.output], ranged = self._ranged_output(
                spec, ranges, stage_dir, checked
            )
            seconds += time.perf_counter() - range_started
        coverage = self._persist(spec.name, checked, result.report, stage_dir, ranged)
        for name, source in passed_through.items():
            self._stored[(spec.name, name)] = self._stored[source]
        stage_run = StageRun(spec.name, rows_in, rows_out, seconds, result.report.to_dict(),
                             coverage, begun, 0)  # fmt: skip
        return self._finish_run(stage_run)

    def _summary(self, spec: StageSpec, ranges: KeyRanges) -> pa.Table:
        """``ranges.summarise`` of every partition of the ranged input, concatenated."""
        source = self._stored[spec.inputs[ranges.table]]
        return pa.concat_tables(
            ranges.summarise(_columns_of(load, ranges.summary_columns))
            for load in source.parts(self.partition_rows)
        )

    def _ranged_output(
        self, spec: StageSpec, ranges: KeyRanges, stage_dir: Path, others: Mapping[str, pa.Table]
    ) -> tuple[int, int, dict[str, str]]:
        """Write ``ranges.output`` range by range (see :class:`KeyRanges`) and check it.

        Returns the rows in and out and the output's Frictionless coverage.
        """
        source_spec = spec.inputs[ranges.table]
        loaders = self._stored[source_spec].parts(self.partition_rows)
        boundaries = _range_boundaries(
            [_columns_of(load, (ranges.key,))[ranges.key] for load in loaders],
            ranges.rows_per_range,
        )
        scratch = stage_dir / "_ranges"
        files = []
        for index, load in enumerate(loaders):
            table = load()
            where = np.searchsorted(boundaries, key_prefixes(table[ranges.key]), side="right")
            path = scratch / f"from-{index:05d}.arrow"
            files.append(_write_split(table, where, len(boundaries) + 1, path))
        source_contract = contract(*source_spec)
        paths: list[Path] = []
        rows_in = rows_out = 0
        bounds: list[KeyBounds] = []
        for index in range(len(boundaries) + 1):
            part = _RegroupedPart(tuple(files), index)()
            problems = table_problems(source_contract, part)
            if problems:
                raise StageCheckFailed(spec.name, f"input check of key range {index}", problems)
            out = ranges.in_order(part)
            rows_in, rows_out = rows_in + part.num_rows, rows_out + out.num_rows
            del part
            problems = table_problems(contract(spec.name, ranges.output), out)
            if problems:
                raise StageCheckFailed(spec.name, f"output check of key range {index}", problems)
            bounds.append(key_bounds(spec.name, ranges.output, out))
            paths.append(stage_dir / ranges.output / part_name(index))
            write_parquet(out, paths[-1], private=True)
            del out
        shutil.rmtree(scratch, ignore_errors=True)
        if not keys_in_order(bounds):
            raise StageCheckFailed(spec.name, "check across key ranges", [
                Problem(ranges.output, ranges.key, "ranges-in-key-order",
                        "key ranges overlap (a key prefix sorts differently from its key)",
                        stage=spec.name)])  # fmt: skip
        self._stored[(spec.name, ranges.output)] = StoredTable(paths=tuple(paths))
        shards = {name: [_InMemory(table)] for name, table in others.items()}
        shards[ranges.output] = [_ParquetPart(path) for path in paths]
        problems = redact(ranges.relations(shards))
        if problems:
            raise StageCheckFailed(spec.name, "check across tables", problems)
        found, coverage = frictionless_problems(
            spec.name, ranges.output, paths, self.frictionless_row_limit
        )
        if found:
            raise StageCheckFailed(spec.name, "Frictionless check", redact(found))
        return rows_in, rows_out, {ranges.output: coverage}

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
        self,
        stage: str,
        tables: Mapping[str, pa.Table],
        report: StageReport,
        stage_dir: Path | None = None,
        more_coverage: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        stage_dir = stage_dir or self._fresh_stage_dir(stage)
        coverage: dict[str, str] = dict(more_coverage or {})
        problems: list[Problem] = []
        for name, table in sorted(tables.items()):
            path = stage_dir / f"{name}.parquet"
            write_parquet(table, path, private=True)
            found, coverage[name] = frictionless_problems(
                stage, name, path, self.frictionless_row_limit
            )
            problems += found
            self._stored[(stage, name)] = StoredTable(paths=(path,))
        coverage = dict(sorted(coverage.items()))
        self._write_report(stage_dir, report, coverage)
        if problems:
            raise StageCheckFailed(stage, "Frictionless check", redact(problems))
        return coverage

    def _fresh_stage_dir(self, stage: str) -> Path:
        stage_dir = self.build_dir / stage
        if stage_dir.exists():
            shutil.rmtree(stage_dir)
        make_private_dirs(stage_dir)
        return stage_dir

    def _write_report(
        self, stage_dir: Path, report: StageReport, coverage: Mapping[str, str], **extra: Any
    ) -> None:
        content = {**report.to_dict(), "frictionless": dict(coverage), **extra}
        with open_private(stage_dir / "report.json") as sink:
            sink.write((json.dumps(content, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    # --- a stage in partitions on the executor (of pages, or of article groups) -------

    def _run_partitioned(self, spec: StageSpec) -> StageRun:
        begun = time.perf_counter()
        stage_dir = self._fresh_stage_dir(spec.name)
        parts = self._input_parts(spec, stage_dir / "_regroup")
        n_parts = len(next(iter(parts.values())))
        started = time.perf_counter()
        options, prepared = dict(spec.options), StageReport()
        if spec.prepare is not None:
            reader = _PartReader(parts)
            result = spec.prepare(reader, **spec.options)
            reader.close()
            options, prepared = dict(result.options), result.report
        first_dir = stage_dir / "_first_pass" if spec.finish is not None else stage_dir
        tasks = (
            PartitionTask(
                spec.name,
                index,
                spec.func,
                ArrowTables({name: loaders[index]() for name, loaders in parts.items()}),
                dict(spec.inputs),
                check_outputs=spec.finish is None,
            )
            for index in range(n_parts)
        )
        scratch = spec.finish is not None  # the second pass writes what is kept
        log = self._run_pass(spec.name, n_parts, tasks, first_dir, options, scratch=scratch)
        rows_in = log.rows_in
        report = merge_reports([prepared] + [log.reports[i] for i in range(n_parts)])
        if spec.finish is not None:
            log, report = self._finish(spec, n_parts, first_dir, stage_dir, report)
        seconds = time.perf_counter() - started
        paths = {
            name: tuple(stage_dir / name / part_name(i) for i in range(n_parts))
            for name in sorted(log.bounds)
        }
        if spec.parts_in_key_order:
            self._ensure_key_order(spec.name, paths, log)
        else:
            self._check_unique_across_parts(spec.name, paths)
        coverage = self._frictionless_parts(spec.name, paths)
        self._write_report(stage_dir, report, coverage, partitions=n_parts)
        for name, table_paths in paths.items():
            self._stored[(spec.name, name)] = StoredTable(paths=table_paths)
        for scratch in (stage_dir / "_regroup", stage_dir / "_first_pass"):
            shutil.rmtree(scratch, ignore_errors=True)
        run = StageRun(spec.name, rows_in, log.rows_out, seconds, report.to_dict(), coverage)
        run.started, run.partitions = begun, n_parts
        return self._finish_run(run)

    def _input_parts(self, spec: StageSpec, scratch: Path) -> dict[str, list[TableLoader]]:
        """Loaders of the stage's input partitions (regrouped first if the stage asks)."""
        if spec.regroup is not None:
            return self._regroup(spec, spec.regroup, scratch)
        parts = {
            name: self._stored[source].parts(self.partition_rows)
            for name, source in spec.inputs.items()
        }
        if len({len(loaders) for loaders in parts.values()}) != 1:
            raise ValueError(f"stage {spec.name!r}: its inputs have different partition counts")
        return parts

    def _run_pass(
        self,
        stage: str,
        n_parts: int,
        tasks: Iterator[PartitionTask],
        out_dir: Path,
        common: Mapping[str, Any] | None = None,
        *,
        scratch: bool = False,
    ) -> _PartitionLog:
        """Run tasks on the executor, writing each partition's tables under ``out_dir``.

        ``common`` are stage options every partition gets (sent to a worker once).
        ``scratch`` tables (a first pass the second pass rewrites) are written as
        work tables: fast, uncompressed, read back once.
        """
        log = _PartitionLog()
        with self._progress(stage, n_parts) as advance:
            for index, outcome in self.executor.imap(run_partition, tasks, common or {}):
                assert index == outcome.index, "an executor mixed up partitions"
                self._keep_partition(stage, out_dir, outcome, log, scratch=scratch)
                advance()
        self._raise_partition_failures(stage, n_parts, log)
        return log

    def _finish(
        self, spec: StageSpec, n_parts: int, first_dir: Path, stage_dir: Path, report: StageReport
    ) -> tuple[_PartitionLog, StageReport]:
        """The stage's global step over the first pass's parts, then its second pass."""
        assert spec.finish is not None and spec.finish_partition is not None
        names = sorted(p.name for p in first_dir.iterdir() if p.is_dir())
        first = {
            name: [_ParquetPart(first_dir / name / part_name(i)) for i in range(n_parts)]
            for name in names
        }
        reader = _PartReader(first)
        with self.console.status(f"[bold]{spec.name}[/]: global step…", spinner="dots"):
            finished = spec.finish(reader, report, **spec.options)
        reader.close()
        outputs = [name for name in names if has_contract(spec.name, name)]
        tasks = (
            PartitionTask(
                spec.name,
                index,
                spec.finish_partition,
                ArrowTables({name: first[name][index]() for name in outputs}),
                {},
                dict(finished.part_options[index]),
            )
            for index in range(n_parts)
        )
        return self._run_pass(spec.name, n_parts, tasks, stage_dir), finished.report

    def _regroup(
        self, spec: StageSpec, regroup: Regroup, scratch: Path
    ) -> dict[str, list[TableLoader]]:
        """Re-partition the inputs by group: one Arrow IPC file per source partition.

        Source partition s of each input is split by destination and written
        as ``scratch/<input>/from-<s>.arrow`` with one record batch per
        destination; destination d reads batch d of every file. One source
        partition is in memory at a time, plus a (``on`` value, partition)
        table of the grouping input (one row per page).
        """
        stored = {name: self._stored[source] for name, source in spec.inputs.items()}
        key_parts = stored[regroup.table].parts(self.partition_rows)
        n_parts = len(key_parts)
        files: dict[str, list[Path]] = {name: [] for name in spec.inputs}
        destinations: list[pa.Table] = []
        for source, loader in enumerate(key_parts):
            table = loader()
            dest = group_partitions(regroup.key(table), n_parts)
            path = scratch / regroup.table / f"from-{source:05d}.arrow"
            files[regroup.table].append(_write_split(table, dest, n_parts, path))
            destinations.append(pa.table({"on": table[regroup.on], "partition": dest}))
        known = pa.concat_tables(destinations)
        for name in spec.inputs:
            if name == regroup.table:
                continue
            for source, loader in enumerate(stored[name].parts(self.partition_rows)):
                table = loader()
                found = pc.index_in(table[regroup.on], value_set=known["on"])
                # a row whose group is unknown goes to partition 0, whose input check reports it
                dest = pc.fill_null(known["partition"].take(found), 0).to_numpy()
                path = scratch / name / f"from-{source:05d}.arrow"
                files[name].append(_write_split(table, dest, n_parts, path))
        return {
            name: [_RegroupedPart(tuple(paths), index) for index in range(n_parts)]
            for name, paths in files.items()
        }

    def _keep_partition(
        self,
        stage: str,
        stage_dir: Path,
        outcome: PartitionOutcome,
        log: _PartitionLog,
        *,
        scratch: bool = False,
    ) -> None:
        """Write one partition's tables and keep only its figures."""
        if outcome.failed:
            when = "input check" if outcome.input_problems else "output check"
            log.failures[outcome.index] = (when, outcome.input_problems or outcome.output_problems)
            return
        for name, table in outcome.tables.items():
            path = stage_dir / name / part_name(outcome.index)
            if has_contract(stage, name) and not scratch:
                write_parquet(table, path, private=True)
                log.rows_out[name] = log.rows_out.get(name, 0) + table.num_rows
            else:
                write_work_parquet(table, path)
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
                write_parquet(whole.slice(offset, rows), path, private=True)
                offset += rows

    def _check_unique_across_parts(self, stage: str, paths: Mapping[str, tuple[Path, ...]]) -> None:
        """Primary keys of group partitions must be unique over all partitions.

        Each partition was checked on its own; across them every key is hashed
        (8 bytes a row, key columns read alone) and any repeated hash re-checked
        on the key values themselves (pipeline/shard_checks.py).
        """
        for name, table_paths in paths.items():
            loaders = [_ParquetPart(path) for path in table_paths]
            problems = unique_key_problems(stage, name, loaders, unit="partition")
            if problems:
                raise StageCheckFailed(stage, "check across partitions", redact(problems))

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

    def _finish_run(self, run: StageRun) -> StageRun:
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


def _write_split(table: pa.Table, dest: np.ndarray, n_parts: int, path: Path) -> Path:
    """``table``'s rows as one IPC file with one record batch per destination partition."""
    order = np.argsort(dest, kind="stable")
    counts = np.bincount(dest, minlength=n_parts)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    ordered = table.take(pa.array(order, pa.int64()))
    with pa.OSFile(str(create_private(path)), "wb") as sink, ipc.new_file(
        sink, table.schema
    ) as writer:
        for start, count in zip(starts, counts, strict=True):
            writer.write_batch(_one_batch(ordered.slice(int(start), int(count))))
    return path


def _one_batch(table: pa.Table) -> pa.RecordBatch:
    batches = table.combine_chunks().to_batches()
    if not batches:
        return pa.RecordBatch.from_pylist([], schema=table.schema)
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)


def _columns_of(load: TableLoader, columns: Sequence[str]) -> pa.Table:
    """Some columns of a partition: read alone from a Parquet part, else selected."""
    if isinstance(load, _ParquetPart):
        return load(columns or None)
    return load().select(list(columns)) if columns else load()


@dataclass(frozen=True)
class _InMemory:
    """A loader of some columns of a table already in memory."""

    table: pa.Table

    def __call__(self, columns: Sequence[str] | None = None) -> pa.Table:
        return self.table.select(list(columns)) if columns else self.table


def key_prefixes(keys: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The first 8 bytes of each string key as a big-endian uint64 (zero-padded).

    Non-decreasing in the keys' byte order (Arrow's string sort order), so
    cutting keys where their prefixes cross a boundary gives ranges that follow
    each other in key order; keys sharing a prefix share a range.
    """
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    keys = keys.cast(pa.large_string())
    offsets = np.frombuffer(keys.buffers()[1], dtype=np.int64)[
        keys.offset : keys.offset + len(keys) + 1
    ]
    data = np.frombuffer(keys.buffers()[2], dtype=np.uint8) if len(keys) else np.empty(0, np.uint8)
    prefixes = np.zeros(len(keys), dtype=np.uint64)
    lengths = np.diff(offsets)
    for byte in range(8):
        present = lengths > byte
        values = np.zeros(len(keys), dtype=np.uint64)
        values[present] = data[offsets[:-1][present] + byte]
        prefixes |= values << np.uint64(8 * (7 - byte))
    return prefixes


def _range_boundaries(keys: Sequence[pa.ChunkedArray], rows_per_range: int) -> np.ndarray:
    """Key-prefix boundaries cutting all ``keys`` into ranges of about ``rows_per_range``.

    8 bytes a key (the prefixes), sorted; range i holds the keys whose prefix is
    at least boundary i-1 and below boundary i.
    """
    prefixes = np.sort(np.concatenate([key_prefixes(k) for k in keys])) if keys else np.empty(0)
    count = max(1, -(-len(prefixes) // rows_per_range))
    cuts = [prefixes[i * len(prefixes) // count] for i in range(1, count)]
    return np.unique(np.asarray(cuts, dtype=np.uint64))
