"""README.md: a Hugging Face dataset card that `datasets` loads offline."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.docs.card import dataset_card, size_category
from pipeline.docs.context import TABLES, ReleaseContext
from tests.docs.tiny_release import make_context, release_tables, write_tables


def _header(card: str) -> dict[str, object]:
    _, header, _ = card.split("---\n", 2)
    return yaml.safe_load(header)


def test_header(ctx: ReleaseContext) -> None:
    header = _header(dataset_card(ctx))
    assert header["license"] == "other"
    assert header["license_link"] == "LICENSE-DATA.md"
    assert header["language"] == ["en"]
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


def test_datasets_loads_every_config_offline(
    tmp_path: Path, ctx: ReleaseContext, monkeypatch: pytest.MonkeyPatch
) -> None:
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


def test_an_empty_table_gets_no_config_but_a_note() -> None:
    tables = release_tables()
    tables["duplicates"] = tables["duplicates"].slice(0, 0)
    card = dataset_card(make_context(tables))
    header = _header(card)
    assert [c["config_name"] for c in header["configs"]] == ["articles", "comments", "sources"]
    assert "no rows in `duplicates.parquet`" in card
