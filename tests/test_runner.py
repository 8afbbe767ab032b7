"""The runner checks every boundary, persists under build/<stage>/ and explains failures."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from rich.console import Console

from pipeline.runner import Runner, StageCheckFailed, StageSpec, frictionless_problems
from pipeline.schemas import contract
from pipeline.stage import StageReport, StageResult
from pipeline.stages import ingest
from pipeline.tables import write_parquet


def _runner(tmp_path: Path, **kwargs) -> Runner:
    return Runner(tmp_path / "build", Console(file=open("/dev/null", "w")), **kwargs)


def _files(**files: bytes) -> pa.Table:
    return pa.table(
        {"source_file": list(files), "raw": pa.array(list(files.values()), pa.binary())}
    )


def test_outputs_are_checked_and_persisted(tmp_path: Path) -> None:
    runner = _runner(tmp_path)
    runner.provide("seeds", {"files": _files(**{"a.txt": b"Title\n", "b.txt": b""})})
    runner.run(StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}))
    stage_dir = tmp_path / "build" / "ingest"
    assert sorted(p.name for p in stage_dir.iterdir()) == [
        "pages.parquet",
        "rejected_inputs.parquet",
        "report.json",
    ]
    report = json.loads((stage_dir / "report.json").read_text())
    assert report["frictionless"] == {"pages": "all 1 rows", "rejected_inputs": "all 1 rows"}
    assert runner.runs[0].rows_out == {"pages": 1, "rejected_inputs": 1}


def _broken_stage(inputs: dict[str, pa.Table]) -> StageResult:
    pages = inputs["pages"]
    bad = pages.set_column(
        pages.schema.get_field_index("source_sha256"),
        "source_sha256",
        pa.array(["not-a-hash"] * pages.num_rows),
    )
    return StageResult({"pages": bad, "rejected_inputs": inputs["rejected"]}, StageReport())


def test_a_failed_check_names_stage_table_column_check_and_rows(tmp_path: Path) -> None:
    runner = _runner(tmp_path)
    runner.provide("seeds", {"files": _files(**{"a.txt": b"Title\n"})})
    runner.run(StageSpec("ingest", ingest.run, {"files": ("seeds", "files")}))
    spec = StageSpec(
        "ingest",
        _broken_stage,
        {"pages": ("ingest", "pages"), "rejected": ("ingest", "rejected_inputs")},
    )
    with pytest.raises(StageCheckFailed) as failure:
        runner.run(spec)
    message = str(failure.value)
    assert "stage 'ingest'" in message
    assert "ingest/pages" in message and "'source_sha256'" in message
    assert "str_matches" in message and "not-a-hash" in message


def test_frictionless_runs_on_a_deterministic_sample_above_the_limit(tmp_path: Path) -> None:
    rows = [
        {"source_file": f"f{i:03}.txt", "source_sha256": "0" * 64, "bytes": i, "reason": "empty"}
        for i in range(250)
    ]
    table = pa.Table.from_pylist(rows, schema=contract("ingest", "rejected_inputs").arrow_schema())
    path = tmp_path / "rejected_inputs.parquet"
    write_parquet(table, path)
    problems, coverage = frictionless_problems("ingest", "rejected_inputs", path, row_limit=100)
    assert problems == []
    assert coverage == "sample: 1 row in 3, 84 of 250 rows"
    assert frictionless_problems("ingest", "rejected_inputs", path, row_limit=100)[1] == coverage


def test_key_prefixes_never_decrease_in_key_order() -> None:
    """Key ranges cut at prefixes follow each other in key order, whatever the keys."""
    import random

    import numpy as np

    from pipeline.runner import _range_boundaries, key_prefixes

    rng = random.Random(7)
    alphabet = ["a", "b", "z", "0", "_", "é", "ß", "€", "\U0001f600", " "]
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    ordered = pa.chunked_array([pa.array(keys[:700]), pa.array(keys[700:])])
    ordered = pa.table({"k": ordered}).sort_by("k")["k"]
    prefixes = key_prefixes(ordered)
    assert np.all(prefixes[1:] >= prefixes[:-1])
    boundaries = _range_boundaries([ordered], 300)
    ranges = np.searchsorted(boundaries, prefixes, side="right")
    assert np.all(ranges[1:] >= ranges[:-1]) and 5 <= len(boundaries) + 1 <= 7
