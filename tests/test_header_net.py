"""The privacy net: a released text line shaped like a comment header refuses its page."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.build import build_release
from pipeline.privacy.header_net import escaped_headers, page_problem
from tests.layouts import test_record_styles as styles


@pytest.mark.parametrize("text", [
    "Great point.\nJulia on 11/08/2020 at 9:52\nI agree with all of it.",
    "th3Chris28.09.1913:39",
    "Par Bruno Gobin, le mercredi 15 mai 2019 à 08h07",
    "Art Edwards says:",
    "Ramón dijo:",
    "Ela\n16. March, 2023 at 16:59\nSo glad you like it.",
])
def test_a_header_left_in_a_comment_is_found(text):
    assert list(escaped_headers(text))


@pytest.mark.parametrize("text", [
    "u_abcdefghij on 11/08/2020 at 9:52",  # the name is a pseudonym: nothing escaped
    "@u_abcdefghij\n25 janvier 2017",
    "@ u_abcdefghij qui a écrit :",
    "I was there on March 5, 2017, and it rained.",
    "He said: no.",
    "The meeting is on 12.04.2020 17:02.",
    "by Jim Gray",
])
def test_ordinary_lines_and_anonymised_headers_are_not(text):
    assert not list(escaped_headers(text))


def test_a_byline_is_article_text_but_a_forum_header_is_not():
    assert page_problem("By Jane Doe, March 5, 2017\n\nThe council met.", []) is None
    assert page_problem("The council met.\nmacbacchi28.09.1912:44", []) is not None
    assert page_problem("Fine.", ["Nice!", "Zoltan K. says:\nNo."]).endswith("a comment)")


def test_a_page_with_an_escaped_header_is_rejected_and_the_rest_released(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    style = next(s for s in styles.STYLES if s.name == "de_sagt")
    comments = [styles.Comment(h, (f"Das ist mein Beitrag Nummer {i}, danke.",), 0,
                               (2020, 3, 1 + i, 10, 5))
                for i, h in enumerate(["Anna", "Peter", "Lena"])]
    good, _ = styles._page(style, comments)
    (seeds / "good.txt").write_text(good, encoding="utf-8")
    # the same shape, but one comment quotes a header the parser cannot see as one
    leaky = good.replace("Das ist mein Beitrag Nummer 1, danke.",
                         "Ich zitiere:\nZoltan Kovacs sagt:\nso nicht.")
    (seeds / "leaky.txt").write_text(leaky.replace("Council", "County"), encoding="utf-8")
    result = build_release(seeds, tmp_path / "dist", "0.1.0", None, build_dir=tmp_path / "b")
    release = result.outcome.path
    sources = {r["source_file"]: r for r in pq.read_table(release / "sources.parquet").to_pylist()}
    assert sources["good.txt"]["status"] == "article"
    assert sources["leaky.txt"]["status"] == "rejected"
    assert sources["leaky.txt"]["reason"].startswith("handle-shaped line left after anonymising")
    everything = b"".join(p.read_bytes() for p in release.rglob("*") if p.is_file())
    assert b"Zoltan" not in everything and b"Kovacs" not in everything
    articles = pq.read_table(release / "articles.parquet").to_pylist()
    assert [a["source_file"] for a in articles] == ["good.txt"]
