"""Reading and writing Parquet deterministically.

Same table in, same bytes out: fixed compression and level, fixed row-group
size, no pandas index or pandas metadata, no Arrow schema blob, and the
pinned pyarrow version (it is written into every footer). Used by the runner
for build/ and by publish for dist/. Nothing else in the package writes
Parquet.

Private files (``private=True``; the runner writes everything under build/ so:
stage outputs hold raw commenter handles) are created with mode 600 in
directories created with mode 700, whatever the umask; never widened later.

Work tables (a stage's intermediate data for a later global step, such as
near-duplicate signatures: random numbers that do not compress) are written
by :func:`write_work_parquet`: uncompressed, no dictionaries, fast. They live
under build/ only while their stage runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9
ROW_GROUP_SIZE = 64 * 1024


PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and its missing parents with mode 700 (existing ones keep theirs)."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        path.chmod(PRIVATE_DIR_MODE)


def open_private(path: Path) -> BinaryIO:
    """Open ``path`` for writing (truncated), created with mode 600 in private directories."""
    make_private_dirs(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
    fd = os.open(path, flags, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # an existing file keeps its mode otherwise
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "wb")


def create_private(path: Path) -> Path:
    """Create ``path`` empty with mode 600 (in private directories), for a native writer
    to open and fill: opening an existing file to write keeps its mode."""
    open_private(path).close()
    return path


def write_parquet(
    table: pa.Table, path: Path, *, fsync: bool = False, private: bool = False
) -> None:
    """Write ``table`` to ``path`` byte-deterministically (``private``: mode 600).

    A table without rows is written with no row group at all (schema only):
    pyarrow would write one empty row group, which Hugging Face ``datasets``
    cannot read ("BatchSize must be greater than 0"); pandas, polars, DuckDB
    and Frictionless read both.
    """
    if private:
        create_private(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    _write_deterministic(table.replace_schema_metadata(None), path)
    if fsync:
        fsync_path(path)


def _write_deterministic(table: pa.Table, where: Path) -> None:
    with pq.ParquetWriter(
        where,
        table.schema,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,
        store_schema=False,
        version="2.6",
        data_page_version="1.0",
    ) as writer:
        if table.num_rows:
            writer.write_table(table, row_group_size=ROW_GROUP_SIZE)


def write_work_parquet(table: pa.Table, path: Path) -> None:
    """Write a work table fast (no compression): it is read back once, then deleted.

    Work tables live under build/ only, so they are always private (mode 600).
    """
    pq.write_table(
        table.replace_schema_metadata(None),
        create_private(path),
        compression="none",
        use_dictionary=False,
        row_group_size=ROW_GROUP_SIZE,
        write_statistics=False,
        store_schema=False,
    )


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path)


def fsync_path(path: Path) -> None:
    """Flush a file (or a directory entry) to disk."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
