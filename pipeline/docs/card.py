"""README.md of a release directory: a Hugging Face dataset card.

The YAML header declares one config per table (its Parquet files as the
``train`` split) and a ``dataset_info`` generated from the tables' Arrow
schemas, so ``datasets.load_dataset("dist/X.Y.Z", "comments")`` works
offline. The body says what the data is, how to load it with pandas, polars,
DuckDB and ``datasets``, the content warning, the licence and how to cite.
A sharded table's config lists every shard by name; the loader snippets then
read ``comments-*.parquet`` (pipeline/shards.py: name order is row order).
Pure: a ReleaseContext in, Markdown out. Never labels the data with an open
content licence.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from pipeline.docs import stats, terms
from pipeline.docs.context import ReleaseContext
from pipeline.shards import is_sharded, shard_glob

LICENSE_NAME = "noncommercial-research-tdm"
SPLIT = "train"
_SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
)


def dataset_card(ctx: ReleaseContext) -> str:
    """README.md for the release directory (YAML header, then the card body)."""
    header = yaml.safe_dump(
        _metadata(ctx), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return f"---\n{header}---\n\n{_body(ctx)}"


def _metadata(ctx: ReleaseContext) -> dict[str, Any]:
    """The card's YAML header. No ``task_categories``: the data has no labels, and
    every Hub task category names a task with a target; what the data is is said by
    ``annotations_creators`` (none), ``language_creators`` (found text) and the tags."""
    languages = [code for code, _ in stats.languages(ctx.tables["articles"])]
    return {
        "pretty_name": ctx.title,
        "license": "other",
        "license_name": LICENSE_NAME,
        "license_link": terms.LICENSE_FILE,
        **({"language": sorted(languages)} if languages else {}),
        "multilinguality": ["multilingual" if len(languages) > 1 else "monolingual"],
        "annotations_creators": ["no-annotation"],
        "language_creators": ["found"],
        "size_categories": [size_category(max(t.num_rows for t in ctx.tables.values()))],
        "source_datasets": ["original"],
        "tags": [
            "news-comments",
            "online-discourse",
            "propaganda",
            "toxicity",
            "pseudonymised",
            "not-for-all-audiences",
        ],
        "configs": [_config(ctx, table) for table in loadable_tables(ctx)],
        "dataset_info": [_dataset_info(ctx, table) for table in loadable_tables(ctx)],
    }


def size_category(rows: int) -> str:
    """The Hugging Face size category for a table of ``rows`` rows."""
    for limit, label in _SIZE_CATEGORIES:
        if rows < limit:
            return label
    return "n>100M"


def _config(ctx: ReleaseContext, table: str) -> dict[str, Any]:
    return {
        "config_name": table,
        "data_files": [{"split": SPLIT, "path": list(ctx.table_files[table])}],
        **({"default": True} if table == "comments" else {}),
    }


def loadable_tables(ctx: ReleaseContext) -> list[str]:
    """Tables that get a config: every one. An empty table's config loads with
    ``streaming=True`` (its file has no row group, see pipeline/tables.py);
    ``datasets`` cannot build an empty split otherwise (:func:`_empty_tables_note`)."""
    return list(terms.released_tables())


def _dataset_info(ctx: ReleaseContext, table: str) -> dict[str, Any]:
    arrow_table = ctx.tables[table]
    size = arrow_bytes(arrow_table)
    return {
        "config_name": table,
        "features": [_feature(field) for field in arrow_table.schema],
        "splits": [{"name": SPLIT, "num_bytes": size, "num_examples": arrow_table.num_rows}],
        "dataset_size": size,
    }


def arrow_bytes(table: pa.Table) -> int:
    """In-memory Arrow size of the table, as ``datasets`` counts a split's num_bytes:
    ``table.combine_chunks().nbytes``, computed from the column lengths, null counts
    and string bytes instead of a copy of the whole table (a million comments)."""
    total = 0
    for column in table.columns:
        rows, kind = len(column), column.type
        validity = -(-rows // 8) if column.null_count else 0
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            width = 8 if pa.types.is_large_string(kind) else 4
            text = sum(int(pc.sum(pc.binary_length(chunk)).as_py() or 0) for chunk in column.chunks)
            total += width * rows + text + validity
        elif pa.types.is_boolean(kind):
            total += -(-rows // 8) + validity
        else:
            total += kind.bit_width // 8 * rows + validity
    return total


def _feature(field: pa.Field) -> dict[str, str]:
    return {"name": field.name, "dtype": _dtype(field.type)}


def _dtype(arrow_type: pa.DataType) -> str:
    """The ``datasets`` Value dtype of an Arrow type."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "string"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type):
        return str(arrow_type)
    raise ValueError(f"dataset card: no datasets dtype for Arrow type {arrow_type}")


def _body(ctx: ReleaseContext) -> str:
    return "\n".join(
        [
            f"# {ctx.title} ({ctx.version})",
            "",
            *(["> **" + terms.PREVIEW_WARNING + "**", ""] if ctx.preview else []),
            f"> **Content warning.** {terms.CONTENT_WARNING}",
            "",
            *_what_it_is(ctx),
            *_how_to_load(ctx),
            *_privacy(ctx),
            *_licence_and_citation(ctx),
        ]
    )


def _what_it_is(ctx: ReleaseContext) -> list[str]:
    rows = [
        f"| `{name}` | {ctx.tables[name].num_rows:,} | {terms.table_description(name)} |"
        for name in terms.released_tables()
    ]
    return [
        "News articles and the reader comment threads under them, parsed from saved web",
        "pages, deduplicated, with commenter handles replaced by keyed pseudonyms. Made",
        "for non-commercial research on online discourse, propaganda and toxicity.",
        "Everything about how it was made, what is in it and what it must not be used",
        "for is in [DATASHEET.md](DATASHEET.md).",
        "",
        "| config (table) | rows | one row per |",
        "| --- | ---: | --- |",
        *rows,
        "",
        "Column meanings are in DATASHEET.md and `datapackage.json`. `comments.article_id`",
        "refers to `articles.article_id`; `comments.parent_id` to the `comment_id` of the",
        "comment replied to.",
        "",
    ]


def _how_to_load(ctx: ReleaseContext) -> list[str]:
    here = f"dist/{ctx.version}"
    files = ctx.table_files["comments"]
    return [
        "## Load it",
        "",
        "From a checkout of the repository (paths are relative to its root):",
        "",
        "```python",
        *(_sharded_loaders(here, files) if is_sharded(files) else _file_loaders(here, files[0])),
        "",
        "from datasets import load_dataset",
        f'comments = load_dataset("{here}", "comments", split="{SPLIT}")',
        "```",
        "",
        "Each table is one config of the dataset card; every config has a single",
        f"`{SPLIT}` split holding the whole table (no train/test split is recommended:",
        "see DATASHEET.md for how to split without leaking near duplicates).",
        "",
        *_shards_note(ctx),
        *_empty_tables_note(ctx),
    ]


def _file_loaders(here: str, comments: str) -> list[str]:
    return [
        "import pandas as pd",
        f'comments = pd.read_parquet("{here}/{comments}")',
        "",
        "import polars as pl",
        f'comments = pl.read_parquet("{here}/{comments}")',
        "",
        "import duckdb",
        f"comments = duckdb.sql(\"SELECT * FROM '{here}/{comments}'\").df()",
    ]


def _sharded_loaders(here: str, files: tuple[str, ...]) -> list[str]:
    """pandas, polars and DuckDB on every shard, in name (= row) order."""
    shards = f"{here}/{shard_glob('comments')}"
    return [
        f"# comments is in {len(files)} shards: {files[0]} ... {files[-1]}",
        "import glob",
        "import pandas as pd",
        f'shards = sorted(glob.glob("{shards}"))',
        "comments = pd.concat(map(pd.read_parquet, shards), ignore_index=True)",
        "",
        "import polars as pl",
        f'comments = pl.read_parquet("{shards}")',
        "",
        "import duckdb",
        f"comments = duckdb.sql(\"SELECT * FROM '{shards}'\").df()",
    ]


def _shards_note(ctx: ReleaseContext) -> list[str]:
    sharded = [t for t in terms.released_tables() if is_sharded(ctx.table_files[t])]
    if not sharded:
        return []
    lines = [
        "Tables too large for one file are split, in primary-key order, into numbered",
        "shards `<table>-00000-of-0000N.parquet`; concatenated in name order they are the",
        "table, and `<table>-*.parquet` matches one table's shards only:",
        "",
    ]
    for table in sharded:
        files = ctx.table_files[table]
        lines.append(f"- `{table}`: {len(files)} shards, `{files[0]}` to `{files[-1]}`")
    return [*lines, ""]


def _empty_tables_note(ctx: ReleaseContext) -> list[str]:
    empty = [t for t in terms.released_tables() if ctx.tables[t].num_rows == 0]
    if not empty:
        return []
    names = ", ".join(f"`{t}`" for t in empty)
    first = empty[0]
    return [
        f"This release has no rows in {names}. The file is there with its columns, and",
        "pandas, polars and DuckDB read it as an empty table. `datasets` cannot build a",
        "split with no rows (\"Instruction 'train' corresponds to no data\"), so load it",
        "streaming, which gives its columns and no rows:",
        "",
        "```python",
        f'{first} = load_dataset("dist/{ctx.version}", "{first}", split="{SPLIT}", streaming=True)',
        "```",
        "",
    ]


def _privacy(ctx: ReleaseContext) -> list[str]:
    return [
        "## People in this data",
        "",
        f"{terms.PSEUDONYM_SCHEME} Key fingerprint: `{ctx.key_fingerprint}`.",
        "",
        f"{terms.REIDENTIFICATION_RISK} The commenters did not consent to this use.",
        "Do not try to identify, profile or contact anyone in this data.",
        "",
        f"{terms.UNKNOWN_PROVENANCE}",
        "",
    ]


def _licence_and_citation(ctx: ReleaseContext) -> list[str]:
    return [
        "## Licence",
        "",
        f"{terms.LICENCE_SUMMARY} To request a takedown, {terms.contact(ctx.contact)}.",
        "",
        "## Citation",
        "",
        f"See [CITATION.cff](CITATION.cff): {terms.MAINTAINERS}, *{ctx.title}*,",
        f"version {ctx.version}, released {ctx.date}.",
        "",
    ]
