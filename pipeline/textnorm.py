"""The comparison form of a text: what two texts must share to count as "the same".

Dedupe compares titles, bodies and comment texts in this form, and near-dup
detection splits it into words. The comparison form is for comparison and
hashing only: it is never published (the release keeps the original text).

``comparison_form`` applies, in order, all vectorised with ``pyarrow.compute``:

1. Unicode NFKC (full-width letters, ligatures, NBSP and other compatibility
   spaces, U+2026 "…" -> "...").
2. Invisible format characters (Unicode category Cf: zero-width space and
   joiners, soft hyphen, BOM) removed.
3. Typographic punctuation to ASCII: single quotes, primes and the acute
   accent -> ``'``; double quotes, guillemets and double primes -> ``"``; hyphens,
   dashes and the minus sign -> ``-``.
4. Lower case (``utf8_lower``; Arrow has no full casefold, so "ß" and "ss"
   stay different).
5. Every run of white space (any Unicode white space: tabs, line breaks,
   paragraph breaks) -> one space; none at either end.

``comparison_words`` is the same form split at white space, with punctuation
(Unicode category P) trimmed from both ends of each word and words left empty
dropped: "Great!" and "great" are the same word, "don’t" and "don't" too.
Steps 2-3 and the trimming run on the vocabulary (distinct words), not on every
token, which keeps tokenising above 400k short texts/s.

This module must never change what is published, and never look at handles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# White space Python's str.split knows beyond ASCII's " \t\n\v\f\r". Arrow's
# utf8_split_whitespace is not used: in pyarrow 26 it sometimes misreads a
# multi-byte space at the end of the data buffer (non-deterministic output),
# so these become " " by regex and ascii_split_whitespace splits.
UNICODE_SPACES = (
    r"[\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}]"
)

TextColumn = pa.Array | pa.ChunkedArray


@dataclass(frozen=True)
class EncodedWords:
    """Every text's comparison words, dictionary-encoded and flat.

    ``vocabulary`` holds each distinct word once (order arbitrary: it follows
    first appearance); ``word_index[t]`` is token t's entry in it; the tokens
    of text i are ``word_index[offsets[i]:offsets[i + 1]]``.
    """

    vocabulary: pa.Array
    word_index: np.ndarray
    offsets: np.ndarray

    def as_lists(self) -> pa.ListArray:
        words = self.vocabulary.take(pa.array(self.word_index))
        return pa.LargeListArray.from_arrays(pa.array(self.offsets), words)


def comparison_form(texts: TextColumn) -> pa.Array:
    """The comparison form of every text (nulls stay null)."""
    texts = _combined(texts)
    form = pc.utf8_lower(_on_non_ascii_rows(pc.utf8_normalize(texts, "NFKC")))
    parents, words = _nonempty(_split_at_spaces(pc.fill_null(form, "")))
    offsets = _offsets(parents, len(texts))
    joined = pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), words), " ")
    return pc.if_else(pc.is_null(texts), pa.scalar(None, pa.string()), joined)


def comparison_words(texts: TextColumn) -> pa.LargeListArray:
    """Each text's comparison words as a list array (empty list for none or null)."""
    return encoded_words(texts).as_lists()


def encoded_words(texts: TextColumn) -> EncodedWords:
    """Each text's comparison words, with the word normalisation run once per distinct word."""
    texts = _combined(texts)
    lowered = pc.utf8_lower(pc.utf8_normalize(pc.fill_null(texts, ""), "NFKC"))
    parents, tokens = _nonempty(_split_at_spaces(lowered))
    raw = pc.dictionary_encode(tokens)
    trimmed = pc.replace_substring_regex(
        _ascii_punctuation(raw.dictionary), r"^\p{P}+|\p{P}+$", ""
    )
    final = pc.dictionary_encode(trimmed)
    to_final = final.indices.to_numpy(zero_copy_only=False)
    word_index = to_final[raw.indices.to_numpy(zero_copy_only=False)]
    nonempty = pc.not_equal(final.dictionary, "").to_numpy(zero_copy_only=False)
    keep = nonempty[word_index]
    return EncodedWords(
        vocabulary=final.dictionary,
        word_index=word_index[keep],
        offsets=_offsets(parents[keep], len(texts)),
    )


def _split_at_spaces(texts: pa.Array) -> pa.ListArray:
    """Split at any run of white space (pieces may be empty)."""
    special = pc.or_(
        pc.invert(pc.fill_null(pc.string_is_ascii(texts), True)),
        pc.fill_null(pc.match_substring_regex(texts, r"[\x{1c}-\x{1f}]"), False),
    )
    if pc.any(special).as_py():
        spaced = pc.replace_substring_regex(texts.filter(special), UNICODE_SPACES, " ")
        texts = pc.replace_with_mask(texts, special, spaced)
    return pc.ascii_split_whitespace(texts)


def _on_non_ascii_rows(texts: pa.Array) -> pa.Array:
    """``_ascii_punctuation`` on the rows that need it (all it changes is non-ASCII)."""
    non_ascii = pc.invert(pc.fill_null(pc.string_is_ascii(texts), True))
    if not pc.any(non_ascii).as_py():
        return texts
    return pc.replace_with_mask(texts, non_ascii, _ascii_punctuation(texts.filter(non_ascii)))


def _ascii_punctuation(texts: pa.Array) -> pa.Array:
    form = pc.replace_substring_regex(texts, r"\p{Cf}+", "")
    form = pc.replace_substring_regex(form, f"[{SINGLE_QUOTES}]", "'")
    form = pc.replace_substring_regex(form, f"[{DOUBLE_QUOTES}]", '"')
    return pc.replace_substring_regex(form, f"[{DASHES}]", "-")


def _combined(texts: TextColumn) -> pa.Array:
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks else pa.array([], texts.type)
    return texts.cast(pa.string()) if texts.type != pa.string() else texts


def _nonempty(split: pa.ListArray) -> tuple[np.ndarray, pa.Array]:
    """(text index, word) of every non-empty piece of a split."""
    words = pc.list_flatten(split)
    parents = pc.list_parent_indices(split).to_numpy(zero_copy_only=False)
    keep = pc.not_equal(words, "")
    return parents[keep.to_numpy(zero_copy_only=False)], pc.filter(words, keep)


def _offsets(parents: np.ndarray, n_texts: int) -> np.ndarray:
    offsets = np.zeros(n_texts + 1, dtype=np.int64)
    np.cumsum(np.bincount(parents, minlength=n_texts), out=offsets[1:])
    return offsets
