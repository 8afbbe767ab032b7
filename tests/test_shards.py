"""Sharded release tables: names and split (pipeline/shards.py), and a release built
from the seeds with tiny row limits, end to end: shards concatenate to the release
stage's table, validate, Frictionless and the audit pass, and publishing is
deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from pipeline.build import publish_release, run_stages
from pipeline.docs.context import TABLES
from pipeline.pseudonyms import PseudonymKey
from pipeline.runner import Runner
from pipeline.shards import (
    MAX_ROWS_PER_FILE,
    file_names,
    names_of_shards,
    row_ranges,
    shard_glob,
    table_of_file,
)
from pipeline.validate import validate_release

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# The seeds give 5 articles, 199 comments, 0 duplicates and 5 sources.
LIMITS = {"articles": 2, "comments": 50, "duplicates": 50, "sources": 5}


def test_a_table_at_the_limit_keeps_its_one_file_name() -> None:
    assert file_names("comments", 0, 50) == ("comments.parquet",)
    assert file_names("comments", 50, 50) == ("comments.parquet",)
    assert file_names("comments", 51, 50) == (
        "comments-00000-of-00002.parquet",
        "comments-00001-of-00002.parquet",
    )
    assert file_names("comments", 1_000_000, MAX_ROWS_PER_FILE["comments"]) == ("comments.parquet",)


def test_shards_cover_every_row_once_in_order_and_none_exceeds_the_limit() -> None:
    for rows in (51, 99, 100, 101, 1234):
        ranges = row_ranges(rows, len(file_names("t", rows, 50)))
        assert [offset for offset, _ in ranges] == [0] + [
            sum(length for _, length in ranges[:i]) for i in range(1, len(ranges))
        ]
        assert sum(length for _, length in ranges) == rows
        assert max(length for _, length in ranges) <= 50
        assert max(length for _, length in ranges) - min(length for _, length in ranges) <= 1


def test_file_names_say_their_table_and_globs_stay_in_their_table() -> None:
    import fnmatch

    every_name = [n for t in TABLES for c in (1, 3) for n in names_of_shards(t, c)]
    for table in TABLES:
        assert {table_of_file(n) for n in names_of_shards(table, 3)} == {table}
        assert fnmatch.filter(every_name, shard_glob(table)) == list(names_of_shards(table, 3))
        assert fnmatch.filter(every_name, f"{table}*.parquet") == [
            *names_of_shards(table, 1),
            *names_of_shards(table, 3),
        ]
    assert table_of_file("datapackage.json") is None
    assert table_of_file("comments-1-of-3.parquet") is None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, Path, Path]:
    """The seeds through every stage once, published twice with tiny row limits."""
    root = tmp_path_factory.mktemp("sharded")
    quiet = Console(file=open("/dev/null", "w"))  # noqa: SIM115
    key = PseudonymKey(b"k" * 32)
    runner = run_stages(SEEDS, key, build_dir=root / "build", console=quiet)
    releases = []
    for name in ("a", "b"):
        result = publish_release(
            runner, root / name, "1.0.0", key, False, date="2026-01-01", max_rows_per_file=LIMITS
        )
        releases.append(result.outcome.path)
    return runner, releases[0], releases[1]


def test_large_tables_are_shards_that_concatenate_to_the_table(
    built: tuple[Runner, Path, Path],
) -> None:
    runner, release, _ = built
    names = sorted(p.name for p in release.glob("*.parquet"))
    assert names == sorted(
        [
            *names_of_shards("articles", 3),
            *names_of_shards("comments", 4),
            "duplicates.parquet",
            "sources.parquet",
        ]
    )
    for table in TABLES:
        files = sorted(release.glob(f"{table}*.parquet"))
        whole = pa.concat_tables(pq.read_table(path) for path in files)
        assert whole.equals(runner.read("release", table)), table
        if len(files) > 1:
            assert all(pq.ParquetFile(p).metadata.num_rows <= LIMITS[table] for p in files)


def test_every_shard_is_listed_and_checksummed(built: tuple[Runner, Path, Path]) -> None:
    _, release, _ = built
    shards = {p.name for p in release.glob("*.parquet")}
    package = json.loads((release / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} == shards
    sums = {line.split("  ")[1] for line in (release / "SHA256SUMS").read_text().splitlines()}
    assert shards <= sums
    card = (release / "README.md").read_text()
    croissant = (release / "croissant.json").read_text()
    assert all(name in card and name in croissant for name in shards)


def test_publishing_a_sharded_release_is_deterministic(built: tuple[Runner, Path, Path]) -> None:
    _, first, second = built
    files = _listing(first)
    assert files == _listing(second)
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def _listing(release: Path) -> list[str]:
    return sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())


def test_validate_and_the_audit_pass_on_every_shard(built: tuple[Runner, Path, Path]) -> None:
    from pipeline.audit import audit_release

    runner, release, _ = built
    problems, _ = validate_release(release, build_dir=runner.build_dir)
    assert problems == []
    handles = runner.read("parse", "comments", ["handle"])["handle"].drop_null().to_pylist()
    report = audit_release(release, handles)
    assert report.passed
    assert report.files_scanned == len(_listing(release))


def test_frictionless_validates_the_sharded_package(built: tuple[Runner, Path, Path]) -> None:
    import frictionless

    _, release, _ = built
    report = frictionless.Package(str(release / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "type", "note"])
    assert len(report.tasks) == len(list(release.glob("*.parquet")))


def _copy_of(release: Path, tmp_path: Path) -> Path:
    """A copy of the built release to break (the fixture is shared)."""
    import shutil

    copy = tmp_path / "1.0.0"
    shutil.copytree(release, copy)
    return copy


def test_validate_names_a_missing_shard_and_an_undeclared_file(
    built: tuple[Runner, Path, Path], tmp_path: Path
) -> None:
    import shutil

    _, release, _ = built
    copy = _copy_of(release, tmp_path)
    (copy / "comments-00002-of-00004.parquet").unlink()
    shutil.copyfile(copy / "sources.parquet", copy / "comments-00000-of-00001.parquet")
    problems, _ = validate_release(copy)
    joined = "\n".join(problems)
    assert "comments-00002-of-00004.parquet: declared in datapackage.json but missing" in joined
    assert "comments-00000-of-00001.parquet: a Parquet file not declared" in joined


def test_a_handle_planted_in_the_second_shard_only_fails_validation_naming_it(
    built: tuple[Runner, Path, Path], tmp_path: Path
) -> None:
    import pyarrow.compute as pc

    from pipeline.tables import write_parquet

    runner, release, _ = built
    copy = _copy_of(release, tmp_path)
    handles = runner.read("parse", "comments", ["handle"])["handle"].drop_null()
    handle = max(handles.to_pylist(), key=len)
    second = copy / "comments-00001-of-00004.parquet"
    comments = pq.read_table(second)
    text = comments.schema.get_field_index("text")
    planted = pc.binary_join_element_wise(comments["text"], pa.scalar(f" {handle}"), "")
    write_parquet(comments.set_column(text, "text", planted), second)
    problems, _ = validate_release(copy, build_dir=runner.build_dir)
    leaks = [p for p in problems if p.startswith("privacy:")]
    assert leaks
    assert all("comments-00001-of-00004.parquet" in p for p in leaks)
    assert all(handle not in p for p in problems)
