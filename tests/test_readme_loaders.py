"""The loading one-liners in README.md work, exactly as written, on every table of
every committed release; the ones for shards (a glob) also on a sharded release."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
RELEASES = sorted(p.name for p in (ROOT / "dist").glob("*.*.*") if p.is_dir())
# The loaders for shards read a glob (``comments*.parquet``); the others one file.
GLOB_SNIPPETS = [s for s in SNIPPETS if "*.parquet" in s]
FILE_SNIPPETS = [s for s in SNIPPETS if s not in GLOB_SNIPPETS]
TABLES = ("articles", "comments", "duplicates", "sources")


def _is_empty(path: Path) -> bool:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows == 0


def test_readme_shows_the_four_loaders() -> None:
    joined = "\n".join(SNIPPETS)
    for loader in ("pandas", "polars", "duckdb", "load_dataset"):
        assert loader in joined


@pytest.mark.skipif(not RELEASES, reason="no release committed yet")
@pytest.mark.parametrize("snippet", FILE_SNIPPETS, ids=lambda s: s.split(";")[0].split()[-1])
@pytest.mark.parametrize("table", TABLES)
def test_readme_snippet_loads_every_table(snippet: str, table: str) -> None:
    version = RELEASES[-1]
    if "load_dataset" in snippet and _is_empty(ROOT / "dist" / version / f"{table}.parquet"):
        pytest.skip("Hugging Face datasets cannot load a table with no rows; the card omits it")
    code = re.sub(r"dist/\d+\.\d+\.\d+", f"dist/{version}", snippet).replace("comments", table)
    check = f"{code}\nassert len({table}) > 0 or '{table}' == 'duplicates'\n"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]


def test_readme_shows_shard_loaders() -> None:
    assert len(GLOB_SNIPPETS) == 3


@pytest.mark.skipif(not RELEASES, reason="no release committed yet")
@pytest.mark.parametrize("snippet", GLOB_SNIPPETS, ids=lambda s: s.split(";")[0].split()[-1])
def test_readme_shard_snippet_reads_every_table_whole_and_in_order(
    snippet: str, tmp_path: Path
) -> None:
    """On a release with shards (the tiny one, 3 rows per file) and on the newest
    committed release (one file per table), in one process."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.docs.tiny_release import make_context, write_tables

    ctx = make_context(max_rows_per_file=3)
    assert len(ctx.table_files["comments"]) > 1
    sharded = tmp_path / "dist" / "1.0.0"
    write_tables(ctx, sharded)
    committed = ROOT / "dist" / RELEASES[-1]
    checks = []
    for release in (sharded, committed):
        for table in TABLES:
            files = sorted(release.glob(f"{table}*.parquet"))
            keys = pa.concat_tables(pq.read_table(f) for f in files).column(0).to_pylist()
            checks += [
                re.sub(r"dist/\d+\.\d+\.\d+", str(release), snippet.replace("comments", table)),
                f"_rows = {table}.to_pandas() if hasattr({table}, 'to_pandas') else {table}",
                f"assert _rows.iloc[:, 0].tolist() == {keys!r}, ({str(release)!r}, {table!r})",
            ]
    run = subprocess.run(
        [sys.executable, "-c", "\n".join(checks)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
