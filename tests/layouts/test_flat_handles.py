"""Tests for pipeline/layouts/flat_handles.py: the seed against its gold, the
line accounting law, scores against the other families, and small readable
pages under tests/fixtures/pages/ for the hard cases."""

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
LAYOUT = flat_handles.LAYOUT
OWN_SEED = "000_5749a4f8bac02938.txt"


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
    got_comments = [
        {
            "handle": c.handle,
            "first_words": " ".join(c.text.split()[:5]),
            "parent": c.parent_position,
            "depth": c.depth,
        }
        for c in parsed.comments
    ]
    assert len(got_comments) == len(gold["comments"])
    for position, (got, want) in enumerate(zip(got_comments, gold["comments"], strict=True)):
        assert got["handle"] == want["handle"], position
        assert got["first_words"].startswith(want["first_words"]), position
        assert (got["parent"], got["depth"]) == (want["parent"], want["depth"]), position


def test_seed_parses_to_its_gold() -> None:
    gold = json.loads((GOLD / "000_5749a4f8bac02938.json").read_text(encoding="utf-8"))
    parsed = parse_ok(load(SEEDS / gold["source_file"]))
    assert_matches_gold(parsed, gold)


def test_seed_positions_are_page_order() -> None:
    parsed = parse_ok(load(SEEDS / OWN_SEED))
    assert [c.position for c in parsed.comments] == list(range(len(parsed.comments)))
    assert all(c.parent_position is None and c.depth == 0 for c in parsed.comments)


def test_seed_chrome_reasons() -> None:
    parsed = parse_ok(load(SEEDS / OWN_SEED))
    reasons = {c.line_no: c.reason for c in parsed.chrome}
    assert reasons[11] == "repeated-title"
    assert reasons[13] == "photo-caption"
    assert reasons[36] == "comment-count"
    assert reasons[319] == "comment-footer"
    assert all(r == r.lower() and " " not in r for r in reasons.values())


def test_own_seed_scores_highest_of_the_two_layouts() -> None:
    page = load(SEEDS / OWN_SEED)
    assert LAYOUT.score(page) > 0.5
    assert LAYOUT.score(page) > blank_separated.LAYOUT.score(page)


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


def test_other_site_other_wording() -> None:
    parsed = fixture("flat_other_site.txt")
    assert parsed.site == "Harbour Ledger"
    assert parsed.title == "Port Strike Enters Its Third Week"
    assert parsed.n_comments_declared == 4
    assert parsed.body.startswith("Dock workers in the northern harbour")
    assert parsed.body.endswith("talks resume on Monday.")
    assert handles_and_texts(parsed) == [
        ("Ana B", "About time someone stood up to the port authority."),
        ("k8e", "Agreed\n\nThe contracts have been a mess since 2019."),
        ("Not a bot", "Nobody mentions the truckers waiting at the gate."),
        ("Ana B", "Good point, k8e."),
    ]
    assert LAYOUT.score(load(PAGES / "flat_other_site.txt")) > 0.5


def test_zero_comments() -> None:
    parsed = fixture("flat_zero_comments.txt")
    assert parsed.comments == ()
    assert parsed.n_comments_declared == 0
    assert parsed.title == "Council Approves New Tram Line"
    assert parsed.site is None
    assert len(parsed.body.split("\n\n")) == 2


def test_truncated_mid_comment() -> None:
    parsed = fixture("flat_truncated.txt")
    assert handles_and_texts(parsed)[-1] == ("jerry hamilton", "Ha ha ha. You couldn’t make this")
    assert len(parsed.comments) == 3


def test_short_bodies_and_short_handles() -> None:
    parsed = fixture("flat_short_lines.txt")
    assert handles_and_texts(parsed) == [
        ("r0b1n", "oops"),
        ("Cat", "Thats a good one"),
        ("as", "You Are IsIs"),
        ("You can call me Al", "LOL! .."),
        ("Siegfried", "Wishful thinking, I guess, but the reality on the field is grim."),
        (
            "northerntruthseeker .",
            "Honestly, you could not make this up.\n\nOr even better, to Tel Aviv.",
        ),
        ("You can call me Al", "Enough now, either shut up or go away."),
        ("Siegfried", "Wait till the weekend."),
    ]


def test_nbsp_tabs_and_trailing_spaces() -> None:
    parsed = fixture("flat_nbsp_tabs.txt")
    assert parsed.title == "Bridge Reopens After Repairs"
    assert handles_and_texts(parsed) == [
        ("Dr. Pro Liv", "Finally.\nTook them long enough."),
        ("Smaug", "The toll is the real story here."),
    ]
    assert parsed.body == (
        "The old bridge reopened on Tuesday after eight months of repairs.\n\n"
        "Engineers said the deck will last another forty years."
    )


def test_empty_page_is_a_mismatch_not_a_crash() -> None:
    with pytest.raises(flat_handles.LayoutMismatch):
        LAYOUT.parse(PageText.from_text("empty.txt", "\n \n\u00a0\n"))
    assert LAYOUT.score(PageText.from_text("empty.txt", "")) == 0.0


def test_first_handle_glued_to_the_header_that_recurs_below_is_a_handle() -> None:
    """A page drawn by the property law (tests/layouts/test_properties.py): the first
    handle, "You can call me Al", is glued to the comment header's paragraph ("Show all
    comments" above it) and shows again on two later comments. It was read as header
    chrome, tied to body text at its other two occurrences, and "You Are IsIs" (the first
    comment's text) became a handle. A text that opens a comment further down is a
    commenter's handle shown again, never the section's own words."""
    page = load(Path(__file__).parents[1] / "fixtures" / "pages"
                / "flat_first_handle_glued_recurs.txt")
    parsed = parse_ok(page)
    assert [c.handle for c in parsed.comments] == [
        "You can call me Al", "You can call me Al", "Elena Costa", "Not a bot", "{curly}",
        "You can call me Al", "r0b1n", "Elena Costa", "Elena Costa"]
    assert parsed.comments[0].text.startswith("You Are IsIs")
