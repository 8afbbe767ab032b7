"""CHANGELOG.md of a release, and the SemVer bump its changes demand.

Compares the release's tables with the previous release directory
(``ctx.previous_release``, read with pyarrow): rows added, removed and changed
per table, identified by primary key (article_id, comment_id,
(table, dropped_id), source_file), and schema changes. The bump follows the
Frictionless "data package version" recipe as the release contract reads it:

* major: a table or column removed or renamed, a column's type changed, a
  primary key changed;
* minor: rows, columns or tables added;
* patch: values changed or rows removed only (fixes, takedowns);
* none: nothing changed.

The publisher refuses a version number smaller than the bump demands
(:func:`version_satisfies`). Pure apart from reading the previous release's
Parquet files; never writes anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.docs import terms
from pipeline.docs.context import ReleaseContext

BUMPS = ("none", "patch", "minor", "major")
MAX_IDS_LISTED = 20
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_TYPE_FAMILIES = {"string": "string", "large_string": "string", "bool": "boolean"}


@dataclass(frozen=True)
class SchemaChange:
    """One change to a table's structure and the bump it demands."""

    table: str
    what: str
    bump: str


@dataclass(frozen=True)
class TableDiff:
    """Rows added, removed and changed in one table, by primary key."""

    table: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    changed_by_column: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0


@dataclass(frozen=True)
class Comparison:
    """Everything that differs between a release and its predecessor."""

    previous_version: str
    schema_changes: list[SchemaChange]
    tables: list[TableDiff]

    @property
    def bump(self) -> str:
        return required_bump(self.schema_changes, self.tables)


def changelog(ctx: ReleaseContext) -> tuple[str, str]:
    """(CHANGELOG.md, implied bump); "none" with an initial-release note when there is
    no previous release."""
    if ctx.previous_release is None:
        return _initial(ctx), "none"
    comparison = compare(ctx.tables, ctx.previous_release)
    return _markdown(ctx, comparison), comparison.bump


def compare(tables: Mapping[str, pa.Table], previous_release: Path) -> Comparison:
    """Compare released tables with the release directory ``previous_release``."""
    changes: list[SchemaChange] = []
    diffs: list[TableDiff] = []
    for name in terms.released_tables():
        old = read_previous_table(previous_release, name)
        if old is None:
            changes.append(SchemaChange(name, "table added", "minor"))
            diffs.append(TableDiff(name, added=_ids(tables[name], name)))
            continue
        changes += _schema_changes(name, old.schema, tables[name].schema)
        diffs.append(_row_diff(name, old, tables[name]))
    return Comparison(previous_release.name, changes, diffs)


def read_previous_table(release: Path, table: str) -> pa.Table | None:
    """A table of an earlier release (``<table>.parquet`` or shards ``<table>-*.parquet``)."""
    files = sorted(release.glob(f"{table}.parquet")) + sorted(release.glob(f"{table}-*.parquet"))
    if not files:
        return None
    return pa.concat_tables([pq.read_table(path) for path in files])


def required_bump(schema_changes: Sequence[SchemaChange], tables: Sequence[TableDiff]) -> str:
    """The smallest SemVer bump these changes allow ("none", "patch", "minor" or "major")."""
    levels = [change.bump for change in schema_changes]
    for diff in tables:
        if diff.added:
            levels.append("minor")
        if diff.removed or diff.changed:
            levels.append("patch")
    return max(levels, key=BUMPS.index, default="none")


def version_satisfies(previous_version: str, new_version: str, bump: str) -> bool:
    """Whether ``new_version`` is at least the ``bump`` above ``previous_version``.

    Both are plain X.Y.Z versions. A bump of "none" accepts any version not
    smaller than the previous one; the others demand a strictly larger
    version whose changed component is at least the bumped one (2.0.0 after
    1.4.2 for "major"; 1.5.0 or 2.0.0 for "minor"; 1.4.3 or more for "patch").
    """
    if bump not in BUMPS:
        raise ValueError(f"unknown version bump {bump!r}; expected one of {BUMPS}")
    old, new = parse_version(previous_version), parse_version(new_version)
    if bump == "none":
        return new >= old
    if bump == "major":
        return new[0] > old[0]
    if bump == "minor":
        return new[:2] > old[:2]
    return new > old


def parse_version(version: str) -> tuple[int, int, int]:
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"version {version!r} is not of the form X.Y.Z (e.g. 1.0.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def _type_family(arrow_type: pa.DataType) -> str:
    """The Table Schema type an Arrow type stands for (string, integer, number, ...)."""
    name = str(arrow_type)
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    return _TYPE_FAMILIES.get(name, name)


def _schema_changes(table: str, old: pa.Schema, new: pa.Schema) -> list[SchemaChange]:
    changes = [
        SchemaChange(table, f"column `{name}` removed or renamed", "major")
        for name in old.names
        if name not in new.names
    ]
    changes += [
        SchemaChange(table, f"column `{name}` added", "minor")
        for name in new.names
        if name not in old.names
    ]
    for name in (n for n in new.names if n in old.names):
        before, after = _type_family(old.field(name).type), _type_family(new.field(name).type)
        if before != after:
            changes.append(
                SchemaChange(table, f"column `{name}` type {before} -> {after}", "major")
            )
    return changes


def _key(table: str) -> list[str]:
    return terms.primary_key(table)


def _ids(rows: pa.Table, table: str) -> list[str]:
    """Row identities as text: the key value, or its parts joined by '/'."""
    key = _key(table)
    if not set(key) <= set(rows.column_names):
        return []
    columns = [rows[name].cast(pa.string()).to_pylist() for name in key]
    return sorted("/".join(str(part) for part in parts) for parts in zip(*columns, strict=True))


def _row_diff(table: str, old: pa.Table, new: pa.Table) -> TableDiff:
    key = _key(table)
    if not (set(key) <= set(old.column_names) and set(key) <= set(new.column_names)):
        return TableDiff(table)
    old_keys, new_keys = old.select(key), new.select(key)
    added = new_keys.join(old_keys, keys=key, join_type="left anti")
    removed = old_keys.join(new_keys, keys=key, join_type="left anti")
    changed, by_column, unchanged = _changed_rows(table, old, new)
    return TableDiff(
        table,
        added=_ids(added, table),
        removed=_ids(removed, table),
        changed=changed,
        changed_by_column=by_column,
        unchanged=unchanged,
    )


def _changed_rows(
    table: str, old: pa.Table, new: pa.Table
) -> tuple[list[str], dict[str, int], int]:
    """Rows present in both whose values differ, over columns of the same type in both."""
    key = _key(table)
    values = [
        name
        for name in new.column_names
        if name in old.column_names
        and name not in key
        and _type_family(old.schema.field(name).type) == _type_family(new.schema.field(name).type)
    ]
    before = old.select(key + values).rename_columns(key + [f"{v}__previous" for v in values])
    joined = new.select(key + values).join(before, keys=key, join_type="inner")
    differs = pa.array([False] * joined.num_rows, pa.bool_())
    by_column: dict[str, int] = {}
    for name in values:
        previous = joined[f"{name}__previous"].cast(joined[name].type)
        column_differs = _differs(joined[name], previous)
        count = int(pc.sum(column_differs).as_py() or 0)
        if count:
            by_column[name] = count
        differs = pc.or_(differs, column_differs)
    changed = joined.filter(differs)
    return _ids(changed, table), by_column, joined.num_rows - changed.num_rows


def _differs(after: pa.ChunkedArray, before: pa.ChunkedArray) -> pa.ChunkedArray:
    both_null = pc.and_(pc.is_null(after), pc.is_null(before))
    equal = pc.fill_null(pc.equal(after, before), False)
    return pc.invert(pc.or_(both_null, equal))


def _initial(ctx: ReleaseContext) -> str:
    rows = [
        f"| `{name}` | {ctx.tables[name].num_rows:,} |" for name in terms.released_tables()
    ]
    return "\n".join(
        [
            f"# Changelog: {ctx.title} {ctx.version}",
            "",
            *_first_line(ctx),
            "",
            "| table | rows |",
            "| --- | ---: |",
            *rows,
            "",
        ]
    )


def _first_line(ctx: ReleaseContext) -> list[str]:
    if ctx.preview:
        return [f"> {terms.PREVIEW_WARNING}", "", "Not compared with any release."]
    return ["Initial release: there is no earlier version in dist/ to compare with."]


def _markdown(ctx: ReleaseContext, comparison: Comparison) -> str:
    lines = [
        f"# Changelog: {ctx.title} {ctx.version}",
        "",
        f"Compared with version {comparison.previous_version}. The changes below demand "
        f"at least a **{comparison.bump}** version bump (semantic versioning, following "
        "the Frictionless data package version recipe: major for a removed or renamed "
        "column or a changed type, minor for new rows, columns or tables, patch for "
        "changed values or removed rows).",
        "",
        *_preview_note(ctx),
        *_release_notes(ctx),
        "## Schema changes",
        "",
        *(
            [f"- `{c.table}`: {c.what} ({c.bump})" for c in comparison.schema_changes]
            or ["None."]
        ),
        "",
        *_deprecated(ctx),
        "## Rows",
        "",
        "Rows are identified by primary key. Ids are derived from content, so a record "
        "whose identifying content changed appears as one removed and one added row.",
        "",
        "| table | rows | added | removed | changed | unchanged |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| `{d.table}` | {ctx.tables[d.table].num_rows:,} | {len(d.added):,} "
            f"| {len(d.removed):,} | {len(d.changed):,} | {d.unchanged:,} |"
            for d in comparison.tables
        ],
        "",
    ]
    for diff in comparison.tables:
        lines += _table_details(diff)
    return "\n".join(lines)


def _deprecated(ctx: ReleaseContext) -> list[str]:
    """Columns kept for compatibility that will go at the next major version."""
    present = [
        c for c in terms.deprecated_columns() if c.name in ctx.tables[c.table].column_names
    ]
    if not present:
        return []
    return [
        "## Deprecated",
        "",
        *[f"- `{c.table}.{c.name}`: deprecated since {c.deprecated}. {c.description}"
          for c in present],
        "",
    ]  # fmt: skip


def _release_notes(ctx: ReleaseContext) -> list[str]:
    """What changed and why, in the maintainers' words: pipeline/release_notes/X.Y.Z.md
    when it exists (the counts below are computed; the reasons are written)."""
    notes = resources.files("pipeline").joinpath("release_notes", f"{ctx.version}.md")
    if not notes.is_file():
        return []
    return ["## What changed", "", *notes.read_text("utf-8").rstrip("\n").split("\n"), ""]


def _preview_note(ctx: ReleaseContext) -> list[str]:
    if not ctx.preview:
        return []
    return [
        f"> {terms.PREVIEW_WARNING} Differences in `author` and in mentions inside "
        "comment texts against a keyed release are expected and mean nothing.",
        "",
    ]


def _table_details(diff: TableDiff) -> list[str]:
    if not (diff.added or diff.removed or diff.changed):
        return []
    lines = [f"### `{diff.table}`", ""]
    for label, ids in (("added", diff.added), ("removed", diff.removed), ("changed", diff.changed)):
        if ids:
            lines.append(f"- {label} ({len(ids):,}): {_id_list(ids)}")
    if diff.changed_by_column:
        columns = ", ".join(f"`{c}` {n:,}" for c, n in sorted(diff.changed_by_column.items()))
        lines.append(f"- changed values by column: {columns}")
    return [*lines, ""]


def _id_list(ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:MAX_IDS_LISTED])
    more = len(ids) - MAX_IDS_LISTED
    return shown + (f" and {more:,} more" if more > 0 else "")
