"""Every release committed under dist/ is valid and, with the maintainers' key, rebuilds
byte-identical from seeds/."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.build import build_release
from pipeline.pseudonyms import load_key
from pipeline.validate import validate_release
from pipeline.versions import is_version

ROOT = Path(__file__).resolve().parent.parent
RELEASES = sorted(p for p in (ROOT / "dist").glob("*") if p.is_dir() and is_version(p.name))


@pytest.mark.parametrize("release", RELEASES, ids=lambda p: p.name)
def test_committed_release_is_valid(release: Path) -> None:
    problems, _ = validate_release(release)
    assert problems == []


@pytest.mark.skipif(not RELEASES, reason="no release committed yet")
@pytest.mark.skipif(
    not os.environ.get("CORPUS_PSEUDONYM_KEY_FILE"), reason="maintainers' key not available"
)
def test_newest_release_rebuilds_byte_identical(tmp_path: Path) -> None:
    release = RELEASES[-1]
    created = json.loads((release / "datapackage.json").read_text())["created"][:10]
    dist = tmp_path / "dist"
    for older in RELEASES[:-1]:
        shutil.copytree(older, dist / older.name)
    key = load_key(Path(os.environ["CORPUS_PSEUDONYM_KEY_FILE"]))
    result = build_release(
        ROOT / "seeds", dist, release.name, key, build_dir=tmp_path / "build", date=created
    )
    rebuilt = result.outcome.path
    names = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file()
    )
    for name in names:
        assert (release / name).read_bytes() == (rebuilt / name).read_bytes(), name
