"""Two runs at once: real processes, one build directory, one dist. Both succeed with
byte-identical files (one waits for the other's lock), a published version is never
damaged, and only the partial directories of runs that are gone are cleared."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.publish import CHECKSUMS, publish_atomically, remove_leftover, write_release_files
from pipeline.validate import checksum_problems, validate_release
from tests.release_fixture import release_context

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").iterdir())[:2]
WAITING = "is in use by another run; waiting until it finishes"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, tmp_path / "seeds" / seed.name)
    (tmp_path / "test.key").write_bytes(os.urandom(32).hex().encode())
    return tmp_path


def _start(work: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "CORPUS_PSEUDONYM_KEY_FILE"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "release", "--version", "1.0.0", *args],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> str:
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    return stderr


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*")
            if p.is_file()}  # fmt: skip


def test_two_keyed_releases_at_once_into_one_build_and_one_dist_both_succeed(work: Path) -> None:
    runs = [_start(work, "--key-file", "test.key") for _ in range(2)]
    outputs = [_finish(run) for run in runs]
    assert sum("release 1.0.0 written to dist/1.0.0" in out for out in outputs) == 1
    assert sum("already released, identical content" in out for out in outputs) == 1
    release = work / "dist" / "1.0.0"
    assert [p.name for p in (work / "dist").iterdir()] == ["1.0.0"]  # no partial left
    assert validate_release(release, build_dir=work / "build")[0] == []
    first = _files(release)
    again = _start(work, "--key-file", "test.key", "--build", "build-2")
    assert "already released" in _finish(again)
    assert _files(release) == first


def test_two_previews_at_once_in_one_working_directory_both_succeed(work: Path) -> None:
    runs = [_start(work) for _ in range(2)]
    for run in runs:
        assert "preview release 1.0.0 written to build/preview/1.0.0" in _finish(run)
    preview = work / "build" / "preview"
    assert [p.name for p in preview.iterdir()] == ["1.0.0"]
    assert validate_release(preview / "1.0.0")[0] == []


def test_a_run_waits_while_another_holds_the_build_directory(work: Path) -> None:
    build = work / "build"
    build.mkdir()
    holder = os.open(build, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a run in another process would
    try:
        run = _start(work, "--key-file", "test.key")
        time.sleep(8)
        assert run.poll() is None, run.communicate()[1]  # still waiting
        assert not (build / "ingest").exists()
    finally:
        os.close(holder)  # the lock goes with the descriptor
    stderr = _finish(run)
    assert f"build directory build {WAITING}" in stderr
    assert (work / "dist" / "1.0.0" / CHECKSUMS).is_file()


# --- publish: the clean-up of partial directories never touches live work -----------


def _publish_process(dist: Path) -> subprocess.Popen:
    code = (
        "import sys; from pathlib import Path\n"
        "from pipeline.publish import publish_atomically, write_release_files\n"
        "from tests.release_fixture import release_context\n"
        "ctx = release_context('1.0.0')\n"
        "outcome = publish_atomically(lambda out: write_release_files(ctx, out, []),"
        " Path(sys.argv[1]) / '1.0.0')\n"
        "print(outcome.status)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, str(dist)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_publishers_racing_for_one_version_never_damage_it(tmp_path: Path) -> None:
    for round_ in range(3):
        dist = tmp_path / f"dist-{round_}"
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        stale = dist / f".1.0.0.partial-{int(dead.stdout)}"  # a killed run's leftover
        stale.mkdir(parents=True)
        (stale / "articles.parquet").write_bytes(b"half written")
        racers = [_publish_process(dist) for _ in range(3)]
        statuses = []
        for racer in racers:
            out, err = racer.communicate(timeout=300)
            assert racer.returncode == 0, err
            statuses.append(out.strip())
        assert sorted(statuses) == ["already released"] * 2 + ["released"]
        assert [p.name for p in dist.iterdir()] == ["1.0.0"]
        assert checksum_problems(dist / "1.0.0") == []
        assert len(list((dist / "1.0.0").iterdir())) >= 6


def test_a_live_runs_partial_directory_is_left_alone(tmp_path: Path) -> None:
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        partial = tmp_path / "dist" / f".1.0.0.partial-{live.pid}"
        partial.mkdir(parents=True)
        (partial / "articles.parquet").write_bytes(b"being written")
        ctx = release_context("1.0.0")
        target = tmp_path / "dist" / "1.0.0"
        publish_atomically(lambda out: write_release_files(ctx, out, []), target)
        assert (partial / "articles.parquet").read_bytes() == b"being written"
    finally:
        live.kill()
        live.wait()
    publish_atomically(lambda out: write_release_files(ctx, out, []), target)
    assert [p.name for p in (tmp_path / "dist").iterdir()] == ["1.0.0"]  # now it is gone


def test_clearing_a_partial_that_was_renamed_into_place_deletes_nothing(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    ctx = release_context("1.0.0")
    publish_atomically(lambda out: write_release_files(ctx, out, []), dist / "1.0.0")
    published = _files(dist / "1.0.0")
    # A clean-up listed ".1.0.0.partial-N" just before its owner renamed it to "1.0.0":
    listed = dist / ".1.0.0.partial-4242"
    assert remove_leftover(listed, dist / f".1.0.0.stale-{os.getpid()}") is False
    assert _files(dist / "1.0.0") == published
    assert validate_release(dist / "1.0.0")[0] == []


def test_every_kind_of_leftover_of_a_run_that_is_gone_is_cleared(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    leftovers = [dist / f".1.0.0.{kind}-{int(dead.stdout)}" for kind in ("partial", "stale",
                                                                          "replaced")]
    leftovers.append(dist / f".1.0.0.stale-{os.getpid()}")  # this pid's: an earlier run's
    for leftover in leftovers:
        (leftover / "sub").mkdir(parents=True)
        (leftover / "sub" / "f").write_bytes(b"x")
    ctx = release_context("1.0.0")
    publish_atomically(lambda out: write_release_files(ctx, out, []), dist / "1.0.0")
    assert [p.name for p in dist.iterdir()] == ["1.0.0"]


def _other_process_can_lock(directory: Path) -> bool:
    code = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n"
        "    sys.exit(1)\n"
    )
    return subprocess.run([sys.executable, "-c", code, str(directory)]).returncode == 0


def test_one_directory_as_both_build_and_dist_is_locked_once_not_waited_for(
    tmp_path: Path,
) -> None:
    from pipeline.output_dirs import locked

    with locked(tmp_path, "build directory"):
        with locked(tmp_path, "dist directory"):  # --dist the same as --build: no self-wait
            assert not _other_process_can_lock(tmp_path)
        assert not _other_process_can_lock(tmp_path)  # still held by the outer lock
    assert _other_process_can_lock(tmp_path)
