"""textnorm: the comparison form is documented, tested, and never published."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.textnorm import comparison_form, comparison_words


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Plain text", "plain text"),
        ("\uff26\uff55\uff4c\uff4c width", "full width"),  # NFKC
        ("a\u00a0b\u2003c", "a b c"),  # compatibility spaces
        ("zero\u200bwidth\u00ad", "zerowidth"),  # format characters removed
        ("\u201cquoted\u201d \u2018single\u2019", "\"quoted\" 'single'"),
        ("\u00abguillemets\u00bb", '"guillemets"'),
        ("en \u2013 em \u2014 minus \u2212", "en - em - minus -"),
        ("wait\u2026", "wait..."),
        ("  Many \t spaces\n\nand paragraphs  ", "many spaces and paragraphs"),
        ("", ""),
    ],
)
def test_comparison_form(text: str, form: str) -> None:
    assert comparison_form(pa.array([text])).to_pylist() == [form]


def test_nulls_stay_null() -> None:
    assert comparison_form(pa.array(["A", None], pa.string())).to_pylist() == ["a", None]


def test_words_drop_edge_punctuation_only() -> None:
    words = comparison_words(pa.array(["Don\u2019t stop!!  \u2014 (really) e-mail...", "", None]))
    assert words.to_pylist() == [["don't", "stop", "really", "e-mail"], [], []]


@given(st.lists(st.text(), max_size=8))
def test_form_is_idempotent_and_keeps_row_count(texts: list[str]) -> None:
    once = comparison_form(pa.array(texts, pa.string()))
    assert len(once) == len(texts)
    assert comparison_form(once).to_pylist() == once.to_pylist()


@given(st.lists(st.text(), max_size=8))
def test_words_are_the_form_split(texts: list[str]) -> None:
    words = comparison_words(pa.array(texts, pa.string())).to_pylist()
    forms = comparison_form(pa.array(texts, pa.string())).to_pylist()
    for form, text_words in zip(forms, words, strict=True):
        assert all(word and word in form for word in text_words)


@given(st.lists(st.text(), max_size=8))
def test_white_space_is_what_python_calls_white_space(texts: list[str]) -> None:
    for form in comparison_form(pa.array(texts, pa.string())).to_pylist():
        assert form == " ".join(form.split())


def test_deterministic_on_multibyte_space_at_buffer_end() -> None:
    # pyarrow 26's utf8_split_whitespace misread this now and then; we must not.
    texts = pa.array(["", "\xa0\u0345a", ")\x85) \x1f\u0130", "\x85"])
    results = {tuple(comparison_form(texts).to_pylist()) for _ in range(300)}
    assert len(results) == 1
