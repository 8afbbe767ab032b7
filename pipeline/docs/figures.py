"""The datasheet's figures: PNG charts drawn from the release's count aggregates.

Four figures, each chosen to say something both for a handful of pages and
for a million comments, and each drawn from a mergeable count aggregate
(pipeline/docs/stats.py :class:`~pipeline.docs.stats.FigureInputs`), never
from the rows:

* comments per article, one row per layout: every distinct count as a dot
  (so five articles show as five dots), with the quartile box, median and
  range once a layout has many articles; log scale;
* comment length in characters, log-spaced bins;
* thread size: comments per thread on the pages that show threading, in
  doubling bins (1, 2, 3-4, 5-8, ...): how much of the talk is in long
  threads. Comments whose page shows no threading have no known thread and
  are not counted (the datasheet says how many);
* what anonymisation replaced, by kind (mentions, e-mails, phones, URL
  parameters, swept handles), log scale, with the counts written on the bars.

(The old thread-depth bar chart repeated the table beside it and is gone.)

Byte-deterministic by construction: the Agg canvas on a fresh Figure (no
pyplot global state), matplotlib's default style whatever the user's
matplotlibrc says, a fixed size and dpi, and no PNG metadata (no Software
tag, no timestamp). The same tables give the same bytes, so a rebuilt
release stays byte-identical. Never writes files: returns name -> bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from pipeline.docs import stats
from pipeline.docs.context import ReleaseContext

FIGURE_SIZE = (6.4, 3.6)
DPI = 100
COLOR = "#3b6ea5"

COMMENTS_PER_ARTICLE = "comments_per_article.png"
COMMENT_LENGTH = "comment_length.png"
THREAD_SIZE = "thread_size.png"
REPLACEMENTS = "anonymise_replacements.png"
FIGURE_NAMES = (COMMENTS_PER_ARTICLE, COMMENT_LENGTH, THREAD_SIZE, REPLACEMENTS)
DOTS_UP_TO = 60  # distinct values per layout drawn one dot each


def render_figures(ctx: ReleaseContext) -> dict[str, bytes]:
    """Every datasheet figure: file name -> PNG bytes."""
    inputs = stats.figure_inputs(
        ctx.tables["articles"], ctx.tables["comments"], ctx.stage_reports
    )
    return render_figures_from(inputs)


def render_figures_from(inputs: stats.FigureInputs) -> dict[str, bytes]:
    """The figures of merged aggregates (a release computed part by part)."""
    drawers: dict[str, Callable[[Axes], None]] = {
        COMMENTS_PER_ARTICLE: lambda ax: _comments_per_article(ax, inputs.comments_per_article),
        COMMENT_LENGTH: lambda ax: _comment_length(ax, inputs.comment_lengths),
        THREAD_SIZE: lambda ax: _thread_size(ax, inputs.thread_sizes),
        REPLACEMENTS: lambda ax: _replacements(ax, inputs.replacements),
    }
    return {name: _png(draw) for name, draw in drawers.items()}


def _png(draw: Callable[[Axes], None]) -> bytes:
    with matplotlib.rc_context(rc=matplotlib.rcParamsDefault):
        matplotlib.rcParams["svg.hashsalt"] = "news-comment-threads"
        figure = Figure(figsize=FIGURE_SIZE, dpi=DPI)
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        draw(ax)
        ax.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _empty(ax: Axes, what: str) -> None:
    ax.text(0.5, 0.5, what, ha="center", va="center")
    ax.set_xticks([])
    ax.set_yticks([])


def _comments_per_article(ax: Axes, by_layout: dict[str, dict[int, int]]) -> None:
    ax.set_title("Comments per article, by layout")
    rows = {layout: hist for layout, hist in sorted(by_layout.items()) if hist}
    if not rows:
        _empty(ax, "no articles in this release")
        return
    if len(rows) > 1:
        rows["all layouts"] = stats.merge_histograms(rows.values())
    labels = []
    for y, (layout, hist) in enumerate(reversed(list(rows.items()))):
        summary = stats.summary_of(hist)
        assert summary is not None
        labels.append(f"{layout} ({summary.n:,})")
        # +1 so that an article without comments sits at 1 on the log axis
        ax.plot([summary.minimum + 1, summary.maximum + 1], [y, y], color=COLOR, lw=1)
        if len(hist) > DOTS_UP_TO or summary.n > DOTS_UP_TO:
            ax.barh(y, summary.p75 - summary.p25, left=summary.p25 + 1, height=0.5,
                    color=COLOR, alpha=0.35)  # fmt: skip
            ax.plot([summary.median + 1] * 2, [y - 0.25, y + 0.25], color="black", lw=2)
        else:
            values = sorted(hist)
            sizes = [20 + 20 * min(hist[v], 10) for v in values]
            ax.scatter([v + 1 for v in values], [y] * len(values), s=sizes, color=COLOR,
                       zorder=3)  # fmt: skip
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xscale("log")
    _plain_log_ticks(ax)
    ax.set_xlabel("comments on the article + 1 (log scale)")
    ax.set_ylabel("layout (articles)")
    ax.set_ylim(-0.7, len(labels) - 0.3)


def _plain_log_ticks(ax: Axes) -> None:
    """Log x axis labelled 1, 2, 5, 10, ... over a short range, 1, 10, 100, ... over a
    long one (no 2x10^1 labels)."""
    low, high = ax.get_xlim()
    decades = math.log10(max(high, 1) / max(low, 1))
    subs = (1.0, 2.0, 5.0) if decades <= 2.5 else (1.0,)
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=subs, numticks=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _comment_length(ax: Axes, lengths: dict[int, int]) -> None:
    ax.set_title("Comment length")
    if not lengths:
        _empty(ax, "no comments in this release")
        return
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    top = max(max(lengths), 1)
    decades = max(1, math.ceil(math.log10(top + 1)))
    edges = [10 ** (i / 8) for i in range(0, decades * 8 + 1)]
    values = [max(v, 1) for v in lengths]
    ax.hist(values, bins=[0.5, *edges[1:]], weights=list(lengths.values()), color=COLOR,
            edgecolor="white")  # fmt: skip
    ax.set_xscale("log")
    _plain_log_ticks(ax)
    ax.set_xlabel("characters (log scale; an empty text counts as 1)")
    ax.set_ylabel("comments")


def _doubling_bins(sizes: dict[int, int]) -> list[tuple[str, int, int]]:
    """(label, threads, comments) per bin 1, 2, 3-4, 5-8, ... up to the largest thread."""
    bins: list[tuple[str, int, int]] = []
    low, high = 1, 1
    top = max(sizes)
    while low <= top:
        threads = sum(n for size, n in sizes.items() if low <= size <= high)
        comments = sum(size * n for size, n in sizes.items() if low <= size <= high)
        bins.append((str(low) if low == high else f"{low}-{high}", threads, comments))
        low, high = high + 1, high * 2
    return bins


def _thread_size(ax: Axes, sizes: dict[int, int]) -> None:
    ax.set_title("Thread size (pages that show threading)")
    if not sizes:
        _empty(ax, "no page in this release shows threading")
        return
    bins = _doubling_bins(sizes)
    positions = range(len(bins))
    total = sum(c for _, _, c in bins)
    shares = [100 * c / total for _, _, c in bins]
    ax.bar(positions, shares, color=COLOR)
    many = len(bins) > 8
    for x, share, (_, threads, _) in zip(positions, shares, bins, strict=True):
        if threads:
            ax.annotate(f"{threads:,}", (x, share), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7,
                        rotation=90 if many else 0)  # fmt: skip
    ax.set_ylim(0, max(shares) * (1.25 if many else 1.1))
    ax.set_xticks(list(positions), [label for label, _, _ in bins],
                  rotation=45 if many else 0, ha="right" if many else "center")  # fmt: skip
    ax.set_xlabel("comments in the thread (number on the bar: threads)")
    ax.set_ylabel("% of comments in threaded pages")


def _replacements(ax: Axes, replaced: dict[str, int]) -> None:
    ax.set_title("Replaced by anonymisation")
    if not replaced:
        _empty(ax, "the anonymise stage reported no counts")
        return
    if not any(replaced.values()):
        _empty(ax, "nothing was replaced in comment texts")
        return
    labels = list(replaced)
    counts = [replaced[label] for label in labels]
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, counts, color=COLOR)
    for y, n in zip(positions, counts, strict=True):
        ax.annotate(f"{n:,}", (max(n, 0), y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)  # fmt: skip
    ax.set_yticks(positions, labels)
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlim(0, max(max(counts), 1) * 10)
    _plain_log_ticks(ax)
    ax.set_xlabel("replacements in comment texts (log scale)")
