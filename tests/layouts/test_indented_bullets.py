"""Tests of the indented-bullets (Disqus) layout (pipeline/layouts/indented_bullets.py):
the seed against its gold file, the line accounting law, scores against the
other seeds, and small fixture pages with other indentation, deep threads,
empty bodies, zero comments, flattened indentation and truncation."""

from __future__ import annotations

import random

import pytest

from pipeline.layouts.base import LayoutMismatch, PageText
from pipeline.layouts.indented_bullets import LAYOUT
from pipeline.layouts.numbered import LAYOUT as NUMBERED
from tests.layouts.threaded_checks import (
    all_seed_names,
    assert_lines_accounted,
    fixture_page,
    gold_differences,
    gold_for,
    seed_page,
)

SEED = "002_634aa2619ca94cc3.txt"


def test_seed_parses_to_its_gold() -> None:
    parsed = LAYOUT.parse(seed_page(SEED))
    assert gold_differences(parsed, gold_for(SEED)) == []


def test_seed_chrome_has_reasons() -> None:
    parsed = LAYOUT.parse(seed_page(SEED))
    assert [(c.line_no, c.reason) for c in parsed.chrome] == [
        (1, "date-line"),
        (6, "repeated-title"),
        (8, "photo-caption"),
    ]


def test_seed_paragraph_lines_and_empty_comment() -> None:
    parsed = LAYOUT.parse(seed_page(SEED))
    by_handle = {c.handle: c for c in parsed.comments}
    assert by_handle["Turbofan"].text == ""
    assert by_handle["Turbofan"].text_lines == ()
    bente = by_handle["Bente Petersen"]
    assert bente.text.count("\n") == 2 and "\n\n" not in bente.text
    assert len(by_handle["Carol Davidek-Waller"].text.split("\n")) == 2


@pytest.mark.parametrize("name", all_seed_names())
def test_every_seed_parses_with_every_line_accounted(name: str) -> None:
    page = seed_page(name)
    assert_lines_accounted(page, LAYOUT.parse(page))


def test_own_seed_scores_high_and_above_numbered() -> None:
    page = seed_page(SEED)
    assert LAYOUT.score(page) > 0.5
    assert LAYOUT.score(page) > NUMBERED.score(page)


@pytest.mark.parametrize("name", [n for n in all_seed_names() if n != SEED])
def test_other_seeds_score_low(name: str) -> None:
    assert LAYOUT.score(seed_page(name)) < 0.5


def test_four_space_deep_thread_with_empty_bodies_and_footer() -> None:
    page = fixture_page("bullets_four_space_deep.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert LAYOUT.score(page) > 0.5
    assert [(c.handle, c.parent_position, c.depth) for c in parsed.comments] == [
        ("as", None, 0),
        ("Jürgen K.", 0, 1),
        ("r0b1n", 1, 2),
        ("as", 2, 3),
        ("Turbofan", None, 0),
        ("Señor Gato", None, 0),
    ]
    assert parsed.comments[0].text == (
        "Three days is not enough for people who work on the mainland.\n"
        "Some of us cross every day."
    )
    assert parsed.comments[3].text == "" and parsed.comments[4].text == ""
    assert parsed.comments[5].text == "Who decided this?\n\nNobody asked us."
    reasons = {c.text: c.reason for c in parsed.chrome}
    assert reasons["MARCH 2021"] == "date-line"
    assert reasons["Photo: Harbour authority"] == "photo-caption"
    assert reasons["Load more comments"] == "comment-widget"
    assert reasons["Powered by Disqus"] == "comment-widget"


def test_tabs_nbsp_counter_and_truncation() -> None:
    page = fixture_page("bullets_tabs_truncated.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert parsed.n_comments_declared == 12
    assert [(c.handle, c.parent_position, c.depth) for c in parsed.comments] == [
        ("Cat", None, 0),
        ("Dr. Pro Liv", 0, 1),
        ("ihraç subay", None, 0),
    ]
    assert parsed.comments[2].text.endswith("next to the runway and who will")


def test_zero_comments_page_parses() -> None:
    page = fixture_page("bullets_zero_comments.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert parsed.comments == ()
    assert parsed.title == "Museum Returns Stolen Painting"


def test_article_bullet_list_stays_in_the_article() -> None:
    page = fixture_page("bullets_article_with_list.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert "• lower speed limits near schools" in parsed.body
    assert [(c.handle, c.parent_position) for c in parsed.comments] == [
        ("Joe", None),
        ("Marko", 0),
        ("Anonymous", None),
    ]


def test_flattened_indentation_keeps_handles_and_texts() -> None:
    page = fixture_page("bullets_flat_indentation.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert [(c.handle, c.text, c.depth) for c in parsed.comments] == [
        ("Meatgrinder", "Six percent again.", 0),
        ("guest", "Every year the same.", 0),
        ("velociraptor", "", 0),
    ]


@pytest.mark.parametrize("step", ["  ", "   ", "    ", "\t"])
def test_depth_follows_the_page_own_indentation_step(step: str) -> None:
    lines = ["Title Of The Story", "", "Article text here.", ""]
    for depth, handle in enumerate(["a1", "b2", "c3"]):
        lines += [f"{step * (depth + 1)}• {handle}", "", f"{step * (depth + 2)}text {handle}", ""]
    parsed = LAYOUT.parse(PageText.from_text("inline.txt", "\n".join(lines)))
    assert [(c.handle, c.depth, c.text) for c in parsed.comments] == [
        ("a1", 0, "text a1"),
        ("b2", 1, "text b2"),
        ("c3", 2, "text c3"),
    ]


def test_empty_page_is_a_mismatch_not_a_crash() -> None:
    with pytest.raises(LayoutMismatch):
        LAYOUT.parse(PageText.from_text("inline.txt", "\u00a0\n\n"))


def test_synthetic_pages_parse_back_to_their_truth() -> None:
    """parse(render(page)) == page on seeded synthetic Disqus-like pages."""
    render = pytest.importorskip("pipeline.synth.render.indented_bullets")
    generate = pytest.importorskip("pipeline.synth.generate")
    from pipeline.synth.model import flatten

    for index in range(40):
        rng = random.Random(f"indented_bullets/{index}")
        truth = render.visible(generate.draw_page("indented_bullets", rng))
        page = PageText.from_text("synthetic.txt", render.render(truth, rng))
        parsed = LAYOUT.parse(page)
        assert_lines_accounted(page, parsed)
        assert parsed.title == truth.title
        expected = [
            (c.handle, c.parent_position, c.depth, _squashed(c.text))
            for c in flatten(truth.comments)
        ]
        got = [(c.handle, c.parent_position, c.depth, _squashed(c.text)) for c in parsed.comments]
        assert got == expected, f"synthetic page {index}"


def _squashed(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))
