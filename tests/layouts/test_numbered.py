"""Tests of the numbered layout (pipeline/layouts/numbered.py): the seed against
its gold file, the line accounting law, scores against the other seeds, and
small fixture pages with other wording, indentation and truncation."""

from __future__ import annotations

import random

import pytest

from pipeline.layouts.base import LayoutMismatch, PageText
from pipeline.layouts.indented_bullets import LAYOUT as INDENTED_BULLETS
from pipeline.layouts.numbered import LAYOUT
from tests.layouts.threaded_checks import (
    all_seed_names,
    assert_lines_accounted,
    fixture_page,
    gold_differences,
    gold_for,
    seed_page,
)

SEED = "001_3c495f7519e354be.txt"


def test_seed_parses_to_its_gold() -> None:
    parsed = LAYOUT.parse(seed_page(SEED))
    assert gold_differences(parsed, gold_for(SEED)) == []


def test_seed_sets_aside_label_counter_and_reply_form() -> None:
    parsed = LAYOUT.parse(seed_page(SEED))
    reasons = {c.text: c.reason for c in parsed.chrome}
    assert reasons["Fact checked"] == "label"
    assert reasons["3 Comments"] == "comment-count"
    assert reasons["Leave a Reply"] == "reply-form"
    assert reasons["Your email address will not be published."] == "reply-form"
    assert all("Akismet" not in c.text for c in parsed.comments)


def test_seed_markers_are_stripped_from_comment_text() -> None:
    parsed = LAYOUT.parse(seed_page(SEED))
    assert parsed.comments[0].text.startswith("The US government")
    assert parsed.comments[2].text.startswith("Your first sentence")


@pytest.mark.parametrize("name", all_seed_names())
def test_every_seed_parses_with_every_line_accounted(name: str) -> None:
    page = seed_page(name)
    assert_lines_accounted(page, LAYOUT.parse(page))


def test_own_seed_scores_high_and_above_indented_bullets() -> None:
    page = seed_page(SEED)
    assert LAYOUT.score(page) > 0.5
    assert LAYOUT.score(page) > INDENTED_BULLETS.score(page)


@pytest.mark.parametrize("name", [n for n in all_seed_names() if n != SEED])
def test_other_seeds_score_low(name: str) -> None:
    assert LAYOUT.score(seed_page(name)) < 0.5


def test_four_space_page_with_other_wording() -> None:
    page = fixture_page("numbered_four_space_leave_a_comment.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert LAYOUT.score(page) > 0.5
    assert parsed.title == "Council Approves New Tram Line After Long Debate"
    assert parsed.n_comments_declared == 12
    assert parsed.body.split("\n\n")[0].startswith("The city council voted")
    threads = [(c.parent_position, c.depth) for c in parsed.comments]
    assert threads == [(None, 0), (None, 0), (1, 1), (2, 2), (1, 1), (None, 0)]
    assert parsed.comments[1].text == (
        "Who pays for it? The article does not say.\n\n"
        "I looked at the budget and could not find it either."
    )
    assert all(c.handle is None for c in parsed.comments)
    reasons = {c.text: c.reason for c in parsed.chrome}
    assert reasons["Opinion"] == "label"
    assert reasons["By Maria Lopez"] == "byline"
    assert reasons["Leave a comment"] == "reply-form"
    assert reasons["Post Comment"] == "reply-form"


def test_tab_indented_deep_thread() -> None:
    page = fixture_page("numbered_tabs_deep_thread.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert parsed.n_comments_declared == 5
    assert [c.depth for c in parsed.comments] == [0, 1, 2, 3, 0]
    assert [c.parent_position for c in parsed.comments] == [None, 0, 1, 2, None]
    assert parsed.comments[4].text.endswith("They should have held out longer.")
    assert LAYOUT.score(page) > INDENTED_BULLETS.score(page)


def test_zero_comments_page() -> None:
    page = fixture_page("numbered_zero_comments.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert parsed.comments == ()
    assert parsed.n_comments_declared == 0
    assert parsed.body.startswith("The central library")
    assert LAYOUT.score(page) > INDENTED_BULLETS.score(page)


def test_truncated_page_keeps_the_cut_comment() -> None:
    page = fixture_page("numbered_truncated.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert len(parsed.comments) == 3
    assert parsed.comments[2].parent_position == 1
    assert parsed.comments[2].text.endswith("half of what they")


def test_article_numbered_list_stays_in_the_article() -> None:
    page = fixture_page("numbered_article_with_list.txt")
    parsed = LAYOUT.parse(page)
    assert_lines_accounted(page, parsed)
    assert "1. Income tax stays the same.\n2. Fuel duty" in parsed.body
    assert [c.text for c in parsed.comments] == [
        "Cautious is the right word.",
        "Fuel duty again. Of course.",
        "It had to come from somewhere.",
    ]
    assert parsed.comments[2].parent_position == 1


@pytest.mark.parametrize(
    "counter, declared",
    [("12 comments", 12), ("Comments (7)", 7), ("One thought on “Harbour Strike Ends”", 1)],
)
def test_counter_wordings(counter: str, declared: int) -> None:
    text = f"Harbour Strike Ends\n\nDock workers returned.\n\n{counter}\n\n  1. Good.\n"
    parsed = LAYOUT.parse(fixture_text(text))
    assert parsed.n_comments_declared == declared
    assert [c.text for c in parsed.comments] == ["Good."]


def test_nbsp_and_trailing_spaces_do_not_change_the_thread() -> None:
    text = (
        "Harbour Strike Ends\n\nDock workers returned.\n\n2 Comments\n\n"
        "\u00a0\u00a01. Good news. \u00a0\n\n\u00a0\u00a0\u00a0\u00a0• Is it? \n"
    )
    parsed = LAYOUT.parse(fixture_text(text))
    assert [(c.text, c.depth) for c in parsed.comments] == [("Good news.", 0), ("Is it?", 1)]


def test_empty_page_is_a_mismatch_not_a_crash() -> None:
    with pytest.raises(LayoutMismatch):
        LAYOUT.parse(fixture_text("\n\n  \n"))


def test_synthetic_pages_parse_back_to_their_truth() -> None:
    """parse(render(page)) shows what the family shows, on seeded synthetic pages."""
    render = pytest.importorskip("pipeline.synth.render.numbered")
    generate = pytest.importorskip("pipeline.synth.generate")
    from pipeline.synth.model import flatten

    for index in range(40):
        rng = random.Random(f"numbered/{index}")
        truth = render.visible(generate.draw_page("numbered", rng))
        page = fixture_text(render.render(truth, rng))
        parsed = LAYOUT.parse(page)
        assert_lines_accounted(page, parsed)
        assert parsed.title == truth.title
        assert _squashed(parsed.body) == _squashed(truth.body)
        expected = [
            (c.parent_position, c.depth, _squashed(c.text)) for c in flatten(truth.comments)
        ]
        got = [(c.parent_position, c.depth, _squashed(c.text)) for c in parsed.comments]
        assert got == expected, f"synthetic page {index}"


def _squashed(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def fixture_text(text: str) -> PageText:
    return PageText.from_text("inline.txt", text)


def test_comment_numbers_past_9999_are_list_numbers() -> None:
    """A thread of 20,000 numbered comments (pipeline/bench/parse_scaling.py) lost every
    comment from number 10,000 on when list numbers had at most four digits."""
    from pipeline.layouts._line_shape import shape_of

    for number in (9999, 10000, 19999):
        shape = shape_of(1, f"  {number}. Great point about the road.", weak_bullets=False)
        assert (shape.kind, shape.number) == ("number", number)
