"""Leak patterns: literals spelled the same way for RE2 and Python, whatever the handle."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.leak_patterns import literal, unescaped


def _one_char_at_a_time(text: str) -> str:
    pieces: list[str] = []
    for char in text:
        if char.isspace():
            if not pieces or pieces[-1] != r"\s+":
                pieces.append(r"\s+")
        elif char.isascii() and not char.isalnum():
            pieces.append("\\" + char)
        else:
            pieces.append(char)
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=20))
def test_a_literal_matches_its_text_and_spells_it_back(text):
    spelled = literal(text)
    assert spelled == _one_char_at_a_time(text)
    assert re.fullmatch(spelled, text) is not None
    assert unescaped(spelled) == re.sub(r"\s+", " ", text)
