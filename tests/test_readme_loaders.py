"""The loading one-liners in README.md work, exactly as written, on every table of
every committed release."""

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
TABLES = ("articles", "comments", "duplicates", "sources")


def _is_empty(path: Path) -> bool:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows == 0


def test_readme_shows_the_four_loaders() -> None:
    joined = "\n".join(SNIPPETS)
    for loader in ("pandas", "polars", "duckdb", "load_dataset"):
        assert loader in joined


@pytest.mark.skipif(not RELEASES, reason="no release committed yet")
@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.split(";")[0].split()[-1])
@pytest.mark.parametrize("table", TABLES)
def test_readme_snippet_loads_every_table(snippet: str, table: str) -> None:
    version = RELEASES[-1]
    if "load_dataset" in snippet and _is_empty(ROOT / "dist" / version / f"{table}.parquet"):
        pytest.skip("Hugging Face datasets cannot load a table with no rows; the card omits it")
    code = snippet.replace("dist/1.0.0", f"dist/{version}").replace("comments", table)
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
