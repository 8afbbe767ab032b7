"""Reading and writing Parquet deterministically.

Same table in, same bytes out: fixed compression and level, fixed row-group
size, no pandas index or pandas metadata, no Arrow schema blob, and the
pinned pyarrow version (it is written into every footer). Used by the runner
for build/ and by publish for dist/. Nothing else in the package writes
Parquet.

Work tables (a stage's intermediate data for a later global step, such as
near-duplicate signatures: random numbers that do not compress) are written
by :func:`write_work_parquet`: uncompressed, no dictionaries, fast. They live
under build/ only while their stage runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9
ROW_GROUP_SIZE = 64 * 1024


def write_parquet(table: pa.Table, path: Path, *, fsync: bool = False) -> None:
    """Write ``table`` to ``path`` byte-deterministically.

    A table without rows is written with no row group at all (schema only):
    pyarrow would write one empty row group, which Hugging Face ``datasets``
    cannot read ("BatchSize must be greater than 0"); pandas, polars, DuckDB
    and Frictionless read both.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    table = table.replace_schema_metadata(None)
    with pq.ParquetWriter(
        path,
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
    if fsync:
        fsync_path(path)


def write_work_parquet(table: pa.Table, path: Path) -> None:
    """Write a work table fast (no compression): it is read back once, then deleted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table.replace_schema_metadata(None),
        path,
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
