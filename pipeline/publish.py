"""Publish: write a release directory DIST/X.Y.Z/ atomically and deterministically.

The release is first written completely into a temporary directory beside the
target (``DIST/.X.Y.Z.partial-<pid>``), every file and the directory fsynced,
and only then renamed into place: a run killed at any moment leaves either
the whole version or nothing (a leftover ``.partial`` directory is never a
version and is cleared by the next run).

Clearing leftovers never touches another live run's work nor a published
version: a ``.partial-<pid>`` directory is removed only when process <pid> is
gone, and it is first renamed to a name of this run's own
(``.X.Y.Z.stale-<pid>``) and deleted under that name. A directory that its
owner renamed into place meanwhile is not found under the partial name, so
the rename fails and nothing is deleted; no handle into a partial directory
is ever opened before that rename. (The build wraps publishing in a lock on
the directory too: pipeline/output_dirs.py.)

A version that already exists is never overwritten: if the new build is
byte-identical the run succeeds and says "already released"; otherwise it is
refused with the list of files that differ.

Files (CONTRACT.md): the four Parquet tables, datapackage.json (Frictionless
v2), croissant.json, DATASHEET.md (+ figures), README.md (dataset card),
CHANGELOG.md, CITATION.cff, LICENSE-DATA.md and SHA256SUMS over every other
file. Rows are sorted by primary key; Parquet is written by
pipeline/tables.py with fixed settings.

A table larger than its row limit is written as numbered shards instead of
one file (names and split: pipeline/shards.py); ``ctx.table_files`` says which.
Every shard is a resource of its own in datapackage.json (see
:func:`datapackage` for why), a FileObject in croissant.json, a data file of
its config in the dataset card, and a line of SHA256SUMS.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from pipeline.docs.context import TABLES, ReleaseContext
from pipeline.docs.terms import LICENSE_ID
from pipeline.errors import ReleaseConflict
from pipeline.schemas import contract
from pipeline.shards import is_sharded, row_ranges
from pipeline.tables import ROW_GROUP_SIZE, fsync_path, write_parquet

DATA_LICENSE_TITLE = (
    "Non-commercial research and text-and-data-mining use only (see LICENSE-DATA.md)"
)
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class PublishOutcome:
    """Where the release is and whether this run wrote it."""

    path: Path
    status: str  # "released", "already released" or "replaced" (a preview only)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def datapackage(ctx: ReleaseContext, hashes: Mapping[str, str]) -> dict[str, object]:
    """The Frictionless v2 Data Package descriptor of the release.

    Resources carry their Table Schema (from schema/release), primaryKey,
    foreignKeys and ``hash`` (sha256). ``bytes`` is deliberately not declared:
    frictionless-py fails any declared bytes on Parquet resources; SHA256SUMS
    and ``python -m pipeline validate`` verify sizes and hashes instead.

    A sharded table is one resource per shard, named after its file
    (``comments-00000-of-00003``), not one multipart resource (``path`` a list):
    frictionless-py 5.21 reads only the first file of a multipart Parquet
    resource and reports it valid, so the other shards would go unchecked.
    What a per-shard resource cannot express: its primaryKey is unique within
    the shard only, and a foreign key into a *sharded* table cannot be declared
    at all (a reference names one resource); such a foreign key is left out
    and the resource description says so. ``python -m pipeline validate``
    checks keys and foreign keys on the whole, concatenated tables.
    """
    resources = [
        _resource(ctx, table, file_name, hashes)
        for table in TABLES
        for file_name in ctx.table_files[table]
    ]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": ctx.name,
        "title": ctx.title,
        "version": ctx.version,
        "created": f"{ctx.date}T00:00:00Z",
        "description": (
            "News articles and their reader comment threads, parsed from scraped pages, "
            "deduplicated, with commenter handles replaced by keyed pseudonyms. "
            "For non-commercial research only. See DATASHEET.md."
        ),
        "licenses": [
            {
                "name": LICENSE_ID,
                "title": DATA_LICENSE_TITLE,
                "path": "LICENSE-DATA.md",
            }
        ],
        "sources": [
            {
                "title": "Scraped news pages with reader comment sections (seed files)",
                "path": file_name,
            }
            for file_name in ctx.table_files["sources"]
        ],
        "contributors": [{"title": "Corpus maintainers", "roles": ["publisher"]}],
        "keywords": ["news comments", "online discourse", "propaganda", "toxicity"],
        "pseudonym_key_fingerprint": ctx.key_fingerprint,
        "preview": ctx.preview,
        "resources": resources,
    }


def _resource(
    ctx: ReleaseContext, table: str, file_name: str, hashes: Mapping[str, str]
) -> dict[str, object]:
    """The datapackage.json resource of one file of ``table`` (the whole table or a shard)."""
    descriptor = contract("release", table).descriptor
    schema = {k: v for k, v in descriptor.items() if k not in ("title", "description")}
    title = descriptor.get("title", table)
    description = descriptor.get("description", "")
    files = ctx.table_files[table]
    if is_sharded(files):
        title = f"{title} (shard {files.index(file_name) + 1} of {len(files)})"
        description += (
            f" This file is shard {files.index(file_name) + 1} of {len(files)}: the table is "
            f"the concatenation of {files[0]} to {files[-1]} in name order, and its primary "
            "key is unique across all of them."
        )
    unexpressed = [
        fk for fk in schema.get("foreignKeys", []) if is_sharded(ctx.table_files[_target(fk)])
    ]
    if unexpressed:
        schema["foreignKeys"] = [fk for fk in schema["foreignKeys"] if fk not in unexpressed]
        if not schema["foreignKeys"]:
            del schema["foreignKeys"]
        for fk in unexpressed:
            description += (
                f" Foreign key {', '.join(fk['fields'])} -> {_target(fk)}."
                f"{', '.join(fk['reference']['fields'])} is not declared here because "
                f"{_target(fk)} is split into shards and a Frictionless reference names a "
                "single resource; `python -m pipeline validate` checks it."
            )
    return {
        "name": file_name.removesuffix(".parquet").replace(".", "-"),
        "type": "table",
        "path": file_name,
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "title": title,
        "description": description,
        "hash": f"sha256:{hashes[file_name]}",
        "schema": schema,
    }


def _target(foreign_key: Mapping[str, object]) -> str:
    reference = foreign_key["reference"]
    assert isinstance(reference, Mapping)
    return str(reference["resource"])


DocumentWriter = Callable[[ReleaseContext, Path], None]


def write_release_files(
    ctx: ReleaseContext, out_dir: Path, documents: list[DocumentWriter]
) -> dict[str, str]:
    """Write every file of the release into ``out_dir``; return file -> sha256."""
    hashes = write_table_files(ctx, out_dir)
    (out_dir / "datapackage.json").write_text(
        json.dumps(datapackage(ctx, hashes), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    for write_document in documents:
        write_document(ctx, out_dir)
    return write_checksums(out_dir)


def write_table_files(ctx: ReleaseContext, out_dir: Path) -> dict[str, str]:
    """Write every table into its file(s) (``ctx.table_files``); return file -> sha256.

    A sharded table's shards are consecutive slices of it, in name order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    for table in TABLES:
        whole, files = ctx.tables[table], ctx.table_files[table]
        ranges = row_ranges(whole.num_rows, len(files))
        for file_name, (offset, length) in zip(files, ranges, strict=True):
            shard = on_row_group_grid(whole.slice(offset, length), offset)
            write_parquet(shard, out_dir / file_name)
            del shard
            hashes[file_name] = sha256_file(out_dir / file_name)
    return hashes


def on_row_group_grid(rows: pa.Table, offset: int) -> pa.Table:
    """``rows`` (row ``offset`` on of a whole table) in chunks cut where the whole
    table's row groups (``ROW_GROUP_SIZE``) begin.

    The Parquet writer's page boundaries follow its input's chunks, so the bytes
    of a file depend on them: every release so far was written from a table read
    back from one file, chunked by its row groups. The release stage now keeps
    a table in key-range parts; cutting each shard at the same places gives the
    same bytes whatever the parts were.
    """
    combined = rows.combine_chunks()
    first = (-offset) % ROW_GROUP_SIZE or ROW_GROUP_SIZE
    cuts = [0, *range(first, rows.num_rows, ROW_GROUP_SIZE), rows.num_rows]
    pieces = [combined.slice(a, b - a) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return pa.concat_tables(pieces) if pieces else combined


def write_checksums(out_dir: Path) -> dict[str, str]:
    """SHA256SUMS over every other file (``sha256sum -c`` format), sorted by path."""
    files = sorted(
        p.relative_to(out_dir).as_posix()
        for p in out_dir.rglob("*")
        if p.is_file() and p.name != CHECKSUMS
    )
    hashes = {name: sha256_file(out_dir / name) for name in files}
    (out_dir / CHECKSUMS).write_text(
        "".join(f"{hashes[name]}  {name}\n" for name in files), encoding="utf-8"
    )
    return hashes


def publish_atomically(
    build: Callable[[Path], None],
    target: Path,
    *,
    on_written: Callable[[Path], None] | None = None,
    replace_existing: bool = False,
) -> PublishOutcome:
    """Build a release with ``build(tmp_dir)`` and move it to ``target`` atomically.

    ``on_written(tmp_dir)`` runs after the files are written and before the
    rename (the leak audit hooks in here). An existing ``target`` is never
    replaced: identical content -> "already released"; different -> ReleaseConflict.
    Only a preview (``replace_existing``, never a version in DIST) replaces an
    earlier one: the old directory is renamed away, the new one renamed in.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale_partials(target)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        build(tmp)
        if on_written is not None:
            on_written(tmp)
        if target.exists() and replace_existing:
            _fsync_tree(tmp)
            _replace(tmp, target)
            return PublishOutcome(target, "replaced")
        if target.exists():
            return _compare_with_existing(tmp, target)
        _fsync_tree(tmp)
        try:
            os.rename(tmp, target)
        except OSError as error:  # another run renamed the same version in meanwhile
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            return _compare_with_existing(tmp, target)
        fsync_path(target.parent)
        return PublishOutcome(target, "released")
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _compare_with_existing(new: Path, target: Path) -> PublishOutcome:
    """An existing version: identical -> "already released", different -> ReleaseConflict."""
    differing = _differences(new, target)
    if differing:
        raise ReleaseConflict(
            f"{target} already exists with different content "
            f"({', '.join(differing[:5])}{' ...' if len(differing) > 5 else ''} differ); "
            "a released version is never overwritten: choose a new version number"
        )
    return PublishOutcome(target, "already released")


def _clear_stale_partials(target: Path) -> None:
    """Remove ``.X.Y.Z.partial-<pid>`` (and ``.stale-``, ``.replaced-<pid>``) directories of
    runs that are gone."""
    own = target.parent / f".{target.name}.stale-{os.getpid()}"
    shutil.rmtree(own, ignore_errors=True)  # this pid's, so left by a run that is gone
    for kind in ("partial", "stale", "replaced"):
        for leftover in sorted(target.parent.glob(f".{target.name}.{kind}-*")):
            owner = leftover.name.rpartition("-")[2]
            if not owner.isdigit() or leftover == own or process_alive(int(owner)):
                continue
            remove_leftover(leftover, own)


def remove_leftover(leftover: Path, trash: Path) -> bool:
    """Rename ``leftover`` to ``trash`` (this run's own name), then delete it there.

    If ``leftover`` is no longer there (its owner renamed it into place), nothing
    is deleted and False is returned.
    """
    try:
        os.rename(leftover, trash)
    except OSError:  # gone (renamed into place by its owner), or not ours to move: leave it
        return False
    shutil.rmtree(trash, ignore_errors=True)
    return True


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (ours or another user's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _replace(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is (previews only: not atomic for a reader of ``target``)."""
    old = target.parent / f".{target.name}.replaced-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    os.rename(target, old)
    os.rename(new, target)
    fsync_path(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        fsync_path(path)
    fsync_path(root)


def _differences(new: Path, old: Path) -> list[str]:
    def listing(root: Path) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): sha256_file(p) for p in root.rglob("*") if p.is_file()
        }

    new_files, old_files = listing(new), listing(old)
    names = sorted(set(new_files) | set(old_files))
    return [name for name in names if new_files.get(name) != old_files.get(name)]
