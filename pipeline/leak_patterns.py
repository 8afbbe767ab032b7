"""What of a commenter handle may appear nowhere in released text, as patterns:
the *distinctive* forms of the handle rule (:mod:`pipeline.handle_rule`),
used by the leak audit (which refuses a release that contains one) and by
the anonymise stage's last sweep (which makes sure none is left). The rule's
other half, ordinary forms used to address a commenter, depends on the page
and is checked with the mention finder, not with patterns.

For a set of raw handles:

* a *full handle* is a distinctive handle (one with a word that is not an
  ordinary word, :func:`pipeline.handle_rule.is_distinctive_handle`), matched
  from its first to its last letter or digit, case-insensitively, white space
  inside it matching any run of white space ("Dr. Pro Liv", "xX_99_Xx");
* a *distinctive part* is a word or camelCase piece of a handle of four or
  more characters that is not an ordinary word ("Promitheas", "Ostranian").
  Parts the articles use as a name (``article_names``: "Konashenkov") are
  *public*: the audit only warns about them in comment text, and the sweep
  leaves them alone.

Every match is bounded by non-letters/digits on both sides. The patterns are
RE2 (for pyarrow.compute) and, spelled the same way, Python ``re`` (to find
where in one text a flagged match is). Literals are grouped
:data:`PATTERNS_PER_REGEX` to a pattern; each group keeps its literals, so a
flagged row is searched only with the groups that flagged it. Which rows a
group flags is found by :mod:`pipeline.handle_scan` (one pass for all
groups); :func:`rows_by_group` and :func:`matching_rows` here run every group
over every row: the reference it must equal.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.handle_rule import WORD_RE, distinctive_parts, is_distinctive_handle

# Literals per RE2 pattern. Measured on 30k comments against 21k and 51k literals:
# 1000 is about 2x faster than 200 (fewer passes) and than 2000+ (RE2's DFA
# outgrows its memory budget and falls back to slower matching).
PATTERNS_PER_REGEX = 1000
_RE2_BEFORE, _RE2_AFTER = r"(?:^|[^\pL\pN])(?:", r")(?:$|[^\pL\pN])"
_ESCAPE = re.compile(r"\\s\+|\\(.)")
_PY_BEFORE, _PY_AFTER = r"(?<![^\W_])(?:", r")(?![^\W_])"


@dataclass(frozen=True)
class PatternGroup:
    """Up to :data:`PATTERNS_PER_REGEX` literals and their combined patterns."""

    literals: tuple[str, ...]

    @property
    def re2(self) -> str:
        return _RE2_BEFORE + "|".join(self.literals) + _RE2_AFTER

    @cached_property
    def python(self) -> re.Pattern[str]:
        longest_first = sorted(self.literals, key=lambda lit: (-len(lit), lit))
        return re.compile(_PY_BEFORE + "|".join(longest_first) + _PY_AFTER, re.IGNORECASE)


@dataclass(frozen=True)
class LeakPatterns:
    """Full handles, private parts and public parts, as pattern groups, and
    which handles each spelling belongs to (by :func:`spelling_key`)."""

    full: tuple[PatternGroup, ...]
    private_parts: tuple[PatternGroup, ...]
    public_parts: tuple[PatternGroup, ...]
    full_owners: Mapping[str, tuple[str, ...]]
    part_owners: Mapping[str, tuple[str, ...]]

    def owners(self, matched: str, groups: Iterable[PatternGroup]) -> tuple[str, ...]:
        """The handles that text ``matched`` by one of ``groups`` spells (none: a bug).

        Looked up by :func:`spelling_key`; where the engine's case-insensitive
        match is looser than case folding ("IA" matches the literal "ıA", since
        "ı".upper() is "I"), by which of the groups' literals match it whole.
        """
        key = spelling_key(matched)
        found = self.full_owners.get(key) or self.part_owners.get(key)
        if found:
            return found
        keys = {
            spelling_key(unescaped(lit))
            for group in groups
            for lit in group.literals
            if re.fullmatch(lit, matched, re.IGNORECASE)
        }
        return tuple(
            sorted(
                {
                    h
                    for k in keys
                    for h in (*self.full_owners.get(k, ()), *self.part_owners.get(k, ()))
                }
            )
        )

    @staticmethod
    def re2(groups: Iterable[PatternGroup]) -> tuple[str, ...]:
        return tuple(group.re2 for group in groups)


def leak_patterns(
    handles: Iterable[str], ordinary: Container[str], article_names: frozenset[str]
) -> LeakPatterns:
    """The patterns for a release whose raw handles are ``handles``, in a text whose
    ordinary words are ``ordinary`` (pipeline.common_words.OrdinaryWords)."""
    distinct = sorted(set(handles))
    full_owners: dict[str, list[str]] = {}
    full_literals: dict[str, str] = {}
    part_owners: dict[str, list[str]] = {}
    for handle in distinct:
        core = handle_core(handle)
        if core and is_distinctive_handle(handle, ordinary, article_names):
            key = spelling_key(core)
            full_owners.setdefault(key, []).append(handle)
            full_literals.setdefault(literal(core), key)
        for part in distinctive_parts(handle, ordinary):
            part_owners.setdefault(spelling_key(part), []).append(handle)
    private = sorted(literal(p) for p in part_owners if p not in article_names)
    public = sorted(literal(p) for p in part_owners if p in article_names)
    return LeakPatterns(
        full=grouped(sorted(full_literals)),
        private_parts=grouped(private),
        public_parts=grouped(public),
        full_owners={k: tuple(v) for k, v in full_owners.items()},
        part_owners={k: tuple(v) for k, v in part_owners.items() if k not in article_names},
    )


def handle_core(handle: str) -> str:
    """The handle from its first to its last letter/digit ("" when it has none)."""
    words = list(WORD_RE.finditer(handle))
    if not words:
        return ""
    return handle[words[0].start() : words[-1].end()]


def spelling_key(text: str) -> str:
    """Case-folded, white space collapsed: what a case-insensitive match of a
    literal from :func:`literal` has in common with it."""
    return " ".join(text.casefold().split())


def literal(text: str) -> str:
    """``text`` as a literal valid in RE2 and Python ``re``: ASCII punctuation
    escaped, each run of white space matching any white space."""
    return r"\s+".join(piece.translate(_ESCAPES) for piece in _WHITESPACE.split(text))


_WHITESPACE = re.compile(r"\s+")
_ESCAPES = {
    code: "\\" + chr(code)
    for code in range(128)
    if not chr(code).isalnum() and not chr(code).isspace()
}


def unescaped(lit: str) -> str:
    """The text a :func:`literal` was made from, white space runs as one space."""
    return _ESCAPE.sub(lambda m: " " if m.group(1) is None else m.group(1), lit)


def grouped(literals: list[str]) -> tuple[PatternGroup, ...]:
    """The literals in groups of at most :data:`PATTERNS_PER_REGEX`."""
    return tuple(
        PatternGroup(tuple(literals[i : i + PATTERNS_PER_REGEX]))
        for i in range(0, len(literals), PATTERNS_PER_REGEX)
    )


def matching_rows(values: pa.Array, patterns: Iterable[str], threads: int = 1) -> np.ndarray:
    """Indices of the rows of ``values`` that any of the RE2 ``patterns`` match.

    Arrow's regex kernel releases the GIL, so ``threads`` > 1 runs patterns
    side by side (the audit, when nothing else is running; about 2x on 2 cores).
    """

    def rows_matching(pattern: str) -> np.ndarray:
        found = pc.match_substring_regex(values, pattern=pattern, ignore_case=True)
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False)

    patterns = list(patterns)
    hit = np.zeros(len(values), dtype=bool)
    if threads > 1 and len(patterns) > 1:
        with ThreadPoolExecutor(min(threads, len(patterns))) as pool:
            for found in pool.map(rows_matching, patterns):
                hit |= found
    else:
        for pattern in patterns:
            hit |= rows_matching(pattern)
    return np.flatnonzero(hit)


def rows_by_group(values: pa.Array, groups: Iterable[PatternGroup]) -> dict[int, list[int]]:
    """row -> indices of the groups that match it (rows no group matches are left out)."""
    found: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        for row in matching_rows(values, [group.re2]):
            found.setdefault(int(row), []).append(index)
    return found
