"""Ordinary words: the frequency lists' answer, and the shortcut that skips them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from wordfreq import zipf_frequency

from pipeline.common_words import CORPUS_LANGUAGES, is_ordinary, is_ordinary_phrase, zipf

_ascii_words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789"),
                       min_size=1, max_size=9)
_real_words = st.sampled_from(["the", "Cat", "patriot", "rebelde", "sceptique", "Florian",
                               "user2017", "tom1984", "b0b", "2016", "99", "x1", "Ångström"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(_ascii_words, _real_words))
def test_the_shortcut_gives_what_the_frequency_lists_give(word):
    expected = max(zipf_frequency(word.casefold(), lang) for lang in CORPUS_LANGUAGES)
    assert zipf(word) == expected
    assert zipf(word, "de") == max(zipf_frequency(word.casefold(), lang) for lang in ("de", "en"))


def test_ordinary_beyond_english_and_for_phrases():
    assert is_ordinary("Patriot") and is_ordinary("rebelde") and is_ordinary("Florian")
    assert not is_ordinary("Promitheas") and not is_ordinary("dutchnational")
    assert is_ordinary_phrase(["the", "real", "one"])
    assert not is_ordinary_phrase(["Ostranian", "Patriot"]) and not is_ordinary_phrase([])
