"""Wording shared by every release document, so the datasheet, dataset card,
Croissant file and licence can never say different things.

Also the one place that reads column meanings for documents: from the release
Table Schemas (schema/release/*.json, via :func:`pipeline.schemas.contract`).
No column is described here by hand. This module must never name a licence
that would let anyone treat the data as openly licensed (no CC-BY or similar).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.docs.context import TABLES
from pipeline.schemas import contract

LICENSE_ID = "LicenseRef-NonCommercial-Research-TDM"
LICENSE_TERMS = "Non-commercial research and text-and-data-mining use only"
LICENSE_TITLE = f"{LICENSE_TERMS} (see LICENSE-DATA.md)"
LICENSE_FILE = "LICENSE-DATA.md"
MAINTAINERS = "Corpus maintainers"
CONTACT_UNSET = (
    "no contact address is set for this release (the maintainers set one as `contact` under "
    "`[tool.corpus]` in the project's pyproject.toml); until one is, open an issue in the "
    "project's tracker"
)


def contact(address: str | None) -> str:
    """How to reach the maintainers, to finish a sentence ("To ask for a takedown, ...")."""
    return f"write to {address}" if address else CONTACT_UNSET

CONTENT_WARNING = (
    "This corpus contains hateful, abusive and political speech: reader comments "
    "and articles are published verbatim, including insults, slurs, threats, "
    "propaganda and disinformation. Read and use it with care."
)

LICENCE_SUMMARY = (
    "The data is not openly licensed. Articles belong to their publishers and "
    "comments to their authors; the maintainers share this compilation only for "
    "non-commercial research, including text and data mining, under the terms in "
    "LICENSE-DATA.md. No open content licence (such as CC-BY) applies."
)

PSEUDONYM_SCHEME = (
    "Every commenter handle is replaced by a keyed pseudonym: u_ followed by the "
    "first 10 characters (lowercase base32) of HMAC-SHA256 over the canonical "
    "handle (Unicode NFKC, case-folded, white space collapsed), keyed with a "
    "secret held by the maintainers (in the rare case that two handles share those "
    "10 characters, both get as many more characters as needed to tell them apart). "
    "The same handle gets the same pseudonym "
    "across the whole release; without the key nobody can test a guessed handle "
    "against a pseudonym. Mentions of a commenter's handle inside comment texts "
    "are replaced by that commenter's pseudonym."
)

REIDENTIFICATION_RISK = (
    "Comment texts are verbatim. Anyone can paste a sentence into a web search "
    "engine, find the original page and read the real handle next to it, which "
    "re-identifies that pseudonym in every comment of the release. Pseudonymised "
    "data is still personal data."
)

PREVIEW_WARNING = (
    "PREVIEW BUILD - NOT A RELEASE. This build was made without the maintainers' "
    "key: its pseudonyms come from a fresh random key, so they are not comparable "
    "with any release or with any other preview build."
)

UNKNOWN_PROVENANCE = (
    "The seed files are plain-text captures of web pages that do not record when "
    "or from which address they were captured. The release therefore has no "
    "capture date and no URL column, and none is invented; where a page does not "
    "name its site, site is null. A date the page shows beside an article or a "
    "comment is kept as shown and, where it can be read, as ISO 8601 (published); "
    "other dates and addresses inside the texts are left as text."
)

_SCHEMA_ORG_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
}


@dataclass(frozen=True)
class Column:
    """One released column as its Table Schema describes it."""

    table: str
    name: str
    type: str
    required: bool
    description: str
    added_in: str | None = None
    deprecated: str | None = None

    @property
    def schema_org_type(self) -> str:
        return _SCHEMA_ORG_TYPES[self.type]


def table_description(table: str) -> str:
    """The one-line description of a released table (from its Table Schema)."""
    return str(contract("release", table).descriptor.get("description", ""))


def columns(table: str) -> list[Column]:
    """The released columns of ``table``, in file order, with their meanings."""
    return [_column(table, f) for f in contract("release", table).fields]


def _column(table: str, field: Mapping[str, Any]) -> Column:
    constraints = field.get("constraints", {})
    return Column(
        table=table,
        name=str(field["name"]),
        type=str(field["type"]),
        required=bool(constraints.get("required", False)),
        description=str(field.get("description", "")),
        added_in=field.get("addedIn"),
        deprecated=field.get("deprecated"),
    )


def deprecated_columns() -> list[Column]:
    """Released columns still present but marked ``deprecated`` in their Table Schema."""
    return [c for table in TABLES for c in columns(table) if c.deprecated]


def primary_key(table: str) -> list[str]:
    return contract("release", table).primary_key


def foreign_keys(table: str) -> list[Mapping[str, Any]]:
    return contract("release", table).foreign_keys


def released_tables() -> tuple[str, ...]:
    return TABLES
