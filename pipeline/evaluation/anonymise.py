"""Mention evaluation: ``python -m pipeline.evaluation.anonymise`` (``make eval-anonymise``).

Runs the anonymise stage's replacements - identifiers, mentions and the last
sweep, exactly what the stage writes (``comment_replacements``) - on sets of
truth, and prints per set, against the targets of the handle rule:

* **precision**: of the pseudonyms written into comment texts, the share
  that replace a true mention, with its exact span and the right commenter;
* **recall**: of the true mentions, the share replaced that way;
* **ordinary uses left alone**: of the trap words (ordinary words or phrases
  that are also a handle, or a part of one, of a commenter on the page, used
  as ordinary words), the share no pseudonym touches;
* what was replaced, per kind (full handle, distinctive part, addressed
  ordinary word, sweep): replacements and comments.

Sets of truth:

* the seed gold, tests/fixtures/mentions_gold.json, annotated by reading the
  comments of seeds 000, 002 and 003;
* mention pages (pipeline.evaluation.mention_pages) with seeds 7, 101, 202,
  303: handles of every awkward kind and traps written for them;
* the corpus generator (pipeline.synth.generate) with seeds 101, 202, 303,
  its truth used as a perfect parse: the comments as each page shows them,
  the mentions it wrote (mentions of a commenter whose handle the page does
  not show are neither counted nor held against the stage), and as traps
  every other use of an ordinary handle form of a commenter on the page.

With ``--leaks`` it also builds a preview release from each generated corpus
and from seeds/ (the whole pipeline, parse included) and counts the gold
handles - those the pages show - that leak into any release file:
distinctive whole handles anywhere, distinctive parts in comment texts (the
rule's half that needs no context; the other half is recall above). The test
suite uses other seeds (11, 23, 29).

Always exits 0: it measures, it does not gate. Output holds figures only,
never a handle or a comment.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.common_words import ANY_LANGUAGE, is_function_word, is_ordinary
from pipeline.evaluation.mention_pages import GoldComment, GoldPage, generate_pages
from pipeline.handle_rule import WORD_RE, is_distinctive_handle, subparts
from pipeline.handle_sweep import SWEEP, Replacement
from pipeline.mentions import public_words
from pipeline.pseudonyms import PseudonymKey, canonical_handle, pseudonym_map
from pipeline.stages.anonymise import REPLACEMENT_KINDS, ReleaseHandles, comment_replacements
from pipeline.synth.generate import generate_corpus
from pipeline.synth.model import SynthPage, flatten
from pipeline.synth.render import renderer

TARGETS = {"precision": 0.97, "recall": 0.95, "ordinary uses left alone": 0.98}
ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = ROOT / "tests" / "fixtures" / "mentions_gold.json"
MENTION_PAGE_SEEDS = (7, 101, 202, 303)
CORPUS_SEEDS = (101, 202, 303)
EVAL_KEY = PseudonymKey(b"evaluation-key-not-a-secret-0123456789")
_PSEUDONYM_KINDS = frozenset(REPLACEMENT_KINDS)


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    traps: int = 0
    traps_kept: int = 0
    comments: int = 0
    kinds: Counter = field(default_factory=Counter)
    kind_comments: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def preservation(self) -> float:
        return self.traps_kept / self.traps if self.traps else 1.0

    def add(self, other: Score) -> None:
        for name in ("true_positives", "false_positives", "false_negatives", "traps",
                     "traps_kept", "comments"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.kinds.update(other.kinds)
        self.kind_comments.update(other.kind_comments)


# --------------------------------------------------------------------------
# Sets of truth


def load_gold(path: Path = GOLD_PATH) -> list[GoldPage]:
    """The seed gold as pages whose mentions and traps are character spans."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [_gold_page(page) for page in data["pages"]]


def _gold_page(page: dict) -> GoldPage:
    comments = []
    for raw in page["comments"]:
        text = raw["text"]
        mentions = [
            (*_nth_word(text, m["surface"], m["nth"]), m["of"]) for m in raw["mentions"]
        ]
        traps = [_nth_word(text, t["surface"], t["nth"]) for t in raw["traps"]]
        comments.append(
            GoldComment(
                raw["position"], raw["parent_position"], raw["handle"], text, mentions, traps
            )
        )
    return GoldPage(page["article"], comments)


def _nth_word(text: str, surface: str, nth: int) -> tuple[int, int]:
    pattern = r"(?<!\w)" + re.escape(surface) + r"(?!\w)"
    match = list(re.finditer(pattern, text))[nth]
    return match.start(), match.end()


def corpus_pages(seed: int, n_files: int) -> list[GoldPage]:
    """The corpus generator's pages as truth (see the module docstring)."""
    pages = []
    for synth in generate_corpus(n_files, seed):
        if synth.truth is None or synth.family == "no_handles" or "truncated" in synth.variants:
            continue
        if synth.duplicate_of is not None:
            continue
        pages.append(_shown_page(synth.family or "", synth.truth))
    return pages


def _shown_page(family: str, truth: SynthPage) -> GoldPage:
    written = flatten(truth.comments)
    shown = flatten(renderer(family).visible(truth).comments)
    page_handles = {canonical_handle(c.handle) for c in shown if c.handle}
    comments = []
    for wrote, seen in zip(written, shown, strict=True):
        comment = GoldComment(seen.position, seen.parent_position, seen.handle, wrote.text)
        for start, end, handle in wrote.mentions:
            name = wrote.text[start:end]
            if canonical_handle(handle) in page_handles and WORD_RE.search(name):
                comment.mentions.append((start, end, handle))
            else:
                comment.ignored.append((start, end))
        comments.append(comment)
    handles = sorted({c.handle for c in shown if c.handle})
    for comment in comments:
        taken = [(s, e) for s, e, _ in comment.mentions] + comment.ignored
        comment.traps = [
            span for span in _ordinary_uses(comment.text, handles) if not _overlaps(span, taken)
        ]
    return GoldPage(f"{truth.title}\n\n{truth.body}", comments)


def _ordinary_uses(text: str, handles: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of ordinary handle forms in ``text``: a whole handle that is an ordinary
    word or phrase, and ordinary parts (>= 3 letters, not function words) of longer ones."""
    forms: set[str] = set()
    for handle in handles:
        words = WORD_RE.findall(handle)
        if words and not is_distinctive_handle(handle, ANY_LANGUAGE):
            forms.add(" ".join(w.casefold() for w in words))
        pieces = [p for w in words for p in (w, *subparts(w))]
        if len(pieces) > 1:
            forms.update(
                p.casefold() for p in pieces
                if len(p) >= 3 and p.isalpha() and is_ordinary(p) and not is_function_word(p)
            )
    spans: set[tuple[int, int]] = set()
    for form in forms:
        body = r"[\W_]+".join(re.escape(word) for word in form.split())
        for match in re.finditer(rf"(?<![^\W_])(?:{body})(?![^\W_])", text, re.IGNORECASE):
            spans.add(match.span())
    return sorted(spans)


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


# --------------------------------------------------------------------------
# What the stage replaces, scored


def stage_replacements(pages: Sequence[GoldPage]) -> list[list[list[Replacement]]]:
    """The stage's replacements for every comment, all pages forming one release."""
    rows: dict[str, list] = {name: [] for name in (
        "comment_id", "article_id", "parent_id", "position", "depth", "handle", "text",
        "source_file", "near_dup_cluster")}
    for p, page in enumerate(pages):
        for c in page.comments:
            rows["comment_id"].append(f"p{p}-c{c.position}")
            rows["article_id"].append(f"p{p}")
            parent = None if c.parent_position is None else f"p{p}-c{c.parent_position}"
            rows["parent_id"].append(parent)
            rows["position"].append(c.position)
            rows["depth"].append(0)
            rows["handle"].append(c.handle)
            rows["text"].append(c.text)
            rows["source_file"].append(f"p{p}.txt")
            rows["near_dup_cluster"].append(None)
    table = pa.table({name: pa.array(values, pa.int64() if name in ("position", "depth")
                                     else pa.string()) for name, values in rows.items()})
    handles = sorted({h for h in rows["handle"] if h and canonical_handle(h)})
    release = ReleaseHandles.build(EVAL_KEY, handles, public_words(p.article for p in pages))
    _, found = comment_replacements(table, release)
    out, row = [], 0
    for page in pages:
        out.append(found[row : row + len(page.comments)])
        row += len(page.comments)
    return out


def score(pages: Sequence[GoldPage]) -> Score:
    result = Score()
    handles = sorted({c.handle for p in pages for c in p.comments if c.handle})
    pseudonym = dict(_pseudonyms(handles))
    for page, page_found in zip(pages, stage_replacements(pages), strict=True):
        for comment, found in zip(page.comments, page_found, strict=True):
            _score_comment(comment, found, pseudonym, result)
    return result


def _pseudonyms(handles: list[str]) -> Iterable[tuple[str, str]]:
    for handle, pseudonym in pseudonym_map(EVAL_KEY, handles).items():
        yield canonical_handle(handle), pseudonym


def _score_comment(
    comment: GoldComment, found: list[Replacement], pseudonym: dict[str, str], result: Score
) -> None:
    result.comments += 1
    written = [r for r in found if r.kind in _PSEUDONYM_KINDS]
    gold = {(s, e, pseudonym.get(canonical_handle(h))) for s, e, h in comment.mentions}
    scored = {
        (r.start, r.end, r.replacement)
        for r in written
        if not _overlaps((r.start, r.end), comment.ignored)
    }
    result.true_positives += len(gold & scored)
    result.false_positives += len(scored - gold)
    result.false_negatives += len(gold - scored)
    for start, end in comment.traps:
        result.traps += 1
        if not any(r.start < end and start < r.end for r in written):
            result.traps_kept += 1
    result.kinds.update(r.kind for r in written)
    result.kind_comments.update({r.kind for r in written})


# --------------------------------------------------------------------------
# Leaks into a built release


def release_leaks(seeds_dir: Path, truth_handles: Iterable[str]) -> tuple[int, int, int]:
    """(distinctive gold handles found in any release file, distinctive gold parts found
    in comment texts, files) for a preview release built from ``seeds_dir``."""
    from rich.console import Console

    from pipeline.build import build_release
    from pipeline.handle_rule import distinctive_parts

    with tempfile.TemporaryDirectory() as work:
        result = build_release(
            seeds_dir, Path(work) / "dist", "0.0.1", None, build_dir=Path(work) / "build",
            console=Console(stderr=True, quiet=True),
        )
        release = result.outcome.path
        articles = pa.concat_tables(pq.read_table(p) for p in release.glob("articles*.parquet"))
        public = public_words(t for c in ("title", "body") for t in articles.column(c).to_pylist())
        handles = sorted(set(truth_handles))
        whole = [h for h in handles if is_distinctive_handle(h, ANY_LANGUAGE, public)]
        parts = sorted({p for h in handles for p in distinctive_parts(h, ANY_LANGUAGE, public)})
        files = [p for p in release.rglob("*") if p.is_file()]
        everything = "\n".join(_file_text(p) for p in files)
        texts = "\n".join(
            t for p in release.glob("comments*.parquet")
            for t in pq.read_table(p, columns=["text"]).column("text").to_pylist()
        )
        leaked_whole = sum(1 for h in whole if _found(h, everything))
        leaked_parts = sum(1 for part in parts if _found(part, texts))
        return leaked_whole, leaked_parts, len(files)


def _file_text(path: Path) -> str:
    if path.suffix != ".parquet":
        return path.read_bytes().decode("utf-8", errors="replace")
    table = pq.read_table(path)
    return "\n".join(
        str(v) for column in table.columns if pa.types.is_string(column.type)
        for v in column.to_pylist() if v
    )


def _found(form: str, text: str) -> bool:
    words = WORD_RE.findall(form)
    body = r"[\W_]+".join(re.escape(w) for w in words)
    return re.search(rf"(?<![^\W_])(?:{body})(?![^\W_])", text, re.IGNORECASE) is not None


# --------------------------------------------------------------------------
# Report


def report_lines(name: str, result: Score) -> list[str]:
    lines = [
        f"{name}: {result.comments} comments, "
        f"{result.true_positives + result.false_negatives} gold mentions, "
        f"{result.traps} trap words"
    ]
    for label, value in (
        ("precision", result.precision),
        ("recall", result.recall),
        ("ordinary uses left alone", result.preservation),
    ):
        target = TARGETS[label]
        verdict = "MET" if value >= target else "NOT MET"
        lines.append(f"  {label:<27} {value:6.3f}  (target >= {target:.2f})  {verdict}")
    kinds = ", ".join(
        f"{kind} {result.kinds[kind]} in {result.kind_comments[kind]}"
        for kind in (*REPLACEMENT_KINDS[:3], SWEEP)
    )
    per_comment = sum(result.kinds.values()) / result.comments if result.comments else 0.0
    lines.append(f"  replaced (kind: replacements in comments): {kinds}")
    lines.append(f"  pseudonyms written per comment: {per_comment:.4f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=400, help="generated files per corpus seed")
    parser.add_argument("--leaks", action="store_true", help="also build releases, count leaks")
    args = parser.parse_args(argv)
    results: dict[str, Score] = {"seed gold (000, 002, 003)": score(load_gold())}
    for seed in MENTION_PAGE_SEEDS:
        results[f"mention pages (seed {seed}, 200 pages)"] = score(generate_pages(seed, 200))
    for seed in CORPUS_SEEDS:
        results[f"corpus generator (seed {seed}, {args.files} files)"] = score(
            corpus_pages(seed, args.files)
        )
    total = Score()
    for name, result in results.items():
        total.add(result)
        print("\n".join(report_lines(name, result)))
    print("\n".join(report_lines("all sets together", total)))
    if args.leaks:
        _print_leaks(args.files)
    return 0


def _print_leaks(n_files: int) -> None:
    from pipeline.synth.generate import write_corpus

    for seed in CORPUS_SEEDS:
        with tempfile.TemporaryDirectory() as work:
            corpus = Path(work) / "corpus"
            write_corpus(corpus, n_files, seed, None)
            (corpus / "truth.jsonl").unlink()
            whole, parts, files = release_leaks(corpus, shown_handles(seed, n_files))
        print(f"leaks, corpus seed {seed}: {whole} distinctive gold handles in {files} release "
              f"files, {parts} distinctive gold parts in comment texts (target 0)")
    gold_handles = {c.handle for p in load_gold() for c in p.comments if c.handle}
    whole, parts, files = release_leaks(ROOT / "seeds", gold_handles)
    print(f"leaks, seeds/: {whole} distinctive gold handles in {files} release files, "
          f"{parts} distinctive gold parts in comment texts (target 0)")


def shown_handles(seed: int, n_files: int) -> set[str]:
    """The handles the generated pages show (a page that shows none has no gold handle:
    a name its comments use for a commenter nobody can see is not known as one)."""
    return {
        comment.handle
        for synth in generate_corpus(n_files, seed)
        if synth.truth is not None
        for comment in flatten(renderer(synth.family or "").visible(synth.truth).comments)
        if comment.handle
    }


if __name__ == "__main__":
    sys.exit(main())
