"""``python -m pipeline.bench.anonymise``: the anonymise stage and the leak audit at scale.

Environment:

* ``BENCH_MB`` (default ``20,200``): sizes of raw text, MB (10^6 bytes), of
  corpora from ``pipeline.synth.generate`` (seed ``BENCH_SEED``, default 0);
* ``BENCH_EXTRA_HANDLES`` (default ``0``): that many more distinct handles in the
  release (random letters and digits, as if that many more people had
  commented elsewhere): the handle side of "texts x handles";
* ``BENCH_REPEATS`` (default 3): figures are medians over the repeats.

Each corpus's truth is used as a perfect parse (no parse or dedupe: only what
this stage and the audit do is timed). Per size it prints, in seconds:

* ``prepare``: pseudonyms, mention index, leak patterns and their automaton;
* ``anonymise``: every comment through the stage's replacements (identifiers,
  mentions, the last sweep), in this process;
* ``flag (automaton)`` vs ``flag (every RE2 group)``: which comment texts the
  leak patterns flag, by :class:`pipeline.handle_scan.LiteralScan` and by the
  reference it replaced (every RE2 group over every text), same answer checked;
* ``audit``: :func:`pipeline.audit.audit_release` on the anonymised comments and
  the articles (both halves: distinctive forms and addressed ordinary words).

Writes ``bench-anonymise.json`` in the working directory. Figures, not a
test; the load average is printed with them.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import string
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

MB = 1_000_000


def corpus_tables(size_mb: float, seed: int) -> tuple[pa.Table, pa.Table]:
    """(comments as the dedupe stage hands them over, articles) from the generator's truth."""
    from pipeline.synth.generate import generate_corpus
    from pipeline.synth.model import flatten
    from pipeline.synth.render import renderer

    rows: dict[str, list[Any]] = {name: [] for name in (
        "comment_id", "article_id", "parent_id", "position", "depth", "handle", "text",
        "source_file", "near_dup_cluster")}
    articles: dict[str, list[str]] = {"article_id": [], "title": [], "body": []}
    for synth in generate_corpus(None, seed, int(size_mb * MB)):
        if synth.truth is None or synth.duplicate_of is not None:
            continue
        page = f"a{len(articles['article_id'])}"
        articles["article_id"].append(page)
        articles["title"].append(synth.truth.title)
        articles["body"].append(synth.truth.body)
        shown = flatten(renderer(synth.family or "").visible(synth.truth).comments)
        for comment in shown:
            rows["comment_id"].append(f"{page}-{comment.position}")
            rows["article_id"].append(page)
            parent = comment.parent_position
            rows["parent_id"].append(None if parent is None else f"{page}-{parent}")
            rows["position"].append(comment.position)
            rows["depth"].append(comment.depth)
            rows["handle"].append(comment.handle)
            rows["text"].append(comment.text)
            rows["source_file"].append(synth.name)
            rows["near_dup_cluster"].append(None)
    integers = {"position", "depth"}
    comments = pa.table({
        name: pa.array(values, pa.int64() if name in integers else pa.string())
        for name, values in rows.items()
    })
    return comments, pa.table(articles)


def extra_handles(count: int, seed: int) -> list[str]:
    rng = random.Random(f"extra-handles/{seed}")
    letters = string.ascii_lowercase
    return [
        "".join(rng.choice(letters) for _ in range(rng.randint(5, 10))) + str(rng.randint(0, 999))
        for _ in range(count)
    ]


def _median_seconds(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    seconds, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def bench_size(size_mb: float, seed: int, extra: int, repeats: int) -> dict[str, Any]:
    from pipeline.audit import audit_release
    from pipeline.handle_scan import folds
    from pipeline.leak_patterns import rows_by_group
    from pipeline.mentions import public_words
    from pipeline.pseudonyms import PseudonymKey
    from pipeline.stages.anonymise import ReleaseHandles, distinct_handles, run_partition

    folds()  # once per process, as in the stage
    comments, articles = corpus_tables(size_mb, seed)
    handles = sorted(set(distinct_handles([comments["handle"]]) + extra_handles(extra, seed)))
    public = public_words(t for c in ("title", "body") for t in articles[c].to_pylist())
    key = PseudonymKey.random_preview()
    load_before = os.getloadavg()
    prepare, release = _median_seconds(
        repeats, lambda: ReleaseHandles.build(key, handles, public)
    )
    inputs = {"comments": comments, "articles": articles}
    anonymise, result = _median_seconds(repeats, lambda: run_partition(inputs, release=release))
    texts = comments["text"].combine_chunks()
    flag_new, new = _median_seconds(repeats, lambda: release.scan.rows_by_group(texts))
    flag_old, old = _median_seconds(1, lambda: rows_by_group(texts, release.scan.groups))
    assert new == dict(sorted(old.items())), "the automaton and the reference disagree"
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        pq.write_table(result.tables["comments"].drop_columns(["source_file"]),
                       out / "comments.parquet")
        pq.write_table(articles, out / "articles.parquet")
        owners = comments.select(["comment_id", "handle"])
        audit, report = _median_seconds(
            repeats, lambda: audit_release(out, handles, owners)
        )
    return {
        "size_mb": size_mb,
        "comments": comments.num_rows,
        "text_mb": sum(len(t.encode()) for t in texts.to_pylist() if t) / MB,
        "handles": len(handles),
        "extra_handles": extra,
        "pattern_groups": len(release.scan.groups),
        "repeats": repeats,
        "loadavg_before": load_before,
        "loadavg_after": os.getloadavg(),
        "seconds": {
            "prepare": prepare,
            "anonymise": anonymise,
            "flag_automaton": flag_new,
            "flag_every_re2_group": flag_old,
            "audit": audit,
        },
        "flagged_rows": len(new),
        "audit_passed": report.passed,
        "pseudonyms_in_texts": result.report.counts.get("mentions_replaced", 0),
    }


def print_size(figures: dict[str, Any]) -> None:
    seconds = figures["seconds"]
    print(
        f"\n== {figures['size_mb']:g} MB corpus: {figures['comments']:,} comments "
        f"({figures['text_mb']:.1f} MB of text), {figures['handles']:,} handles "
        f"({figures['extra_handles']:,} extra), {figures['pattern_groups']} RE2 groups; "
        f"medians of {figures['repeats']}; load avg {figures['loadavg_before'][0]:.1f} -> "
        f"{figures['loadavg_after'][0]:.1f}"
    )
    per_comment = 1e6 / max(figures["comments"], 1)
    for name, value in seconds.items():
        print(f"  {name:<22}{value:>10.2f} s{value * per_comment:>12.1f} us/comment")
    ratio = seconds["flag_every_re2_group"] / seconds["flag_automaton"]
    print(f"  flagging: automaton {ratio:.1f}x faster than every RE2 group over every text; "
          f"audit passed: {figures['audit_passed']}")


def main() -> int:
    sizes = [float(s) for s in os.environ.get("BENCH_MB", "20,200").split(",")]
    seed = int(os.environ.get("BENCH_SEED", "0"))
    extra = int(os.environ.get("BENCH_EXTRA_HANDLES", "0"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    results = []
    for size in sizes:
        figures = bench_size(size, seed, extra, repeats)
        print_size(figures)
        results.append(figures)
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["comments"] / small["comments"]
        print(f"\n{large['comments'] / small['comments']:.1f}x the comments:")
        for name in small["seconds"]:
            ratio = large["seconds"][name] / small["seconds"][name]
            print(f"  {name:<22}{ratio:>6.1f}x the time ({ratio / growth:.2f} per unit of input)")
    Path("bench-anonymise.json").write_text(json.dumps(results, indent=2) + "\n")
    print("\nfigures written to bench-anonymise.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
