"""dedupe and anonymise in partitions of article groups give the release the whole-table
stages give, byte for byte, whatever the partitioning and the executor.

The corpus is synthetic (pipeline.synth): pages saved twice, articles captured twice,
copypasta and a syndicated story, plus copies of a few pages cut inside a comment, so
exact duplicates, merges, truncated captures and near-duplicate clusters all occur.
The reference is the pure whole-table ``dedupe.run`` ->
``anonymise.run`` -> ``release.run``.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from pipeline.build import seed_partitions, stage_specs
from pipeline.docs.context import TABLES
from pipeline.executors import DaskExecutor, Executor, LocalExecutor
from pipeline.pseudonyms import PseudonymKey
from pipeline.publish import on_row_group_grid
from pipeline.runner import Runner
from pipeline.stages import anonymise, dedupe, release
from pipeline.synth.generate import SynthFile, generate_corpus
from pipeline.synth.render.page_writer import TEXT
from pipeline.tables import write_parquet

KEY = PseudonymKey(b"partitions-test-key-" * 2)
PAGES, SEED = 40, 7  # seed 7: exact duplicates, re-captures and a syndicated story
PARSED = {
    ("ingest", "pages"),
    ("ingest", "rejected_inputs"),
    ("parse", "articles"),
    ("parse", "comments"),
    ("parse", "unparsed"),
}


TRUNCATED_COPIES = 3


def _cut_inside_a_comment(synth: SynthFile) -> bytes | None:
    """The page's bytes cut at a space in the middle of its middle comment text line
    (a scrape that stopped early), or None when it has too few comment lines."""
    if synth.truth is None or synth.roles is None or synth.variants != ():
        return None
    lines = synth.data.split(b"\n")
    texts = [i for i, role in enumerate(synth.roles) if role.kind == TEXT]
    if len(texts) < 4:
        return None
    line = lines[texts[len(texts) // 2]]
    space = line.rfind(b" ", 0, len(line) // 2)
    if space <= 0:
        return None
    return b"\n".join(lines[: texts[len(texts) // 2]] + [line[:space]])


def _quiet() -> Console:
    return Console(file=io.StringIO())


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], pa.Table]:
    """ingest and parse of the synthetic corpus, as whole tables."""
    root = tmp_path_factory.mktemp("corpus")
    seeds = root / "seeds"
    seeds.mkdir()
    for synth in generate_corpus(PAGES, seed=SEED):
        (seeds / synth.name).write_bytes(synth.data)
        cut = _cut_inside_a_comment(synth)
        if cut is not None and len(list(seeds.glob("*-cut.txt"))) < TRUNCATED_COPIES:
            (seeds / f"{synth.name}-cut.txt").write_bytes(cut)
    runner = Runner(root / "build", _quiet(), executor=LocalExecutor())
    runner.provide_parts("seeds", "files", seed_partitions(seeds, 1000))
    for spec in stage_specs(KEY)[:2]:
        runner.run(spec)
    return {source: runner.read(*source) for source in PARSED}


@pytest.fixture(scope="module")
def reference(parsed: dict[tuple[str, str], pa.Table]) -> dict[str, bytes]:
    """The release tables of the whole-table stages, as Parquet bytes."""
    deduped = dedupe.run(
        {"articles": parsed[("parse", "articles")], "comments": parsed[("parse", "comments")]}
    ).tables
    anonymised = anonymise.run(
        {"comments": deduped["comments"], "articles": deduped["articles"]}, KEY
    ).tables
    released = release.run(
        {
            "articles": deduped["articles"],
            "comments": anonymised["comments"],
            "duplicates": deduped["duplicates"],
            "pages": parsed[("ingest", "pages")],
            "rejected_inputs": parsed[("ingest", "rejected_inputs")],
            "parsed_articles": parsed[("parse", "articles")],
            "unparsed": parsed[("parse", "unparsed")],
            "escaped": anonymised["escaped"],
        }
    ).tables
    reasons = set(released["duplicates"]["reason"].to_pylist())
    assert reasons == set(dedupe.REASONS), "the corpus must hold every kind of duplicate"
    for name in ("articles", "comments"):
        assert pc.count(released[name]["near_dup_cluster"]).as_py() > 0, name
    return {name: _parquet_bytes(released[name]) for name in TABLES}


def _parquet_bytes(table: pa.Table) -> bytes:
    """The bytes the release would hold for ``table`` (the deterministic writer)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "table.parquet"
        write_parquet(on_row_group_grid(table, 0), path)
        return path.read_bytes()


def _slices(table: pa.Table, rows: int) -> list[Callable[[], pa.Table]]:
    return [
        (lambda start=start: table.slice(start, rows))
        for start in range(0, max(table.num_rows, 1), rows)
    ]


def _partitioned_release(
    parsed: dict[tuple[str, str], pa.Table],
    build: Path,
    executor: Executor,
    article_rows: int,
    comment_rows: int,
    rows_per_range: int = 10**6,
) -> tuple[dict[str, bytes], Runner]:
    runner = Runner(build, _quiet(), executor=executor)
    runner.provide("ingest", {t: parsed[("ingest", t)] for t in ("pages", "rejected_inputs")})
    runner.provide("parse", {"unparsed": parsed[("parse", "unparsed")]})
    runner.provide_parts("parse", "articles", _slices(parsed[("parse", "articles")], article_rows))
    runner.provide_parts("parse", "comments", _slices(parsed[("parse", "comments")], comment_rows))
    for spec in stage_specs(KEY, rows_per_range=rows_per_range)[2:]:
        runner.run(spec)
    return {name: _parquet_bytes(runner.read("release", name)) for name in TABLES}, runner


@pytest.mark.parametrize(
    ("article_rows", "comment_rows", "rows_per_range"),
    [(4, 70, 10**6), (13, 1000, 37), (1000, 10**6, 10**6)],
)
def test_partitioned_stages_give_the_whole_table_release(
    parsed: dict[tuple[str, str], pa.Table],
    reference: dict[str, bytes],
    tmp_path: Path,
    article_rows: int,
    comment_rows: int,
    rows_per_range: int,
) -> None:
    released, runner = _partitioned_release(
        parsed, tmp_path, LocalExecutor(), article_rows, comment_rows, rows_per_range
    )
    for name in TABLES:
        assert released[name] == reference[name], name
    comment_parts = list((tmp_path / "release" / "comments").glob("part-*.parquet"))
    assert len(comment_parts) >= min(4, -(-runner.runs[-1].rows_out["comments"] // rows_per_range))
    n_parts = -(-parsed[("parse", "articles")].num_rows // article_rows)
    assert [run.partitions for run in runner.runs[:2]] == [n_parts, n_parts]
    kept = {"dedupe": ["articles", "comments", "duplicates"], "anonymise": ["comments", "escaped"]}
    for stage, tables in kept.items():  # work tables and regrouped inputs are gone
        assert sorted(p.name for p in (tmp_path / stage).iterdir() if p.is_dir()) == tables


def test_partitioned_stages_on_a_dask_cluster(
    parsed: dict[tuple[str, str], pa.Table], reference: dict[str, bytes], tmp_path: Path
) -> None:
    with DaskExecutor.local_cluster(2, memory_limit="1GiB") as executor:
        released, _ = _partitioned_release(parsed, tmp_path, executor, 6, 200)
    for name in TABLES:
        assert released[name] == reference[name], name


def test_every_capture_of_an_article_shares_a_partition(
    parsed: dict[tuple[str, str], pa.Table], tmp_path: Path
) -> None:
    _partitioned_release(parsed, tmp_path, LocalExecutor(), 5, 90)
    partition_of: dict[str, int] = {}
    for index, path in enumerate(sorted((tmp_path / "dedupe" / "articles").iterdir())):
        duplicates = pq.read_table(path.parent.parent / "duplicates" / path.name)
        dropped = duplicates.filter(pc.equal(duplicates["record_table"], "articles"))
        for name in (
            pq.read_table(path)["source_file"].to_pylist() + dropped["source_file"].to_pylist()
        ):
            assert name not in partition_of
            partition_of[name] = index
    articles = parsed[("parse", "articles")]
    identities = dedupe.article_identities(articles).to_pylist()
    assert sorted(partition_of) == sorted(articles["source_file"].to_pylist())
    partitions_of_identity: dict[str, set[int]] = {}
    for name, identity in zip(articles["source_file"].to_pylist(), identities, strict=True):
        partitions_of_identity.setdefault(identity, set()).add(partition_of[name])
    assert all(len(found) == 1 for found in partitions_of_identity.values())
    assert len(set(partition_of.values())) > 1
