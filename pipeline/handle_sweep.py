"""The anonymise stage's last sweep: no comment text leaves the stage with
anything the leak audit would call a commenter handle.

Mentions are found and replaced first, with their context
(:mod:`pipeline.mentions`: who is on the page, whether a word is used as a
name). That logic can miss a distinctive form: a handle written in another
case or spacing the mention finder does not spell ("xx_99_xx", "MR. T"), a
handle the parse got wrong (a body line taken for a handle is then a
"handle" everywhere it occurs). And replacing one mention can change the
context of another. The audit refuses a release with any of these, so the
stage makes sure there are none, with the audit's own definition
(:mod:`pipeline.handle_rule`):

* distinctive forms: every comment text is matched against the audit's
  patterns (:mod:`pipeline.leak_patterns`: full handles and private
  distinctive parts, RE2 over the whole column), and in the texts that match,
  each match is replaced by a pseudonym. Which one: the pseudonyms of the
  handles that spell it, preferring handles on the same page, then the
  smallest pseudonym (any choice hides the handle; this one is
  deterministic);
* ordinary forms used to address a commenter: the mention finder is run again
  on every text the first pass or the patterns changed, and what the rule
  requires (not the nickname extras) is replaced. A text nothing changed
  needs no second look: the first pass was that same finder on that same
  text.

Pseudonyms already written (``u_`` and ten base32 characters) and identifier
marks are opaque: nothing inside them is a handle. Public parts (names the
articles use) are left to the mention logic and are audit warnings, not
failures. The sweep's count is in the stage report (``sweep_replacements``):
a non-zero count is the mention logic or the parse missing something, worth
a look.

Pure: strings and arrays in, strings and spans out; never logs a handle or a text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.errors import CorpusError
from pipeline.leak_patterns import LeakPatterns, PatternGroup
from pipeline.mentions import OPAQUE_RE, CommentContext, HandleIndex, rule_mentions

SWEEP = "sweep"
MAX_ROUNDS = 4


class SweepFailed(CorpusError):
    """A text still matches a handle pattern after the sweep (a bug, never data)."""


@dataclass(frozen=True)
class Replacement:
    """text[start:end] of the ORIGINAL text becomes ``replacement``; ``kind`` says why."""

    start: int
    end: int
    replacement: str
    kind: str
    count: int = 1  # identifiers: one replacement may cut several URL parameters


@dataclass(frozen=True)
class SweepContext:
    """What the sweep needs to know about one comment and the release."""

    comment: CommentContext
    page_handles: frozenset[str]  # raw handles of the comment's page
    index: HandleIndex
    patterns: LeakPatterns
    by_raw: Mapping[str, str]  # raw handle -> pseudonym
    by_canonical: Mapping[str, str]  # canonical handle -> pseudonym


def sweep_comment(
    original: str,
    first_pass: Sequence[Replacement],
    groups: Sequence[PatternGroup],
    ctx: SweepContext,
) -> list[Replacement]:
    """``first_pass`` plus what the sweep adds (kind ``sweep``), all on the original text.

    ``groups`` are the pattern groups that flagged the text (may be empty).
    """
    replacements = sorted(first_pass, key=lambda r: r.start)
    for _ in range(MAX_ROUNDS):
        text, outputs = apply_with_outputs(original, replacements)
        found = _leftovers(text, outputs, groups, ctx)
        if not found:
            return replacements
        replacements = sorted(
            replacements + [_back(start, end, pseudonym, replacements) for start, end, pseudonym
                            in found],
            key=lambda r: r.start,
        )
    raise SweepFailed(
        f"anonymise: a comment text still holds a handle form after {MAX_ROUNDS} sweeps "
        "(the rule and its finder disagree); nothing was published"
    )


def _leftovers(
    text: str, outputs: list[tuple[int, int]], groups: Sequence[PatternGroup], ctx: SweepContext
) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, pseudonym) in ``text``: longest first where they overlap."""
    found: list[tuple[int, int, str]] = []
    for start, end in _pattern_spans(text, groups):
        owners = ctx.patterns.owners(text[start:end], groups)
        if not owners:
            raise SweepFailed("anonymise: a handle pattern matched text that spells no handle")
        found.append((start, end, _pseudonym(owners, ctx.page_handles, ctx.by_raw)))
    for mention in rule_mentions(text, ctx.comment, ctx.index):
        found.append((mention.start, mention.end, ctx.by_canonical[mention.handle]))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, str]] = []
    blocked = list(outputs) + [m.span() for m in OPAQUE_RE.finditer(text)]
    for start, end, pseudonym in found:
        if all(end <= s or start >= e for s, e, _ in chosen) and all(
            end <= s or start >= e for s, e in blocked
        ):
            chosen.append((start, end, pseudonym))
    return sorted(chosen)


def _pattern_spans(text: str, groups: Sequence[PatternGroup]) -> list[tuple[int, int]]:
    return [m.span() for group in groups for m in group.python.finditer(text)]


def _pseudonym(
    owners: tuple[str, ...], page_handles: frozenset[str], pseudonyms: Mapping[str, str]
) -> str:
    local = [h for h in owners if h in page_handles] or list(owners)
    return min(pseudonyms[h] for h in local)


def apply_with_outputs(
    text: str, replacements: Sequence[Replacement]
) -> tuple[str, list[tuple[int, int]]]:
    """The text with non-overlapping replacements applied, and where each output now is."""
    pieces: list[str] = []
    outputs: list[tuple[int, int]] = []
    cursor = length = 0
    for r in sorted(replacements, key=lambda r: r.start):
        kept = text[cursor : r.start]
        pieces += [kept, r.replacement]
        length += len(kept)
        outputs.append((length, length + len(r.replacement)))
        length += len(r.replacement)
        cursor = r.end
    pieces.append(text[cursor:])
    return "".join(pieces), outputs


def apply_replacements(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """Replace non-overlapping spans; every character outside them is kept as is."""
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(replacements):
        pieces += [text[cursor:start], replacement]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _back(start: int, end: int, pseudonym: str, applied: Sequence[Replacement]) -> Replacement:
    """A span of the replaced text (outside every output) as a span of the original."""
    shift = 0
    for r in applied:  # sorted by start
        output_start = r.start + shift
        if output_start >= end:
            break
        shift += len(r.replacement) - (r.end - r.start)
    return Replacement(start - shift, end - shift, pseudonym, SWEEP)
