"""Build a release: read the seeds, run every stage through the runner, publish.

    seeds/ -> ingest -> parse -> dedupe -> anonymise -> release -> publish -> DIST/X.Y.Z/

This module wires stages together and owns the reading of seed files; the
stages themselves never touch the file system. With a pseudonym key the
release goes to DIST/X.Y.Z; without one it is a *preview*: pseudonyms from a
fresh random key, written to BUILD/preview/X.Y.Z, and the run says so.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from rich.console import Console

from pipeline.docs.context import TABLES, ReleaseContext
from pipeline.errors import LeakFound, SeedsNotFound
from pipeline.pseudonyms import PseudonymKey
from pipeline.publish import PublishOutcome, publish_atomically, write_release_files
from pipeline.runner import Runner, StageSpec
from pipeline.stages import anonymise, dedupe, ingest, parse, release

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


@dataclass(frozen=True)
class BuildResult:
    outcome: PublishOutcome
    preview: bool
    key_fingerprint: str


def parse_version(version: str) -> tuple[int, int, int]:
    match = SEMVER.match(version)
    if match is None:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def read_seed_files(seeds_dir: Path) -> pa.Table:
    """Every regular file directly in ``seeds_dir``, by name: (source_file, raw bytes)."""
    if not seeds_dir.is_dir():
        raise SeedsNotFound(f"seeds directory {seeds_dir} does not exist")
    paths = sorted(p for p in seeds_dir.iterdir() if p.is_file())
    if not paths:
        raise SeedsNotFound(f"seeds directory {seeds_dir} holds no files")
    return pa.table(
        {
            "source_file": pa.array([p.name for p in paths], pa.string()),
            "raw": pa.array([p.read_bytes() for p in paths], pa.binary()),
        }
    )


def stage_specs(key: PseudonymKey) -> list[StageSpec]:
    """The pipeline, in order: each stage and where its inputs come from."""
    return [
        StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}),
        StageSpec("parse", parse.run, {"pages": ("ingest", "pages")}),
        StageSpec(
            "dedupe",
            dedupe.run,
            {"articles": ("parse", "articles"), "comments": ("parse", "comments")},
        ),
        StageSpec(
            "anonymise",
            anonymise.run,
            {"comments": ("dedupe", "comments"), "articles": ("dedupe", "articles")},
            {"key": key},
        ),
        StageSpec(
            "release",
            release.run,
            {
                "articles": ("dedupe", "articles"),
                "comments": ("anonymise", "comments"),
                "duplicates": ("dedupe", "duplicates"),
                "pages": ("ingest", "pages"),
                "rejected_inputs": ("ingest", "rejected_inputs"),
                "parsed_articles": ("parse", "articles"),
                "unparsed": ("parse", "unparsed"),
            },
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
        if p.is_dir() and SEMVER.match(p.name) and parse_version(p.name) < current
    ]
    return max(older)[1] if older else None


def build_release(
    seeds_dir: Path,
    dist_dir: Path,
    version: str,
    key: PseudonymKey | None,
    *,
    build_dir: Path = Path("build"),
    date: str | None = None,
    console: Console | None = None,
) -> BuildResult:
    """Run the whole pipeline and publish version ``version``."""
    parse_version(version)
    console = console or Console(stderr=True)
    preview = key is None
    if key is None:
        key = PseudonymKey.random_preview()
        console.print(
            "[bold yellow]PREVIEW BUILD[/]: no pseudonym key given (--key-file or "
            "CORPUS_PSEUDONYM_KEY_FILE); pseudonyms come from a fresh random key and the "
            f"release goes to {build_dir / 'preview' / version}, not {dist_dir}."
        )
    target = (build_dir / "preview" if preview else dist_dir) / version
    runner = Runner(build_dir, console)
    runner.provide("seeds", {"files": read_seed_files(seeds_dir)})
    for spec in stage_specs(key):
        runner.run(spec)
    released = {name: runner.outputs[("release", name)] for name in TABLES}
    raw_handles = _raw_handles(runner.outputs[("parse", "comments")])
    ctx = ReleaseContext(
        version=version,
        date=date or release_date(target),
        preview=preview,
        key_fingerprint=key.fingerprint(),
        tables=released,
        table_files={name: (f"{name}.parquet",) for name in TABLES},
        stage_reports={run.name: run.report for run in runner.runs},
        previous_release=None if preview else previous_release(dist_dir, version),
    )
    outcome = publish_atomically(
        lambda out_dir: write_release_files(ctx, out_dir, _document_writers()),
        target,
        on_written=lambda out_dir: _audit(out_dir, raw_handles),
    )
    return BuildResult(outcome, preview, ctx.key_fingerprint)


def _raw_handles(comments: pa.Table) -> list[str]:
    return sorted(h for h in set(comments["handle"].to_pylist()) if h)


def _audit(out_dir: Path, raw_handles: list[str]) -> None:
    from pipeline.audit import audit_release

    report = audit_release(out_dir, raw_handles)
    if report.failures:
        places = "; ".join(hit.describe() for hit in report.failures[:5])
        raise LeakFound(
            f"privacy audit: {len(report.failures)} commenter handle occurrence(s) in the "
            f"release ({places}); nothing was published"
        )


def _document_writers() -> list:
    from pipeline.docs.writers import DOCUMENT_WRITERS

    return list(DOCUMENT_WRITERS)
