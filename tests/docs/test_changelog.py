"""CHANGELOG.md and the version bump: what changed against the previous release."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.docs.changelog import changelog, compare, version_satisfies
from pipeline.schemas import contract
from tests.docs.tiny_release import C, make_context, release_tables, write_tables


def _previous(tmp_path: Path, tables: dict[str, pa.Table] | None = None) -> Path:
    previous = tmp_path / "dist" / "1.0.0"
    write_tables(make_context(tables), previous)
    return previous


def _next(previous: Path, tables: dict[str, pa.Table], version: str = "1.0.1") -> tuple[str, str]:
    return changelog(make_context(tables, version=version, previous_release=previous))


def test_initial_release_has_no_bump() -> None:
    text, bump = changelog(make_context())
    assert bump == "none"
    assert "Initial release" in text


def test_identical_tables_need_no_bump(tmp_path: Path) -> None:
    text, bump = _next(_previous(tmp_path), release_tables())
    assert bump == "none"
    assert "None." in text


def test_changed_value_is_a_patch(tmp_path: Path) -> None:
    tables = release_tables()
    comments = tables["comments"]
    text = pc.if_else(pc.equal(comments["comment_id"], C[0]), "Corrected.", comments["text"])
    tables["comments"] = comments.set_column(comments.schema.get_field_index("text"), "text", text)
    markdown, bump = _next(_previous(tmp_path), tables)
    assert bump == "patch"
    assert f"`{C[0]}`" in markdown
    assert "`text` 1" in markdown


def test_removed_row_is_a_patch(tmp_path: Path) -> None:
    tables = release_tables()
    tables["sources"] = tables["sources"].slice(0, 5)
    markdown, bump = _next(_previous(tmp_path), tables)
    assert bump == "patch"
    assert "removed (1): `006.txt`" in markdown


def test_added_row_is_minor(tmp_path: Path) -> None:
    previous = release_tables()
    previous["comments"] = previous["comments"].slice(0, 7)
    _, bump = _next(_previous(tmp_path, previous), release_tables(), "1.1.0")
    assert bump == "minor"


def test_added_column_is_minor(tmp_path: Path) -> None:
    previous = release_tables()
    previous["articles"] = previous["articles"].drop_columns(["near_dup_cluster"])
    markdown, bump = _next(_previous(tmp_path, previous), release_tables())
    assert bump == "minor"
    assert "column `near_dup_cluster` added" in markdown


def test_removed_column_is_major(tmp_path: Path) -> None:
    previous = release_tables()
    extra = pa.array(["x"] * previous["sources"].num_rows)
    previous["sources"] = previous["sources"].append_column("url", extra)
    markdown, bump = _next(_previous(tmp_path, previous), release_tables())
    assert bump == "major"
    assert "column `url` removed or renamed" in markdown


def test_changed_type_is_major(tmp_path: Path) -> None:
    previous = release_tables()
    articles = previous["articles"]
    index = articles.schema.get_field_index("n_comments")
    previous["articles"] = articles.set_column(
        index, "n_comments", articles["n_comments"].cast(pa.string())
    )
    comparison = compare(release_tables(), _previous(tmp_path, previous))
    assert comparison.bump == "major"
    whats = [c.what for c in comparison.schema_changes]
    assert whats == ["column `n_comments` type string -> integer"]


def test_composite_key_of_duplicates(tmp_path: Path) -> None:
    tables = release_tables()
    tables["duplicates"] = tables["duplicates"].slice(0, 1)
    comparison = compare(tables, _previous(tmp_path))
    (duplicates,) = [d for d in comparison.tables if d.table == "duplicates"]
    assert duplicates.removed == ["articles/a_ffffffffffffffff"]


def test_fixture_matches_release_contract() -> None:
    for name, table in release_tables().items():
        assert table.schema == contract("release", name).arrow_schema()


@pytest.mark.parametrize(
    ("previous", "new", "bump", "ok"),
    [
        ("1.0.0", "2.0.0", "major", True),
        ("1.4.2", "1.5.0", "major", False),
        ("1.4.2", "1.5.0", "minor", True),
        ("1.4.2", "2.0.0", "minor", True),
        ("1.4.2", "1.4.3", "minor", False),
        ("1.4.2", "1.4.3", "patch", True),
        ("1.4.2", "1.4.2", "patch", False),
        ("1.4.2", "1.4.1", "patch", False),
        ("1.4.2", "1.4.2", "none", True),
        ("1.4.2", "1.3.9", "none", False),
        ("1.9.0", "1.10.0", "minor", True),
    ],
)
def test_version_satisfies(previous: str, new: str, bump: str, ok: bool) -> None:
    assert version_satisfies(previous, new, bump) is ok


def test_version_must_be_plain_semver() -> None:
    with pytest.raises(ValueError, match="X.Y.Z"):
        version_satisfies("1.0", "1.0.1", "patch")
    with pytest.raises(ValueError, match="unknown version bump"):
        version_satisfies("1.0.0", "1.0.1", "tiny")


def test_the_maintainers_release_notes_say_what_changed_and_why(tmp_path: Path) -> None:
    from importlib import resources

    notes = resources.files("pipeline").joinpath("release_notes", "1.1.0.md").read_text("utf-8")
    text, _ = _next(_previous(tmp_path), release_tables(), version="1.1.0")
    assert "## What changed" in text and notes.split("\n")[0] in text
    other, _ = _next(_previous(tmp_path), release_tables(), version="1.0.1")
    assert "## What changed" not in other  # no notes written for that version
