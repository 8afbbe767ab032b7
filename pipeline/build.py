"""Build a release: read the seeds, run every stage through the runner, publish.

    seeds/ -> ingest -> parse -> dedupe -> anonymise -> release -> publish -> DIST/X.Y.Z/

This module wires stages together and owns the reading of seed files; the
stages themselves never touch the file system. The per-page stages (ingest,
parse) run in partitions of ``partition_pages`` seed files (contiguous in
name order) on the executor given (in process by default, or Dask: see
pipeline/executors.py); dedupe and anonymise run in as many partitions of
whole articles (see pipeline/runner.py), release in this process: the
comments in ranges of ``comment_id`` (``ROWS_PER_RANGE`` rows at a time,
``KeyRanges``), the other tables whole (Arrow, only the columns it needs).
The release is byte-identical whatever the executor, the partition size and
the range size. With a pseudonym key the
release goes to DIST/X.Y.Z; without one it is a *preview*: pseudonyms from a
fresh random key, written to BUILD/preview/X.Y.Z, and the run says so.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from rich.console import Console

from pipeline.build_manifest import clear_manifest, write_manifest
from pipeline.config import contact_address
from pipeline.docs.context import TABLES, ReleaseContext
from pipeline.errors import LeakFound
from pipeline.executors import Executor
from pipeline.output_dirs import check_output_dir, locked, naming
from pipeline.pseudonyms import PseudonymKey
from pipeline.publish import PublishOutcome, publish_atomically, write_release_files
from pipeline.runner import KeyRanges, Regroup, Runner, StageRun, StageSpec
from pipeline.seeds import files_table, read_seed, seed_entries
from pipeline.shard_checks import release_relation_problems
from pipeline.shards import MAX_ROWS_PER_FILE, release_file_names
from pipeline.stages import anonymise, dedupe, ingest, parse, release
from pipeline.versions import is_version, parse_version

PARTITION_PAGES = 1000
# What the leak audit needs from the build: who wrote each comment (raw handles).
HANDLE_COLUMNS = ["comment_id", "handle"]
# Released comments held in memory at once by the release stage (one key range):
# at 1.8M comments the stage peaked at 1.55 GB with 1M-row ranges, 1.19 GB with
# 250k (and ran faster); the bytes released do not depend on it.
ROWS_PER_RANGE = 250_000


@dataclass(frozen=True)
class BuildResult:
    """The published release, and what each stage did (for benchmarks and logs).

    ``publish_seconds`` covers writing the files and documents, the privacy
    audit and the atomic rename.
    """

    outcome: PublishOutcome
    preview: bool
    key_fingerprint: str
    stage_runs: list[StageRun] = field(default_factory=list)
    publish_seconds: float = 0.0
    publish_started: float = 0.0


@dataclass(frozen=True)
class SeedPartition:
    """Some seed entries, read into a ``files`` table when called (pipeline/seeds.py:
    regular files only, never through a symbolic link; anything else is a row with
    the reason it was not read)."""

    paths: tuple[Path, ...]

    def __call__(self) -> pa.Table:
        return files_table([read_seed(path) for path in self.paths])


def seed_paths(seeds_dir: Path) -> list[Path]:
    """Every entry directly in ``seeds_dir``, sorted by name (nested directories are not
    walked: a subdirectory is one entry, rejected by ingest)."""
    return seed_entries(seeds_dir)


def seed_partitions(seeds_dir: Path, pages_per_partition: int) -> list[SeedPartition]:
    """The seed files in partitions of ``pages_per_partition``, in name order."""
    if pages_per_partition < 1:
        raise ValueError(f"--partition-pages must be at least 1, not {pages_per_partition}")
    paths = seed_paths(seeds_dir)
    return [
        SeedPartition(tuple(paths[start : start + pages_per_partition]))
        for start in range(0, len(paths), pages_per_partition)
    ]


def read_seed_files(seeds_dir: Path) -> pa.Table:
    """Every entry directly in ``seeds_dir``, by name, as ingest's ``files`` table."""
    return SeedPartition(tuple(seed_paths(seeds_dir)))()


def stage_specs(key: PseudonymKey, *, rows_per_range: int = ROWS_PER_RANGE) -> list[StageSpec]:
    """The pipeline, in order: each stage and where its inputs come from.

    ``rows_per_range``: the release stage builds the comments table in ranges of
    about that many rows of ``comment_id`` (tests lower it; the bytes do not
    depend on it)."""
    return [
        StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}, partitioned=True),
        StageSpec("parse", parse.run, {"pages": ("ingest", "pages")}, partitioned=True),
        StageSpec(
            "dedupe",
            dedupe.merge_partition,
            {"articles": ("parse", "articles"), "comments": ("parse", "comments")},
            partitioned=True,
            regroup=Regroup("articles", dedupe.article_identities, on="source_file"),
            finish=dedupe.cluster_near_duplicates,
            finish_partition=dedupe.label_partition,
        ),
        StageSpec(
            "anonymise",
            anonymise.run_partition,
            {"comments": ("dedupe", "comments"), "articles": ("dedupe", "articles")},
            {"key": key},
            partitioned=True,
            grouped=True,
            prepare=anonymise.prepare,
        ),
        StageSpec(
            "release",
            release.run_without_comments,
            {
                "articles": ("dedupe", "articles"),
                "comments": ("anonymise", "comments"),
                "duplicates": ("dedupe", "duplicates"),
                "pages": ("ingest", "pages"),
                "rejected_inputs": ("ingest", "rejected_inputs"),
                "parsed_articles": ("parse", "articles"),
                "unparsed": ("parse", "unparsed"),
                "escaped": ("anonymise", "escaped"),
            },
            columns={
                "pages": ["source_file", "source_sha256", "bytes", "encoding"],
                "parsed_articles": [
                    "source_file", "layout", "parse_confidence", "lines_title", "lines_body",
                    "lines_comment_text", "lines_handle", "lines_chrome",
                ],  # fmt: skip
            },
            ranges=KeyRanges(
                table="comments",
                output="comments",
                key="comment_id",
                in_order=release.comments_in_order,
                summary="comment_counts",
                summarise=release.comment_counts,
                summary_columns=("comment_id", "article_id"),
                relations=release_relation_problems,
                rows_per_range=rows_per_range,
            ),
        ),
    ]


def release_date(target: Path) -> str:
    """The date a version was (or is being) released, YYYY-MM-DD.

    An existing version keeps its date, so an identical rebuild on another day
    is byte-identical; otherwise SOURCE_DATE_EPOCH if set, else today (UTC).
    """
    existing = target / "datapackage.json"
    if existing.is_file():
        created = json.loads(existing.read_text(encoding="utf-8")).get("created", "")
        if len(created) >= 10:
            return created[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d")


def previous_release(dist_dir: Path, version: str) -> Path | None:
    """The newest version in ``dist_dir`` older than ``version``."""
    current = parse_version(version)
    older = [
        (parse_version(p.name), p)
        for p in dist_dir.glob("*")
        if p.is_dir() and is_version(p.name) and parse_version(p.name) < current
    ]
    return max(older)[1] if older else None


def check_output_dirs(build_dir: Path, dist_dir: Path | None) -> None:
    """BUILD (and DIST, unless a preview) are directories this run can write: checked
    before any stage runs (pipeline/output_dirs.py)."""
    check_output_dir(build_dir, "build directory (--build)", private=True)
    if dist_dir is not None:
        check_output_dir(dist_dir, "dist directory (--dist)")


def build_release(
    seeds_dir: Path,
    dist_dir: Path,
    version: str,
    key: PseudonymKey | None,
    *,
    build_dir: Path = Path("build"),
    date: str | None = None,
    console: Console | None = None,
    executor: Executor | None = None,
    partition_pages: int = PARTITION_PAGES,
    max_rows_per_file: Mapping[str, int] = MAX_ROWS_PER_FILE,
    rows_per_range: int = ROWS_PER_RANGE,
) -> BuildResult:
    """Run the whole pipeline and publish version ``version``.

    ``executor`` runs the per-page stages (default: in this process);
    ``partition_pages`` is how many seed files make one partition;
    ``max_rows_per_file`` is the row limit per release file of each table, above
    which it is written as numbered shards (pipeline/shards.py; tests lower it).
    """
    parse_version(version)
    console = console or Console(stderr=True)
    preview = key is None
    check_output_dirs(build_dir, None if preview else dist_dir)
    if key is None:
        key = PseudonymKey.random_preview()
        console.print(
            "[bold yellow]PREVIEW BUILD[/]: no pseudonym key given (--key-file or "
            "CORPUS_PSEUDONYM_KEY_FILE); pseudonyms come from a fresh random key and the "
            f"release goes to {build_dir / 'preview' / version}, not {dist_dir}."
        )
    with locked(build_dir, "build directory", console):
        runner = run_stages(
            seeds_dir, key, build_dir=build_dir, console=console, executor=executor,
            partition_pages=partition_pages, rows_per_range=rows_per_range,
        )  # fmt: skip
        return publish_release(
            runner, dist_dir, version, key, preview, date=date, max_rows_per_file=max_rows_per_file
        )


def run_stages(
    seeds_dir: Path,
    key: PseudonymKey,
    *,
    build_dir: Path,
    console: Console,
    executor: Executor | None = None,
    partition_pages: int = PARTITION_PAGES,
    rows_per_range: int = ROWS_PER_RANGE,
) -> Runner:
    """Every stage, in order, through the runner; their outputs end up under ``build_dir``."""
    clear_manifest(build_dir)  # these outputs will belong to this build only
    runner = Runner(build_dir, console, executor=executor)
    runner.provide_parts("seeds", "files", seed_partitions(seeds_dir, partition_pages))
    specs = stage_specs(key, rows_per_range=rows_per_range)
    last_partitioned = max(i for i, spec in enumerate(specs) if spec.partitioned)
    for i, spec in enumerate(specs):
        with naming(build_dir / spec.name):
            runner.run(spec)
        if i == last_partitioned:
            runner.executor.idle()  # the rest runs on whole tables, in this process
    return runner


def publish_release(
    runner: Runner,
    dist_dir: Path,
    version: str,
    key: PseudonymKey,
    preview: bool,
    *,
    date: str | None = None,
    max_rows_per_file: Mapping[str, int] = MAX_ROWS_PER_FILE,
) -> BuildResult:
    """Write, audit and atomically publish the release the runner's stages produced.

    A table of more than ``max_rows_per_file[table]`` rows is written as
    numbered shards (pipeline/shards.py). The directory the version goes into
    is locked from reading the previous release to the rename; a preview
    replaces an earlier preview of the same version (its key was random).
    """
    publish_started = time.perf_counter()
    target = (runner.build_dir / "preview" if preview else dist_dir) / version
    target.parent.mkdir(parents=True, exist_ok=True)
    where = "preview directory" if preview else "dist directory"
    with locked(target.parent, where, runner.console):
        outcome, ctx = _publish_locked(
            runner, target, dist_dir, version, key, preview, date, max_rows_per_file
        )
    seconds = time.perf_counter() - publish_started
    runner.console.print(f"[bold green]✓ publish[/] in {seconds:.2f}s")
    write_manifest(runner.build_dir, outcome.path, version, preview)
    return BuildResult(outcome, preview, ctx.key_fingerprint, runner.runs, seconds, publish_started)


def _publish_locked(
    runner: Runner,
    target: Path,
    dist_dir: Path,
    version: str,
    key: PseudonymKey,
    preview: bool,
    date: str | None,
    max_rows_per_file: Mapping[str, int],
) -> tuple[PublishOutcome, ReleaseContext]:
    comment_handles = _comment_handles(runner.read_parts("dedupe", "comments", HANDLE_COLUMNS))
    tables = {name: runner.read("release", name) for name in TABLES}
    ctx = ReleaseContext(
        version=version,
        date=date or release_date(target),
        preview=preview,
        key_fingerprint=key.fingerprint(),
        tables=tables,
        table_files=release_file_names(
            {name: table.num_rows for name, table in tables.items()}, max_rows_per_file
        ),
        stage_reports={run.name: run.report for run in runner.runs},
        previous_release=None if preview else previous_release(dist_dir, version),
        contact=contact_address(),
    )
    with naming(target.parent / f".{version}.partial-{os.getpid()}"):
        outcome = publish_atomically(
            lambda out_dir: write_release_files(ctx, out_dir, _document_writers()),
            target,
            on_written=lambda out_dir: _audit(out_dir, comment_handles),
            replace_existing=preview,
        )
    return outcome, ctx


def _comment_handles(parts: Iterable[pa.Table]) -> pa.Table:
    """(comment_id, handle) of every comment with a handle, a partition at a time."""
    kept = [part.filter(pc.is_valid(part["handle"])) for part in parts]
    if not kept:
        return pa.table({name: pa.array([], pa.string()) for name in HANDLE_COLUMNS})
    return pa.concat_tables(kept)


def _audit(out_dir: Path, comment_handles: pa.Table) -> None:
    from pipeline.audit import audit_release

    report = audit_release(out_dir, distinct_raw_handles(comment_handles), comment_handles)
    if report.failures:
        places = "; ".join(hit.describe() for hit in report.failures[:5])
        raise LeakFound(
            f"privacy audit: {len(report.failures)} commenter handle occurrence(s) in the "
            f"release ({places}); nothing was published"
        )


def distinct_raw_handles(comment_handles: pa.Table) -> list[str]:
    return sorted(h for h in pc.unique(comment_handles["handle"]).to_pylist() if h)


def _document_writers() -> list:
    from pipeline.docs.writers import DOCUMENT_WRITERS

    return list(DOCUMENT_WRITERS)
