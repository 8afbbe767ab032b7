"""``python -m pipeline.bench.pipeline``: the whole release on a synthetic corpus, with baselines.

Environment:

* ``BENCH_MB`` (default 1024): raw input size in MB (10^6 bytes); a comma
  list (``20,100``) runs each size and reports how time and memory scale.
* ``BENCH_WORK`` (default ``$TMPDIR/corpus-bench``): corpora (kept and reused:
  generation is slow) and per-run build directories.
* ``BENCH_WORKERS``: run the per-page stages on a local Dask cluster of that
  many worker processes (default: in process).
* ``BENCH_PARTITION_PAGES`` (default the CLI's), ``BENCH_REPEATS`` (default 1:
  figures are medians over the repeats), ``BENCH_LSH_SAMPLE`` (default 20000),
  ``BENCH_SEED`` (default 0).

For each size it writes a corpus with ``pipeline.synth.generate`` (files only,
no truth manifest), then measures, each in a fresh child process whose whole
process tree (Dask workers included) is sampled for RSS every 0.1 s:

1. the release: ingest, parse, dedupe, anonymise, release, publish (a preview
   build: fresh random key), then ``validate`` of the result; per stage the
   wall time, MB/s of raw input, rows in and out, rows/s and peak RSS;
2. the floor: reading every raw file and splitting it into lines;
3. datasketch MinHashLSH (word 2-grams, 128 permutations, 32x4 bands, as in
   ``pipeline.bench.dedupe``) on the first ``BENCH_LSH_SAMPLE`` released
   comments, extrapolated linearly to all comments (LSH insert and query are
   about linear in the number of texts; the extrapolation is labelled).

Prints a table per size and writes ``bench.json`` in the working directory.
RSS is summed over the process tree, so pages shared between processes count
more than once (an upper bound). The machine's load average is recorded: on a
shared machine wall times are only as good as the idle CPU.

Never writes into the repository's build/ or dist/; it is not a timed test.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1_000_000
SAMPLE_SECONDS = 0.1
TARGET_SECONDS_PER_GB = 300.0
TARGET_RSS_BYTES = 2 * 1024**3
VERSION = "0.0.1"


@dataclass(frozen=True)
class Settings:
    sizes_mb: tuple[float, ...]
    work: Path
    workers: int | None
    partition_pages: int
    repeats: int
    lsh_sample: int
    seed: int

    @classmethod
    def from_env(cls) -> Settings:
        from pipeline.build import PARTITION_PAGES

        workers = os.environ.get("BENCH_WORKERS")
        return cls(
            sizes_mb=tuple(float(s) for s in os.environ.get("BENCH_MB", "1024").split(",")),
            work=Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "corpus-bench")),
            workers=int(workers) if workers else None,
            partition_pages=int(os.environ.get("BENCH_PARTITION_PAGES", PARTITION_PAGES)),
            repeats=int(os.environ.get("BENCH_REPEATS", "1")),
            lsh_sample=int(os.environ.get("BENCH_LSH_SAMPLE", "20000")),
            seed=int(os.environ.get("BENCH_SEED", "0")),
        )


# --- the corpus --------------------------------------------------------------------------


def corpus(settings: Settings, size_mb: float) -> tuple[Path, dict[str, Any]]:
    """The synthetic corpus of ``size_mb`` MB, generated once and reused."""
    directory = settings.work / f"corpus-{size_mb:g}mb-seed{settings.seed}"
    marker = directory / ".complete.json"
    if marker.is_file():
        return directory / "pages", json.loads(marker.read_text())
    from pipeline.synth.generate import generate_corpus

    pages = directory / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files = raw_bytes = 0
    for synth in generate_corpus(None, settings.seed, max_bytes=int(size_mb * MB)):
        (pages / synth.name).write_bytes(synth.data)
        files += 1
        raw_bytes += len(synth.data)
    facts = {
        "files": files,
        "raw_bytes": raw_bytes,
        "generator": "pipeline.synth.generate.generate_corpus",
        "seed": settings.seed,
        "generation_seconds": round(time.perf_counter() - started, 2),
    }
    marker.write_text(json.dumps(facts, indent=2))
    return pages, facts


# --- measuring a child process -------------------------------------------------------------


@dataclass
class RssSampler:
    """Samples the RSS of a process and all its descendants, in a thread."""

    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            for process in [root, *_descendants(root)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.samples.append((time.perf_counter(), total))
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float = float("-inf"), end: float = float("inf")) -> int:
        inside = [rss for moment, rss in self.samples if start <= moment <= end]
        return max(inside, default=0)


def _descendants(root: Any) -> list[Any]:
    import psutil

    try:
        return root.children(recursive=True)
    except psutil.Error:
        return []


def measured(target: Callable[..., None], *args: Any) -> tuple[dict[str, Any], RssSampler]:
    """Run ``target(queue, *args)`` in a fresh spawned process, sampling its RSS."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(queue, *args))
    process.start()
    sampler = RssSampler(process.pid)
    result = queue.get()
    process.join()
    sampler.stop()
    if "error" in result:
        raise RuntimeError(f"{target.__name__} failed in its child process: {result['error']}")
    return result, sampler


# --- what the children run ---------------------------------------------------------------


def release_child(queue: Any, pages: str, run_dir: str, workers: int | None, per: int) -> None:
    """Build a preview release of ``pages`` and validate it; send timings back."""
    try:
        queue.put(_release(Path(pages), Path(run_dir), workers, per))
    except Exception as error:  # the parent reports it; a benchmark must not hang
        queue.put({"error": f"{type(error).__name__}: {error}"})


def _release(pages: Path, run_dir: Path, workers: int | None, per: int) -> dict[str, Any]:
    import shutil

    from rich.console import Console

    from pipeline.build import publish_release, run_stages
    from pipeline.errors import CorpusError
    from pipeline.executors import make_executor
    from pipeline.pseudonyms import PseudonymKey

    started = time.perf_counter()
    if run_dir.exists():
        shutil.rmtree(run_dir)
    console = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    key = PseudonymKey.random_preview()
    build = run_dir / "build"
    with _closing(make_executor(workers)) as executor:
        runner = run_stages(
            pages, key, build_dir=build, console=console, executor=executor, partition_pages=per
        )
    stages = [_stage_figures(run) for run in runner.runs]
    publish_started = time.perf_counter()
    try:
        published = publish_release(runner, run_dir / "dist", VERSION, key, True, date="2026-01-01")
    except CorpusError as error:
        published, failure = None, f"{type(error).__name__}: {str(error)[:300]}"
    else:
        failure = None
    publish = _phase("publish", publish_started, time.perf_counter() - publish_started)
    stages.append({**publish, "rows_in": _release_rows(build)})
    if published is not None:
        stages.append(_validate(published.outcome.path))
    return {
        "started": started,
        "finished": time.perf_counter(),
        "stages": stages,
        "publish_failure": failure,
        "comments_file": str(build / "release" / "comments.parquet"),
        "released_comments": pq_rows(build / "release" / "comments.parquet"),
        "anonymise_counts": next(
            (run.report.get("counts", {}) for run in runner.runs if run.name == "anonymise"), {}
        ),
    }


def _validate(release_dir: Path) -> dict[str, Any]:
    from pipeline.validate import validate_release

    started = time.perf_counter()
    problems, _ = validate_release(release_dir)
    return {**_phase("validate", started, time.perf_counter() - started), "problems": len(problems)}


class _closing:
    def __init__(self, executor: Any):
        self.executor = executor

    def __enter__(self) -> Any:
        return self.executor

    def __exit__(self, *exc: object) -> None:
        self.executor.close()


def _stage_figures(run: Any) -> dict[str, Any]:
    return {
        "name": run.name,
        "started": run.started,
        "seconds": run.wall_seconds,
        "stage_seconds": run.seconds,
        "rows_in": sum(run.rows_in.values()),
        "rows_out": sum(run.rows_out.values()),
        "partitions": run.partitions,
    }


def _phase(name: str, started: float, seconds: float) -> dict[str, Any]:
    return {"name": name, "started": started, "seconds": seconds, "rows_in": 0, "rows_out": 0}


def _release_rows(build: Path) -> int:
    """Rows of the four released tables (what publish writes)."""
    return sum(pq_rows(path) for path in sorted((build / "release").glob("*.parquet")))


def pq_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def floor_child(queue: Any, pages: str) -> None:
    """Read every raw file and split it into lines: the least any pipeline must do."""
    started = time.perf_counter()
    lines = files = 0
    for path in sorted(Path(pages).iterdir()):
        lines += len(path.read_bytes().split(b"\n"))
        files += 1
    queue.put({"seconds": time.perf_counter() - started, "rows": lines, "files": files})


def lsh_child(queue: Any, comments_file: str, sample: int) -> None:
    """datasketch MinHashLSH on the first ``sample`` released comments."""
    import pyarrow.parquet as pq

    from pipeline.bench.dedupe import datasketch_components
    from pipeline.neardup import NearDupSettings

    texts = pq.read_table(comments_file, columns=["text"])["text"]
    texts = texts.slice(0, sample).combine_chunks()
    started = time.perf_counter()
    datasketch_components(texts, NearDupSettings())
    queue.put({"seconds": time.perf_counter() - started, "rows": len(texts)})


# --- one size, and the report ------------------------------------------------------------


def bench_size(settings: Settings, size_mb: float) -> dict[str, Any]:
    pages, facts = corpus(settings, size_mb)
    raw_mb = facts["raw_bytes"] / MB
    load_before = os.getloadavg()
    runs = []
    for repeat in range(settings.repeats):
        run_dir = settings.work / f"run-{size_mb:g}mb-{repeat}"
        result, sampler = measured(
            release_child, str(pages), str(run_dir), settings.workers, settings.partition_pages
        )
        runs.append(_release_figures(result, sampler, raw_mb))
    floor, floor_rss = measured(floor_child, str(pages))
    lsh, lsh_rss = measured(lsh_child, result["comments_file"], settings.lsh_sample)
    comments = result["released_comments"]
    return {
        "size_mb": size_mb,
        "corpus": facts,
        "raw_mb": raw_mb,
        "workers": settings.workers,
        "partition_pages": settings.partition_pages,
        "repeats": settings.repeats,
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "release": _median_runs(runs),
        "released_comments": comments,
        "anonymise_counts": result["anonymise_counts"],
        "publish_failure": result["publish_failure"],
        "floor": _baseline(floor, floor_rss, raw_mb, "lines"),
        "minhash_lsh": {
            **_baseline(lsh, lsh_rss, raw_mb, "comments"),
            "sample": lsh["rows"],
            "all_comments": comments,
            "extrapolated_seconds_all_comments": comments / (lsh["rows"] / lsh["seconds"])
            if lsh["rows"]
            else 0.0,
        },
    }


def _release_figures(result: dict[str, Any], sampler: RssSampler, raw_mb: float) -> dict:
    stages = {}
    for stage in result["stages"]:
        seconds = stage["seconds"]
        stages[stage["name"]] = {
            "seconds": seconds,
            "stage_seconds": stage.get("stage_seconds", seconds),
            "mb_per_s": raw_mb / seconds if seconds else 0.0,
            "rows_in": stage["rows_in"],
            "rows_out": stage["rows_out"],
            "rows_per_s": max(stage["rows_in"], stage["rows_out"]) / seconds if seconds else 0.0,
            "peak_rss_bytes": sampler.peak(stage["started"], stage["started"] + seconds),
            "partitions": stage.get("partitions", 0),
            **({"problems": stage["problems"]} if "problems" in stage else {}),
        }
    total = result["finished"] - result["started"]
    return {
        "stages": stages,
        "total": {
            "seconds": total,
            "mb_per_s": raw_mb / total,
            "peak_rss_bytes": sampler.peak(),
        },
    }


def _median_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    if len(runs) == 1:
        return runs[0]

    def median(figures: list[dict[str, Any]]) -> dict[str, Any]:
        return {key: statistics.median(f[key] for f in figures) for key in figures[0]}

    stages = {name: median([run["stages"][name] for run in runs]) for name in runs[0]["stages"]}
    return {"stages": stages, "total": median([run["total"] for run in runs])}


def _baseline(result: dict, sampler: RssSampler, raw_mb: float, unit: str) -> dict[str, Any]:
    seconds = result["seconds"]
    return {
        "seconds": seconds,
        "mb_per_s": raw_mb / seconds if seconds else 0.0,
        "rows": result["rows"],
        "rows_unit": unit,
        "rows_per_s": result["rows"] / seconds if seconds else 0.0,
        "peak_rss_bytes": sampler.peak(),
    }


def print_size(figures: dict[str, Any]) -> None:
    corpus_facts = figures["corpus"]
    print(
        f"\n== {figures['raw_mb']:.1f} MB raw, {corpus_facts['files']:,} files, "
        f"{figures['released_comments']:,} released comments; engine: "
        f"{'dask x' + str(figures['workers']) if figures['workers'] else 'local'}; "
        f"load avg {figures['loadavg_before'][0]:.1f} -> {figures['loadavg_after'][0]:.1f}"
    )
    header = f"{'step':<26}{'wall s':>9}{'stage s':>9}{'MB/s':>9}{'rows in':>12}{'rows out':>12}"
    print(header + f"{'rows/s':>12}{'peak RSS MB':>13}")
    if figures["publish_failure"]:
        print(f"  PUBLISH FAILED (times up to the failure): {figures['publish_failure']}")
    release = figures["release"]
    for name, stage in release["stages"].items():
        print(_row(name, stage))
    print(_row("TOTAL release (child)", {**release["total"], "rows_in": 0, "rows_out": 0}))
    floor = figures["floor"]
    print(_row("floor: read + split lines", {**floor, "rows_in": floor["rows"], "rows_out": 0}))
    lsh = figures["minhash_lsh"]
    print(_row(f"datasketch LSH ({lsh['sample']:,})", {**lsh, "rows_in": lsh["rows"]}))
    print(
        f"  datasketch extrapolated to all {lsh['all_comments']:,} comments: "
        f"{lsh['extrapolated_seconds_all_comments']:.1f} s (linear in the sample's comments/s)"
    )
    print(_replacements_line(figures["anonymise_counts"], figures["released_comments"]))


def _replacements_line(counts: dict[str, Any], comments: int) -> str:
    """Pseudonyms written into comment texts, per released comment and per kind."""
    written = counts.get("mentions_replaced", 0)
    kinds = ", ".join(
        f"{kind} {counts.get(kind + '_replacements', 0):,} in "
        f"{counts.get(kind + '_comments', 0):,} comments"
        for kind in ("full_handle", "distinctive_part", "addressed", "sweep")
    )
    per = written / comments if comments else 0.0
    return f"  anonymise: {written:,} pseudonyms in texts, {per:.4f} per comment ({kinds})"


def _row(label: str, figures: dict[str, Any]) -> str:
    rows_per_s = figures.get("rows_per_s", 0.0)
    return (
        f"{label:<26}{figures['seconds']:>9.2f}"
        f"{figures.get('stage_seconds', figures['seconds']):>9.2f}{figures['mb_per_s']:>9.2f}"
        f"{figures.get('rows_in', 0):>12,}{figures.get('rows_out', 0):>12,}"
        f"{rows_per_s:>12,.0f}{figures['peak_rss_bytes'] / 2**20:>13,.0f}"
    )


def scaling(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """Targets: 1 GB in 5 min, RSS <= 2 GB, flat within 20%, 4x input in <= 4.4x time."""
    small, large = sizes[0], sizes[-1]
    largest_total = large["release"]["total"]
    verdict: dict[str, Any] = {
        "seconds_per_gb_at_largest": largest_total["seconds"] / large["raw_mb"] * 1000,
        "target_seconds_per_gb": TARGET_SECONDS_PER_GB,
        "peak_rss_bytes_at_largest": largest_total["peak_rss_bytes"],
        "target_rss_bytes": TARGET_RSS_BYTES,
    }
    if len(sizes) > 1:
        input_ratio = large["raw_mb"] / small["raw_mb"]
        time_ratio = largest_total["seconds"] / small["release"]["total"]["seconds"]
        rss_ratio = largest_total["peak_rss_bytes"] / small["release"]["total"]["peak_rss_bytes"]
        verdict |= {
            "input_ratio": input_ratio,
            "time_ratio": time_ratio,
            "time_ratio_per_input_ratio": time_ratio / input_ratio,
            "linear_target": "time ratio <= 1.1 x input ratio",
            "rss_ratio": rss_ratio,
            "flat_rss_target": "rss ratio <= 1.2",
        }
    return verdict


def main() -> int:
    settings = Settings.from_env()
    settings.work.mkdir(parents=True, exist_ok=True)
    sizes = []
    for size_mb in settings.sizes_mb:
        figures = bench_size(settings, size_mb)
        print_size(figures)
        sizes.append(figures)
    verdict = scaling(sizes)
    print("\nscaling and targets:")
    for key, value in verdict.items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    Path("bench.json").write_text(
        json.dumps({"sizes": sizes, "scaling": verdict}, indent=2, default=str) + "\n"
    )
    print("\nfigures written to bench.json")
    return 0


if __name__ == "__main__":  # spawned children and Dask workers re-import this module
    raise SystemExit(main())
