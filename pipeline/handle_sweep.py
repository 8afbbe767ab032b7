"""The anonymise stage's last sweep: no comment text leaves the stage with
anything the leak audit would call a commenter handle.

Mentions are found and replaced first, with their context
(:mod:`pipeline.mentions`: who is on the page, whether a word is used as a
name). That logic decides *how* a mention is replaced; it can also miss one:
a handle written in another case ("xx_99_xx, please read"), a handle of
common words used as a name ("Mr. T is right"), a handle the parse got wrong
(a body line taken for a handle is then a "handle" everywhere it occurs).
The audit refuses a release with any of these, so the stage makes sure there
are none: every comment text is matched against the audit's own patterns
(:mod:`pipeline.leak_patterns`: full handles and private distinctive parts,
RE2 over the whole column), and in the few texts that match, each match is
replaced by a pseudonym. Which one: the pseudonyms of the handles that spell
it, preferring handles on the same page, then the smallest pseudonym (any
choice hides the handle; this one is deterministic).

Public parts (names the articles use, "Assad") are left to the mention logic
and are audit warnings, not failures. The sweep costs one vectorised pass
over the texts; Python only touches the rows that match. Its count is in the
stage report (``handles_swept``) when it is not zero: a non-zero count is
the mention logic or the parse missing something, worth a look.

Pure: arrays in, arrays out; never logs a handle or a text.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.errors import CorpusError
from pipeline.leak_patterns import LeakPatterns, rows_by_group


class SweepFailed(CorpusError):
    """A text still matches a handle pattern after the sweep (a bug, never data)."""


def sweep_texts(
    texts: pa.Array,
    pages: pa.Array,
    handles: pa.Array,
    pseudonyms: Mapping[str, str],
    patterns: LeakPatterns,
) -> tuple[pa.Array, int]:
    """``texts`` with every remaining handle or private part replaced, and how
    many replacements were made.

    ``pages[i]`` and ``handles[i]`` are row i's article id and raw handle (the
    page's handles are preferred owners of an ambiguous match); ``pseudonyms``
    maps every raw handle to its pseudonym.
    """
    groups = (*patterns.full, *patterns.private_parts)
    hits = rows_by_group(texts, groups)
    if not hits:
        return texts, 0
    on_page = _handles_by_page(pages, handles, hits)
    values = texts.to_pylist()
    swept = 0
    for row, group_indices in sorted(hits.items()):
        row_groups = [groups[i] for i in group_indices]
        replacements = []
        for start, end in _spans(values[row], row_groups):
            owners = patterns.owners(values[row][start:end], row_groups)
            if not owners:
                raise SweepFailed("anonymise: a handle pattern matched text that spells no handle")
            page_handles = on_page.get(pages[row].as_py(), frozenset())
            replacements.append((start, end, _pseudonym(owners, page_handles, pseudonyms)))
        values[row] = apply_replacements(values[row], replacements)
        swept += len(replacements)
    result = pa.array(values, pa.string())
    still = rows_by_group(result.take(pa.array(sorted(hits), pa.int64())), groups)
    if still:
        raise SweepFailed(
            f"anonymise: {len(still)} comment text(s) still match a handle pattern after "
            "the sweep (pattern and locator disagree); nothing was published"
        )
    return result, swept


def _handles_by_page(
    pages: pa.Array, handles: pa.Array, hits: Mapping[int, list[int]]
) -> dict[str, frozenset[str]]:
    """The raw handles of the pages that have a flagged row."""
    wanted = pc.unique(pages.take(pa.array(sorted(hits), pa.int64())))
    mask = pc.fill_null(pc.is_in(pages, value_set=wanted), False)
    rows = pa.table({"page": pages.filter(mask), "handle": handles.filter(mask)})
    found: dict[str, set[str]] = {}
    for page, handle in zip(
        rows.column("page").to_pylist(), rows.column("handle").to_pylist(), strict=True
    ):
        if handle:
            found.setdefault(page, set()).add(handle)
    return {page: frozenset(hs) for page, hs in found.items()}


def _spans(text: str, groups: list) -> list[tuple[int, int]]:
    """Non-overlapping match spans in ``text``: longest first where they overlap."""
    found = [m.span() for group in groups for m in group.python.finditer(text)]
    found.sort(key=lambda span: (-(span[1] - span[0]), span[0]))
    chosen: list[tuple[int, int]] = []
    for start, end in found:
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


def _pseudonym(
    owners: tuple[str, ...], page_handles: frozenset[str], pseudonyms: Mapping[str, str]
) -> str:
    local = [h for h in owners if h in page_handles] or list(owners)
    return min(pseudonyms[h] for h in local)


def apply_replacements(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """Replace non-overlapping spans; every character outside them is kept as is."""
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(replacements):
        pieces += [text[cursor:start], replacement]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
