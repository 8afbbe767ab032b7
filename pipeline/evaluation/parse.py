"""Parse evaluation: how well the parse stage recovers known truth.

    python -m pipeline.evaluation.parse [--pages 300] [--seed 0]

Generates ``--pages`` files with ``pipeline.synth.generate`` (all five
families and all variants: CRLF, BOM, NBSP, tabs, trailing spaces,
Windows-1252, zero comments, truncation, duplicates, recaptures,
syndication, bad inputs), decodes each as ingest does, parses it with
``pipeline.stages.parse.parse_page`` and compares the result with the truth
*line by line*, using the role the renderer gave every line. It prints one
block per family with each metric, its target and MET / NOT MET, and always
exits 0: it is a report, not a gate.

Metrics (per family, summed over its pages; "line" = a line of the decoded
page; a parsed comment *owns* the lines in its ``handle_line`` and
``text_lines``):

* **pages / rejected / wrong layout**: pages generated with a truth; pages
  the parse stage rejected (``UnparseablePage``) or ingest could not decode;
  pages with comments parsed as another family (target 0; a page without
  comments may fit several families equally, so those are counted apart, for
  information). Rejected pages add nothing to the other metrics; target 0
  rejected. Pages parsed as another family are still scored line by line.
* **comment boundary F1**: the truth's boundaries are the first line (handle
  line, else first text line) of every comment the family shows; the parse's
  are the first owned line of every parsed comment. Precision, recall and F1
  over these two sets of line numbers. Not applicable to no_handles, whose
  pages show no boundary. Target >= 0.98.
* **handle attribution accuracy** (families that show handles): over every
  truth comment, correct when the parsed comment that owns its handle line
  (when the parse calls that line a handle) or else its first text line has
  the same handle, compared up to white space; a comment the truth shows
  without handle must get None. Target >= 0.99.
* **parent accuracy** (families that show threading): over every truth
  comment, correct when its owner (as above) exists, its parsed parent is the
  owner of the truth parent (None for top level) and its depth is the truth
  depth. Target >= 0.99.
* **paragraph assignment accuracy**: over every truth paragraph (article
  paragraphs and comment paragraphs), correct when all its lines are on the
  right side: article paragraphs in ``body_lines``, comment paragraphs in
  some comment's ``text_lines``. Reported for all families, target >= 0.98
  for no_handles (where the article/comment boundary has no marker).
* **chrome lines leaked**: lines the renderer wrote as chrome (menus,
  counters, forms, captions, separators, widgets, image placeholders) that
  the parse put in the title, body, a comment text or a handle. Target 0.
* **characters of text lost**: non-white-space characters of truth content
  lines (title, body, handle, comment text; a repeated headline is exempt)
  that the parse did not put in the title, body, a comment text or a handle
  (unclaimed, or logged as chrome). Target 0.
* **comment texts exact** (information): share of truth comments whose owner
  has exactly the truth text (up to white space).

This module must never change what it measures to fit a parser: the truth
comes from the generator, the verdict from the line roles.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.evaluation.views import normalise
from pipeline.layouts.base import PageText, ParsedPage
from pipeline.stages.ingest import decode_page
from pipeline.stages.parse import UnparseablePage, parse_page
from pipeline.synth.generate import SynthFile, generate_corpus
from pipeline.synth.model import FlatComment, flatten
from pipeline.synth.render import FAMILIES, renderer
from pipeline.synth.render.page_writer import (
    BODY,
    CHROME,
    CONTENT_KINDS,
    HANDLE,
    TEXT,
    LineRole,
)

TARGETS = {"boundary_f1": 0.98, "handle": 0.99, "parent": 0.99, "paragraph": 0.98}


@dataclass
class FamilyScore:
    """Running counts for one family."""

    pages: int = 0
    rejected: int = 0
    wrong_layout: int = 0
    wrong_layout_no_comments: int = 0
    boundary_tp: int = 0
    boundary_fp: int = 0
    boundary_fn: int = 0
    handle_ok: int = 0
    handle_total: int = 0
    parent_ok: int = 0
    parent_total: int = 0
    paragraph_ok: int = 0
    paragraph_total: int = 0
    chrome_leaked: int = 0
    chars_lost: int = 0
    text_exact: int = 0
    text_total: int = 0
    rejection_reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class PageClaims:
    """Where the parse put each line: part kind and owning comment."""

    kind: dict[int, str]
    owner: dict[int, int]

    @classmethod
    def of(cls, parsed: ParsedPage) -> PageClaims:
        kind: dict[int, str] = {}
        owner: dict[int, int] = {}
        for line_no in parsed.title_lines:
            kind[line_no] = "title"
        for line_no in parsed.body_lines:
            kind[line_no] = "body"
        for chrome in parsed.chrome:
            kind[chrome.line_no] = "chrome"
        for index, comment in enumerate(parsed.comments):
            for line_no in comment.text_lines:
                kind[line_no], owner[line_no] = "text", index
            if comment.handle_line is not None:
                kind[comment.handle_line], owner[comment.handle_line] = "handle", index
        return cls(kind, owner)

    def is_content(self, line_no: int) -> bool:
        return self.kind.get(line_no) in ("title", "body", "text", "handle")


def _lines_by_part(roles: tuple[LineRole, ...]) -> dict[tuple[str, int, int], list[int]]:
    parts: dict[tuple[str, int, int], list[int]] = {}
    for line_no, role in enumerate(roles, start=1):
        if role.kind in (BODY, HANDLE, TEXT):
            parts.setdefault((role.kind, role.comment, role.paragraph), []).append(line_no)
    return parts


def _comment_lines(roles: tuple[LineRole, ...]) -> dict[int, tuple[int | None, list[int]]]:
    """Truth comment position -> (handle line, text lines)."""
    found: dict[int, tuple[int | None, list[int]]] = {}
    for line_no, role in enumerate(roles, start=1):
        if role.kind not in (HANDLE, TEXT):
            continue
        handle_line, text_lines = found.get(role.comment, (None, []))
        if role.kind == HANDLE:
            handle_line = line_no
        else:
            text_lines.append(line_no)
        found[role.comment] = (handle_line, text_lines)
    return found


def _owner(claims: PageClaims, handle_line: int | None, text_lines: list[int]) -> int | None:
    if handle_line is not None and claims.kind.get(handle_line) == "handle":
        return claims.owner[handle_line]
    if text_lines and text_lines[0] in claims.owner:
        return claims.owner[text_lines[0]]
    if handle_line is not None:
        return claims.owner.get(handle_line)
    return None


def score_page(score: FamilyScore, synth: SynthFile, page: PageText, parsed: ParsedPage) -> None:
    """Add one parsed page's comparison to its family's counts."""
    assert synth.truth is not None and synth.roles is not None and synth.family is not None
    family = synth.family
    roles = synth.roles[: len(page.lines)]
    claims = PageClaims.of(parsed)
    truth = flatten(synth.truth.comments)
    lines = _comment_lines(roles)
    owners = {c: _owner(claims, h, t) for c, (h, t) in lines.items()}
    _score_lines(score, page, roles, claims)
    _score_paragraphs(score, roles, claims)
    if family != "no_handles":
        _score_boundaries(score, lines, parsed)
        _score_comments(score, family, truth, lines, owners, parsed)


def _score_lines(
    score: FamilyScore, page: PageText, roles: tuple[LineRole, ...], claims: PageClaims
) -> None:
    for line_no, role in enumerate(roles, start=1):
        if role.kind == CHROME and claims.is_content(line_no):
            score.chrome_leaked += 1
        elif role.kind in CONTENT_KINDS and not claims.is_content(line_no):
            score.chars_lost += sum(not ch.isspace() for ch in page.line(line_no))


def _score_paragraphs(score: FamilyScore, roles: tuple[LineRole, ...], claims: PageClaims) -> None:
    for (kind, _comment, _paragraph), line_nos in _lines_by_part(roles).items():
        if kind == HANDLE:
            continue
        wanted = "body" if kind == BODY else "text"
        score.paragraph_total += 1
        score.paragraph_ok += all(claims.kind.get(n) == wanted for n in line_nos)


def _score_boundaries(
    score: FamilyScore, lines: dict[int, tuple[int | None, list[int]]], parsed: ParsedPage
) -> None:
    truth = {min([*([h] if h is not None else []), *t]) for h, t in lines.values()}
    found = {
        min([*([c.handle_line] if c.handle_line is not None else []), *c.text_lines])
        for c in parsed.comments
        if c.handle_line is not None or c.text_lines
    }
    score.boundary_tp += len(truth & found)
    score.boundary_fp += len(found - truth)
    score.boundary_fn += len(truth - found)


def _score_comments(
    score: FamilyScore, family: str, truth: tuple[FlatComment, ...],
    lines: dict[int, tuple[int | None, list[int]]], owners: dict[int, int | None],
    parsed: ParsedPage,
) -> None:
    traits = renderer(family).TRAITS
    for comment in truth:
        if comment.position not in lines:
            continue
        owner = owners.get(comment.position)
        got = None if owner is None else parsed.comments[owner]
        score.text_total += 1
        score.text_exact += got is not None and normalise(got.text) == normalise(comment.text)
        if traits.shows_handles:
            score.handle_total += 1
            want = None if comment.handle is None else " ".join(comment.handle.split())
            have = None if got is None or got.handle is None else " ".join(got.handle.split())
            score.handle_ok += got is not None and want == have
        if traits.shows_threading:
            score.parent_total += 1
            parent = None if comment.parent_position is None else owners.get(
                comment.parent_position)
            score.parent_ok += (
                got is not None and got.parent_position == parent and got.depth == comment.depth
            )


# --------------------------------------------------------------------------
# Running and printing


def evaluate(pages: int, seed: int) -> tuple[dict[str, FamilyScore], dict[str, int]]:
    """Scores per family, and counts for the deliberately bad inputs."""
    scores = {family: FamilyScore() for family in FAMILIES}
    bad = {"files": 0, "rejected": 0}
    for synth in generate_corpus(pages, seed):
        decoded = decode_page(synth.data)
        if synth.truth is None or synth.family is None:
            bad["files"] += 1
            bad["rejected"] += decoded.text is None or _parses(synth.name, decoded.text) is None
            continue
        score = scores[synth.family]
        score.pages += 1
        if decoded.text is None:
            _reject(score, f"ingest: {decoded.reason}")
            continue
        page = PageText.from_text(synth.name, decoded.text)
        try:
            parsed = parse_page(page)
        except UnparseablePage as error:
            _reject(score, error.reason[:90])
            continue
        if parsed.layout != synth.family:
            score.wrong_layout += bool(synth.truth.comments)
            score.wrong_layout_no_comments += not synth.truth.comments
        score_page(score, synth, page, parsed)
    return scores, bad


def _parses(name: str, text: str) -> ParsedPage | None:
    try:
        return parse_page(PageText.from_text(name, text))
    except UnparseablePage:
        return None


def _reject(score: FamilyScore, reason: str) -> None:
    score.rejected += 1
    score.rejection_reasons[reason] = score.rejection_reasons.get(reason, 0) + 1


def _ratio(ok: int, total: int) -> float | None:
    return None if total == 0 else ok / total


def _f1(score: FamilyScore) -> float | None:
    tp, fp, fn = score.boundary_tp, score.boundary_fp, score.boundary_fn
    return None if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def metric_lines(family: str, score: FamilyScore) -> Iterable[tuple[str, str, str, bool | None]]:
    """(metric, value, target, met) rows for one family; met None = not applicable."""
    traits = renderer(family).TRAITS

    def at_least(name: str, value: float | None, key: str, applies: bool,
                 detail: str = "") -> tuple[str, str, str, bool | None]:
        if not applies or value is None:
            return name, "n/a", f">= {TARGETS[key]}", None
        return name, f"{value:.4f}{detail}", f">= {TARGETS[key]}", value >= TARGETS[key]

    def zero(name: str, value: int) -> tuple[str, str, str, bool | None]:
        return name, str(value), "0", value == 0

    yield zero("pages rejected", score.rejected)
    yield zero("pages parsed as another layout", score.wrong_layout)
    yield ("  same, pages without comments", str(score.wrong_layout_no_comments), "(info)", None)
    yield at_least("comment boundary F1", _f1(score), "boundary_f1", family != "no_handles",
                   f" (tp {score.boundary_tp}, fp {score.boundary_fp}, fn {score.boundary_fn})")
    yield at_least("handle attribution accuracy", _ratio(score.handle_ok, score.handle_total),
                   "handle", traits.shows_handles, f" ({score.handle_ok}/{score.handle_total})")
    yield at_least("parent accuracy", _ratio(score.parent_ok, score.parent_total), "parent",
                   traits.shows_threading, f" ({score.parent_ok}/{score.parent_total})")
    paragraph = _ratio(score.paragraph_ok, score.paragraph_total)
    row = at_least("paragraph assignment accuracy", paragraph, "paragraph", True,
                   f" ({score.paragraph_ok}/{score.paragraph_total})")
    yield row if family == "no_handles" else (row[0], row[1], "(info)", None)
    yield zero("chrome lines leaked into text", score.chrome_leaked)
    yield zero("characters of text lost", score.chars_lost)
    exact = _ratio(score.text_exact, score.text_total)
    yield ("comment texts exact", "n/a" if exact is None else f"{exact:.4f}", "(info)", None)


def report(scores: dict[str, FamilyScore], bad: dict[str, int], pages: int, seed: int,
           out: Callable[[str], None] = print) -> None:
    out(f"Parse evaluation: {pages} generated files, seed {seed}")
    for family, score in scores.items():
        out("")
        out(f"{family}: {score.pages} pages")
        for name, value, target, met in metric_lines(family, score):
            verdict = "" if met is None else ("MET" if met else "NOT MET")
            out(f"  {name:<32} {value:<36} target {target:<8} {verdict}")
        for reason, count in sorted(score.rejection_reasons.items()):
            out(f"    rejected {count}x: {reason}")
    out("")
    verdict = "MET" if bad["rejected"] == bad["files"] else "NOT MET"
    out(f"bad inputs (empty, binary, undecodable) rejected: {bad['rejected']}/{bad['files']}"
        f"   target all   {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the parse stage on synthetic pages.")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    scores, bad = evaluate(args.pages, args.seed)
    report(scores, bad, args.pages, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
