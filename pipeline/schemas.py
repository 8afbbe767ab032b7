"""Table contracts: the Frictionless Table Schemas in ``schema/`` as code.

``schema/<stage>/<table>.json`` is the single source of truth for every table
a stage reads or writes. This module

* loads those descriptors (:func:`contract`),
* derives from them the Arrow schema (column order and types) and a pandera
  schema for pandera's pyarrow backend (:meth:`TableContract.pandera_schema`),
  translating each Frictionless constraint to the pandera check with the same
  meaning (see ``_checks_for``),
* adds the checks JSON cannot express, across columns and tables: foreign keys,
  ``depth == parent.depth + 1``, positions contiguous per page, counts that
  must agree (:func:`relation_problems`).

Frictionless conventions we rely on, and how pandera is made to agree:

* ``missingValues: []``: an empty string is a value, not a null. "Must not be
  empty" is said explicitly with ``minLength: 1``. (pandera's own converter
  treats "" differently from Frictionless's default; we sidestep the default.)
* Nullable integer/number fields declare ``missingValues: ["nan"]`` at field
  level, because Frictionless reads Parquet through pandas, where a null
  integer arrives as float NaN. The data itself holds real nulls.
* ``pattern`` is anchored at both ends, as in Frictionless.

This module never reads or writes data files; it only describes and checks
Arrow tables handed to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandera.pyarrow as pap
import pyarrow as pa
import pyarrow.compute as pc

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}


@dataclass(frozen=True)
class Problem:
    """One failed check, in words a maintainer can act on.

    ``examples`` are a few failing values or rows (never more than five).
    """

    table: str
    column: str | None
    check: str
    message: str
    examples: tuple[str, ...] = ()
    stage: str | None = None

    def describe(self) -> str:
        where = f"{self.stage}/" if self.stage else ""
        col = f", column {self.column!r}" if self.column else ""
        text = f"{where}{self.table}{col}: check {self.check!r} failed: {self.message}"
        if self.examples:
            text += " (e.g. " + "; ".join(self.examples[:5]) + ")"
        return text


@dataclass(frozen=True)
class TableContract:
    """One table of one stage, as its Frictionless descriptor defines it."""

    stage: str
    table: str
    descriptor: Mapping[str, Any] = field(hash=False, compare=False)
    columns: tuple[str, ...] | None = None  # set when only some columns are checked

    def select(self, columns: Sequence[str]) -> TableContract:
        """The contract of only some of the table's columns (in contract order).

        For a stage that reads only some columns of an input: their field
        constraints still hold; a primary or foreign key survives only when
        all its columns are selected.
        """
        wanted = [name for name in self.column_names if name in set(columns)]
        if list(columns) != wanted:
            raise KeyError(
                f"{self.stage}/{self.table} has no columns {list(columns)} in this order"
            )
        descriptor = {
            **self.descriptor,
            "fields": [f for f in self.fields if f["name"] in wanted],
            "foreignKeys": [
                fk for fk in self.foreign_keys if set(_as_list(fk["fields"])) <= set(wanted)
            ],
        }
        if not set(self.primary_key) <= set(wanted):
            descriptor.pop("primaryKey", None)
        return TableContract(self.stage, self.table, descriptor, tuple(wanted))

    @property
    def path(self) -> Path:
        return SCHEMA_DIR / self.stage / f"{self.table}.json"

    @property
    def fields(self) -> list[Mapping[str, Any]]:
        return list(self.descriptor["fields"])

    @property
    def column_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        key = self.descriptor.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    @property
    def foreign_keys(self) -> list[Mapping[str, Any]]:
        return list(self.descriptor.get("foreignKeys", []))

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(f["name"], _ARROW_TYPES[f["type"]], nullable=not _required(f))
                for f in self.fields
            ]
        )

    def empty_table(self) -> pa.Table:
        return self.arrow_schema().empty_table()

    def conform(self, table: pa.Table) -> pa.Table:
        """Columns in contract order with contract types (a cast, never a guess)."""
        return table.select(self.column_names).cast(self.arrow_schema())

    def pandera_schema(self) -> pap.DataFrameSchema:
        return _pandera_schema(self)


def _as_list(names: str | Sequence[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def _required(f: Mapping[str, Any]) -> bool:
    return bool(f.get("constraints", {}).get("required", False))


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _checks_for(f: Mapping[str, Any]) -> list[pap.Check]:
    """Frictionless constraints -> pandera checks with the same meaning."""
    constraints = f.get("constraints", {})
    checks: list[pap.Check] = []
    if "minLength" in constraints or "maxLength" in constraints:
        checks.append(
            pap.Check.str_length(
                min_value=constraints.get("minLength"), max_value=constraints.get("maxLength")
            )
        )
    if "pattern" in constraints:
        checks.append(pap.Check.str_matches(_anchored(constraints["pattern"])))
    if "enum" in constraints:
        checks.append(pap.Check.isin(list(constraints["enum"])))
    if "minimum" in constraints:
        checks.append(pap.Check.ge(constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(pap.Check.le(constraints["maximum"]))
    return checks


@cache
def _pandera_schema(contract: TableContract) -> pap.DataFrameSchema:
    columns = {
        f["name"]: pap.Column(
            _ARROW_TYPES[f["type"]],
            checks=_checks_for(f),
            nullable=not _required(f),
            unique=bool(f.get("constraints", {}).get("unique", False)),
            description=f.get("description"),
            title=f["name"],
        )
        for f in contract.fields
    }
    key = contract.primary_key
    return pap.DataFrameSchema(
        columns,
        name=f"{contract.stage}/{contract.table}",
        strict=True,
        ordered=True,
        unique=key if len(key) > 1 else None,
    )


@cache
def contract(stage: str, table: str) -> TableContract:
    """The contract of ``table`` in ``stage`` (schema/<stage>/<table>.json)."""
    path = SCHEMA_DIR / stage / f"{table}.json"
    if not path.is_file():
        raise KeyError(f"no Table Schema for {stage}/{table} (expected {path})")
    return TableContract(stage, table, json.loads(path.read_text(encoding="utf-8")))


def release_contract(
    table: str, version: str | None = None, present: Sequence[str] = ()
) -> TableContract:
    """The release contract of ``table`` for a release of ``version`` (X.Y.Z).

    A released column carries ``addedIn`` (the version that added it) in
    schema/release. A release of an earlier version may lack it (it was made
    before the column existed) and is checked on the columns it has, with
    today's constraints; a column of its own version or older must be there.
    ``None`` or a name that is not a version: every column.
    """
    current = contract("release", table)
    wanted = _version_tuple(version)
    if wanted is None:
        return current
    kept = [
        f["name"]
        for f in current.fields
        if (_version_tuple(f.get("addedIn")) or (0, 0, 0)) <= wanted or f["name"] in present
    ]
    return current if len(kept) == len(current.fields) else current.select(kept)


def _version_tuple(version: object) -> tuple[int, ...] | None:
    parts = str(version).split(".") if version else []
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def stage_contracts(stage: str) -> dict[str, TableContract]:
    """Every table contract of one stage, by table name."""
    return {p.stem: contract(stage, p.stem) for p in sorted((SCHEMA_DIR / stage).glob("*.json"))}


def table_problems(contract: TableContract, table: pa.Table) -> list[Problem]:
    """Every problem pandera finds in ``table`` against ``contract`` (lazy: all, not the first)."""
    expected = contract.column_names
    if table.column_names != expected:
        return [
            Problem(
                contract.table,
                None,
                "columns",
                f"columns are {table.column_names}, the schema says {expected}",
                stage=contract.stage,
            )
        ]
    wrong_types = [
        Problem(
            contract.table,
            name,
            "type",
            f"type is {table.schema.field(name).type}, the schema says {want}",
            stage=contract.stage,
        )
        for name, want in zip(expected, contract.arrow_schema().types, strict=True)
        if table.schema.field(name).type != want
    ]
    if wrong_types:
        return wrong_types
    try:
        contract.pandera_schema().validate(table, lazy=True)
    except pap.errors.SchemaErrors as errors:
        return _problems_from_failure_cases(contract, errors.failure_cases)
    except pap.errors.SchemaError as error:
        return [Problem(contract.table, None, "schema", str(error), stage=contract.stage)]
    return []


def _problems_from_failure_cases(contract: TableContract, cases: Any) -> list[Problem]:
    if not isinstance(cases, pa.Table):
        return [Problem(contract.table, None, "schema", str(cases), stage=contract.stage)]
    grouped: dict[tuple[str | None, str], list[str]] = {}
    for row in cases.to_pylist():
        key = (row.get("column"), str(row.get("check")))
        grouped.setdefault(key, []).append(_show(row.get("failure_case")))
    return [
        Problem(
            contract.table,
            column,
            check,
            f"{len(values)} failing value(s)",
            tuple(values[:5]),
            stage=contract.stage,
        )
        for (column, check), values in sorted(grouped.items(), key=lambda kv: str(kv[0]))
    ]


def _show(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- checks across columns and tables -------------------------------------------------

RelationCheck = Callable[[Mapping[str, pa.Table]], list[Problem]]


def foreign_key_problems(stage: str, tables: Mapping[str, pa.Table]) -> list[Problem]:
    """The ``foreignKeys`` the descriptors declare, checked with Arrow joins."""
    problems: list[Problem] = []
    for name, table in tables.items():
        try:
            declared = contract(stage, name).foreign_keys
        except KeyError:
            continue
        for fk in declared:
            ref = fk["reference"]
            target = tables.get(ref["resource"]) if ref["resource"] else table
            if target is None:
                continue
            needed = set(_as_list(fk["fields"])), set(_as_list(ref["fields"]))
            if not (needed[0] <= set(table.column_names) and needed[1] <= set(target.column_names)):
                continue  # a stage read only some columns of these tables
            problems.extend(
                _missing_references(stage, name, table, fk["fields"], target, ref["fields"])
            )
    return problems


def _missing_references(
    stage: str,
    name: str,
    table: pa.Table,
    columns: list[str],
    target: pa.Table,
    target_columns: list[str],
) -> list[Problem]:
    keys = table.select(columns)
    mask = None
    for column in columns:
        valid = pc.is_valid(keys[column])
        mask = valid if mask is None else pc.and_(mask, valid)
    keys = keys.filter(mask) if mask is not None else keys
    orphans = _not_in(keys, columns, target, target_columns)
    if orphans.num_rows == 0:
        return []
    examples = tuple(_show(row) for row in orphans.slice(0, 5).to_pylist())
    return [
        Problem(
            name,
            ",".join(columns),
            "foreign-key",
            f"{orphans.num_rows} value(s) not found in {target_columns} of the referenced table",
            examples,
            stage=stage,
        )
    ]


def _not_in(
    keys: pa.Table, columns: list[str], target: pa.Table, target_columns: list[str]
) -> pa.Table:
    """The rows of ``keys`` whose ``columns`` are not a row of ``target_columns``.

    One column of one type: an Arrow set lookup (a hash set of the target's
    values), much lighter than the anti-join it stands for; else the join.
    """
    if (
        len(columns) == 1
        and keys.schema.field(columns[0]).type == target.schema.field(target_columns[0]).type
    ):
        known = target[target_columns[0]].combine_chunks()
        return keys.filter(pc.invert(pc.is_in(keys[columns[0]], value_set=known)))
    known_rows = target.select(target_columns).rename_columns(columns)
    return keys.join(known_rows, keys=columns, join_type="left anti")


def thread_problems(
    table_name: str,
    comments: pa.Table,
    *,
    page: str,
    key: str,
    parent: str,
) -> list[Problem]:
    """Threading laws for a comments table.

    ``page`` groups comments of one page/article, ``key`` identifies a comment
    within the table (with ``page`` when it is only unique per page), ``parent``
    references ``key``. Laws: positions are 0..n-1 per page; a parent exists on
    the same page and comes earlier; depth is 0 without a parent and the
    parent's depth + 1 with one.
    """
    problems: list[Problem] = []
    # Only the columns the laws read: filters below copy what they keep.
    needed = dict.fromkeys([page, key, parent, "position", "depth"])
    comments = comments.select(list(needed))
    problems.extend(_contiguous_position_problems(table_name, comments, page))
    top = comments.filter(pc.is_null(comments[parent]))
    bad_top = top.filter(pc.not_equal(top["depth"], 0))
    if bad_top.num_rows:
        problems.append(
            Problem(
                table_name,
                "depth",
                "top-level-depth-is-0",
                f"{bad_top.num_rows} comment(s) without a parent have depth != 0",
                tuple(_show(r) for r in bad_top.select([page, "position"]).slice(0, 5).to_pylist()),
            )
        )
    replies = comments.filter(pc.is_valid(comments[parent]))
    if key == "position":
        # Parent references a position on the same page: join on (page, position).
        parents = comments.select([page, "position", "depth"]).rename_columns(
            [page, parent, "parent_depth"]
        )
        linked = replies.select([page, parent, "position", "depth"]).join(
            parents, keys=[page, parent], join_type="left outer"
        )
        linked = linked.append_column("parent_page", linked[page]).append_column(
            "parent_pos", linked[parent]
        )
    else:
        # A unique key (the contract checks it first): look the parent row up
        # by index instead of a hash join, which at millions of rows needs
        # gigabytes for its hash table of string keys.
        at = pc.index_in(replies[parent], value_set=comments[key].combine_chunks())
        linked = replies.select([page, parent, "position", "depth"])
        for name, column in (("parent_page", page), ("parent_pos", "position"),
                             ("parent_depth", "depth")):  # fmt: skip
            linked = linked.append_column(name, comments[column].take(at))
    missing = linked.filter(pc.is_null(linked["parent_depth"])).num_rows
    linked = linked.filter(pc.is_valid(linked["parent_depth"]))
    if missing:
        problems.append(
            Problem(
                table_name,
                parent,
                "parent-exists",
                f"{missing} reply(ies) whose parent is not there",
            )
        )
    for check, bad, message in (
        (
            "parent-on-same-page",
            pc.not_equal(linked[page], linked["parent_page"]),
            "reply and parent are on different pages",
        ),
        (
            "parent-comes-first",
            pc.greater_equal(linked["parent_pos"], linked["position"]),
            "parent does not come before its reply",
        ),
        (
            "depth-is-parent-depth-plus-1",
            pc.not_equal(linked["depth"], pc.add(linked["parent_depth"], 1)),
            "depth != parent's depth + 1",
        ),
    ):
        failing = linked.filter(bad)
        if failing.num_rows:
            problems.append(
                Problem(
                    table_name,
                    "depth" if "depth" in check else parent,
                    check,
                    f"{failing.num_rows} reply(ies): {message}",
                    tuple(
                        _show(r) for r in failing.select([page, "position"]).slice(0, 5).to_pylist()
                    ),
                )
            )
    return problems


def thread_id_problems(table_name: str, comments: pa.Table) -> list[Problem]:
    """``thread_id`` names the thread's root: the comment itself without a parent, else
    the parent's ``thread_id`` (so following parents from any comment ends at it)."""
    rows = comments.select(["comment_id", "parent_id", "thread_id"])
    at = pc.index_in(rows["parent_id"], value_set=rows["comment_id"].combine_chunks())
    expected = pc.coalesce(rows["thread_id"].take(at), rows["comment_id"])
    top = pc.is_null(rows["parent_id"])
    expected = pc.if_else(top, rows["comment_id"], expected)
    # a null thread_id is the column check's finding, not this one's
    bad = rows.filter(pc.fill_null(pc.not_equal(rows["thread_id"], expected), False))
    if bad.num_rows == 0:
        return []
    return [
        Problem(
            table_name,
            "thread_id",
            "thread-id-is-root-comment",
            f"{bad.num_rows} comment(s) whose thread_id is not their thread's root comment",
            tuple(_show(v) for v in bad["comment_id"].slice(0, 5).to_pylist()),
        )
    ]


def record_table_column(duplicates: pa.Table) -> str:
    """The column of duplicates naming the removed record's table: ``record_table``
    (since 1.1.0), or ``table`` in earlier releases."""
    return "record_table" if "record_table" in duplicates.column_names else "table"


def _contiguous_position_problems(table_name: str, comments: pa.Table, page: str) -> list[Problem]:
    stats = comments.group_by(page).aggregate(
        [
            ("position", "count"),
            ("position", "min"),
            ("position", "max"),
            ("position", "count_distinct"),
        ]
    )
    n = stats["position_count"]
    ok = pc.and_(
        pc.and_(
            pc.equal(stats["position_min"], 0), pc.equal(stats["position_max"], pc.subtract(n, 1))
        ),
        pc.equal(stats["position_count_distinct"], n),
    )
    bad = stats.filter(pc.invert(ok))
    if bad.num_rows == 0:
        return []
    return [
        Problem(
            table_name,
            "position",
            "positions-contiguous-per-page",
            f"{bad.num_rows} page(s) whose positions are not exactly 0..n-1",
            tuple(_show(v) for v in bad[page].slice(0, 5).to_pylist()),
        )
    ]


def count_problems(
    articles: pa.Table, comments: pa.Table, *, key: str = "article_id"
) -> list[Problem]:
    """``articles.n_comments`` equals the number of comment rows per article."""
    counted = comments.group_by(key).aggregate([(key, "count")])
    joined = articles.select([key, "n_comments"]).join(counted, keys=key, join_type="left outer")
    found = pc.fill_null(joined[f"{key}_count"], 0)
    bad = joined.filter(pc.not_equal(joined["n_comments"], found))
    if bad.num_rows == 0:
        return []
    return [
        Problem(
            "articles",
            "n_comments",
            "n-comments-matches-comment-rows",
            f"{bad.num_rows} article(s) whose n_comments differs from their comment rows",
            tuple(_show(v) for v in bad[key].slice(0, 5).to_pylist()),
        )
    ]


def _parse_relations(tables: Mapping[str, pa.Table]) -> list[Problem]:
    if "comments" not in tables:
        return []
    return thread_problems(
        "comments", tables["comments"], page="source_file", key="position", parent="parent_position"
    )


def _id_relations(tables: Mapping[str, pa.Table]) -> list[Problem]:
    problems: list[Problem] = []
    if "comments" in tables:
        problems += thread_problems(
            "comments", tables["comments"], page="article_id", key="comment_id", parent="parent_id"
        )
        if "thread_id" in tables["comments"].column_names:  # releases before 1.1.0 lack it
            problems += thread_id_problems("comments", tables["comments"])
    if "duplicates" in tables:
        problems += _kept_id_problems(tables)
    return problems


def _release_relations(tables: Mapping[str, pa.Table]) -> list[Problem]:
    problems = _id_relations(tables)
    if "articles" in tables and "comments" in tables:
        problems += count_problems(tables["articles"], tables["comments"])
    duplicates = tables.get("duplicates")
    if duplicates is not None and {"table", "record_table"} <= set(duplicates.column_names):
        differs = pc.invert(pc.equal(duplicates["table"], duplicates["record_table"]))
        if pc.any(differs).as_py():
            problems.append(
                Problem(
                    "duplicates",
                    "table",
                    "table-equals-record-table",
                    "the deprecated column table differs from record_table",
                )
            )
    return problems


def _kept_id_problems(tables: Mapping[str, pa.Table]) -> list[Problem]:
    problems: list[Problem] = []
    duplicates = tables["duplicates"]
    for table_name, id_column in (("articles", "article_id"), ("comments", "comment_id")):
        if table_name not in tables:
            continue
        which = duplicates[record_table_column(duplicates)]
        rows = duplicates.filter(pc.equal(which, table_name)).select(["kept_id"])
        orphans = _not_in(rows, ["kept_id"], tables[table_name], [id_column])
        if orphans.num_rows:
            problems.append(
                Problem(
                    "duplicates",
                    "kept_id",
                    "kept-record-is-released",
                    f"{orphans.num_rows} duplicate(s) point at a missing {table_name} id",
                    tuple(_show(v) for v in orphans["kept_id"].slice(0, 5).to_pylist()),
                )
            )
    return problems


_RELATION_CHECKS: dict[str, RelationCheck] = {
    "parse": _parse_relations,
    "dedupe": _id_relations,
    "anonymise": _id_relations,
    "release": _release_relations,
}


def relation_problems(stage: str, tables: Mapping[str, pa.Table]) -> list[Problem]:
    """Cross-table checks of one stage's tables: declared foreign keys plus the
    threading and counting laws that JSON cannot express."""
    problems = foreign_key_problems(stage, tables)
    extra = _RELATION_CHECKS.get(stage)
    if extra is not None:
        problems += [
            Problem(p.table, p.column, p.check, p.message, p.examples, stage=stage)
            for p in extra(tables)
        ]
    return problems
