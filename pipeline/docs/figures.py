"""The datasheet's figures: PNG charts drawn from the released tables.

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
from matplotlib.ticker import MaxNLocator

from pipeline.docs import stats
from pipeline.docs.context import ReleaseContext

FIGURE_SIZE = (6.4, 3.6)
DPI = 100
COLOR = "#3b6ea5"

COMMENTS_PER_ARTICLE = "comments_per_article.png"
COMMENT_LENGTH = "comment_length.png"
THREAD_DEPTH = "thread_depth.png"
FIGURE_NAMES = (COMMENTS_PER_ARTICLE, COMMENT_LENGTH, THREAD_DEPTH)


def render_figures(ctx: ReleaseContext) -> dict[str, bytes]:
    """Every datasheet figure: file name -> PNG bytes."""
    articles, comments = ctx.tables["articles"], ctx.tables["comments"]
    drawers: dict[str, Callable[[Axes], None]] = {
        COMMENTS_PER_ARTICLE: lambda ax: _comments_per_article(
            ax, stats.comments_per_article(articles)
        ),
        COMMENT_LENGTH: lambda ax: _comment_length(ax, stats.comment_lengths(comments)),
        THREAD_DEPTH: lambda ax: _thread_depth(ax, stats.depth_counts(comments)),
    }
    return {name: _png(draw) for name, draw in drawers.items()}


def _png(draw: Callable[[Axes], None]) -> bytes:
    with matplotlib.rc_context(rc=matplotlib.rcParamsDefault):
        matplotlib.rcParams["svg.hashsalt"] = "news-comment-threads"
        figure = Figure(figsize=FIGURE_SIZE, dpi=DPI)
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        draw(ax)
        ax.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _empty(ax: Axes, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} in this release", ha="center", va="center")
    ax.set_xticks([])
    ax.set_yticks([])


def _comments_per_article(ax: Axes, values: list[int]) -> None:
    ax.set_title("Comments per article (comments found)")
    if not values:
        _empty(ax, "articles")
        return
    top = max(values)
    width = max(1, math.ceil((top + 1) / 40))
    edges = [float(x) - 0.5 for x in range(0, top + width + 1, width)]
    ax.hist(values, bins=edges, color=COLOR, edgecolor="white")
    ax.set_xlabel("comments on the article")
    ax.set_ylabel("articles")


def _comment_length(ax: Axes, values: list[int]) -> None:
    ax.set_title("Comment length")
    if not values:
        _empty(ax, "comments")
        return
    top = max(max(values), 1)
    decades = max(1, math.ceil(math.log10(top + 1)))
    edges = [10 ** (i / 8) for i in range(0, decades * 8 + 1)]
    ax.hist([max(v, 1) for v in values], bins=[0.5, *edges[1:]], color=COLOR, edgecolor="white")
    ax.set_xscale("log")
    ax.set_xlabel("characters (log scale; an empty text counts as 1)")
    ax.set_ylabel("comments")


def _thread_depth(ax: Axes, depth_counts: list[tuple[int, int]]) -> None:
    ax.set_title("Thread depth (0 = top-level comment)")
    if not depth_counts:
        _empty(ax, "comments")
        return
    depths = [d for d, _ in depth_counts]
    ax.bar(depths, [n for _, n in depth_counts], color=COLOR)
    ax.set_xticks(depths)
    ax.set_xlabel("depth")
    ax.set_ylabel("comments")
