"""The record parser's vocabulary, loaded from ``cues.yaml`` beside it.

Everything that differs between comment systems and languages (header verbs,
the words that introduce a handle, action words, section furniture, month
names, relative times) is data in ``cues.yaml``; this module only turns it
into sets and compiled patterns, once per process (a pure function of the
file, cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Lexicon:
    header_verbs: frozenset[str]
    by_words: frozenset[str]
    connectors: frozenset[str]
    action_words: frozenset[str]
    badge_words: frozenset[str]
    section_words: frozenset[str]
    section_end: frozenset[str]
    page_chrome_words: frozenset[str]
    pingback_words: frozenset[str]
    depth_lines: tuple[re.Pattern[str], ...]
    months: dict[str, int]
    weekdays: frozenset[str]
    relative_units: frozenset[str]
    relative_number_words: frozenset[str]
    relative_after: frozenset[str]
    relative_before: frozenset[str]
    relative_words: frozenset[str]

    @property
    def phrase_words(self) -> frozenset[str]:
        """Every single word that is part of a system phrase (verbs, by-words, actions)."""
        words: set[str] = set()
        for phrase in self.header_verbs | self.by_words | self.action_words:
            words.update(phrase.split())
        return frozenset(words)


def _flat(value: object) -> frozenset[str]:
    if isinstance(value, dict):
        out: set[str] = set()
        for item in value.values():
            out |= _flat(item)
        return frozenset(out)
    if isinstance(value, list):
        return frozenset(_fold(str(v)) for v in value)
    return frozenset({_fold(str(value))})


@cache
def lexicon() -> Lexicon:
    """The parsed ``cues.yaml``."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("cues.yaml").read_text("utf-8"))
    months: dict[str, int] = {}
    for per_language in raw["months"].values():
        for number, names in enumerate(per_language, start=1):
            for name in names:
                months.setdefault(_fold(str(name)), number)
    return Lexicon(
        header_verbs=_flat(raw["header_verbs"]),
        by_words=_flat(raw["by_words"]),
        connectors=_flat(raw["connectors"]),
        action_words=_flat(raw["action_words"]),
        badge_words=_flat(raw["badge_words"]),
        section_words=_flat(raw["section_words"]),
        section_end=_flat(raw["section_end"]),
        page_chrome_words=_flat(raw["page_chrome_words"]),
        pingback_words=_flat(raw["pingback_words"]),
        depth_lines=tuple(re.compile(rf"^{p}$", re.IGNORECASE) for p in raw["depth_lines"]),
        months=months,
        weekdays=_flat(raw["weekdays"]),
        relative_units=_flat(raw["relative_units"]),
        relative_number_words=_flat(raw["relative_number_words"]),
        relative_after=_flat(raw["relative_after"]),
        relative_before=_flat(raw["relative_before"]),
        relative_words=_flat(raw["relative_words"]),
    )


def alternation(words: frozenset[str] | set[str]) -> str:
    """A regex alternation of ``words`` (longest first, so that a phrase wins over its prefix)."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
