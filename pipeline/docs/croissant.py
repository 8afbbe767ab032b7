"""croissant.json: the release described in MLCommons Croissant 1.0 (+ RAI).

One FileObject per Parquet file (``application/x-parquet``, sha256), one
RecordSet per table with a Field per column: types and descriptions come from
schema/release (via pipeline/docs/terms.py), never restated here. The
responsible-AI (``rai:``) properties carry the datasheet's answers in short.

A table written as numbered shards (pipeline/shards.py) has a FileObject per
shard (each with its sha256) and a FileSet ``<table>-shards`` whose
``includes`` glob (``<table>-*.parquet``) matches exactly those shards; its
RecordSet's fields are extracted from the FileSet, which mlcroissant reads
in sorted name order, i.e. row order. Croissant cannot say that the FileSet
is made of those FileObjects (``containedIn`` is for archives and
directories), nor give a FileSet a checksum: the FileObjects carry the hashes.

Two things mlcroissant needs that are easy to get wrong:

* a reference is written ``{"field": {"@id": "<record set>/<column>"}}``;
* the self-reference comments.parent_id -> comments.comment_id makes loading
  fail, so it is described in the field's description, not declared.
  Likewise duplicates.kept_id points into articles or comments depending on
  the row, which a single reference cannot say.

Pure: a ReleaseContext and the files' sha256 in, a JSON-LD dict out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.docs import stats, terms
from pipeline.docs.context import ReleaseContext
from pipeline.shards import is_sharded, shard_glob

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
PARQUET = "application/x-parquet"

# Only foreign keys mlcroissant can follow; self-references are described instead.
_SELF_REFERENCE_NOTES = {
    ("comments", "parent_id"): (
        " It refers to comments.comment_id of the same table (not declared as a "
        "Croissant reference, which cannot point into its own record set)."
    ),
    ("duplicates", "kept_id"): (
        " It refers to articles.article_id when table is 'articles' and to "
        "comments.comment_id when table is 'comments'."
    ),
}


def croissant(ctx: ReleaseContext, file_hashes: Mapping[str, str]) -> dict[str, Any]:
    """The Croissant JSON-LD of the release; ``file_hashes`` maps file name -> sha256."""
    return {
        "@context": _context(),
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": ctx.name,
        "alternateName": ctx.title,
        "description": _description(ctx),
        "version": ctx.version,
        "datePublished": ctx.date,
        **_in_language(ctx),
        "keywords": ["news comments", "online discourse", "propaganda", "toxicity"],
        "creator": {"@type": "sc:Organization", "name": terms.MAINTAINERS},
        "license": {
            "@type": "sc:CreativeWork",
            "name": terms.LICENSE_ID,
            "description": terms.LICENSE_TITLE,
            "url": terms.LICENSE_FILE,
        },
        "citeAs": _cite_as(ctx),
        "distribution": _distribution(ctx, file_hashes),
        "recordSet": [_record_set(table, source) for table, source in _sources(ctx).items()],
        **_responsible_ai(ctx),
    }


def _in_language(ctx: ReleaseContext) -> dict[str, Any]:
    """schema.org inLanguage: the detected article languages (none when all unknown)."""
    codes = sorted(code for code, _ in stats.languages(ctx.tables["articles"]))
    if not codes:
        return {}
    return {"inLanguage": codes[0] if len(codes) == 1 else codes}


def _context() -> dict[str, Any]:
    """The JSON-LD @context of Croissant 1.0, with the RAI namespace."""
    vocabulary = (
        "citeAs", "column", "equivalentProperty", "extract", "field", "fileObject",
        "fileProperty", "fileSet", "format", "includes", "isLiveDataset", "jsonPath", "key",
        "md5", "parentField", "path", "recordSet", "references", "regex", "repeated",
        "replace", "samplingRate", "separator", "source", "subField", "transform",
    )  # fmt: skip
    return {
        "@language": "en",
        "@vocab": "https://schema.org/",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "sc": "https://schema.org/",
        **{term: f"cr:{term}" for term in vocabulary},
    }


def _distribution(ctx: ReleaseContext, file_hashes: Mapping[str, str]) -> list[dict[str, Any]]:
    """A FileObject per file, and after a sharded table's shards its FileSet."""
    distribution: list[dict[str, Any]] = []
    for table in terms.released_tables():
        files = ctx.table_files[table]
        distribution += [_file_object(name, file_hashes) for name in files]
        if is_sharded(files):
            distribution.append(_file_set(table, files))
    return distribution


def _sources(ctx: ReleaseContext) -> dict[str, dict[str, Any]]:
    """table -> where its fields come from: its one FileObject, or its shards' FileSet."""
    sources: dict[str, dict[str, Any]] = {}
    for table in terms.released_tables():
        files = ctx.table_files[table]
        if is_sharded(files):
            sources[table] = {"fileSet": {"@id": _file_set_id(table)}}
        else:
            sources[table] = {"fileObject": {"@id": files[0]}}
    return sources


def _file_object(name: str, file_hashes: Mapping[str, str]) -> dict[str, Any]:
    if name not in file_hashes:
        raise KeyError(f"croissant: no sha256 given for {name}")
    return {
        "@type": "cr:FileObject",
        "@id": name,
        "name": name,
        "contentUrl": name,
        "encodingFormat": PARQUET,
        "sha256": file_hashes[name],
    }


def _file_set_id(table: str) -> str:
    return f"{table}-shards"


def _file_set(table: str, files: tuple[str, ...]) -> dict[str, Any]:
    return {
        "@type": "cr:FileSet",
        "@id": _file_set_id(table),
        "name": _file_set_id(table),
        "description": (
            f"The {len(files)} shards of the {table} table ({files[0]} to {files[-1]}); "
            "concatenated in name order they are the table."
        ),
        "encodingFormat": PARQUET,
        "includes": shard_glob(table),
    }


def _record_set(table: str, source: dict[str, Any]) -> dict[str, Any]:
    key = [{"@id": f"{table}/{column}"} for column in terms.primary_key(table)]
    return {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": terms.table_description(table),
        "key": key[0] if len(key) == 1 else key,
        "field": [_field(column, source) for column in terms.columns(table)],
    }


def _field(column: terms.Column, source: dict[str, Any]) -> dict[str, Any]:
    note = _SELF_REFERENCE_NOTES.get((column.table, column.name), "")
    nullability = "" if column.required else " May be null."
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{column.table}/{column.name}",
        "name": column.name,
        "description": column.description + note + nullability,
        "dataType": column.schema_org_type,
        "source": {**source, "extract": {"column": column.name}},
    }
    reference = _reference(column)
    if reference is not None:
        field["references"] = {"field": {"@id": reference}}
    return field


def _reference(column: terms.Column) -> str | None:
    """The referenced field's @id, for foreign keys into another table only."""
    for foreign_key in terms.foreign_keys(column.table):
        target = foreign_key["reference"]
        if list(foreign_key["fields"]) == [column.name] and target["resource"] != column.table:
            return f"{target['resource']}/{target['fields'][0]}"
    return None


def _description(ctx: ReleaseContext) -> str:
    preview = f"{terms.PREVIEW_WARNING} " if ctx.preview else ""
    return (
        f"{preview}News articles and the reader comment threads under them, parsed from "
        f"saved web pages, deduplicated, with commenter handles replaced by keyed "
        f"pseudonyms (key fingerprint {ctx.key_fingerprint}). {terms.CONTENT_WARNING} "
        f"{terms.LICENCE_SUMMARY} See DATASHEET.md."
    )


def _cite_as(ctx: ReleaseContext) -> str:
    year = ctx.date[:4]
    return (
        f"@misc{{{ctx.name.replace('-', '_')}_{ctx.version.replace('.', '_')}, "
        f"title = {{{ctx.title}}}, author = {{{{{terms.MAINTAINERS}}}}}, "
        f"year = {{{year}}}, version = {{{ctx.version}}}, "
        f"note = {{Dataset, released {ctx.date}; non-commercial research use only}}}}"
    )


def _responsible_ai(ctx: ReleaseContext) -> dict[str, Any]:
    """The datasheet's answers, short, as Croissant RAI properties."""
    tables = ctx.tables
    who = stats.authors(tables["comments"])
    return {
        "rai:dataCollection": (
            "Plain-text captures of news web pages with their reader comment sections "
            f"({tables['sources'].num_rows} seed files), parsed by layout plug-ins of the "
            "project's open-source pipeline. How and why the pages were chosen is not "
            f"recorded. {terms.UNKNOWN_PROVENANCE}"
        ),
        "rai:dataCollectionType": ["Web Scraping", "Secondary Data Analysis"],
        "rai:dataCollectionMissingData": (
            "Capture dates and URLs are unknown for every page. site is null where the "
            "page does not name it, author where the page shows no handle, "
            "n_comments_declared where the page states no count, parent_id where the page "
            "shows no threading. Comments not loaded when the page was saved are missing."
        ),
        "rai:dataCollectionRawData": (
            "The seed files are kept by the maintainers with the pipeline (name and sha256 in "
            "sources.parquet) and are not among the release files, because they contain "
            "commenters' handles."
        ),
        "rai:dataPreprocessingProtocol": [
            "Decoding (UTF-8, else Windows-1252, else detected); unusable inputs rejected "
            "with a reason (sources.parquet).",
            "Parsing into headline, body and comments with threading; page chrome removed "
            "and logged.",
            "Deduplication of the same page or comment captured twice (duplicates.parquet); "
            "near duplicates kept and marked with near_dup_cluster.",
            f"Anonymisation: {terms.PSEUDONYM_SCHEME} E-mail addresses and phone numbers "
            "masked; user-identifying URL parameters removed.",
        ],
        "rai:dataAnnotationProtocol": [
            "None: the release has no labels or annotations of any kind."
        ],
        "rai:dataUseCases": [
            "Non-commercial research on online discourse, comment thread structure, "
            "propaganda and disinformation narratives and their reception.",
            "Annotation studies of toxicity, incivility or hate speech (labels are the "
            "researcher's own).",
            "Not for identifying, profiling or contacting commenters, commercial use, "
            "decisions about individuals, or training generative models that are deployed.",
        ],
        "rai:dataBiases": [
            "A small, non-random sample of a few sites, page layouts and topics "
            f"({stats.language_summary(tables['articles'])}); commenters are a "
            "self-selected group of these sites' readers, so "
            "frequencies (of opinions, of toxicity) do not generalise."
        ],
        "rai:dataLimitations": [
            "Comment sections are incomplete where pages showed fewer comments than they "
            "state; capture dates are unknown; parsing and threading are heuristic; "
            "pseudonyms are as good as handles (shared or changed handles); mentions in "
            "texts are replaced by pseudonyms, which alters the text."
        ],
        "rai:dataSocialImpact": (
            f"{terms.CONTENT_WARNING} {terms.REIDENTIFICATION_RISK} Commenters did not "
            "consent and were not notified; takedown on request is the remedy offered."
        ),
        "rai:personalSensitiveInformation": [
            f"Pseudonymised personal data of {who['pseudonyms']} commenters (pseudonyms "
            "in comments.author); texts verbatim and searchable on the web.",
            "Political opinions, and often religious beliefs, ethnic or national origin and "
            "location, expressed in comment texts.",
            "Names of people, mostly public figures, in articles and comments.",
        ],
        "rai:dataReleaseMaintenancePlan": (
            "Versioned releases (semantic versioning: major for removed, renamed or retyped "
            "columns; minor for new rows or columns; patch for corrected values), each with "
            "CHANGELOG.md and SHA256SUMS. Takedown requests and corrections: "
            f"{terms.contact(ctx.contact)}; removals take effect in the next version."
        ),
    }
