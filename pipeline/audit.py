"""The leak audit: no commenter handle may appear anywhere in a release.

``audit_release(release_dir, raw_handles, comment_handles)`` checks a release
directory against the handle rule (:mod:`pipeline.handle_rule`), the same
definition the anonymise stage and its last sweep apply:

* every *distinctive* form of a raw handle - the whole handle when a word of
  it is not an ordinary word, and in comment text (``comments`` table,
  ``text`` column) also every distinctive part ("Promitheas", "Ostranian") -
  anywhere: every string column of every Parquet file, each shard of a
  sharded table included (one Aho-Corasick pass over the texts for every
  pattern at once, then case-insensitive RE2 on the rows it flags:
  :mod:`pipeline.handle_scan`, so it scales with the text, not texts x
  handles), every other file as text lines (JSON, Markdown, CFF, YAML,
  checksums), and every file name;
* every *ordinary* form (the handle "Cat", "the real one"; "Patriot" of
  "Ostranian Patriot") where a comment text uses it to name or address a
  commenter of its page ("@Cat", "Hey Cat", "as Cat said"). This needs to
  know who commented on which page and in which thread:
  ``comment_handles`` (comment_id, handle) from the build that made the
  release; without it, this half is not checked.

Every hit fails the release, except: hits in article text (``articles``
title/body: journalism may name a public figure who shares a name with a
commenter), and hits in comment text of a part that the articles themselves
use as a name ("Konashenkov"); those are warnings.

A hit names the file and the place (column and row index, or line number)
and what matched - NEVER the handle or the matched text. The raw handles
come from the build's pre-anonymisation stage output; this module never
writes them anywhere. A release the anonymise stage produced passes this
audit by construction; the audit stays as the independent check of the files
actually written.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.common_words import ANY_LANGUAGE
from pipeline.docs.context import TABLES
from pipeline.handle_scan import LiteralScan
from pipeline.leak_patterns import leak_patterns
from pipeline.mentions import ADDRESSED, HandleIndex, public_words, rule_mentions, thread_contexts
from pipeline.shards import table_of_file

FULL_HANDLE = "a commenter handle"
HANDLE_PART = "a distinctive part of a commenter handle"
ADDRESSING = "a commenter handle (an ordinary word) used to name or address its commenter"
_THREAD_COLUMNS = ("comment_id", "article_id", "parent_id", "position", "text")
_BATCH_ROWS = 65_536
_ARTICLE_TEXT = {("articles", "title"), ("articles", "body")}
_COMMENT_TEXT = ("comments", "text")


@dataclass(frozen=True)
class AuditHit:
    """One place where a handle (or a part of one) occurs. Never holds the handle."""

    file: str
    place: str
    what: str
    failure: bool

    def describe(self) -> str:
        level = "FAIL" if self.failure else "warning"
        return f"{level}: {self.file}, {self.place}: {self.what}"


@dataclass
class AuditReport:
    """Every hit of an audit; the release passes when none is a failure."""

    hits: list[AuditHit] = field(default_factory=list)
    files_scanned: int = 0

    @property
    def failures(self) -> list[AuditHit]:
        return [hit for hit in self.hits if hit.failure]

    @property
    def warnings(self) -> list[AuditHit]:
        return [hit for hit in self.hits if not hit.failure]

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"leak audit {verdict}: {self.files_scanned} files, "
            f"{len(self.failures)} failures, {len(self.warnings)} warnings"
        )


@dataclass(frozen=True)
class _Matchers:
    """The patterns behind one automaton (pipeline.handle_scan), and which of its
    groups are full handles, private parts and public parts."""

    scan: LiteralScan
    full: range
    private_parts: range
    public_parts: range

    @property
    def parts(self) -> range:
        return range(self.private_parts.start, self.public_parts.stop)


def audit_release(
    release_dir: Path,
    raw_handles: Iterable[str],
    comment_handles: pa.Table | None = None,
    ordinary: Container[str] = ANY_LANGUAGE,
) -> AuditReport:
    """Every hit of the handle rule in ``release_dir``.

    ``raw_handles``: every raw handle of the build; ``comment_handles``: its
    comments' (comment_id, handle), for the ordinary forms (see the module
    docstring); ``ordinary``: the ordinary words of the texts' language.
    """
    release_dir = Path(release_dir)
    public = _article_names(release_dir)
    matchers = _matchers(set(raw_handles), ordinary, public)
    report = AuditReport()
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        name = path.relative_to(release_dir).as_posix()
        report.files_scanned += 1
        report.hits += _scan_file_name(name, matchers)
        if path.suffix == ".parquet":
            report.hits += _scan_parquet(path, name, matchers)
        elif (texts := png_texts(path)) is not None:
            report.hits += _scan_lines(texts, name, matchers)
        else:
            report.hits += _scan_text_file(path, name, matchers)
    if comment_handles is not None:
        report.hits += addressing_hits(release_dir, comment_handles, public, ordinary)
    return report


def addressing_hits(
    release_dir: Path, comment_handles: pa.Table, public: frozenset[str], ordinary: Container[str]
) -> list[AuditHit]:
    """Ordinary handle forms that released comment texts use to name or address a
    commenter of their page, by the mention finder the anonymiser uses."""
    handles = sorted({h for h in comment_handles.column("handle").to_pylist() if h})
    index = HandleIndex(handles, public, ordinary)
    hits: list[AuditHit] = []
    for page in _pages_with_handles(release_dir, comment_handles):
        contexts = thread_contexts(page["comment_id"], page["parent_id"], page["handle"])
        for i, context in enumerate(contexts):
            found = rule_mentions(page["text"][i] or "", context, index)
            if any(m.kind == ADDRESSED for m in found):
                place = f"column 'text', row {page['row'][i]}"
                hits.append(AuditHit(page["file"][i], place, ADDRESSING, True))
    return sorted(hits, key=lambda hit: (hit.file, int(hit.place.rsplit(" ", 1)[1])))


def _pages_with_handles(release_dir: Path, comment_handles: pa.Table) -> Iterator[dict[str, list]]:
    """The columns of every page of the released comments (all shards) where someone
    has a handle, in page order; ``handle`` joined from the build by comment_id,
    ``file`` and ``row`` say where each comment is."""
    parts = []
    for path in sorted(release_dir.glob("comments*.parquet")):
        if table_of_file(path.name) != "comments":
            continue
        try:
            table = pq.read_table(path, columns=list(_THREAD_COLUMNS))
        except (OSError, pa.ArrowException):
            continue  # the scan of that file reports it unreadable
        table = table.append_column("file", pa.array([path.name] * table.num_rows, pa.string()))
        parts.append(table.append_column("row", pa.array(range(table.num_rows), pa.int64())))
    if not parts:
        return
    handles = comment_handles.select(["comment_id", "handle"]).filter(
        pc.is_valid(comment_handles.column("handle"))
    )
    comments = pa.concat_tables(parts, promote_options="permissive").join(
        handles, "comment_id", join_type="left outer"
    )
    with_handle = pc.unique(comments.filter(pc.is_valid(comments["handle"]))["article_id"])
    comments = comments.filter(pc.is_in(comments["article_id"], value_set=with_handle))
    comments = comments.sort_by([("article_id", "ascending"), ("position", "ascending")])
    columns = {name: comments.column(name).to_pylist() for name in comments.column_names}
    articles = columns["article_id"]
    start = 0
    for end in range(1, len(articles) + 1):
        if end == len(articles) or articles[end] != articles[start]:
            yield {name: values[start:end] for name, values in columns.items()}
            start = end


def _matchers(
    handles: set[str], ordinary: Container[str], article_names: frozenset[str]
) -> _Matchers:
    patterns = leak_patterns(handles, ordinary, article_names)
    full, private = len(patterns.full), len(patterns.private_parts)
    public = len(patterns.public_parts)
    return _Matchers(
        scan=LiteralScan((*patterns.full, *patterns.private_parts, *patterns.public_parts)),
        full=range(0, full),
        private_parts=range(full, full + private),
        public_parts=range(full + private, full + private + public),
    )


def _article_names(release_dir: Path) -> frozenset[str]:
    """Words the articles use as names, from every articles file (whole or shards)."""
    names: frozenset[str] = frozenset()
    for path in sorted(release_dir.glob("articles*.parquet")):
        if table_of_file(path.name) != "articles":
            continue
        try:
            schema = pq.read_schema(path)
            columns = [c for c in ("title", "body") if c in schema.names]
            table = pq.read_table(path, columns=columns)
        except (OSError, pa.ArrowException):
            continue  # the scan of that file reports it unreadable
        names |= public_words(t for c in columns for t in table.column(c).to_pylist() if t)
    return names


def _scan_file_name(name: str, matchers: _Matchers) -> list[AuditHit]:
    if _named_by_the_contract(name):
        return []  # "comments.parquet" is no leak of a commenter called "Parquet"
    if len(matchers.scan.matching_rows(pa.array([name]))):
        return [AuditHit(name, "file name", FULL_HANDLE + " or a part of one", True)]
    return []


_DOCUMENTS = frozenset(
    {"datapackage.json", "croissant.json", "DATASHEET.md", "README.md", "CHANGELOG.md",
     "CITATION.cff", "LICENSE-DATA.md", "SHA256SUMS"}
)  # fmt: skip


def _named_by_the_contract(name: str) -> bool:
    """A file whose name the release contract fixes (a table, its shards, a document
    or a datasheet figure): its name holds no data."""
    from pipeline.docs.figures import FIGURE_NAMES

    folder, _, base = name.rpartition("/")
    if folder == "figures":
        return base in FIGURE_NAMES
    return not folder and (base in _DOCUMENTS or table_of_file(base) in TABLES)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")


def png_texts(path: Path) -> list[str] | None:
    """The text a PNG file carries (its tEXt, zTXt and iTXt chunks, decompressed), or None
    when the file is not a well-formed PNG (then it is read as text like any other file).

    A figure's pixels are compressed image data, not text: read as text, their bytes
    spell short words by chance ("Ela", "Jo"), which once refused a whole release. What a
    PNG can say in words is in its text chunks, and those are audited. Read chunk by chunk
    here rather than with Pillow: Pillow's ``Image.text`` is a dict by keyword, so of two
    chunks with the same keyword it keeps one, and the audit would miss the other."""
    import zlib

    data = path.read_bytes()
    if not data.startswith(_PNG_SIGNATURE):
        return None
    texts: list[str] = []
    at = len(_PNG_SIGNATURE)
    while at + 12 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        if len(body) != length or at + 12 + length > len(data):
            return None  # truncated: not a PNG we can vouch for
        if kind in _PNG_TEXT_CHUNKS:
            keyword, _, rest = body.partition(b"\0")
            try:
                if kind == b"zTXt":
                    rest = zlib.decompress(rest[1:])
                elif kind == b"iTXt":
                    flag, _method, rest = rest[0], rest[1], rest[2:]
                    _language, _, rest = rest.partition(b"\0")
                    _translated, _, rest = rest.partition(b"\0")
                    rest = zlib.decompress(rest) if flag else rest
            except (zlib.error, IndexError):
                return None
            texts += [keyword.decode("latin-1"), *rest.decode("utf-8", "replace").split("\n")]
        at += 12 + length
        if kind == b"IEND":
            return texts if at == len(data) else None
    return None


def _scan_lines(lines: list[str], name: str, matchers: _Matchers) -> list[AuditHit]:
    rows = matchers.scan.matching_rows(pa.array(lines, pa.string()), matchers.full)
    return [AuditHit(name, f"text line {row + 1}", FULL_HANDLE, True) for row in rows]


def _scan_text_file(path: Path, name: str, matchers: _Matchers) -> list[AuditHit]:
    lines = path.read_bytes().decode("utf-8", errors="replace").split("\n")
    rows = matchers.scan.matching_rows(pa.array(lines, pa.string()), matchers.full)
    return [AuditHit(name, f"line {row + 1}", FULL_HANDLE, True) for row in rows]


def _scan_parquet(path: Path, name: str, matchers: _Matchers) -> list[AuditHit]:
    table_name = table_of_file(path.name) or path.stem
    hits: list[AuditHit] = []
    offset = 0
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS):
            for column_name, values in _string_columns(batch):
                hits += _scan_column(values, (table_name, column_name), name, offset, matchers)
            offset += batch.num_rows
    except (OSError, pa.ArrowException):
        # A file nobody can read cannot be shown to be free of handles.
        return [AuditHit(name, "whole file", "unreadable as Parquet, so not audited", True)]
    return hits


def _string_columns(batch: pa.RecordBatch) -> Iterator[tuple[str, pa.Array]]:
    for column_name, values in zip(batch.schema.names, batch.columns, strict=True):
        kind = values.type
        if pa.types.is_dictionary(kind):
            values, kind = values.cast(kind.value_type), kind.value_type
        if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            values, kind = values.cast(pa.string()), pa.string()
        if pa.types.is_string(kind):
            yield column_name, values


def _scan_column(
    values: pa.Array, where: tuple[str, str], name: str, offset: int, matchers: _Matchers
) -> list[AuditHit]:
    checks: list[tuple[range, str, bool]] = [(matchers.full, FULL_HANDLE, True)]
    if where in _ARTICLE_TEXT:
        checks = [(matchers.full, FULL_HANDLE, False), (matchers.parts, HANDLE_PART, False)]
    elif where == _COMMENT_TEXT:
        checks += [
            (matchers.private_parts, HANDLE_PART, True),
            (matchers.public_parts, HANDLE_PART + " that the articles use as a name", False),
        ]
    wanted = set().union(*(groups for groups, _, _ in checks))
    found = matchers.scan.rows_by_group(values, wanted)  # one pass for every check
    hits = []
    for groups, what, failure in checks:
        for row in sorted(r for r, indices in found.items() if any(i in groups for i in indices)):
            place = f"column {where[1]!r}, row {offset + int(row)}"
            hits.append(AuditHit(name, place, what, failure))
    return hits
