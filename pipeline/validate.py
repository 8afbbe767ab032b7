"""Re-check a release on disk: ``python -m pipeline validate DIST/X.Y.Z``.

Checks, collecting every problem rather than stopping at the first:

1. SHA256SUMS: every listed file exists and has that hash; every file in the
   directory is listed. When SHA256SUMS is the damaged file (a malformed line,
   a line naming no file, a digest a flipped byte away from the file's hash)
   it is SHA256SUMS that is named, not an intact file.
2. datapackage.json: readable, version matches the directory, every resource
   file exists and its ``hash`` matches; each table is one file or a complete
   set of numbered shards (pipeline/shards.py), and no Parquet file in the
   directory is left out.
3. Every table, one shard at a time: pandera against schema/release (every
   row), Frictionless (all rows up to the runner's row limit, a deterministic
   sample above it), then the primary key unique across shards and the
   cross-table checks (foreign keys, threading, n_comments, kept ids) by
   64-bit key hashes (pipeline/shard_checks.py): memory holds one shard and
   a few numbers per row, never a whole table. A release is checked on the
   columns of its own version (schema/release ``addedIn``): a column added
   later is not asked of an older release.
4. The privacy leak audit, against the raw handles of the build that made
   this release (BUILD/dedupe/comments, its ``comment_id`` and ``handle``),
   and only that build: ``BUILD/release-manifest.json`` must name this
   release (pipeline/build_manifest.py). Otherwise the audit is skipped and a
   warning says why; everything else is still checked.

Never prints a commenter handle: audit hits name the file and place only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.build_manifest import matching_build
from pipeline.docs.context import TABLES
from pipeline.publish import CHECKSUMS, sha256_file
from pipeline.runner import FRICTIONLESS_ROW_LIMIT, frictionless_problems
from pipeline.schemas import release_contract, table_problems
from pipeline.shard_checks import release_relation_problems, unique_key_problems
from pipeline.shards import files_label, names_of_shards, table_of_file
from pipeline.versions import is_version


def checksum_problems(release_dir: Path) -> list[str]:
    """SHA256SUMS against the files, naming SHA256SUMS itself when it is the damaged one.

    A line that is not ``<64 hex>  <name>``, or that names no file while a file
    is left unlisted, is a damaged line of SHA256SUMS. A digest that differs
    from the file's hash in at most :data:`_FLIPPED_DIGITS` of 64 hex digits,
    or a file whose hash still matches datapackage.json, means the line was
    damaged, not the file (a changed file changes its whole hash).
    """
    sums = release_dir / CHECKSUMS
    if not sums.is_file():
        return [f"{sums}: missing"]
    present = {
        p.relative_to(release_dir).as_posix(): p
        for p in release_dir.rglob("*")
        if p.is_file() and p.name != CHECKSUMS
    }
    declared = _datapackage_hashes(release_dir)
    problems: list[str] = []
    listed: dict[str, tuple[int, str]] = {}
    dangling: list[tuple[int, str, str]] = []
    for line_no, line in enumerate(sums.read_bytes().splitlines(), start=1):
        entry = _checksum_entry(line)
        if entry is None:
            problems.append(
                f"{CHECKSUMS}: line {line_no} is damaged (not '<64 hex digits>  <file name>')"
            )
        elif entry[1] in present:
            listed[entry[1]] = (line_no, entry[0])
        else:
            dangling.append((line_no, *entry))
    actual = {name: sha256_file(path) for name, path in sorted(present.items())}
    unlisted = sorted(set(present) - set(listed))
    for line_no, digest, name in dangling:
        if unlisted:
            matches = [other for other in unlisted if actual[other] == digest]
            which = f"; its digest is that of {matches[0]}" if matches else ""
            problems.append(
                f"{CHECKSUMS}: line {line_no} is damaged: it names {name!r}, which is not in the "
                f"release{which}"
            )
        else:
            problems.append(f"{name}: listed in {CHECKSUMS} (line {line_no}) but missing")
    for name, (line_no, digest) in sorted(listed.items()):
        if actual[name] != digest:
            problems.append(_digest_mismatch(name, line_no, digest, actual[name], declared))
    damaged = sum(problem.startswith(f"{CHECKSUMS}:") for problem in problems)
    note = f" ({CHECKSUMS} has {damaged} damaged line(s))" if damaged else ""
    problems += [f"{name}: present but not listed in {CHECKSUMS}{note}" for name in unlisted]
    return problems


_FLIPPED_DIGITS = 2
_HEX_DIGEST = re.compile(rb"[0-9a-f]{64}")


def _checksum_entry(line: bytes) -> tuple[str, str] | None:
    """(digest, file name) of one SHA256SUMS line, or None when it is malformed."""
    digest, sep, name = line.partition(b"  ")
    if not sep or not _HEX_DIGEST.fullmatch(digest) or not name:
        return None
    try:
        return digest.decode("ascii"), name.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _digest_mismatch(
    name: str, line_no: int, listed: str, actual: str, declared: dict[str, str]
) -> str:
    differing = sum(a != b for a, b in zip(listed, actual, strict=True))
    if differing <= _FLIPPED_DIGITS or declared.get(name) == actual:
        why = (
            f"its digest differs from the file's in {differing} of 64 hex digits"
            if differing <= _FLIPPED_DIGITS
            else "the file still has the hash datapackage.json declares"
        )
        return f"{CHECKSUMS}: line {line_no} is damaged: {why}; {name} itself is intact"
    return f"{name}: sha256 differs from {CHECKSUMS} (file changed or corrupt)"


def _datapackage_hashes(release_dir: Path) -> dict[str, str]:
    """file -> sha256 that datapackage.json declares (empty when it is unreadable)."""
    try:
        descriptor = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
        return {
            str(r["path"]): str(r.get("hash", "")).removeprefix("sha256:")
            for r in descriptor.get("resources", [])
            if isinstance(r, dict) and isinstance(r.get("path"), str)
        }
    except (OSError, ValueError, AttributeError):
        return {}


def datapackage_problems(release_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Problems with datapackage.json, and the table -> files it declares."""
    path = release_dir / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"datapackage.json: unreadable ({error})"], {}
    problems: list[str] = []
    if not is_version(release_dir.name):
        problems.append(
            f"{release_dir.name!r}: the release directory's name is not a version "
            "(exactly MAJOR.MINOR.PATCH)"
        )
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
            # a release is checked on the columns of its own version (schema/release addedIn)
            expected = release_contract(table_name, release_dir.name, shard.column_names)
            found += [f"{name}: {p.describe()}" for p in table_problems(expected, shard)]
            del shard
            if not found:
                errors, coverage = frictionless_problems(
                    "release", table_name, release_dir / name, row_limit, expected
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


def raw_handle_files(build_dir: Path) -> list[Path]:
    """The dedupe stage's comment files (whole table or partitions): who wrote what."""
    whole = build_dir / "dedupe" / "comments.parquet"
    if whole.is_file():
        return [whole]
    return sorted((build_dir / "dedupe" / "comments").glob("part-*.parquet"))


def audit_problems(
    release_dir: Path, build_dir: Path | None
) -> tuple[list[str], list[str], str]:
    """Leak-audit failures and warnings (one says why when the audit is skipped), and
    the audit's verdict when it ran (one line, else "")."""
    match = matching_build(release_dir, build_dir)
    files = raw_handle_files(build_dir) if match.matches and build_dir is not None else []
    if not match.matches or not files:
        reason = match.reason if not match.matches else f"{build_dir}/dedupe holds no comments"
        return [], [f"privacy audit skipped: {reason}"], ""
    from pipeline.audit import audit_release
    from pipeline.build import distinct_raw_handles

    comment_handles = _with_handles(files)
    report = audit_release(release_dir, distinct_raw_handles(comment_handles), comment_handles)
    return (
        [f"privacy: {hit.describe()}" for hit in report.failures],
        [f"privacy (allowed): {hit.file}, {hit.place}: {hit.what}" for hit in report.warnings],
        f"{report.summary()} {match.reason}",
    )


def _with_handles(files: list[Path]) -> pa.Table:
    table = pa.concat_tables(pq.read_table(p, columns=["comment_id", "handle"]) for p in files)
    return table.filter(pc.is_valid(table["handle"]))


def validate_release(
    release_dir: Path,
    *,
    build_dir: Path | None = None,
    row_limit: int = FRICTIONLESS_ROW_LIMIT,
    notes: list[str] | None = None,
) -> tuple[list[str], list[str]]:
    """Every problem with the release on disk, and warnings; ``notes`` (when given)
    gets one line on the privacy audit: passed, failed or skipped and why."""
    if not release_dir.is_dir():
        return [f"{release_dir}: not a directory"], []
    problems = checksum_problems(release_dir)
    package_problems, files = datapackage_problems(release_dir)
    problems += package_problems
    problems += table_and_relation_problems(release_dir, files, row_limit)
    leaks, warnings, audit = audit_problems(release_dir, build_dir)
    if notes is not None and audit:
        notes.append(audit)
    return problems + leaks, warnings
