"""Every bad argument and file-system failure: one line naming what and why, a non-zero
exit, no traceback; what can be checked before the stages is checked before them.

Real processes, real files. Read-only directories are tested with permission
bits; as root (which ignores them) the command runs with the capabilities that
bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) dropped from its
bounding set. A full disk is simulated with a file size limit
(``RLIMIT_FSIZE``, so a write fails with EFBIG), which needs no privileges or
mount.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").iterdir())[1]
# linux/capability.h and linux/prctl.h
_CAPS_BYPASSING_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
_PR_CAPBSET_DROP = 24


def _drop_permission_bypass() -> None:
    """In the child, before exec: as root, make permission bits apply."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS_BYPASSING_PERMISSIONS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            os._exit(97)  # cannot drop: the test skips


def _permission_bits_apply(work: Path) -> bool:
    probe = work / "probe-dir"
    probe.mkdir(mode=0o555)
    try:
        run = subprocess.run(
            [sys.executable, "-c", f"open({str(probe / 'f')!r}, 'w')"],
            capture_output=True,
            preexec_fn=_drop_permission_bypass,
        )
        return run.returncode not in (0, 97)
    finally:
        probe.rmdir()


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    """A working directory with one seed and a key (made writable again afterwards)."""
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(SEED, tmp_path / "seeds" / SEED.name)
    (tmp_path / "test.key").write_bytes(os.urandom(32).hex().encode())
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def _release(
    work: Path, *args: str, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CORPUS_PSEUDONYM_KEY_FILE"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "release", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=preexec,
    )


def _one_line_error(run: subprocess.CompletedProcess, code: int = 1) -> str:
    """The single error line of a failed run (and that there is no traceback)."""
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, run.stderr
    assert run.stderr.strip().splitlines()[-1] == errors[0]
    return errors[0]


def _before_the_stages(run: subprocess.CompletedProcess) -> None:
    assert "ingest" not in run.stderr and "per-page stages" not in run.stderr, run.stderr


KEYED = ("--key-file", "test.key")


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1" * 300, "error: version '11111111111111111111'... is 300 characters long; a version "
         "is MAJOR.MINOR.PATCH (e.g. 1.0.0) of at most 64 characters"),
        ("1.0.0\n", "error: version '1.0.0\\n' is not MAJOR.MINOR.PATCH (e.g. 1.0.0)"),
        ("01.0.0", "error: version '01.0.0' is not MAJOR.MINOR.PATCH (e.g. 1.0.0)"),
        ("1.0.0" + "0" * 60, "error: version '1.0.0000000000000000'... is 65 characters long; "
         "a version is MAJOR.MINOR.PATCH (e.g. 1.0.0) of at most 64 characters"),
    ],
    ids=["300-digits", "trailing-newline", "leading-zero", "65-chars"],
)  # fmt: skip
def test_a_bad_version_is_one_line_and_nothing_is_written(
    work: Path, version: str, message: str
) -> None:
    run = _release(work, "--version", version, *KEYED)
    assert _one_line_error(run, code=2) == message
    _before_the_stages(run)
    assert not (work / "dist").exists() and not (work / "build").exists()


@pytest.mark.parametrize(
    ("key", "reason"),
    [("/dev/zero", "is not a regular file"), ("seeds", "is a directory"),
     ("missing.key", "no such file")],
)  # fmt: skip
def test_a_bad_key_file_is_one_line(work: Path, key: str, reason: str) -> None:
    run = _release(work, "--version", "1.0.0", "--key-file", key)
    assert _one_line_error(run) == f"error: pseudonym key file {key}: {reason}"
    _before_the_stages(run)


def test_a_dist_that_is_a_file_is_refused_before_the_stages(work: Path) -> None:
    (work / "dist").write_text("not a directory\n")
    run = _release(work, "--version", "1.0.0", *KEYED)
    assert _one_line_error(run) == (
        "error: dist directory (--dist) dist: exists and is not a directory"
    )
    _before_the_stages(run)


@pytest.mark.parametrize(
    ("dist", "reason"),
    [("/proc/corpus-dist", "cannot be created (No such file or directory)"),
     ("/proc/self", "not writable (creating a file in it failed: No such file or directory)")],
)  # fmt: skip
def test_a_dist_under_proc_is_refused_before_the_stages(work: Path, dist: str, reason: str) -> None:
    run = _release(work, "--version", "1.0.0", *KEYED, "--dist", dist)
    assert _one_line_error(run) == f"error: dist directory (--dist) {dist}: {reason}"
    _before_the_stages(run)


def test_a_name_too_long_is_one_line(work: Path) -> None:
    build = "b" * 300
    run = _release(work, "--version", "1.0.0", "--build", build)
    assert _one_line_error(run) == f"error: build directory (--build) {build}: File name too long"
    _before_the_stages(run)


def test_a_read_only_dist_is_refused_before_the_stages(work: Path) -> None:
    if not _permission_bits_apply(work):
        pytest.skip("cannot make permission bits apply to this user")
    (work / "dist").mkdir(mode=0o555)
    run = _release(work, "--version", "1.0.0", *KEYED, preexec=_drop_permission_bypass)
    assert _one_line_error(run) == (
        "error: dist directory (--dist) dist: not writable (creating a file in it failed: "
        "Permission denied)"
    )
    _before_the_stages(run)


def test_a_read_only_working_directory_is_refused_before_the_stages(work: Path) -> None:
    if not _permission_bits_apply(work):
        pytest.skip("cannot make permission bits apply to this user")
    work.chmod(0o555)
    run = _release(work, "--version", "1.0.0", preexec=_drop_permission_bypass)
    assert _one_line_error(run) == (
        "error: build directory (--build) build: cannot be created (Permission denied)"
    )
    _before_the_stages(run)


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


def test_a_full_disk_during_the_stages_names_what_was_being_written(work: Path) -> None:
    run = _release(work, "--version", "1.0.0", *KEYED, preexec=_file_size_limit(4096))
    line = _one_line_error(run)
    assert line.startswith("error: build/") and ": File too large; " in line, line
    assert not (work / "dist" / "1.0.0").exists()
    assert [p.name for p in (work / "dist").iterdir()] == []  # no partial left behind
