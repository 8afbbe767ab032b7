"""Release file names: one Parquet file per table, or numbered shards above a row limit.

A released table of at most ``max_rows`` rows is one file, ``<table>.parquet``
(the name every release has used). A larger table is cut, in its row order -
primary-key order, as the release stage sorts it - into
``n = ceil(rows / max_rows)`` shards of nearly equal size (shard ``i`` holds
rows ``i * rows // n`` up to ``(i + 1) * rows // n``), named
``<table>-<i:05d>-of-<n:05d>.parquet`` (the Hugging Face convention). Name
order is row order: concatenating the shards in name order gives the table.
The names alone (with the row count) determine the split, so the writer, the
documents and the validator never need to share anything but the names.

No table name is a prefix of another followed by ``-``, so the glob
``<table>-*.parquet`` matches one table's shards only, and ``<table>*.parquet``
one table's file(s) whether the table is sharded or not.

Pure: names and row ranges only; never reads or writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Rows per release file, per table. Counted in rows rather than bytes because
# a row count is known from the table alone, before anything is written, and
# does not depend on compression or the pyarrow version: the same table always
# gets the same file names and bytes. The numbers aim at Parquet files of a few
# hundred MB (well under the 500 MB shards ``datasets.push_to_hub`` makes), going
# by dist/1.0.0: an article takes ~2.5 kB in Parquet (~3 kB in memory), a comment
# ~120 bytes (~300 bytes), duplicates and sources rows less. They are part of
# the release format: changing one changes the files of every large release.
MAX_ROWS_PER_FILE: Mapping[str, int] = {
    "articles": 100_000,
    "comments": 1_000_000,
    "duplicates": 1_000_000,
    "sources": 1_000_000,
}

_FILE_NAME = re.compile(r"^(?P<table>[a-z_]+)(?:-(?P<index>\d{5})-of-(?P<count>\d{5}))?\.parquet$")


def shard_count(rows: int, max_rows: int) -> int:
    """How many files a table of ``rows`` rows is written to (at least one)."""
    if max_rows < 1:
        raise ValueError(f"rows per release file must be at least 1, not {max_rows}")
    return max(1, -(-rows // max_rows))


def file_names(table: str, rows: int, max_rows: int) -> tuple[str, ...]:
    """The release file names of ``table``, in row order."""
    return names_of_shards(table, shard_count(rows, max_rows))


def names_of_shards(table: str, count: int) -> tuple[str, ...]:
    """The file names of ``table`` written in ``count`` files, in row order."""
    if count == 1:
        return (f"{table}.parquet",)
    return tuple(f"{table}-{index:05d}-of-{count:05d}.parquet" for index in range(count))


def release_file_names(
    rows: Mapping[str, int], max_rows: Mapping[str, int] = MAX_ROWS_PER_FILE
) -> dict[str, tuple[str, ...]]:
    """table -> its file names, for tables of ``rows[table]`` rows."""
    return {table: file_names(table, count, max_rows[table]) for table, count in rows.items()}


def row_ranges(rows: int, count: int) -> list[tuple[int, int]]:
    """(offset, length) of each of ``count`` shards of a ``rows``-row table."""
    bounds = [index * rows // count for index in range(count + 1)]
    return [(start, end - start) for start, end in zip(bounds, bounds[1:], strict=False)]


def table_of_file(file_name: str) -> str | None:
    """The table a release file name belongs to (``comments-00001-of-00003.parquet``
    -> ``comments``), or None when it is not a release table file name."""
    match = _FILE_NAME.match(file_name)
    return match.group("table") if match else None


def is_sharded(files: tuple[str, ...] | list[str]) -> bool:
    return len(files) > 1


def shard_glob(table: str) -> str:
    """The glob that matches the shards of ``table`` and nothing else."""
    return f"{table}-*.parquet"


def files_label(table: str, files: tuple[str, ...] | list[str]) -> str:
    """How documents name a table's file(s): ``comments.parquet`` or
    ``comments-*.parquet`` (3 shards)."""
    if not is_sharded(files):
        return files[0]
    return f"{shard_glob(table)} ({len(files)} shards)"
