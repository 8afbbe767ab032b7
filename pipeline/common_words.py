"""Which words are ordinary words of a language: the frequency lists behind the
handle rule (pipeline/handle_rule.py), the mention finder and the leak audit.

A word is *ordinary* when its wordfreq Zipf frequency is at least
:data:`ORDINARY_ZIPF` (3.0: once per million words) in the language of the
text it stands in, or in English (English words are everywhere online:
"Owner", "cool"). When the language is not known, a word is ordinary when it
is that frequent in any of the corpus' languages (:data:`CORPUS_LANGUAGES`,
those of the real pages: English, German, French, Spanish, Italian,
Portuguese). So "patriot" (3.73 in English), "Cat", "Jerry", "Florian" (4.14
in German), "rebelde" are ordinary; "Promitheas", "dutchnational",
"Knochenstrauss", "Konashenkov" (1.1) are not. A *function word* (Zipf at
least :data:`FUNCTION_WORD_ZIPF`, 6.0: "as", "be", "any", "von", "the") is one
nobody can tell from prose without an "@" or a greeting.

The language is a parameter everywhere (:class:`OrdinaryWords`, :func:`zipf`,
``HandleIndex(ordinary=...)``, ``leak_patterns(handles, ordinary, ...)``,
``audit_release(..., ordinary=...)``); the articles do not carry one yet, so
every caller passes none today. With a language per article, the stage and
the audit would build the index and the patterns once per language present
and judge each page's texts with its own language's.

The lists ship inside the ``wordfreq`` wheel (pinned), so this works offline
and gives the same answer on every machine. This module holds no handles and
logs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from wordfreq import get_frequency_dict, zipf_frequency
from wordfreq.numbers import smash_numbers

ORDINARY_ZIPF = 3.0
FUNCTION_WORD_ZIPF = 6.0
CORPUS_LANGUAGES = ("en", "de", "fr", "es", "it", "pt")
# Among the most frequent words (about the 3,000 first of a language): a capitalised
# article word below it is a name the articles use (pipeline.mentions.public_words).
COMMON_ZIPF = 4.5


@lru_cache(maxsize=400_000)
def zipf(word: str, language: str | None = None) -> float:
    """Zipf frequency of ``word`` in ``language`` or English, whichever is higher;
    with no language, the highest over :data:`CORPUS_LANGUAGES` (0.0 when unknown)."""
    folded = word.casefold()
    languages = CORPUS_LANGUAGES if language is None else tuple(dict.fromkeys((language, "en")))
    if folded.isascii() and folded.isalnum():
        # One token to wordfreq (digit runs counted as zeros): in a language whose list
        # lacks it, zipf_frequency says 0.0, so it is not asked (most handles are absent;
        # the law is in tests/test_common_words.py).
        token = folded if folded.isalpha() else smash_numbers(folded)
        languages = tuple(lang for lang in languages if token in _frequencies(lang))
    return max((zipf_frequency(folded, lang) for lang in languages), default=0.0)


@cache
def _frequencies(language: str) -> dict[str, float]:
    return get_frequency_dict(language)


def is_ordinary(word: str, language: str | None = None) -> bool:
    """An ordinary word of the language (see the module docstring)."""
    return zipf(word, language) >= ORDINARY_ZIPF


def is_function_word(word: str, language: str | None = None) -> bool:
    return zipf(word, language) >= FUNCTION_WORD_ZIPF


def is_ordinary_phrase(words: Iterable[str], language: str | None = None) -> bool:
    """Every word ordinary, so the phrase is ("the real one"); no words: not a phrase."""
    listed = list(words)
    return bool(listed) and all(is_ordinary(word, language) for word in listed)


class OrdinaryWords:
    """The ordinary words of one language (None: any corpus language), as a
    ``Container[str]``, with extra words counted ordinary too (lower case)."""

    def __init__(self, language: str | None = None, extra: frozenset[str] = frozenset()):
        self.language = language
        self.extra = frozenset(word.casefold() for word in extra)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return word.casefold() in self.extra or is_ordinary(word, self.language)

    def __repr__(self) -> str:
        return f"OrdinaryWords(language={self.language!r}, extra={len(self.extra)})"


ANY_LANGUAGE = OrdinaryWords()
