"""pipeline/docs/stats.py: the figures' inputs are count aggregates that merge over parts."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.docs import stats
from pipeline.docs.figures import render_figures, render_figures_from
from tests.docs.tiny_release import make_context


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_quantiles_from_a_histogram_equal_quantiles_from_the_values(values: list[int]) -> None:
    ordered = sorted(values)

    def nearest_rank(q: float) -> int:
        return ordered[min(max(0, -(-int(q * 100) * len(ordered) // 100) - 1), len(ordered) - 1)]

    summary = stats.summary_of(stats.value_histogram(pa.array(values, pa.int64())))
    assert summary is not None
    assert (summary.minimum, summary.p25, summary.median, summary.p75, summary.p90,
            summary.maximum) == (ordered[0], nearest_rank(0.25), nearest_rank(0.5),
                                 nearest_rank(0.75), nearest_rank(0.9), ordered[-1])  # fmt: skip
    assert summary.n == len(values)


def test_figure_inputs_of_parts_merge_to_those_of_the_whole() -> None:
    ctx = make_context()
    articles, comments = ctx.tables["articles"], ctx.tables["comments"]
    whole = stats.figure_inputs(articles, comments, ctx.stage_reports)
    parts = []
    for index in range(articles.num_rows):  # one part per article: whole threads in each
        article = articles.slice(index, 1)
        ids = article["article_id"].combine_chunks()
        mine = comments.filter(pa.compute.is_in(comments["article_id"], value_set=ids))
        parts.append(stats.figure_inputs(article, mine, {}))
    merged = stats.FigureInputs.merge([*parts, stats.FigureInputs(
        replacements=stats.replacement_counts(ctx.stage_reports))])  # fmt: skip
    assert merged == whole
    assert render_figures_from(merged) == render_figures(ctx)
    # threads of A1: C1-C3, C4, C5; of A2: C6, C7+C8 (A3 shows no threading, has none)
    assert whole.thread_sizes == {1: 3, 2: 1, 3: 1}
    assert whole.comments_per_article == {
        "indented_bullets": {5: 1}, "numbered": {3: 1}, "no_handles": {0: 1}
    }  # fmt: skip
