"""The release stage's tables: line accounting and what a page shows, on the real seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from rich.console import Console

from pipeline.build import run_stages
from pipeline.layouts.base import PageText
from pipeline.pseudonyms import PseudonymKey
from pipeline.stages.release import LINE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent.parent
KEY = PseudonymKey(b"release-stage-test-key" * 2)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pa.Table], Path]:
    """The seeds plus a byte-identical copy of one, a re-capture of another (same page,
    other bytes), a page no layout fits and an empty file."""
    seeds = tmp_path_factory.mktemp("seeds")
    for path in sorted((ROOT / "seeds").iterdir()):
        shutil.copy(path, seeds / path.name)
    first, second = sorted(seeds.iterdir())[:2]
    shutil.copy(first, seeds / "900_copy.txt")
    (seeds / "901_recapture.txt").write_bytes(second.read_bytes() + b"\n\n")
    (seeds / "902_not_a_page.txt").write_text("just\none word lines\n", encoding="utf-8")
    (seeds / "903_empty.txt").write_bytes(b"")
    build = tmp_path_factory.mktemp("build")
    runner = run_stages(seeds, KEY, build_dir=build, console=Console(quiet=True))
    names = ("articles", "comments", "duplicates", "sources")
    tables = {name: runner.read("release", name) for name in names}
    tables["pages"] = runner.read("ingest", "pages", ["source_file", "text"])
    return tables, seeds


def _non_blank_lines(pages: pa.Table, name: str) -> int:
    """Non-blank lines of the decoded page (as ingest read it)."""
    (text,) = pages.filter(pa.compute.equal(pages["source_file"], name))["text"].to_pylist()
    return len(PageText.from_text(name, text).non_blank_line_numbers())


def test_every_non_blank_line_of_every_parsed_file_is_accounted_for(released) -> None:
    tables, seeds = released
    rows = {row["source_file"]: row for row in tables["sources"].to_pylist()}
    parsed = [name for name, row in rows.items() if row["status"] != "rejected"]
    assert len(parsed) >= 7  # 5 seeds, the copy, the re-capture (and what else parses)
    for name in parsed:
        counts = [rows[name][column] for column in LINE_COLUMNS]
        assert all(n is not None and n >= 0 for n in counts), name
        assert sum(counts) == _non_blank_lines(tables["pages"], name), name
    rejected = [name for name, row in rows.items() if row["status"] == "rejected"]
    assert "903_empty.txt" in rejected
    for name in rejected:
        assert all(rows[name][column] is None for column in LINE_COLUMNS), name
    assert rows["903_empty.txt"]["parse_confidence"] is None


def test_lines_of_removed_duplicates_count_as_duplicates(released) -> None:
    tables, seeds = released
    rows = {row["source_file"]: row for row in tables["sources"].to_pylist()}
    first, second = sorted(p.name for p in seeds.iterdir())[:2]
    for copy, original in (("900_copy.txt", first), ("901_recapture.txt", second)):
        assert rows[copy]["status"] == "duplicate"
        assert rows[copy]["lines_title"] == rows[copy]["lines_body"] == 0
        assert rows[copy]["lines_comment_text"] == rows[copy]["lines_handle"] == 0
        assert rows[copy]["lines_chrome"] == rows[original]["lines_chrome"]
        kept = sum(rows[original][c] for c in LINE_COLUMNS[:4])
        assert rows[copy]["lines_duplicate"] == kept  # every record of the copy was removed
        assert rows[original]["lines_duplicate"] == 0
    assert 0 < rows[first]["parse_confidence"] <= 1


def test_duplicates_name_their_table_twice_and_record_table_is_sql_safe(released) -> None:
    import duckdb

    duplicates = tables = released[0]["duplicates"]
    assert duplicates.num_rows > 0
    assert duplicates["table"].to_pylist() == duplicates["record_table"].to_pylist()
    con = duckdb.connect()
    con.register("duplicates", tables)
    counted = con.sql("SELECT record_table, count(*) FROM duplicates GROUP BY 1 ORDER BY 1")
    assert [r[0] for r in counted.fetchall()] == ["articles", "comments"]
    with pytest.raises(duckdb.Error):
        con.sql("SELECT table FROM duplicates").fetchall()


def test_what_each_page_shows_is_carried_to_articles_and_comments(released) -> None:
    tables, _ = released
    seeds = {p.name for p in (ROOT / "seeds").iterdir()}
    articles = {
        row["layout"]: row
        for row in tables["articles"].to_pylist()
        if row["source_file"] in seeds
    }
    assert articles["numbered"]["threading_shown"]
    assert articles["indented_bullets"]["threading_shown"]
    for flat in ("flat_handles", "blank_separated", "no_handles"):
        assert not articles[flat]["threading_shown"]
    assert not articles["no_handles"]["handles_shown"] and articles["flat_handles"]["handles_shown"]
    assert {row["language"] for row in articles.values()} == {"en"}
    threaded = {row["article_id"] for row in articles.values() if row["threading_shown"]}
    for comment in tables["comments"].to_pylist():
        if comment["article_id"] not in threaded:
            assert comment["parent_id"] is None and comment["thread_id"] == comment["comment_id"]
