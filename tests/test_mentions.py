"""Mention finding: the seed cases, the traps, and the measured figures."""

from __future__ import annotations

import pytest

from pipeline.evaluation.anonymise import TARGETS, corpus_pages, load_gold, score
from pipeline.evaluation.mention_pages import generate_pages
from pipeline.mentions import (
    CommentContext,
    HandleIndex,
    find_mentions,
    handle_parts,
    split_subparts,
)
from pipeline.pseudonyms import canonical_handle

PAGE = [
    "Promitheas Apollonious", "jerry hamilton", "David Leach", "Rob", "as", "Cat",
    "dutchnational", "Dr. Pro Liv", "Assad must stay (gr8rambino)", "John Mason", "C++ (fan)*",
]
INDEX = HandleIndex(PAGE, frozenset({"assad", "kerry"}))


def _found(text: str, thread: tuple[str, ...] = (), author: str | None = None) -> list[str]:
    context = CommentContext(
        canonical_handle(author) if author else None,
        frozenset(canonical_handle(h) for h in PAGE),
        tuple(canonical_handle(h) for h in thread),
    )
    return [text[m.start : m.end] for m in find_mentions(text, context, INDEX)]


@pytest.mark.parametrize(
    ("text", "thread", "expected"),
    [
        ("Hey Prom, I see you are back.", ("Promitheas Apollonious",), ["Prom"]),
        ("ok pro, i do that later.", ("Promitheas Apollonious",), ["pro"]),
        ("You were right Jerry :)", ("jerry hamilton",), ["Jerry"]),
        ("David…go find someone", ("David Leach",), ["David"]),
        ("david, please find", ("Carol",), ["david"]),
        ("If your name were really Rob, I think", ("Rob",), ["Rob"]),
        ("@as you are wrong", (), ["as"]),
        ("thank you C++ (fan)*, great", (), ["C++ (fan)*"]),
        ("Promitheas Apollonious is right", (), ["Promitheas Apollonious"]),
    ],
)
def test_mentions_found(text, thread, expected):
    assert _found(text, thread) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It is as bad as it looks, as usual.",
        "They will run away like the Dutch army does.",
        "their arse licking Pro-West Russian government",
        "Russia is there to help Assad and his allies.",
        "Assad makes calls and Russia chooses.",
        "when John Kerry took over",
        "Cat videos are better than this.",
    ],
)
def test_ordinary_words_stay(text):
    thread = ("as", "dutchnational", "Dr. Pro Liv", "Assad must stay (gr8rambino)", "Cat")
    assert _found(text, thread) == []


def test_handle_parts_split_camel_case_and_digits():
    assert split_subparts("AMHants") == ["AM", "Hants"]
    assert split_subparts("FlorianGeyer") == ["Florian", "Geyer"]
    assert "gr8rambino" in handle_parts("Assad must stay (gr8rambino)")
    assert "rambino" in handle_parts("Assad must stay (gr8rambino)")


def _meets_targets(result) -> bool:
    figures = (result.precision, result.recall, result.preservation)
    return all(value >= target for value, target in zip(figures, TARGETS.values(), strict=True))


def test_seed_gold_meets_targets():
    result = score(load_gold())
    assert result.true_positives + result.false_negatives >= 7 and result.traps >= 50
    assert _meets_targets(result)


def test_generated_pages_meet_targets():
    result = score(generate_pages(seed=11, n_pages=80))
    assert _meets_targets(result)


def test_generated_corpus_meets_targets():
    # The corpus generator's own truth (its pages as a perfect parse), with the
    # traps it plants: ordinary-phrase, nationality, title, place and
    # other-language handles. Seed 11 here; make eval-anonymise uses others.
    result = score(corpus_pages(seed=11, n_files=120))
    assert result.true_positives >= 200 and result.traps >= 300
    assert _meets_targets(result)
