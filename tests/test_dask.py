"""A release built on a real Dask LocalCluster (two worker processes) is byte-identical
to the one built in process: same seeds, same key, same version and date."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from rich.console import Console

from pipeline.build import build_release
from pipeline.executors import DaskExecutor, LocalExecutor
from pipeline.pseudonyms import load_key

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SYNTHETIC_PAGES = 40


def _seeds(tmp_path: Path) -> Path:
    """The five seeds plus a few synthetic pages (duplicates, bad inputs included)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    try:
        from pipeline.synth.generate import generate_corpus
    except ImportError:
        return seeds
    for synth in generate_corpus(SYNTHETIC_PAGES, seed=7):
        (seeds / f"synth_{synth.name}").write_bytes(synth.data)
    return seeds


def _files(release: Path) -> dict[str, bytes]:
    return {
        p.relative_to(release).as_posix(): p.read_bytes()
        for p in sorted(release.rglob("*"))
        if p.is_file()
    }


def _worker_pids(executor: object) -> list[int]:
    if not isinstance(executor, DaskExecutor):
        return []
    return sorted(executor.client.run(os.getpid).values())


def test_release_on_a_local_cluster_is_byte_identical(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    key_file = tmp_path / "key"
    key_file.write_bytes(secrets.token_bytes(32).replace(b"\n", b"x") + b"k")
    key = load_key(key_file)
    quiet = Console(file=open("/dev/null", "w"))  # noqa: SIM115
    builds = {}
    engines = {
        "local": (LocalExecutor(), 1000),
        "dask": (DaskExecutor.local_cluster(2, memory_limit="1GiB"), 9),
    }
    for name, (executor, pages) in engines.items():
        with executor:
            workers = _worker_pids(executor)
            result = build_release(
                seeds,
                tmp_path / name / "dist",
                "1.0.0",
                key,
                build_dir=tmp_path / name / "build",
                date="2026-01-01",
                console=quiet,
                executor=executor,
                partition_pages=pages,
            )
            if name == "dask":
                # Once the last partitioned stage is done, workers it started are
                # restarted (their memory given back); a cluster it only uses is not.
                restarted = _worker_pids(executor)
                assert restarted and not set(restarted) & set(workers)
                DaskExecutor(executor.client).idle()
                assert _worker_pids(executor) == restarted
        assert result.outcome.status == "released"
        builds[name] = _files(result.outcome.path)
    parts = sorted((tmp_path / "dask" / "build" / "parse" / "comments").iterdir())
    assert len(parts) > 1
    assert sorted(builds["dask"]) == sorted(builds["local"])
    for name, content in builds["local"].items():
        assert builds["dask"][name] == content, name
