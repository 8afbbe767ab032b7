"""Reading the seeds directory: regular files only, never through a symlink; every entry
gets a row. Real files, links, FIFOs, sockets and devices, no mocks."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.errors import SeedsNotFound
from pipeline.seeds import NOTHING_READ_SHA256, files_table, read_seed, seed_entries

PAGE = b"Headline\n\nBody.\n"


@pytest.fixture
def seeds() -> Iterator[Path]:
    """A seeds directory with a short path (a Unix socket path has at most 107 bytes)."""
    directory = Path(tempfile.mkdtemp(prefix="seeds-"))
    yield directory
    shutil.rmtree(directory)


def test_a_regular_file_is_read_whole(seeds: Path) -> None:
    (seeds / "p.txt").write_bytes(PAGE)
    seed = read_seed(seeds / "p.txt")
    assert (seed.source_file, seed.raw, seed.refused) == ("p.txt", PAGE, None)


def test_a_symlink_is_never_followed_to_a_file_outside_or_inside(
    seeds: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    (seeds / "p.txt").write_bytes(PAGE)
    (seeds / "out.txt").symlink_to(outside)
    (seeds / "in.txt").symlink_to(seeds / "p.txt")
    (seeds / "dangling.txt").symlink_to(tmp_path / "nothing-here")
    for name in ("out.txt", "in.txt", "dangling.txt"):
        seed = read_seed(seeds / name)
        assert seed.raw is None
        assert seed.refused == "not a regular file: symbolic link; only regular files are read"
        assert (seed.sha256, seed.size) == (NOTHING_READ_SHA256, 0)


def test_directories_fifos_sockets_and_devices_are_not_read(seeds: Path) -> None:
    (seeds / "nested").mkdir()
    (seeds / "nested" / "p.txt").write_bytes(PAGE)
    os.mkfifo(seeds / "fifo")  # reading it would block forever
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(seeds / "sock"))
    try:
        kinds = {name: read_seed(seeds / name).refused for name in ("nested", "fifo", "sock")}
    finally:
        server.close()
    kinds["null"] = read_seed(Path("/dev/null")).refused
    assert kinds == {
        "nested": "not a regular file: directory; only regular files are read",
        "fifo": "not a regular file: FIFO (named pipe); only regular files are read",
        "sock": "not a regular file: socket; only regular files are read",
        "null": "not a regular file: character device; only regular files are read",
    }


def test_every_entry_is_listed_and_nested_directories_are_not_walked(seeds: Path) -> None:
    (seeds / "b.txt").write_bytes(PAGE)
    (seeds / "a-dir").mkdir()
    (seeds / "a-dir" / "inner.txt").write_bytes(PAGE)
    (seeds / "c-link").symlink_to(seeds / "b.txt")
    entries = seed_entries(seeds)
    assert [p.name for p in entries] == ["a-dir", "b.txt", "c-link"]
    table = files_table([read_seed(p) for p in entries])
    assert table["source_file"].to_pylist() == ["a-dir", "b.txt", "c-link"]
    assert table["refused"].is_null().to_pylist() == [False, True, False]


def test_a_file_larger_than_the_limit_is_hashed_but_not_kept(seeds: Path) -> None:
    big = os.urandom(3000)
    (seeds / "big.txt").write_bytes(big)
    seed = read_seed(seeds / "big.txt", max_bytes=1000)
    assert seed.raw is None
    assert seed.refused == "too large: 3,000 bytes, the limit is 1,000 bytes per page"
    assert (seed.sha256, seed.size) == (hashlib.sha256(big).hexdigest(), 3000)
    assert read_seed(seeds / "big.txt", max_bytes=3000).raw == big


def test_a_file_name_that_is_not_utf8_is_rejected_with_an_escaped_name(seeds: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (seeds / name).write_bytes(PAGE)
    seed = read_seed(seeds / name)
    assert (seed.source_file, seed.refused) == ("caf\\xe9.txt", "file name is not valid UTF-8")
    files_table([seed])  # a valid Arrow string


def test_a_seeds_directory_without_regular_files_is_an_error(seeds: Path) -> None:
    with pytest.raises(SeedsNotFound, match="holds no files"):
        seed_entries(seeds)
    (seeds / "sub").mkdir()
    with pytest.raises(SeedsNotFound, match="holds no regular files"):
        seed_entries(seeds)
    with pytest.raises(SeedsNotFound, match="does not exist"):
        seed_entries(seeds / "missing")
    (seeds / "file").write_bytes(PAGE)
    with pytest.raises(SeedsNotFound, match="is not a directory"):
        seed_entries(seeds / "file")
