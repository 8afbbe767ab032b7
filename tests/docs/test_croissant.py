"""croissant.json: valid Croissant that mlcroissant loads record for record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.docs.context import TABLES, ReleaseContext
from pipeline.docs.croissant import croissant
from pipeline.docs.terms import columns
from tests.docs.tiny_release import make_context, write_tables

mlc = pytest.importorskip("mlcroissant")


@pytest.fixture(params=[None, 2], ids=["one-file-per-table", "sharded"])
def written(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, ReleaseContext]:
    """The tiny release's tables and croissant.json; sharded: at most 2 rows per file."""
    ctx = make_context(max_rows_per_file=request.param)
    hashes = write_tables(ctx, tmp_path)
    document = croissant(ctx, hashes)
    (tmp_path / "croissant.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return tmp_path, ctx


@pytest.fixture
def release(written: tuple[Path, ReleaseContext]) -> Path:
    return written[0]


def test_mlcroissant_validate_passes(release: Path) -> None:
    script = Path(sys.executable).with_name("mlcroissant")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mlcroissant"]
    result = subprocess.run(
        [*command, "validate", "--jsonld", str(release / "croissant.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_record_of_every_record_set_loads(written: tuple[Path, ReleaseContext]) -> None:
    release, ctx = written
    dataset = mlc.Dataset(jsonld=str(release / "croissant.json"))
    for table in TABLES:
        records = list(dataset.records(record_set=table))
        expected = ctx.tables[table].to_pylist()
        assert len(records) == len(expected)
        for record, row in zip(records, expected, strict=True):
            loaded = {key.split("/", 1)[1]: _text(value) for key, value in record.items()}
            assert loaded == row


def _text(value: object) -> object:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def test_structure(ctx: ReleaseContext) -> None:
    document = croissant(ctx, {f"{t}.parquet": "0" * 64 for t in TABLES})
    files = {f["@id"]: f for f in document["distribution"]}
    assert set(files) == {f"{t}.parquet" for t in TABLES}
    assert {f["encodingFormat"] for f in files.values()} == {"application/x-parquet"}
    fields = {f["@id"]: f for rs in document["recordSet"] for f in rs["field"]}
    for table in TABLES:
        for column in columns(table):
            assert fields[f"{table}/{column.name}"]["description"].startswith(column.description)
    assert fields["comments/article_id"]["references"] == {"field": {"@id": "articles/article_id"}}
    assert "references" not in fields["comments/parent_id"]
    assert "comments.comment_id" in fields["comments/parent_id"]["description"]
    assert document["rai:dataSocialImpact"]
    assert "CC-BY" not in json.dumps(document["license"])


def test_missing_hash_is_an_error(ctx: ReleaseContext) -> None:
    with pytest.raises(KeyError, match="comments.parquet"):
        croissant(ctx, {"articles.parquet": "0" * 64})


def test_preview_is_said() -> None:
    document = croissant(make_context(preview=True), {f"{t}.parquet": "0" * 64 for t in TABLES})
    assert "PREVIEW BUILD" in document["description"]


def test_shards_are_file_objects_with_hashes_and_a_file_set_that_matches_them_only() -> None:
    import fnmatch

    ctx = make_context(max_rows_per_file=3)
    names = [name for table in TABLES for name in ctx.table_files[table]]
    document = croissant(ctx, {name: f"{i:064x}" for i, name in enumerate(names)})
    objects = [d for d in document["distribution"] if d["@type"] == "cr:FileObject"]
    assert [o["@id"] for o in objects] == names
    assert all(len(o["sha256"]) == 64 for o in objects)
    file_sets = {d["@id"]: d for d in document["distribution"] if d["@type"] == "cr:FileSet"}
    assert set(file_sets) == {"comments-shards", "sources-shards"}
    for table in ("comments", "sources"):
        includes = file_sets[f"{table}-shards"]["includes"]
        assert fnmatch.filter(names, includes) == list(ctx.table_files[table])
    fields = {f["@id"]: f for rs in document["recordSet"] for f in rs["field"]}
    assert fields["comments/text"]["source"]["fileSet"] == {"@id": "comments-shards"}
    assert fields["articles/title"]["source"]["fileObject"] == {"@id": "articles.parquet"}
