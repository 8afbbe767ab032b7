"""``python -m pipeline.bench.parse_scaling``: does parse cost grow linearly with the page?

For each layout family asked for and each size, draws ``BENCH_PARSE_REPEATS``
synthetic pages of that many comments (``pipeline.synth``; a different page
per repeat, the same pages for the same seed) and times
``pipeline.stages.parse.parse_page`` once on each. A different page each
time because the layouts cache their work per page (``lru_cache`` on the page
lines): parsing one page again measures the cache, not the parser. A small
page is parsed first, untimed, so imports are done. Prints per family and
size the pages' bytes and lines, the comments parsed, the median seconds and
the microseconds per comment, and the ratio of the largest size's median
time to the smallest's against the ratio of their comment counts. The target
(issue 14) is a time ratio no larger than the size ratio (at most 20 for
20,000 comments against 1,000): linear cost. The ratio is called "NOT
comparable" when a page did not parse into at least 95% of its comments: a
parser that gives up early is fast for the wrong reason.

Environment:

* ``BENCH_PARSE_COMMENTS`` (default ``1000,20000``): comment counts;
* ``BENCH_PARSE_FAMILIES`` (default ``flat_handles``; ``all`` for the five);
* ``BENCH_PARSE_REPEATS`` (default 3): medians over the repeats;
* ``BENCH_SEED`` (default 0).

Figures, not a test: nothing here fails when the cost is not linear. Writes
nothing.
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import time
from dataclasses import dataclass

from pipeline.layouts.base import PageText
from pipeline.stages.parse import UnparseablePage, parse_page
from pipeline.synth.generate import draw_page
from pipeline.synth.render import FAMILIES, renderer

COMPLETE_SHARE = 0.95


@dataclass(frozen=True)
class Timing:
    family: str
    comments_drawn: int
    page_bytes: int
    page_lines: int
    comments_parsed: int | None  # median over the pages that parsed; None: none did
    seconds: list[float]
    parsed_per_page: tuple[int | None, ...] = ()  # None: that page was rejected

    @property
    def complete(self) -> bool:
        """Whether every page parsed into (nearly) all its comments: only then do times
        compare (a parser that finds 2 of 20,000 comments is fast for the wrong reason)."""
        return all(
            n is not None and n >= COMPLETE_SHARE * self.comments_drawn
            for n in self.parsed_per_page
        )

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def synthetic_page(family: str, n_comments: int, seed: int, repeat: int = 0) -> PageText:
    """One page of ``family`` with ``n_comments`` comments, the same for the same arguments."""
    rng = random.Random(f"parse-scaling-{family}-{n_comments}-{seed}-{repeat}")
    page = draw_page(family, rng, n_comments=n_comments)
    module = renderer(family)
    style = random.Random(f"style-{seed}-{repeat}")
    if family == "blank_separated":
        text = module.render(page, style, loose_handles=True)
    else:
        text = module.render(page, style)
    return PageText.from_text(f"{family}-{n_comments}-{repeat}.txt", text)


def time_parse(family: str, n_comments: int, repeats: int, seed: int) -> Timing:
    with contextlib.suppress(UnparseablePage):
        parse_page(synthetic_page(family, 10, seed, repeat=-1))  # imports, untimed
    seconds: list[float] = []
    parsed: list[int] = []
    per_page: list[int | None] = []
    sizes: list[int] = []
    lines: list[int] = []
    for repeat in range(repeats):
        page = synthetic_page(family, n_comments, seed, repeat)
        started = time.perf_counter()
        found: int | None = None
        with contextlib.suppress(UnparseablePage):
            found = len(parse_page(page).comments)
            parsed.append(found)
        per_page.append(found)
        seconds.append(time.perf_counter() - started)
        sizes.append(len("\n".join(page.lines).encode("utf-8")))
        lines.append(len(page.lines))
    return Timing(
        family,
        n_comments,
        int(statistics.median(sizes)),
        int(statistics.median(lines)),
        int(statistics.median(parsed)) if parsed else None,
        seconds,
        tuple(per_page),
    )


def _settings() -> tuple[list[int], list[str], int, int]:
    counts = [int(n) for n in os.environ.get("BENCH_PARSE_COMMENTS", "1000,20000").split(",")]
    families_env = os.environ.get("BENCH_PARSE_FAMILIES", "flat_handles")
    families = list(FAMILIES) if families_env == "all" else families_env.split(",")
    repeats = int(os.environ.get("BENCH_PARSE_REPEATS", "3"))
    seed = int(os.environ.get("BENCH_SEED", "0"))
    return sorted(counts), families, repeats, seed


def main() -> int:
    counts, families, repeats, seed = _settings()
    print(
        f"parse_page scaling: comments {counts}, families {families}, {repeats} repeat(s), "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    for family in families:
        timings = []
        for n_comments in counts:
            timing = time_parse(family, n_comments, repeats, seed)
            timings.append(timing)
            parsed = "not parsed" if timing.comments_parsed is None else timing.comments_parsed
            print(
                f"  {family:17s} {n_comments:>7,} comments drawn, {parsed} parsed, "
                f"{timing.page_bytes / 1e6:6.2f} MB, {timing.page_lines:>8,} lines: "
                f"median {timing.median:9.3f} s "
                f"({timing.median / n_comments * 1e6:8.1f} us/comment; "
                f"runs {', '.join(f'{s:.3f}' for s in timing.seconds)})",
                flush=True,
            )
        small, large = timings[0], timings[-1]
        if small.median > 0 and large is not small:
            ratio = large.median / small.median
            size_ratio = large.comments_drawn / small.comments_drawn
            verdict = "linear" if ratio <= size_ratio else "NOT linear"
            if not (small.complete and large.complete):
                verdict = (
                    "NOT comparable: the parser did not find (nearly) every comment "
                    f"(comments per page: {small.parsed_per_page}, {large.parsed_per_page})"
                )
            print(
                f"  {family}: {large.comments_drawn:,} vs {small.comments_drawn:,} comments: "
                f"median time ratio {ratio:.1f} for a size ratio of {size_ratio:.0f} "
                f"(target: at most {size_ratio:.0f}): {verdict}",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
