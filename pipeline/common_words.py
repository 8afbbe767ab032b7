"""Which words are everyday English: the frequency list behind mention and audit decisions.

A word is *common* when its wordfreq Zipf frequency in English is at least
COMMON_ZIPF (4.5, roughly the 3,000 most frequent English words: "as", "cat",
"can", "david", "pro"; not "rob" 4.35, "hamilton" 4.31, "jerry" 4.26, "assad"
3.63, "prom" 3.78). The list ships inside the ``wordfreq`` wheel, so this works
offline. A handle that is a common word is an ordinary word first: the audit
does not hunt for it and the mention finder needs context to replace it.

This module holds no handles and logs nothing.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

COMMON_ZIPF = 4.5
FUNCTION_WORD_ZIPF = 5.5


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` in English (0.0 when unknown)."""
    return zipf_frequency(word.casefold(), "en")


def is_common(word: str, threshold: float = COMMON_ZIPF) -> bool:
    return zipf(word) >= threshold


class CommonWords:
    """A ``Container[str]`` of common words, optionally with extra words (lower case)."""

    def __init__(self, threshold: float = COMMON_ZIPF, extra: frozenset[str] = frozenset()):
        self.threshold = threshold
        self.extra = frozenset(word.casefold() for word in extra)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return word.casefold() in self.extra or is_common(word, self.threshold)


ENGLISH = CommonWords()
