"""Partitioned stages: same tables and reports whatever the partition size, every
failing partition reported, and parts persisted under deterministic names."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from rich.console import Console

from pipeline.build import read_seed_files, seed_partitions
from pipeline.executors import LocalExecutor, make_executor
from pipeline.partitions import keys_in_order, merge_reports
from pipeline.runner import Runner, StageCheckFailed, StageSpec
from pipeline.stage import Dropped, StageReport, StageResult
from pipeline.stages import ingest, parse

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PARSE_TABLES = ("articles", "chrome", "comments", "unparsed")


def _runner(tmp_path: Path, name: str, **kwargs) -> Runner:
    console = Console(file=open("/dev/null", "w"))  # noqa: SIM115
    return Runner(tmp_path / name, console, executor=LocalExecutor(), **kwargs)


def _specs(partitioned: bool) -> list[StageSpec]:
    return [
        StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}, partitioned=partitioned),
        StageSpec("parse", parse.run, {"pages": ("ingest", "pages")}, partitioned=partitioned),
    ]


def _parse_outputs(runner: Runner) -> tuple[dict[str, pa.Table], list[dict]]:
    tables = {name: runner.read("parse", name) for name in PARSE_TABLES}
    return tables, [run.report for run in runner.runs]


def test_partitioned_run_equals_whole_run_for_any_partition_size(tmp_path: Path) -> None:
    whole = _runner(tmp_path, "whole")
    whole.provide("seeds", {"files": read_seed_files(SEEDS)})
    for spec in _specs(partitioned=False):
        whole.run(spec)
    expected = _parse_outputs(whole)
    for pages in (1, 2, 100):
        runner = _runner(tmp_path, f"by{pages}")
        runner.provide_parts("seeds", "files", seed_partitions(SEEDS, pages))
        for spec in _specs(partitioned=True):
            runner.run(spec)
        tables, reports = _parse_outputs(runner)
        assert reports == expected[1]
        for name in PARSE_TABLES:
            assert tables[name].equals(expected[0][name]), (pages, name)


def test_parts_have_deterministic_names_and_a_report(tmp_path: Path) -> None:
    runner = _runner(tmp_path, "build")
    runner.provide_parts("seeds", "files", seed_partitions(SEEDS, 2))
    for spec in _specs(partitioned=True):
        runner.run(spec)
    comments = tmp_path / "build" / "parse" / "comments"
    assert sorted(p.name for p in comments.iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ]
    report = json.loads((tmp_path / "build" / "parse" / "report.json").read_text())
    assert report["partitions"] == 3
    n_comments = runner.runs[-1].rows_out["comments"]
    assert report["frictionless"]["comments"] == f"all {n_comments} rows"
    assert runner.runs[-1].partitions == 3


def test_frictionless_sample_over_parts_is_the_sample_of_the_whole(tmp_path: Path) -> None:
    runs = {}
    for pages, partitioned in ((1, True), (100, False)):
        runner = _runner(tmp_path, f"p{pages}", frictionless_row_limit=30)
        runner.provide_parts("seeds", "files", seed_partitions(SEEDS, pages))
        for spec in _specs(partitioned=partitioned):
            runner.run(spec)
        runs[pages] = runner.runs[-1].frictionless
    n_comments = runner.runs[-1].rows_out["comments"]
    step = -(-n_comments // 30)
    sampled = len(range(0, n_comments, step))
    assert runs[1] == runs[100]
    assert runs[1]["comments"] == f"sample: 1 row in {step}, {sampled} of {n_comments} rows"


def _ingest_breaking_bad_files(inputs: dict[str, pa.Table]) -> StageResult:
    """ingest, then a wrong hash on every page whose file name starts with 'bad'."""
    result = ingest.run(inputs)
    pages = result.tables["pages"]
    hashes = [
        "not-a-hash" if name.startswith("bad") else digest
        for name, digest in zip(
            pages["source_file"].to_pylist(), pages["source_sha256"].to_pylist(), strict=True
        )
    ]
    index = pages.schema.get_field_index("source_sha256")
    broken = pages.set_column(index, pages.schema.field(index), pa.array(hashes, pa.string()))
    return StageResult({**result.tables, "pages": broken}, result.report)


def test_every_failing_partition_is_reported(tmp_path: Path) -> None:
    files = {"a.txt": b"A\n", "bad1.txt": b"B\n", "bad2.txt": b"C\n", "c.txt": b"D\n"}
    table = pa.table(
        {"source_file": list(files), "raw": pa.array(list(files.values()), pa.binary())}
    )
    runner = _runner(tmp_path, "build", partition_rows=1)
    runner.provide("seeds", {"files": table})
    spec = StageSpec(
        "ingest", _ingest_breaking_bad_files, {"files": ("seeds", "files")}, partitioned=True
    )
    with pytest.raises(StageCheckFailed) as failure:
        runner.run(spec)
    message = str(failure.value)
    assert "2 of 4 partition(s) (00001, 00002)" in message
    assert "partition 00001" in message and "partition 00002" in message
    assert "not-a-hash" in message and "'source_sha256'" in message


def test_reports_merge_like_one_run() -> None:
    merged = merge_reports(
        [
            StageReport({"pages": 2, "layout:numbered": 1}, [Dropped("files", 1, "empty")], ["x"]),
            StageReport(
                {"pages": 3}, [Dropped("files", 2, "binary"), Dropped("files", 1, "empty")]
            ),
        ]
    )
    assert merged.to_dict() == {
        "counts": {"layout:numbered": 1, "pages": 5},
        "dropped": [
            {"table": "files", "count": 2, "reason": "binary"},
            {"table": "files", "count": 2, "reason": "empty"},
        ],
        "notes": ["x"],
    }


def test_key_ranges_must_follow_each_other() -> None:
    assert keys_in_order([(("a",), ("b",)), None, (("c",), ("d",))])
    assert not keys_in_order([(("a",), ("c",)), (("b",), ("d",))])
    assert not keys_in_order([(("a", 1), ("b", 2)), (("b", 2), ("c", 0))])


def test_executor_choice_is_checked() -> None:
    assert isinstance(make_executor(), LocalExecutor)
    with pytest.raises(ValueError):
        make_executor(workers=2, scheduler="tcp://localhost:1")
    with pytest.raises(ValueError):
        make_executor(workers=0)


def _files_table(names: list[str]) -> pa.Table:
    raw = [f"Title {name}\n".encode() for name in names]
    return pa.table({"source_file": names, "raw": pa.array(raw, pa.binary())})


def test_overlapping_partitions_are_sorted_into_key_order(tmp_path: Path) -> None:
    runner = _runner(tmp_path, "build", partition_rows=2)
    runner.provide("seeds", {"files": _files_table(["c.txt", "a.txt", "d.txt", "b.txt"])})
    runner.run(StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}, partitioned=True))
    pages = runner.read("ingest", "pages")
    assert pages["source_file"].to_pylist() == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_a_key_in_two_partitions_fails_the_check_across_partitions(tmp_path: Path) -> None:
    runner = _runner(tmp_path, "build", partition_rows=2)
    runner.provide("seeds", {"files": _files_table(["b.txt", "a.txt", "a.txt", "c.txt"])})
    spec = StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}, partitioned=True)
    with pytest.raises(StageCheckFailed, match="check across partitions"):
        runner.run(spec)


def test_group_partitions_need_not_follow_each_other_but_keys_must_be_unique(
    tmp_path: Path,
) -> None:
    unordered = _runner(tmp_path, "unordered", partition_rows=2)
    unordered.provide("seeds", {"files": _files_table(["c.txt", "a.txt", "d.txt", "b.txt"])})
    spec = StageSpec(
        "ingest", ingest.run, {"files": ("seeds", "files")}, partitioned=True, grouped=True
    )
    unordered.run(spec)  # group partitions: kept in partition order, not re-sorted
    pages = unordered.read("ingest", "pages")
    assert pages["source_file"].to_pylist() == ["a.txt", "c.txt", "b.txt", "d.txt"]
    repeated = _runner(tmp_path, "repeated", partition_rows=2)
    repeated.provide("seeds", {"files": _files_table(["b.txt", "a.txt", "a.txt", "c.txt"])})
    with pytest.raises(StageCheckFailed, match="unique-across-partitions"):
        repeated.run(spec)
