"""The language of an article: an ISO 639-1 code, or None when unsure.

One detector, py3langid (a maintained fork of Lui & Baldwin's langid.py:
a naive Bayes model over byte n-grams, 97 languages, shipped inside the
package, numpy only). Its probabilities are calibrated by text length
(softmax at temperature sqrt(bytes)), so a short or mixed text gets a low
top probability; below :data:`MIN_CONFIDENCE` the answer is None. A label
that is not a two-letter ISO 639-1 code (``zxx`` for no linguistic content,
three-letter codes of languages without one) is None too.

Deterministic: the same text gives the same code (no sampling, no seeds; the
version is pinned in pyproject.toml because a new model changes answers).
Measured on the 30 real pages of ../shared/real-pages (10 en, 10 de, 5 fr,
2 es, 2 it, 1 pt): see ``python -m pipeline.evaluation.language``.

Pure: no I/O besides loading the packaged model once per process.
"""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_CONFIDENCE = 0.9
# Only the start of a long text is read: plenty for the language, and the time
# per article stays bounded (the detector reads every byte it is given).
MAX_CHARS = 4000
_ISO_639_1 = re.compile(r"^[a-z]{2}$")


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code or None, the detector's probability for its best language)."""
    if not text.strip():
        return None, 0.0
    label, probability = _identifier().classify(text[:MAX_CHARS])
    probability = float(probability)
    if probability < MIN_CONFIDENCE or not _ISO_639_1.match(label):
        return None, probability
    return str(label), probability


def article_language(title: str, body: str) -> str | None:
    """The language of an article's headline and text, or None when unsure."""
    return detect(f"{title}\n\n{body}")[0]
