"""Re-check a release on disk: ``python -m pipeline validate DIST/X.Y.Z``.

Checks, collecting every problem rather than stopping at the first:

1. SHA256SUMS: every listed file exists and has that hash; every file in the
   directory is listed.
2. datapackage.json: readable, version matches the directory, every resource
   file exists and its ``hash`` matches; each table is one file or a complete
   set of numbered shards (pipeline/shards.py), and no Parquet file in the
   directory is left out.
3. Every table, one shard at a time: pandera against schema/release (every
   row), Frictionless (all rows up to the runner's row limit, a deterministic
   sample above it), then the primary key unique across shards and the
   cross-table checks (foreign keys, threading, n_comments, kept ids) by
   64-bit key hashes (pipeline/shard_checks.py): memory holds one shard and
   a few numbers per row, never a whole table.
4. The privacy leak audit, when the build's pre-anonymisation output
   (BUILD/parse/comments.parquet) is at hand.

Never prints a commenter handle: audit hits name the file and place only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.docs.context import TABLES
from pipeline.publish import CHECKSUMS, sha256_file
from pipeline.runner import FRICTIONLESS_ROW_LIMIT, frictionless_problems
from pipeline.schemas import contract, table_problems
from pipeline.shard_checks import release_relation_problems, unique_key_problems
from pipeline.shards import files_label, names_of_shards, table_of_file


def checksum_problems(release_dir: Path) -> list[str]:
    sums = release_dir / CHECKSUMS
    if not sums.is_file():
        return [f"{sums}: missing"]
    problems: list[str] = []
    listed: set[str] = set()
    for line_no, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(f"{sums}:{line_no}: not a 'sha256  file' line")
            continue
        listed.add(name)
        path = release_dir / name
        if not path.is_file():
            problems.append(f"{name}: listed in {CHECKSUMS} but missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: sha256 differs from {CHECKSUMS} (file changed or corrupt)")
    present = {
        p.relative_to(release_dir).as_posix()
        for p in release_dir.rglob("*")
        if p.is_file() and p.name != CHECKSUMS
    }
    problems += [
        f"{name}: present but not listed in {CHECKSUMS}" for name in sorted(present - listed)
    ]
    return problems


def datapackage_problems(release_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Problems with datapackage.json, and the table -> files it declares."""
    path = release_dir / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"datapackage.json: unreadable ({error})"], {}
    problems: list[str] = []
    if descriptor.get("version") != release_dir.name:
        problems.append(
            f"datapackage.json: version {descriptor.get('version')!r} "
            f"does not match the directory {release_dir.name!r}"
        )
    files: dict[str, list[str]] = {}
    for resource in descriptor.get("resources", []):
        file_name = resource.get("path", "")
        table = table_of_file(file_name) if isinstance(file_name, str) else None
        if table not in TABLES:
            problems.append(f"datapackage.json: resource path {file_name!r} is not a table file")
            continue
        files.setdefault(table, []).append(file_name)
        file_path = release_dir / file_name
        if not file_path.is_file():
            problems.append(f"{file_name}: declared in datapackage.json but missing")
            continue
        declared = str(resource.get("hash", "")).removeprefix("sha256:")
        if declared != sha256_file(file_path):
            problems.append(f"{file_name}: hash differs from datapackage.json")
    return problems + shard_problems(release_dir, files), files


def shard_problems(release_dir: Path, files: dict[str, list[str]]) -> list[str]:
    """Each table is one file or a complete, consistently numbered set of shards, and every
    Parquet file in the release is one of them."""
    problems: list[str] = []
    for table, names in sorted(files.items()):
        expected = names_of_shards(table, len(names))
        if sorted(names) != list(expected):
            problems.append(
                f"datapackage.json: {table} is declared as {', '.join(sorted(names))}; "
                f"expected {expected[0]} ... {expected[-1]} (one file, or every numbered shard)"
            )
    declared = {name for names in files.values() for name in names}
    problems += [
        f"{path.name}: a Parquet file not declared in datapackage.json"
        for path in sorted(release_dir.glob("*.parquet"))
        if path.name not in declared
    ]
    return problems


def _read_shard(release_dir: Path, name: str, columns: list[str] | None = None) -> pa.Table | str:
    try:
        return pq.read_table(release_dir / name, columns=columns)
    except Exception as error:  # a corrupt file is a finding, not a crash
        return f"{name}: unreadable as Parquet ({type(error).__name__}: {error})"


def _loaders(release_dir: Path, names: list[str]) -> list:
    """Loaders of a table's shards in name order, each reading only the columns asked for."""
    return [
        lambda columns, name=name: pq.read_table(release_dir / name, columns=list(columns))
        for name in sorted(names)
    ]


def table_and_relation_problems(
    release_dir: Path, files: dict[str, list[str]], row_limit: int
) -> list[str]:
    """Every table, one shard at a time: pandera and Frictionless on each shard, its key
    unique across shards, then the cross-table laws (pipeline/shard_checks.py). No step
    holds more than one shard, plus a few numbers per row for the key checks."""
    problems: list[str] = []
    passed: dict[str, list[str]] = {}
    for table_name in TABLES:
        names = sorted(files.get(table_name) or [f"{table_name}.parquet"])
        found: list[str] = []
        for name in names:
            shard = _read_shard(release_dir, name)
            if isinstance(shard, str):
                found.append(shard)
                continue
            found += [
                f"{name}: {p.describe()}"
                for p in table_problems(contract("release", table_name), shard)
            ]
            del shard
            if not found:
                errors, coverage = frictionless_problems(
                    "release", table_name, release_dir / name, row_limit
                )
                found += [f"{name}: {p.describe()} (frictionless, {coverage})" for p in errors]
        if not found:
            label = files_label(table_name, names)
            found += [
                f"{label}: {p.describe()}"
                for p in unique_key_problems("release", table_name, _loaders(release_dir, names))
            ]
        problems += found
        if not found:
            passed[table_name] = names
    if len(passed) == len(TABLES):
        shards = {name: _loaders(release_dir, passed[name]) for name in TABLES}
        problems += [p.describe() for p in release_relation_problems(shards)]
    return problems


def raw_handle_files(build_dir: Path | None) -> list[Path]:
    """The parse stage's comment files (whole table or partitions), if at hand."""
    if build_dir is None:
        return []
    whole = build_dir / "parse" / "comments.parquet"
    if whole.is_file():
        return [whole]
    return sorted((build_dir / "parse" / "comments").glob("part-*.parquet"))


def audit_problems(release_dir: Path, build_dir: Path | None) -> tuple[list[str], list[str]]:
    """Leak-audit failures and warnings, when the raw handles are at hand."""
    files = raw_handle_files(build_dir)
    if not files:
        return [], []
    from pipeline.audit import audit_release

    handles = pa.concat_tables(pq.read_table(p, columns=["handle"]) for p in files)["handle"]
    report = audit_release(release_dir, sorted(h for h in set(handles.to_pylist()) if h))
    return (
        [f"privacy: {hit.describe()}" for hit in report.failures],
        [f"privacy (article text, allowed): {hit.describe()}" for hit in report.warnings],
    )


def validate_release(
    release_dir: Path,
    *,
    build_dir: Path | None = None,
    row_limit: int = FRICTIONLESS_ROW_LIMIT,
) -> tuple[list[str], list[str]]:
    """Every problem with the release on disk, and warnings."""
    if not release_dir.is_dir():
        return [f"{release_dir}: not a directory"], []
    problems = checksum_problems(release_dir)
    package_problems, files = datapackage_problems(release_dir)
    problems += package_problems
    problems += table_and_relation_problems(release_dir, files, row_limit)
    leaks, warnings = audit_problems(release_dir, build_dir)
    return problems + leaks, warnings
