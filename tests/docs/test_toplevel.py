"""The project's DATASHEET.md is the newest release's datasheet, links into dist/."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.docs.toplevel import newest_release, toplevel_datasheet

ROOT = Path(__file__).resolve().parents[2]


def test_links_point_into_the_release(tmp_path: Path) -> None:
    release = tmp_path / "dist" / "1.2.0"
    release.mkdir(parents=True)
    (tmp_path / "dist" / "1.10.0").mkdir()
    (release / "DATASHEET.md").write_text(
        "![a](figures/x.png) [terms](LICENSE-DATA.md) [web](https://example.org) [s](#top)\n"
    )
    assert newest_release(tmp_path / "dist").name == "1.10.0"
    assert toplevel_datasheet(release, "dist") == (
        "![a](dist/1.2.0/figures/x.png) [terms](dist/1.2.0/LICENSE-DATA.md) "
        "[web](https://example.org) [s](#top)\n"
    )


def test_committed_datasheet_is_the_newest_releases() -> None:
    release = newest_release(ROOT / "dist")
    if release is None:
        pytest.skip("no release committed yet")
    committed = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    assert committed == toplevel_datasheet(release, "dist")
