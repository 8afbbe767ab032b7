"""Every distinctive handle form at once, in one pass over the text: an
Aho-Corasick automaton (pyahocorasick) in front of the leak patterns.

The sweep (:mod:`pipeline.handle_sweep`) and the audit (:mod:`pipeline.audit`)
ask, of every text, which pattern groups of :mod:`pipeline.leak_patterns` match
it (case-insensitive RE2, one alternation of up to 1,000 literals per group).
Running every group over every text costs texts x handles. Here each literal
gets an *anchor*, its longest run of letters and digits: a text the literal
matches contains its anchor, up to case. One automaton over the folded
anchors finds, in one pass over a batch of texts, the rows and groups that
*may* match (never fewer than do); only those rows are then matched with
those groups' RE2 patterns, exactly as before. So :meth:`LiteralScan.rows_by_group`
returns what running every group over every row returns (the law in
tests/test_handle_scan.py), at a cost that grows with the text and the hits.

Folding: Arrow's ``utf8_lower`` (Unicode simple lower case, what RE2 and
Python's ``re`` compare), then the few characters either engine also takes
for another one ("ı" for "i", "ſ" for "s", "ς" for "σ", "ᲀ" for "в":
:data:`FOLDS`) mapped to one representative. The automaton runs on a batch's
UTF-8 bytes read as Latin-1 (one character per byte), so its offsets are byte
offsets and a hit is placed in its row by the Arrow offsets. A hit across two
rows only adds a candidate.

Holds handles' anchors; returns row numbers only; never logs anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from re._casefix import _EXTRA_CASES  # Python's own extra case equivalences ("ı" ~ "i")

import ahocorasick
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.handle_rule import WORD_RE
from pipeline.leak_patterns import PatternGroup, unescaped

BATCH_BYTES = 1 << 26  # texts per automaton pass: about 64 MB of UTF-8


@cache
def folds() -> dict[str, str]:
    """Character -> representative, for characters that simple lower case leaves
    apart but RE2 or Python's ``re`` match case-insensitively with another."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for code, extra in _EXTRA_CASES.items():
        for other in extra:
            union(_lower(chr(code)), _lower(chr(other)))
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cs", "Cn"):
            continue
        folded = char.casefold()
        if len(folded) == 1 and folded != _lower(char):
            union(_lower(char), _lower(folded))
    return {c: find(c) for c in parent if find(c) != c}


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def fold_text(text: str) -> str:
    """One string folded as :func:`fold_texts` folds a column (for anchors)."""
    return fold_texts(pa.array([text], pa.string()))[0].as_py() or ""


def fold_texts(values: pa.Array) -> pa.Array:
    """Lower case (Arrow), then every character of :func:`folds` to its representative."""
    lowered = pc.utf8_lower(values)
    table = folds()
    special = pc.fill_null(
        pc.match_substring_regex(lowered, _special_class(tuple(sorted(table)))), False
    )
    rows = np.flatnonzero(special.to_numpy(zero_copy_only=False))
    if not len(rows):
        return lowered
    texts = lowered.to_pylist()
    translation = str.maketrans(table)
    for row in rows:
        texts[row] = texts[row].translate(translation)
    return pa.array(texts, pa.string())


@cache
def _special_class(chars: tuple[str, ...]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def anchor(literal: str) -> str:
    """The literal's longest run of letters and digits (the first of equals)."""
    runs = WORD_RE.findall(unescaped(literal))
    return max(runs, key=len) if runs else ""


@dataclass
class LiteralScan:
    """The automaton over the anchors of some pattern groups' literals."""

    groups: Sequence[PatternGroup]
    automaton: ahocorasick.Automaton = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_anchor: dict[str, set[int]] = {}
        for index, group in enumerate(self.groups):
            anchors = [anchor(lit) for lit in group.literals]
            folded = fold_texts(pa.array(anchors, pa.string())).to_pylist()
            for key in folded:
                if key:
                    by_anchor.setdefault(key.encode("utf-8").decode("latin-1"), set()).add(index)
        self.automaton = ahocorasick.Automaton()
        for key, indices in by_anchor.items():
            self.automaton.add_word(key, tuple(sorted(indices)))
        if by_anchor:
            self.automaton.make_automaton()

    def candidates(self, values: pa.Array) -> dict[int, set[int]]:
        """row -> groups that may match it (a superset of those that do)."""
        if not len(self.automaton) or not len(values):
            return {}
        found: dict[int, set[int]] = {}
        for offset, batch in _batches(fold_texts(_plain(values))):
            data, ends = _latin1(batch)
            for end, indices in self.automaton.iter(data):
                row = offset + int(np.searchsorted(ends, end, side="left"))
                found.setdefault(row, set()).update(indices)
        return found

    def rows_by_group(
        self, values: pa.Array, only: Container[int] | None = None
    ) -> dict[int, list[int]]:
        """row -> indices of the groups whose RE2 pattern matches it (rows no group
        matches are left out): what running every group (of ``only``, when given)
        over every row gives."""
        by_group: dict[int, list[int]] = {}
        for row, indices in self.candidates(values).items():
            for index in indices:
                if only is None or index in only:
                    by_group.setdefault(index, []).append(row)
        found: dict[int, list[int]] = {}
        for index in sorted(by_group):
            rows = np.array(sorted(by_group[index]), dtype=np.int64)
            pattern = self.groups[index].re2
            hit = pc.match_substring_regex(values.take(pa.array(rows)), pattern, ignore_case=True)
            for row in rows[pc.fill_null(hit, False).to_numpy(zero_copy_only=False)]:
                found.setdefault(int(row), []).append(index)
        return dict(sorted(found.items()))

    def matching_rows(self, values: pa.Array, only: Container[int] | None = None) -> np.ndarray:
        """Indices of the rows any group (of ``only``, when given) matches, ascending."""
        return np.array(sorted(self.rows_by_group(values, only)), dtype=np.int64)


def _plain(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    return values


def _batches(values: pa.Array) -> Iterable[tuple[int, pa.Array]]:
    """Slices of at most about :data:`BATCH_BYTES` of text, with their first row."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[
        values.offset : values.offset + len(values) + 1
    ]
    start = 0
    while start < len(values):
        limit = np.searchsorted(offsets, offsets[start] + BATCH_BYTES, side="right") - 1
        end = max(start + 1, min(int(limit), len(values)))
        yield start, values.slice(start, end - start)
        start = end


def _latin1(batch: pa.Array) -> tuple[str, np.ndarray]:
    """The batch's UTF-8 bytes as a Latin-1 string, and each row's end offset in it
    (the automaton reports a hit at its last byte: its row is the first ending there
    or later)."""
    offsets = np.frombuffer(batch.buffers()[1], dtype=np.int32)[
        batch.offset : batch.offset + len(batch) + 1
    ]
    data = batch.buffers()[2]
    raw = b"" if data is None else data.to_pybytes()[offsets[0] : offsets[-1]]
    return raw.decode("latin-1"), (offsets[1:] - offsets[0] - 1).astype(np.int64)
