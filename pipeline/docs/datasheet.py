"""DATASHEET.md: the release's datasheet (Gebru et al., "Datasheets for Datasets").

The prose lives in ``pipeline/templates/DATASHEET.md.j2``; every figure in it
is computed here from the released tables (pipeline/docs/stats.py) and every
column meaning comes from schema/release (pipeline/docs/terms.py). The 57
questions it must answer are listed in
``pipeline/templates/datasheet_questions.json``. Pure: a ReleaseContext in,
Markdown out; figures are returned as bytes by :func:`render_figures` and the
publisher writes both. Never invents a capture date, URL or site.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline.docs import stats, terms
from pipeline.docs.context import ReleaseContext
from pipeline.docs.figures import FIGURE_NAMES, render_figures
from pipeline.shards import is_sharded, shard_glob

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
QUESTIONS_FILE = TEMPLATES / "datasheet_questions.json"
FIGURE_DIR = "figures"

__all__ = ["FIGURE_DIR", "datasheet_questions", "render_datasheet", "render_figures"]


def render_datasheet(ctx: ReleaseContext, figure_dir: str = FIGURE_DIR) -> str:
    """DATASHEET.md for the release; figures are linked as ``figure_dir/<name>.png``.

    The publisher writes :func:`render_figures` output under ``figure_dir``
    inside the release directory. A copy of the datasheet placed elsewhere
    (e.g. the project root) passes the figures' path relative to it.
    """
    template = _environment().get_template("DATASHEET.md.j2")
    return template.render(**_template_context(ctx, figure_dir))


def datasheet_questions() -> list[dict[str, Any]]:
    """The datasheet's sections, each ``{"title": ..., "questions": [...]}``."""
    return list(json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))["sections"])


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["num"] = _number
    env.filters["cell"] = _cell
    env.filters["codes"] = _codes
    return env


def _number(value: int) -> str:
    return f"{value:,}"


def _cell(value: object) -> str:
    """A value made safe for a Markdown table cell."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _codes(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _template_context(ctx: ReleaseContext, figure_dir: str) -> dict[str, Any]:
    return {
        "ctx": ctx,
        "terms": terms,
        "questions": datasheet_questions(),
        "figures": {name.removesuffix(".png"): f"{figure_dir}/{name}" for name in FIGURE_NAMES},
        "schema": _schema(ctx),
        **_composition(ctx),
    }


def _composition(ctx: ReleaseContext) -> dict[str, Any]:
    articles, comments = ctx.tables["articles"], ctx.tables["comments"]
    duplicates, sources = ctx.tables["duplicates"], ctx.tables["sources"]
    return {
        "rows": {name: ctx.tables[name].num_rows for name in terms.released_tables()},
        "layouts": stats.counts(articles, "layout"),
        "sites": stats.counts(articles, "site", null_label=stats.NULL_SITE),
        "null_sites": articles["site"].null_count,
        "declared": stats.declared_vs_found(articles, comments, duplicates),
        "declared_totals": stats.declared_totals(articles),
        "per_article": stats.summary(stats.comments_per_article(articles)),
        "lengths": stats.summary(stats.comment_lengths(comments)),
        "depths": stats.depth_counts(comments),
        "threading": stats.threading(comments, articles),
        "duplicates": stats.duplicates_by_reason(duplicates),
        "clusters": [stats.clusters("articles", articles), stats.clusters("comments", comments)],
        "authors": stats.authors(comments, articles),
        "languages": stats.languages(articles),
        "language_summary": stats.language_summary(articles),
        "unknown_language": articles.num_rows - sum(n for _, n in stats.languages(articles)),
        "empty_texts": stats.empty_texts(comments),
        "dates": {"articles": stats.dates_shown(articles), "comments": stats.dates_shown(comments)},
        "lines": stats.line_accounting(sources),
        "confidence": stats.parse_confidence(sources),
        "deprecated": terms.deprecated_columns(),
        "anonymise": stats.anonymise_figures(ctx.stage_reports),
        "replaced": stats.replacements_by_kind(ctx.stage_reports),
        "statuses": stats.counts(sources, "status"),
        "rejected": stats.rejected_by_reason(sources),
        "encodings": stats.counts(sources, "encoding", null_label="none (unreadable)"),
        "seed_bytes": sum(int(v) for v in sources["bytes"].to_pylist()),
    }


def _schema(ctx: ReleaseContext) -> list[dict[str, Any]]:
    return [
        {
            "table": table,
            "files": _files_heading(table, ctx.table_files[table]),
            "description": terms.table_description(table),
            "primary_key": terms.primary_key(table),
            "foreign_keys": terms.foreign_keys(table),
            "columns": terms.columns(table),
        }
        for table in terms.released_tables()
    ]


def _files_heading(table: str, files: tuple[str, ...]) -> str:
    """``comments.parquet``, or for shards ``comments-*.parquet`` (3 shards)."""
    if not is_sharded(files):
        return f"`{files[0]}`"
    return f"`{shard_glob(table)}` ({len(files)} shards, `{files[0]}` to `{files[-1]}`)"
