"""The whole pipeline as a user runs it: CLI, preview, keyed release, no-op, refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CORPUS_PSEUDONYM_KEY_FILE"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("work")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    (work / "test.key").write_bytes(os.urandom(32).hex().encode())
    return work


def test_without_a_key_release_builds_a_preview_outside_dist(workdir: Path) -> None:
    run = _cli("release", "--version", "1.0.0", cwd=workdir)
    assert run.returncode == 0, run.stderr
    assert "PREVIEW" in run.stderr
    assert not (workdir / "dist" / "1.0.0").exists()
    preview = workdir / "build" / "preview" / "1.0.0"
    assert (preview / "SHA256SUMS").is_file()
    check = _cli("validate", str(preview), cwd=workdir)
    assert check.returncode == 0, check.stderr
    frictionless = subprocess.run(
        [
            Path(sys.executable).parent / "frictionless",
            "validate",
            str(preview / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert frictionless.returncode == 0, frictionless.stdout[-2000:]


def test_keyed_release_goes_to_dist_and_repeating_it_is_a_no_op(workdir: Path) -> None:
    first = _cli("release", "--version", "1.0.0", "--key-file", "test.key", cwd=workdir)
    assert first.returncode == 0, first.stderr
    release = workdir / "dist" / "1.0.0"
    assert (release / "comments.parquet").is_file()
    again = _cli("release", "--version", "1.0.0", "--key-file", "test.key", cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert "already released" in again.stderr
    assert _cli("validate", str(release), cwd=workdir).returncode == 0


def test_a_changed_seed_cannot_overwrite_a_released_version(workdir: Path) -> None:
    seed = sorted((workdir / "seeds").iterdir())[0]
    original = seed.read_bytes()
    seed.write_bytes(original.replace(b"Siegfried", b"Sigurd", 1) + b"\n")
    try:
        run = _cli("release", "--version", "1.0.0", "--key-file", "test.key", cwd=workdir)
    finally:
        seed.write_bytes(original)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("error:") and "already exists with different content" in last


def test_bad_key_and_bad_version_fail_with_one_line_reasons(workdir: Path) -> None:
    (workdir / "short.key").write_bytes(b"s3cr3t-k3y")
    short = _cli("release", "--version", "1.0.1", "--key-file", "short.key", cwd=workdir)
    assert short.returncode != 0
    assert "short.key" in short.stderr and "s3cr3t-k3y" not in short.stderr
    bad = _cli("release", "--version", "one", "--key-file", "test.key", cwd=workdir)
    assert bad.returncode != 0 and "MAJOR.MINOR.PATCH" in bad.stderr
    missing = _cli("release", "--version", "1.0.1", "--seeds", "nowhere", cwd=workdir)
    assert missing.returncode != 0 and "nowhere" in missing.stderr.splitlines()[-1]


def test_env_key_is_used_and_never_printed(workdir: Path) -> None:
    key = (workdir / "test.key").read_text()
    run = _cli(
        "release",
        "--version",
        "1.0.0",
        cwd=workdir,
        env={"CORPUS_PSEUDONYM_KEY_FILE": str(workdir / "test.key")},
    )
    assert run.returncode == 0, run.stderr
    assert "already released" in run.stderr
    assert key not in run.stderr + run.stdout
