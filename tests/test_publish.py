"""publish: atomic, deterministic, never overwrites; validate finds any change."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import ReleaseConflict
from pipeline.publish import on_row_group_grid, publish_atomically, write_release_files
from pipeline.tables import ROW_GROUP_SIZE, write_parquet
from pipeline.validate import validate_release
from tests.release_fixture import release_context


def _publish(target: Path, title: str = "A headline"):
    ctx = release_context(target.name, title)
    return publish_atomically(lambda out: write_release_files(ctx, out, []), target)


def test_release_files_are_byte_identical_across_builds(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "1.0.0", tmp_path / "b" / "1.0.0"
    _publish(first)
    _publish(second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert "SHA256SUMS" in names and "datapackage.json" in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_identical_rebuild_is_a_no_op_and_different_content_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "dist" / "1.0.0"
    assert _publish(target).status == "released"
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    assert _publish(target).status == "already released"
    assert before == {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    with pytest.raises(ReleaseConflict, match="articles.parquet"):
        _publish(target, title="Another headline")
    assert validate_release(target)[0] == []
    assert not list(target.parent.glob(".*partial*"))


def test_a_preview_is_replaced_but_a_version_never_is(tmp_path: Path) -> None:
    target = tmp_path / "preview" / "1.0.0"
    ctx = release_context("1.0.0")
    other = release_context("1.0.0", title="Another headline")
    publish_atomically(lambda out: write_release_files(ctx, out, []), target, replace_existing=True)
    outcome = publish_atomically(
        lambda out: write_release_files(other, out, []), target, replace_existing=True
    )
    assert outcome.status == "replaced"
    assert validate_release(target)[0] == []
    assert [p.name for p in target.parent.iterdir()] == ["1.0.0"]
    with pytest.raises(ReleaseConflict):
        publish_atomically(lambda out: write_release_files(ctx, out, []), target)


def _slow_publish(target: str, ready: str) -> None:
    ctx = release_context("1.0.0")

    def build(out: Path) -> None:
        write_release_files(ctx, out, [])
        Path(ready).touch()
        time.sleep(60)  # killed here: files written, not yet renamed

    publish_atomically(build, Path(target))


def test_a_publish_killed_midway_leaves_no_version(tmp_path: Path) -> None:
    target, ready = tmp_path / "dist" / "1.0.0", tmp_path / "ready"
    process = multiprocessing.get_context("spawn").Process(
        target=_slow_publish, args=(str(target), str(ready))
    )
    process.start()
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "publish never got going"
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == [".1.0.0.partial-" + str(process.pid)]
    assert _publish(target).status == "released"  # the next run clears the debris
    assert [p.name for p in target.parent.iterdir()] == ["1.0.0"]


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["comments.parquet", "datapackage.json", "SHA256SUMS"])
def test_validate_names_the_file_with_one_flipped_byte(tmp_path: Path, name: str) -> None:
    target = tmp_path / "1.0.0"
    _publish(target)
    _flip_one_byte(target / name)
    problems, _ = validate_release(target)
    assert problems
    assert any(p.startswith(name) for p in problems), problems


def _blames_only_checksums(problems: list[str]) -> bool:
    """Every problem names SHA256SUMS as damaged (a file left unlisted because of it may be
    named too, with SHA256SUMS's damage given as the cause)."""
    return any(p.startswith("SHA256SUMS: line ") for p in problems) and all(
        p.startswith("SHA256SUMS: line ") or p.endswith("damaged line(s))") for p in problems
    )


def test_validate_names_sha256sums_for_any_flipped_byte_in_it(tmp_path: Path) -> None:
    from pipeline.validate import checksum_problems

    target = tmp_path / "1.0.0"
    _publish(target)
    sums = target / "SHA256SUMS"
    original = sums.read_bytes()
    for position in range(len(original)):
        for bit in (0x01, 0x40):
            damaged = bytearray(original)
            damaged[position] ^= bit
            sums.write_bytes(bytes(damaged))
            problems = checksum_problems(target)
            assert _blames_only_checksums(problems), (position, bit, problems)
    sums.write_bytes(original)
    assert checksum_problems(target) == []


def test_validate_still_blames_a_changed_file_not_sha256sums(tmp_path: Path) -> None:
    target = tmp_path / "1.0.0"
    _publish(target)
    package = target / "datapackage.json"
    package.write_bytes(package.read_bytes().replace(b"research", b"rezearch", 1))
    problems, _ = validate_release(target)
    assert problems == [
        "datapackage.json: sha256 differs from SHA256SUMS (file changed or corrupt)"
    ]


def test_validate_refuses_a_directory_name_that_is_not_exactly_a_version(tmp_path: Path) -> None:
    target = tmp_path / "1.0.0\n"
    _publish(target)
    problems, _ = validate_release(target)
    assert (
        "'1.0.0\\n': the release directory's name is not a version (exactly MAJOR.MINOR.PATCH)"
    ) in problems


def test_validate_lists_every_problem_of_an_edited_cell(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from pipeline.tables import write_parquet

    target = tmp_path / "1.0.0"
    _publish(target)
    comments = pq.read_table(target / "comments.parquet")
    edited = comments.set_column(6, "text", [["First!", "Second, edited."]])
    write_parquet(edited, target / "comments.parquet")
    articles = pq.read_table(target / "articles.parquet")
    write_parquet(articles.set_column(8, "n_comments", [[7]]), target / "articles.parquet")
    problems, _ = validate_release(target)
    joined = "\n".join(problems)
    assert "comments.parquet: sha256 differs" in joined
    assert "articles.parquet: sha256 differs" in joined
    assert "n-comments-matches-comment-rows" in joined


def test_validate_cli_exits_non_zero_with_a_one_line_reason(tmp_path: Path) -> None:
    target = tmp_path / "1.0.0"
    _publish(target)
    ok = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", str(target)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    _flip_one_byte(target / "articles.parquet")
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", str(target)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "articles.parquet" in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("error: ")


def _fake_build(build: Path, release: Path, rows: dict[str, list]) -> None:
    """A build directory that made ``release``: its dedupe comments, partitioned."""
    import pyarrow as pa

    from pipeline.build_manifest import write_manifest
    from pipeline.tables import write_parquet

    parts = build / "dedupe" / "comments"
    write_parquet(pa.table(rows), parts / "part-00000.parquet")
    write_manifest(build, release, release.name, preview=False)


def test_validate_runs_the_privacy_audit_on_partitioned_build_output(tmp_path: Path) -> None:
    target = tmp_path / "1.0.0"
    _publish(target, title="Siegfriedx77 writes")
    # One handle appears in article text (allowed, reported), one as a file name
    # in sources.parquet (a leak: a rare "word"), one is an ordinary word ("Second") the
    # comments use, but not to address anyone.
    _fake_build(tmp_path / "build", target, {
        "comment_id": ["c_" + "0" * 15 + "1", "c_" + "0" * 15 + "2", "x"],
        "handle": ["Siegfriedx77", "p1-copy.txt", "Second"],
    })  # fmt: skip
    notes: list[str] = []
    problems, warnings = validate_release(target, build_dir=tmp_path / "build", notes=notes)
    assert any("articles.parquet" in w for w in warnings)
    leaks = [p for p in problems if p.startswith("privacy:")]
    assert leaks and all("column 'source_file'" in p for p in leaks)
    assert all("Siegfried" not in line and "p1-copy" not in line for line in problems + warnings)
    assert notes and notes[0].startswith("leak audit FAILED")


def test_validate_audits_only_against_the_build_that_made_the_release(tmp_path: Path) -> None:
    # Another release built in the same checkout since: its build must not judge
    # this one (its handles would be the wrong ones), and validate says so.
    mine, other = tmp_path / "dist" / "1.0.0", tmp_path / "other" / "2.0.0"
    _publish(mine)
    _publish(other, title="Another headline")
    _fake_build(tmp_path / "build", other, {"comment_id": ["x"], "handle": ["Second"]})
    notes: list[str] = []
    problems, warnings = validate_release(mine, build_dir=tmp_path / "build", notes=notes)
    assert problems == [] and notes == []
    assert [w for w in warnings if w.startswith("privacy audit skipped:")] == [
        f"privacy audit skipped: {tmp_path / 'build'} holds the stage outputs of another build "
        "(release 2.0.0), not of this release; rebuild this release to audit it"
    ]
    problems, warnings = validate_release(other, build_dir=tmp_path / "build", notes=notes)
    assert problems == [] and notes[0].startswith("leak audit passed")
    problems, warnings = validate_release(mine, build_dir=tmp_path / "nothing here")
    assert problems == [] and any("release-manifest.json is missing" in w for w in warnings)


def test_a_version_smaller_than_the_changes_demand_is_refused(tmp_path: Path) -> None:
    import dataclasses

    import pyarrow as pa

    from pipeline.docs.writers import write_changelog
    from pipeline.errors import VersionTooSmall

    dist = tmp_path / "dist"
    _publish(dist / "1.0.0")
    ctx = release_context("1.0.1")
    comments = ctx.tables["comments"]
    new_id = pa.array(["c_" + "0" * 15 + "3"])
    extra = comments.slice(0, 1).set_column(0, comments.schema.field(0), new_id)
    grown = dict(ctx.tables, comments=pa.concat_tables([comments, extra]))
    patch = dataclasses.replace(ctx, tables=grown, previous_release=dist / "1.0.0")
    with pytest.raises(VersionTooSmall, match="minor"):
        write_changelog(patch, tmp_path / "out-patch")
    minor = dataclasses.replace(patch, version="1.1.0")
    write_changelog(minor, tmp_path / "out-minor")
    assert "minor" in (tmp_path / "out-minor" / "CHANGELOG.md").read_text().lower()


def _sharded_package(limit: int) -> dict:
    from pipeline.docs.context import TABLES
    from pipeline.publish import datapackage
    from tests.docs.tiny_release import make_context

    ctx = make_context(max_rows_per_file=limit)
    hashes = {name: "0" * 64 for table in TABLES for name in ctx.table_files[table]}
    return datapackage(ctx, hashes)


def test_every_shard_is_a_resource_with_the_foreign_keys_frictionless_can_check() -> None:
    resources = {r["name"]: r for r in _sharded_package(3)["resources"]}
    shards = [f"comments-{i:05d}-of-00003" for i in range(3)]
    assert [name for name in resources if name.startswith("comments")] == shards
    assert "articles" in resources  # 3 rows: one file
    for name in shards:
        assert resources[name]["path"] == f"{name}.parquet"
        assert resources[name]["schema"]["foreignKeys"] == [
            {
                "fields": ["article_id"],
                "reference": {"resource": "articles", "fields": ["article_id"]},
            }
        ]
        assert "unique across all of them" in resources[name]["description"]
    # With articles in shards no single resource can be referenced: said, not declared.
    resources = {r["name"]: r for r in _sharded_package(2)["resources"]}
    comments = [r for name, r in resources.items() if name.startswith("comments-")]
    assert comments and all("foreignKeys" not in r["schema"] for r in comments)
    assert all("pipeline validate` checks it" in r["description"] for r in comments)


def test_frictionless_finds_a_dangling_article_id_in_the_second_comments_shard(
    tmp_path: Path,
) -> None:
    import json

    import frictionless
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.publish import write_release_files
    from pipeline.tables import write_parquet
    from tests.docs.tiny_release import make_context

    write_release_files(make_context(max_rows_per_file=3), tmp_path, [])
    second = tmp_path / "comments-00001-of-00003.parquet"
    comments = pq.read_table(second)
    dangling = pa.array(["a_" + "9" * 16] * comments.num_rows)
    write_parquet(comments.set_column(1, "article_id", dangling), second)
    package = json.loads((tmp_path / "datapackage.json").read_text())
    for resource in package["resources"]:
        resource.pop("hash")
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    errors = {(task.name, error.type) for task in report.tasks for error in task.errors}
    assert errors == {("comments-00001-of-00003", "foreign-key")}
    problems, _ = validate_release(tmp_path)
    assert any("comments-00001-of-00003.parquet" in p for p in problems)


def test_a_shard_has_the_same_bytes_whatever_the_chunks_it_was_built_from(tmp_path: Path) -> None:
    """The writer's pages follow its input's chunks: shards are cut on the whole table's
    row-group grid, as when the table was read back from one file."""
    rows = ROW_GROUP_SIZE + 5000
    texts = [f"comment {i * 7919 % 100003} " * (1 + i % 17) for i in range(rows)]
    table = pa.table({"id": [f"c_{i:016x}" for i in range(rows)], "text": texts})
    write_parquet(table, tmp_path / "whole.parquet")
    as_read = pq.read_table(tmp_path / "whole.parquet")  # chunked by row group
    offset, length = 40_000, 30_000  # across a row-group boundary
    write_parquet(as_read.slice(offset, length), tmp_path / "before.parquet")
    in_odd_chunks = pa.Table.from_batches(table.to_batches(max_chunksize=777))
    rechunked = on_row_group_grid(in_odd_chunks.slice(offset, length), offset)
    write_parquet(rechunked, tmp_path / "after.parquet")
    write_parquet(in_odd_chunks.slice(offset, length), tmp_path / "naive.parquet")
    before = (tmp_path / "before.parquet").read_bytes()
    assert (tmp_path / "after.parquet").read_bytes() == before
    assert (tmp_path / "naive.parquet").read_bytes() != before  # the chunks do matter
