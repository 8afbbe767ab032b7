"""How well the headline ranker would do on pages it was not fitted on.

``python -m tests.layouts.title_cv``: for every real page in tests/fixtures/real_pages
that is an article and whose gold headline is among the ranker's candidates (the
headline-shaped lines near the article text, ``pipeline.layouts.records.article._title``),
fits the ranker's weights (a softmax over each page's candidates, L2-regularised, plain
gradient descent: numpy only) on all the other pages and checks whether the left-out
page's headline comes first. Prints the count for a few regularisation strengths, and the
shipped weights' count on the same pages (in-sample: they were fitted on these pages).
``--fit`` also prints the weights fitted on every page (how the shipped ones were made).

A measurement, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from pipeline.layouts.base import PageText
from pipeline.layouts.records import article as A
from pipeline.layouts.records import read_page
from tests.layouts.real_pages import FIXTURES, gold_files


def candidate_sets() -> list[tuple[str, np.ndarray, int | None]]:
    """(page, candidate features, index of the gold headline or None) per article page."""
    out = []
    for gold_path in gold_files():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not gold["is_article"]:
            continue
        text = (FIXTURES / "pages" / gold["page"]).read_text(encoding="utf-8")
        reading = read_page(PageText.from_text(gold["page"], text))
        lines, end = reading.lines, reading.section_start
        scores = A.line_scores(lines, end)
        start, stop = A.text_run(scores)
        target = A._fold(gold["title"])
        rows, right = [], None
        for at, features in A.headline_candidates(lines, scores, start, stop, end):
            if right is None and A._fold(lines[at].content) == target:
                right = len(rows)
            rows.append(features)
        out.append((gold["page"], np.array(rows, dtype=float), right))
    return out


FIT_STRENGTH = 1.0  # the L2 strength the shipped weights were fitted with


def fit(sets: list[tuple[str, np.ndarray, int | None]], strength: float,
        steps: int = 3000, rate: float = 0.05) -> np.ndarray:
    """Weights maximising the gold headlines' softmax probability, minus strength * |w|^2."""
    weights = np.zeros(sets[0][1].shape[1])
    for _ in range(steps):
        grad = 2 * strength * weights
        for _, rows, right in sets:
            values = rows @ weights
            p = np.exp(values - values.max())
            p /= p.sum()
            grad -= rows[right] - p @ rows
        weights -= rate * grad / len(sets)
    return weights


def first(weights: np.ndarray, rows: np.ndarray, right: int) -> bool:
    return int(np.argmax(rows @ weights)) == right


def main() -> int:
    sets = candidate_sets()
    usable = [s for s in sets if s[2] is not None and len(s[1])]
    shipped = np.array(A._TITLE_WEIGHTS)
    print(f"article pages {len(sets)}; gold headline among the candidates on {len(usable)}")
    print(f"shipped weights: right on {sum(first(shipped, r, y) for _, r, y in usable)}"
          f"/{len(usable)} (in-sample for the pages they were fitted on)")
    if "--fit" in sys.argv:  # the weights fitted on every page, to ship
        weights = fit(usable, FIT_STRENGTH)
        print("fitted on all:", tuple(round(float(w), 2) for w in weights),
              f"right on {sum(first(weights, r, y) for _, r, y in usable)}/{len(usable)}")
    for strength in (0.1, 0.3, 1.0):
        right = sum(
            first(fit([s for s in usable if s is not left], strength), left[1], left[2])
            for left in usable
        )
        print(f"leave one page out, L2 {strength}: right on {right}/{len(usable)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
