"""Language evaluation: how often ``articles.language`` is right on real pages.

    python -m pipeline.evaluation.language [REAL_PAGES_DIR]

REAL_PAGES_DIR (default ``../shared/real-pages``) holds ``pages/*.txt`` and
``gold/*.json``; every gold file with a ``language`` is a case. Two
measurements, each printed as right / wrong / unsure (null) per language and
overall:

* **gold text**: the detector (pipeline/language.py) on the gold headline,
  first and last paragraph, as the parse stage would call it on a perfect
  parse (title, then the paragraphs);
* **pipeline**: ``articles.language`` of a preview build of all the pages
  (parse, dedupe and the rest, with today's layouts), matched to the gold by
  source file; pages the pipeline rejects or merges are counted apart.

A report, not a gate: always exits 0.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from rich.console import Console

from pipeline.language import MIN_CONFIDENCE, article_language

DEFAULT_DIR = Path("../shared/real-pages")


def gold_cases(real_pages: Path) -> dict[str, dict]:
    """source file -> gold, for every gold file that names a language."""
    cases = {}
    for path in sorted((real_pages / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("language"):
            cases[gold["page"]] = gold
    return cases


def on_gold_text(cases: dict[str, dict]) -> dict[str, str | None]:
    """source file -> detected language of the gold headline and paragraphs."""
    out: dict[str, str | None] = {}
    for name, gold in cases.items():
        paragraphs = [gold.get("article_first_paragraph"), gold.get("article_last_paragraph")]
        body = "\n\n".join(p for p in paragraphs if p)
        title = gold.get("title") or ""
        out[name] = article_language(title, body) if (title or body) else None
    return out


def on_pipeline(real_pages: Path) -> dict[str, str | None]:
    """source file -> ``articles.language`` of a preview build of the pages."""
    from pipeline.build import run_stages
    from pipeline.pseudonyms import PseudonymKey

    with tempfile.TemporaryDirectory(prefix="language-eval-") as tmp:
        runner = run_stages(
            real_pages / "pages",
            PseudonymKey.random_preview(),
            build_dir=Path(tmp),
            console=Console(quiet=True),
        )
        articles = runner.read("release", "articles", ["source_file", "language"])
    return dict(
        zip(articles["source_file"].to_pylist(), articles["language"].to_pylist(), strict=True)
    )


def score(cases: dict[str, dict], found: dict[str, str | None]) -> dict[str, Counter]:
    """Per gold language (and 'all'): right, wrong, unsure (null), not released."""
    tally: dict[str, Counter] = {}
    for name, gold in cases.items():
        want = gold["language"]
        if name not in found:
            outcome = "not released"
        elif found[name] is None:
            outcome = "unsure"
        else:
            outcome = "right" if found[name] == want else f"wrong ({found[name]})"
        for key in (want, "all"):
            tally.setdefault(key, Counter())[outcome] += 1
    return tally


def report(title: str, tally: dict[str, Counter]) -> list[str]:
    lines = [title]
    for language in sorted(tally, key=lambda k: (k == "all", k)):
        counts = tally[language]
        total = sum(counts.values())
        parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        lines.append(f"  {language:>4}: {counts['right']}/{total} right ({parts})")
    return lines


def main(argv: list[str]) -> int:
    real_pages = Path(argv[0]) if argv else DEFAULT_DIR
    if not (real_pages / "gold").is_dir():
        print(f"no gold/ under {real_pages}; nothing to evaluate", file=sys.stderr)
        return 0
    cases = gold_cases(real_pages)
    print(f"{len(cases)} real pages with a gold language; detector threshold {MIN_CONFIDENCE}")
    for line in report("gold text (headline, first and last paragraph):",
                       score(cases, on_gold_text(cases))):  # fmt: skip
        print(line)
    for line in report("pipeline (articles.language of a preview build):",
                       score(cases, on_pipeline(real_pages))):  # fmt: skip
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
