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


def test_a_second_preview_replaces_the_first_and_says_where_its_datasheet_is(
    workdir: Path,
) -> None:
    """`make release` twice on a fresh clone: each preview has a fresh random key, so the
    second differs from the first, and replaces it (a preview is not a version)."""
    preview = workdir / "build" / "preview" / "1.0.0"
    before = (preview / "SHA256SUMS").read_bytes()
    again = _cli("release", "--version", "1.0.0", cwd=workdir)
    assert again.returncode == 0, again.stderr
    assert (preview / "SHA256SUMS").read_bytes() != before  # new random key, new pseudonyms
    assert "choose a new version" not in again.stderr
    (last,) = [line for line in again.stderr.splitlines() if "written to" in line]
    # one line, never cut at 80 columns although stderr is not a terminal
    assert "replacing the previous preview" in last and last.endswith("DATASHEET.md")
    assert len(last) > 80
    assert not list(preview.parent.glob(".*"))  # nothing left aside
    checked = _cli("validate", str(preview), cwd=workdir)  # with build/: the audit runs
    assert checked.returncode == 0, checked.stderr
    assert "leak audit passed" in checked.stderr + checked.stdout  # it ran on this build
    warnings = [line for line in checked.stderr.splitlines() if line.startswith("warning:")]
    for line in warnings:  # one word, one meaning: a warning says so once, and why
        assert line.count("warning") == 1, line
        assert line.startswith(("warning: privacy (allowed): ", "warning: privacy audit")), line


def test_help_shows_defaults_and_an_unknown_flag_shows_the_command_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipeline.cli import main

    with pytest.raises(SystemExit) as helped:
        main(["release", "--help"])
    assert helped.value.code == 0
    out = capsys.readouterr().out
    assert "(default: seeds)" in out and "(default: 1000)" in out
    with pytest.raises(SystemExit) as wrong:
        main(["release", "--version", "1.0.0", "--bogus"])
    assert wrong.value.code == 2
    err = capsys.readouterr().err
    assert "usage: python -m pipeline release" in err
    assert "unrecognized arguments: --bogus" in err.splitlines()[-1]


def test_make_release_says_which_datasheet_it_rewrote(workdir: Path, tmp_path: Path) -> None:
    out = tmp_path / "DATASHEET.md"
    run = subprocess.run(
        [sys.executable, "-m", "pipeline.docs.toplevel", str(ROOT / "dist"), str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "updated to the datasheet of" in run.stderr and "newest release" in run.stderr
    assert "preview" in run.stderr  # says the preview's datasheet is elsewhere
    again = subprocess.run(
        [sys.executable, "-m", "pipeline.docs.toplevel", str(ROOT / "dist"), str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "unchanged" in again.stderr


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
