"""README.md: a Hugging Face dataset card that `datasets` loads offline."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from pipeline.docs.card import arrow_bytes, dataset_card, size_category
from pipeline.docs.context import TABLES, ReleaseContext
from tests.docs.tiny_release import make_context, release_tables, write_tables


def _header(card: str) -> dict[str, object]:
    _, header, _ = card.split("---\n", 2)
    return yaml.safe_load(header)


def test_header(ctx: ReleaseContext) -> None:
    header = _header(dataset_card(ctx))
    assert header["license"] == "other"
    assert header["license_link"] == "LICENSE-DATA.md"
    assert header["language"] == ["de", "en"]  # from articles.language; the null is left out
    assert header["multilinguality"] == ["multilingual"]
    assert [c["config_name"] for c in header["configs"]] == list(TABLES)
    info = {i["config_name"]: i for i in header["dataset_info"]}
    assert info["comments"]["splits"][0]["num_examples"] == 8
    assert {f["name"]: f["dtype"] for f in info["articles"]["features"]}["n_comments"] == "int64"


def test_body_warns_and_licenses(ctx: ReleaseContext) -> None:
    card = dataset_card(ctx)
    assert "Content warning" in card
    assert "non-commercial research" in card
    assert ctx.key_fingerprint in card
    assert 'load_dataset("dist/1.0.0", "comments"' in card


def test_size_categories() -> None:
    assert size_category(0) == "n<1K"
    assert size_category(1_000) == "1K<n<10K"
    assert size_category(250_000) == "100K<n<1M"


@pytest.mark.parametrize("max_rows_per_file", [None, 3], ids=["one-file-per-table", "sharded"])
def test_datasets_loads_every_config_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_rows_per_file: int | None
) -> None:
    ctx = make_context(max_rows_per_file=max_rows_per_file)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    release = tmp_path / "1.0.0"
    write_tables(ctx, release)
    (release / "README.md").write_text(dataset_card(ctx), encoding="utf-8")
    for table in TABLES:
        loaded = datasets.load_dataset(
            str(release), table, split="train", cache_dir=str(tmp_path / "cache")
        )
        assert loaded.to_list() == ctx.tables[table].to_pylist()


def test_no_task_category_claims_labels_the_data_does_not_have(ctx: ReleaseContext) -> None:
    header = _header(dataset_card(ctx))
    assert "task_categories" not in header
    assert header["annotations_creators"] == ["no-annotation"]
    assert header["language_creators"] == ["found"]


def test_the_language_list_comes_from_the_articles() -> None:
    tables = release_tables()
    articles = tables["articles"]
    column = articles.schema.get_field_index("language")
    only_french = pa.array(["fr"] * articles.num_rows, pa.string())
    tables["articles"] = articles.set_column(column, articles.schema.field(column), only_french)
    header = _header(dataset_card(make_context(tables)))
    assert header["language"] == ["fr"] and header["multilinguality"] == ["monolingual"]
    unknown = pa.nulls(articles.num_rows, pa.string())
    tables["articles"] = articles.set_column(column, articles.schema.field(column), unknown)
    assert "language" not in _header(dataset_card(make_context(tables)))


def test_an_empty_table_has_a_config_that_loads_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    tables = release_tables()
    tables["duplicates"] = tables["duplicates"].slice(0, 0)
    ctx = make_context(tables)
    card = dataset_card(ctx)
    assert [c["config_name"] for c in _header(card)["configs"]] == list(TABLES)
    assert 'load_dataset("dist/1.0.0", "duplicates", split="train", streaming=True)' in card
    release = tmp_path / "1.0.0"
    write_tables(ctx, release)
    (release / "README.md").write_text(card, encoding="utf-8")
    cache = str(tmp_path / "cache")
    empty = datasets.load_dataset(
        str(release), "duplicates", split="train", streaming=True, cache_dir=cache
    )
    assert list(empty) == []
    assert list(empty.features) == ctx.tables["duplicates"].column_names
    full = datasets.load_dataset(str(release), "comments", split="train", cache_dir=cache)
    assert full.num_rows == ctx.tables["comments"].num_rows
    import duckdb
    import polars as pl

    path = release / "duplicates.parquet"
    assert pl.read_parquet(path).columns == ctx.tables["duplicates"].column_names
    assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(0,)]
    assert duckdb.sql(f"SELECT record_table FROM '{path}'").fetchall() == []


def test_sharded_configs_list_every_shard_and_snippets_read_them_all(tmp_path: Path) -> None:
    """The card's loader snippet, as written, on a release whose comments are 3 shards."""
    import re
    import subprocess
    import sys

    ctx = make_context(max_rows_per_file=3)
    assert len(ctx.table_files["comments"]) == 3
    card = dataset_card(ctx)
    configs = {c["config_name"]: c for c in _header(card)["configs"]}
    assert configs["comments"]["data_files"][0]["path"] == list(ctx.table_files["comments"])
    release = tmp_path / "dist" / "1.0.0"
    write_tables(ctx, release)
    (release / "README.md").write_text(card, encoding="utf-8")
    (snippet,) = re.findall(r"```python\n(.*?)```", card, flags=re.DOTALL)
    expected = ctx.tables["comments"]["comment_id"].to_pylist()
    check = (
        "\n_rows = comments.to_pandas() if hasattr(comments, 'to_pandas') else comments"
        f"\nassert list(_rows['comment_id']) == {expected!r}, type(comments)\n"
    )
    code = "".join(
        line + "\n" + (check if line.startswith("comments = ") else "")
        for line in snippet.splitlines()
    )
    env = {
        **os.environ,
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
    }
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert code.count("assert list(_rows") == 4


@pytest.mark.parametrize("chunk_rows", [None, 1, 3])
def test_arrow_bytes_is_the_size_of_the_combined_table_without_combining(chunk_rows) -> None:
    table = pa.table(
        {
            "id": ["a", "bb", None, "dddd", "", "ffffff", "g"],
            "long": pa.array(["x" * 300, None, "y", "", "z", "w", "v"], pa.large_string()),
            "n": [1, None, 3, 4, 5, 6, 7],
            "flag": [True, False, None, True, True, False, True],
            "share": [0.5, 1.0, 2.0, None, 0.0, 1.5, 3.5],
            "full": ["p", "q", "r", "s", "t", "u", "v"],
        }
    )
    chunked = table if chunk_rows is None else pa.Table.from_batches(
        table.to_batches(max_chunksize=chunk_rows), table.schema
    )
    assert arrow_bytes(chunked) == table.combine_chunks().nbytes
    assert arrow_bytes(table.slice(0, 0)) == table.slice(0, 0).combine_chunks().nbytes
    for name, tables in release_tables().items():
        assert arrow_bytes(tables) == tables.combine_chunks().nbytes, name
