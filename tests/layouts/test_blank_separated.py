"""Tests for pipeline/layouts/blank_separated.py: the seed against its gold,
the line accounting law, scores against the other families, and small
readable pages under tests/fixtures/pages/ for the hard cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.layouts import blank_separated, flat_handles
from pipeline.layouts.base import PageText, ParsedPage, line_accounting_errors

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "gold"
PAGES = ROOT / "tests" / "fixtures" / "pages"
LAYOUT = blank_separated.LAYOUT
OWN_SEED = "003_7fa512f0e273dbc4.txt"


def load(path: Path) -> PageText:
    return PageText.from_text(path.name, path.read_text(encoding="utf-8"))


def parse_ok(page: PageText) -> ParsedPage:
    parsed = LAYOUT.parse(page)
    accounting = line_accounting_errors(page, parsed)
    assert accounting.ok, accounting.describe()
    return parsed


def assert_matches_gold(parsed: ParsedPage, gold: dict) -> None:
    assert parsed.layout == gold["layout"]
    assert parsed.title == gold["title"]
    assert parsed.site == gold["site"]
    assert parsed.n_comments_declared == gold["n_comments_declared"]
    paragraphs = parsed.body.split("\n\n") if parsed.body else []
    assert len(paragraphs) == len(gold["article_paragraphs"])
    for got, want in zip(paragraphs, gold["article_paragraphs"], strict=True):
        assert got.startswith(want), (got[:60], want)
    assert len(parsed.comments) == len(gold["comments"])
    for position, (got, want) in enumerate(zip(parsed.comments, gold["comments"], strict=True)):
        assert got.handle == want["handle"], position
        assert " ".join(got.text.split()[:5]).startswith(want["first_words"]), position
        assert (got.parent_position, got.depth) == (want["parent"], want["depth"]), position


def test_seed_parses_to_its_gold() -> None:
    gold = json.loads((GOLD / "003_7fa512f0e273dbc4.json").read_text(encoding="utf-8"))
    parsed = parse_ok(load(SEEDS / gold["source_file"]))
    assert_matches_gold(parsed, gold)


def test_seed_images_and_caption_are_chrome() -> None:
    parsed = parse_ok(load(SEEDS / OWN_SEED))
    reasons = {c.line_no: c.reason for c in parsed.chrome}
    assert reasons == {
        3: "photo-caption",
        119: "image-placeholder",
        139: "image-placeholder",
        146: "image-placeholder",
    }


def test_seed_multi_line_paragraphs_keep_their_line_breaks() -> None:
    parsed = parse_ok(load(SEEDS / OWN_SEED))
    third = parsed.comments[2]
    assert third.handle is None
    assert third.text.count("\n") == 2 and "\n\n" not in third.text
    assert third.text_lines == (26, 27, 28)


def test_own_seed_scores_highest_of_the_two_layouts() -> None:
    page = load(SEEDS / OWN_SEED)
    assert LAYOUT.score(page) > 0.5
    assert LAYOUT.score(page) > flat_handles.LAYOUT.score(page)


@pytest.mark.parametrize(
    "seed", sorted(p.name for p in SEEDS.glob("*.txt") if p.name != OWN_SEED)
)
def test_other_seeds_score_low(seed: str) -> None:
    assert LAYOUT.score(load(SEEDS / seed)) < 0.5


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_every_seed_parses_with_every_line_accounted(seed: str) -> None:
    parse_ok(load(SEEDS / seed))


# -- small pages ---------------------------------------------------------------------------


def fixture(name: str) -> ParsedPage:
    return parse_ok(load(PAGES / name))


def handles_and_texts(parsed: ParsedPage) -> list[tuple[str | None, str]]:
    return [(c.handle, c.text) for c in parsed.comments]


def test_short_bodies_short_handles_and_images() -> None:
    parsed = fixture("blank_short_lines.txt")
    assert parsed.title == "Heatwave Closes Schools Across The Region"
    assert parsed.body.startswith("Schools across the region closed")
    assert parsed.body.endswith("probably early next week.")
    assert handles_and_texts(parsed) == [
        ("Wise Gandalf", "Schools should have air conditioning by now."),
        (None, "End of the story, nobody cares."),
        ("Assad must stay (gr8rambino)", "What a shocker lmao"),
        ("Wise Gandalf", "oops"),
        ("Cat", "Thats a good one\n\nGrrrrrr !!!!!!"),
    ]
    images = [c for c in parsed.chrome if c.reason == "image-placeholder"]
    assert len(images) == 2


def test_zero_comments() -> None:
    parsed = fixture("blank_zero_comments.txt")
    assert parsed.comments == ()
    assert parsed.title == "Library Extends Opening Hours"
    assert len(parsed.body.split("\n\n")) == 2
    assert parsed.site is None and parsed.n_comments_declared is None


def test_truncated_mid_comment() -> None:
    parsed = fixture("blank_truncated.txt")
    assert [c.reason for c in parsed.chrome] == ["photo-caption"]
    assert handles_and_texts(parsed) == [
        ("Joe Dirt", "About time."),
        ("Promitheas Apollonious", "Now they need more staff, and the staff need to be paid"),
    ]


def test_nbsp_tabs_and_trailing_spaces() -> None:
    parsed = fixture("blank_nbsp_tabs.txt")
    assert parsed.title == "Library Extends Opening Hours"
    assert parsed.body == "The city library will open until nine in the evening from next month."
    assert handles_and_texts(parsed) == [
        ("Joe Dirt", "Good. Very good."),
        (None, "second comment\nwith two lines"),
    ]


def test_empty_page_is_a_mismatch_not_a_crash() -> None:
    with pytest.raises(blank_separated.LayoutMismatch):
        LAYOUT.parse(PageText.from_text("empty.txt", "\u200b\n\n"))
    assert LAYOUT.score(PageText.from_text("empty.txt", "")) == 0.0
