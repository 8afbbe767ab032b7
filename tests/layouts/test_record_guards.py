"""The record parser must not build a comment section out of sentences that comments repeat.

Found on large synthetic pages (pipeline/bench/parse_scaling.py): two comments that open
with "This is exactly what I said 68 days ago." followed by more text looked like two
headers ("X said R") of a two-record template, and the whole comment section of a
thousand comments was published as the article body. A header's cue ends the line or is
followed by the system's words; a sentence that goes on after it is a comment's text.
"""

from __future__ import annotations

import pytest

from pipeline.layouts.base import PageText
from pipeline.layouts.records.lines import analyse
from pipeline.layouts.records.records import C_HEADER, line_class
from pipeline.stages.parse import UnparseablePage, parse_page

ARTICLE = (
    "The council said plans for the new road would be ready next spring, while residents "
    "asked why nobody had told them anything about the cost or the noise, and whether the "
    "money would come from this year's budget or the next one."
)


@pytest.mark.parametrize("line", [
    "This is exactly what I said 68 days ago. You couldn't make this stuff up.",
    "This is exactly what I said 95,775 days ago. https://example.com/images/nd0bUlWz4pA.jpg",
    "This is exactly what I said 45,821 days ago. gr8 news if true, but I doubt it",
])
def test_a_sentence_that_goes_on_after_the_cue_is_text(line: str) -> None:
    assert line_class(analyse(1, line)) != C_HEADER


@pytest.mark.parametrize("line", [
    "Anna Schmidt said 3 days ago:",
    "Jeff K. says:",
    "Mareike am 12.03.2020 um 10:15 Uhr. Antworten",
    "Pierre on March 10, 2017 at 12:20 AM said:",
])
def test_real_headers_stay_headers(line: str) -> None:
    assert line_class(analyse(1, line)) == C_HEADER


def test_repeated_sentence_openings_are_not_a_comment_section() -> None:
    comments = [
        ("Anna", "This is exactly what I said 3 days ago. Nobody listened. http://example.com/x"),
        ("Bob Miller", "Nice one, thanks for writing it up."),
        ("Carl", "This is exactly what I said 5 days ago. gr8 news if true"),
        ("Dora", "I walked that road every day for twenty years and never saw a plan."),
    ]
    lines = ["The New Road Will Wait", "", ARTICLE, "", ARTICLE, "", "4 Comments", ""]
    for handle, text in comments:
        lines += [handle, "", text, ""]
    page = PageText.from_text("guard.txt", "\n".join(lines))
    try:
        parsed = parse_page(page)
    except UnparseablePage:
        return  # refusing the page is safe
    assert "This is exactly what I" not in {c.handle for c in parsed.comments}
    assert "Nobody listened" not in parsed.body
    assert "gr8 news" not in parsed.body


def test_two_quoted_header_lines_do_not_swallow_a_comment_section() -> None:
    """Two comments quote another commenter with a header-shaped line ("Maria said 3 days
    ago:"). Read alone, those two lines are a two-record comment section whose bodies
    run over the other thirteen comments, their handles included. The layout plug-ins
    read the page as fifteen comments; with nothing to say which reading is right, the
    page is refused."""
    names = ["Anna Berg", "Bob Miller", "Carl", "Dora K", "Emil", "Fatima", "Greg", "Hanna",
             "Ivo", "Jana", "Karl", "Lena", "Mo", "Nina", "Otto"]
    lines = ["The New Road Will Wait", "", ARTICLE, "", ARTICLE, "", f"{len(names)} Comments", ""]
    for i, handle in enumerate(names):
        lines += [handle, ""]
        if i in (3, 9):
            lines += [f"{'Maria' if i == 3 else 'Tom Ruiz'} said {i} days ago:", "",
                      "We were promised this road ten years ago and nothing happened.", ""]
        lines += [f"I live on the corner and the traffic is terrible every morning, "
                  f"{handle.split()[0].lower()} agrees.", ""]
    page = PageText.from_text("quoted.txt", "\n".join(lines))
    try:
        parsed = parse_page(page)
    except UnparseablePage as refused:
        assert "two readings disagree" in refused.reason
        return
    handles = {c.handle for c in parsed.comments}
    assert set(names) <= handles  # read as the fifteen comments it is
    assert not any(name in c.text.split("\n") for c in parsed.comments for name in names)
