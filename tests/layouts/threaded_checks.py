"""Checks shared by the tests of the threaded layouts (numbered, indented bullets).

Loads seeds, fixture pages and gold files, and compares a parse with a gold
file the way the gold is written: first words by prefix, every other field
exactly. It must never import a layout's internals: only ``LAYOUT``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.layouts.base import (
    Layout,
    PageText,
    ParsedComment,
    ParsedPage,
    line_accounting_errors,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "gold"
PAGES = ROOT / "tests" / "fixtures" / "pages"


def seed_page(name: str) -> PageText:
    return PageText.from_text(name, (SEEDS / name).read_text(encoding="utf-8"))


def fixture_page(name: str) -> PageText:
    return PageText.from_text(name, (PAGES / name).read_text(encoding="utf-8"))


def all_seed_names() -> list[str]:
    return sorted(path.name for path in SEEDS.iterdir() if path.is_file())


def gold_for(seed_name: str) -> dict:
    return json.loads((GOLD / f"{Path(seed_name).stem}.json").read_text(encoding="utf-8"))


def first_words(text: str, count: int) -> list[str]:
    return text.split()[:count]


def starts_with_words(text: str, expected: str) -> bool:
    """Does ``text`` begin with the words of ``expected`` (white space ignored)?"""
    words = expected.split()
    return first_words(text, len(words)) == words


def gold_differences(parsed: ParsedPage, gold: dict) -> list[str]:
    """Every way ``parsed`` departs from ``gold``, as readable messages."""
    problems: list[str] = []
    for field in ("layout", "title", "site", "n_comments_declared"):
        if getattr(parsed, field) != gold[field]:
            problems.append(f"{field}: {getattr(parsed, field)!r} != {gold[field]!r}")
    paragraphs = parsed.body.split("\n\n") if parsed.body else []
    expected = gold["article_paragraphs"]
    if len(paragraphs) != len(expected):
        problems.append(f"article paragraphs: {len(paragraphs)} != {len(expected)}")
    for index, (got, want) in enumerate(zip(paragraphs, gold["article_paragraphs"], strict=False)):
        if not starts_with_words(got, want):
            problems.append(f"article paragraph {index}: {got[:60]!r} does not start {want!r}")
    if len(parsed.comments) != len(gold["comments"]):
        problems.append(f"comments: {len(parsed.comments)} != {len(gold['comments'])}")
    for index, (got, want) in enumerate(zip(parsed.comments, gold["comments"], strict=False)):
        problems.extend(_comment_differences(index, got, want))
    return problems


def _comment_differences(index: int, got: ParsedComment, want: dict) -> list[str]:
    problems = []
    if got.position != index:
        problems.append(f"comment {index}: position {got.position}")
    if got.handle != want["handle"]:
        problems.append(f"comment {index}: handle {got.handle!r} != {want['handle']!r}")
    if got.parent_position != want["parent"] or got.depth != want["depth"]:
        problems.append(
            f"comment {index}: parent/depth {got.parent_position}/{got.depth}"
            f" != {want['parent']}/{want['depth']}"
        )
    if want["first_words"] == "" and got.text != "":
        problems.append(f"comment {index}: expected an empty comment, got {got.text[:40]!r}")
    elif not starts_with_words(got.text, want["first_words"]):
        start = want["first_words"]
        problems.append(f"comment {index}: {got.text[:40]!r} does not start {start!r}")
    return problems


def assert_lines_accounted(page: PageText, parsed: ParsedPage) -> None:
    accounting = line_accounting_errors(page, parsed)
    assert accounting.ok, f"{page.source_file}: {accounting.describe()}"


def scores(layouts: list[Layout], page: PageText) -> dict[str, float]:
    return {layout.name: layout.score(page) for layout in layouts}
