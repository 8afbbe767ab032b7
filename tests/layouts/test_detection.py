"""Layout detection: a plug-in's cheap score bound never undercuts its score,
so skipping the layouts that cannot win changes the time, never the result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.layouts import all_layouts
from pipeline.layouts.base import LayoutMismatch, PageText, ParsedPage
from pipeline.stages import parse as parse_stage
from pipeline.synth.render import FAMILIES
from pipeline.synth.strategies import RenderedCase, rendered_pages

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))
BOUNDED = [layout for layout in all_layouts() if hasattr(layout, "score_bound")]


def _page(path: Path) -> PageText:
    return PageText.from_text(path.name, path.read_text(encoding="utf-8", errors="replace"))


def _assert_bounds_hold(page: PageText) -> None:
    for layout in BOUNDED:
        assert layout.score_bound(page) >= layout.score(page), layout.name


def test_some_layouts_offer_a_bound():
    assert {layout.name for layout in BOUNDED} >= {"blank_separated", "no_handles"}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_bounds_hold_and_detection_is_unchanged_on_the_seeds(seed):
    page = _page(seed)
    _assert_bounds_hold(page)
    scores = parse_stage.layout_scores(page)
    exhaustive = min(scores, key=lambda name: (-scores[name], name))  # every layout scored
    assert parse_stage.parse_page(page).layout == exhaustive


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(FAMILIES)).flatmap(rendered_pages))
def test_bounds_hold_on_generated_pages(case: RenderedCase):
    _assert_bounds_hold(PageText.from_text(f"generated_{case.family}.txt", case.text))


# --- the detector with plug-ins of known behaviour -------------------------------


@dataclass
class FakeLayout:
    name: str
    fit: float
    fails: bool = False

    def score(self, page: PageText) -> float:
        return self.fit

    def parse(self, page: PageText) -> ParsedPage:
        if self.fails:
            raise LayoutMismatch("not this one after all")
        lines = tuple(n for n in range(2, len(page.lines) + 1) if page.line(n).strip())
        return ParsedPage(
            layout=self.name, title=page.line(1), body="\n".join(page.line(n) for n in lines),
            site=None, n_comments_declared=None, comments=(), chrome=(),
            title_lines=(1,), body_lines=lines,
        )  # fmt: skip


@dataclass
class BoundedFake(FakeLayout):
    bound: float = 1.0
    scored: int = 0

    def score_bound(self, page: PageText) -> float:
        return self.bound

    def score(self, page: PageText) -> float:
        self.scored += 1
        return self.fit


PAGE = PageText.from_text("x.txt", "Title\n\nSome article text.\n")


def test_a_layout_that_cannot_win_is_not_scored(monkeypatch):
    loser = BoundedFake("b_loser", 0.4, bound=0.5)
    contender = BoundedFake("c_contender", 0.7, bound=0.95)
    monkeypatch.setattr(
        parse_stage, "all_layouts", lambda: [FakeLayout("a_plain", 0.9), loser, contender]
    )
    assert parse_stage.parse_page(PAGE).layout == "a_plain"
    assert loser.scored == 0 and contender.scored == 1


def test_when_the_best_fails_a_skipped_layout_still_gets_its_turn(monkeypatch):
    skipped = BoundedFake("b_skipped", 0.6, bound=0.65)
    monkeypatch.setattr(
        parse_stage, "all_layouts", lambda: [FakeLayout("a_best", 0.9, fails=True), skipped]
    )
    assert parse_stage.parse_page(PAGE).layout == "b_skipped"
    assert skipped.scored == 1


def test_a_page_that_is_all_head_scores_without_an_error():
    # Found by the law above: title, one article paragraph, and comments
    # without handles that read as article text leave blank_separated no unit
    # to decode; the empty decode used to index the first unit and raise.
    lines = [
        "The Plaintiffs Rejects Reports About Bail In The High Court\xa0",
        "It was not immediately clear how the jury would respond to the verdict. "
        "The decision was welcomed by the attorney general.\xa0",
        "Wake up people, the verdict was planned all along.\xa0",
        "gr8 news if true, but I doubt it\xa0",
        "gr8 news if true, but I doubt it\xa0",
    ]
    page = PageText.from_text("all_head.txt", "\n\n".join(lines) + "\n")
    for layout in all_layouts():
        assert 0.0 <= layout.score(page) <= 1.0, layout.name
    _assert_bounds_hold(page)
