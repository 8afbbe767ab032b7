"""Mention evaluation: ``python -m pipeline.evaluation.anonymise`` (``make eval-anonymise``).

Runs the anonymise stage's mention finder (exactly what the stage replaces)
on two sets of truth and prints precision, recall and ordinary-word
preservation against the targets (>= 0.95 each):

* the seed gold, tests/fixtures/mentions_gold.json, annotated by reading the
  comments of seeds 000, 002 and 003;
* generated pages (pipeline.evaluation.mention_pages, fixed seed).

A predicted mention counts as correct only with the exact span and the right
commenter. Preservation is the share of trap words (ordinary words equal to a
handle or a part of one) left untouched. Always exits 0: it measures, it does
not gate. Output holds figures only, never a handle or a comment.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluation.mention_pages import GoldComment, GoldPage, generate_pages
from pipeline.mentions import HandleIndex, Mention, public_words, thread_contexts
from pipeline.pseudonyms import canonical_handle
from pipeline.stages.anonymise import text_findings

TARGET = 0.95
GOLD_PATH = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "mentions_gold.json"


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    traps: int = 0
    traps_kept: int = 0

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


def predict(pages: Sequence[GoldPage]) -> list[list[list[Mention]]]:
    """The stage's mentions for every comment, with all pages forming one release."""
    handles = sorted({c.handle for p in pages for c in p.comments if c.handle})
    index = HandleIndex(handles, public_words(p.article for p in pages))
    predicted = []
    for page in pages:
        contexts = thread_contexts(
            [str(c.position) for c in page.comments],
            [None if c.parent_position is None else str(c.parent_position) for c in page.comments],
            [c.handle for c in page.comments],
        )
        pairs = zip(page.comments, contexts, strict=True)
        predicted.append([text_findings(c.text, ctx, index)[1] for c, ctx in pairs])
    return predicted


def score(pages: Sequence[GoldPage]) -> Score:
    result = Score()
    for page, page_predictions in zip(pages, predict(pages), strict=True):
        for comment, mentions in zip(page.comments, page_predictions, strict=True):
            _score_comment(comment, mentions, result)
    return result


def _score_comment(comment: GoldComment, mentions: list[Mention], result: Score) -> None:
    gold = {(s, e, canonical_handle(h)) for s, e, h in comment.mentions}
    found = {(m.start, m.end, m.handle) for m in mentions}
    result.true_positives += len(gold & found)
    result.false_positives += len(found - gold)
    result.false_negatives += len(gold - found)
    for start, end in comment.traps:
        result.traps += 1
        if not any(m.start < end and start < m.end for m in mentions):
            result.traps_kept += 1


def report_lines(name: str, result: Score) -> list[str]:
    lines = [
        f"{name}: {result.true_positives + result.false_negatives} gold mentions, "
        f"{result.traps} trap words"
    ]
    for label, value in (
        ("precision", result.precision),
        ("recall", result.recall),
        ("ordinary-word preservation", result.preservation),
    ):
        verdict = "MET" if value >= TARGET else "NOT MET"
        lines.append(f"  {label:<27} {value:6.3f}  (target >= {TARGET:.2f})  {verdict}")
    return lines


def main() -> int:
    results = {
        "seed gold (000, 002, 003)": score(load_gold()),
        "generated pages (seed 7, 200 pages)": score(generate_pages(seed=7, n_pages=200)),
    }
    for name, result in results.items():
        print("\n".join(report_lines(name, result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
