"""The one-pass scans give exactly what the slow references give: the automaton in
front of the leak patterns (every RE2 group over every text), and the mention
finder's shortcut (every position of every text)."""

from __future__ import annotations

import dataclasses

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import handle_scan
from pipeline.common_words import ANY_LANGUAGE
from pipeline.evaluation.anonymise import corpus_pages, stage_replacements
from pipeline.evaluation.mention_pages import generate_pages
from pipeline.handle_scan import LiteralScan, fold_text
from pipeline.leak_patterns import leak_patterns, matching_rows, rows_by_group
from pipeline.mentions import HandleIndex, find_mentions, public_words, thread_contexts
from pipeline.stages import anonymise

# Letters the case-insensitive engines treat specially: dotless and dotted i, long
# s, sharp s, Kelvin sign, final sigma, Cyrillic small letter rounded ve, and a
# combining accent.
_TRICKY = "iIıİsSſßẞkKKσςΣвᲀ\u0301éEÉ"
_letters = st.text(st.sampled_from(_TRICKY + "abcxyz019"), min_size=1, max_size=6)
_handles = st.builds(
    lambda words, tail: " ".join(words) + tail,
    st.lists(_letters, min_size=1, max_size=3),
    st.sampled_from(["", "_9", " (x)", "++", "."]),
)
_texts = st.lists(
    st.lists(st.one_of(_letters, st.sampled_from([" ", "  ", "_", "-", ".", "\n", "é"])),
             max_size=12).map("".join),
    min_size=1, max_size=8,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(handles=st.lists(_handles, min_size=1, max_size=6), texts=_texts, data=st.data())
def test_the_automaton_flags_exactly_what_every_pattern_over_every_text_flags(
    handles, texts, data
):
    patterns = leak_patterns(handles, ANY_LANGUAGE, frozenset())
    groups = (*patterns.full, *patterns.private_parts, *patterns.public_parts)
    # planted: texts that spell a handle in another case, so that there are hits
    texts = texts + [data.draw(st.sampled_from([h.upper(), h.lower(), h.swapcase()]))
                     for h in handles]
    values = pa.array(texts + [None], pa.string())
    scan = LiteralScan(groups)
    with pytest.MonkeyPatch.context() as patch:  # texts in one batch, or many
        patch.setattr(handle_scan, "BATCH_BYTES", data.draw(st.sampled_from([3, 64, 1 << 26])))
        assert scan.rows_by_group(values) == dict(sorted(rows_by_group(values, groups).items()))
        reference = matching_rows(values, [g.re2 for g in groups])
        assert scan.matching_rows(values).tolist() == reference.tolist()


def test_folding_puts_case_variants_together():
    assert fold_text("İSTANBUL ıstanbul") == "istanbul istanbul"
    assert fold_text("Straße STRASSE ſ") == "straße strasse s"
    assert fold_text("ΣΊΣΥΦΟΣ ς") == fold_text("σίσυφοσ σ")


class _EveryGroupEverywhere:
    """The reference the automaton replaced: every RE2 group over every row."""

    def __init__(self, groups):
        self.groups = groups

    def rows_by_group(self, values):
        return rows_by_group(values, self.groups)


@pytest.mark.parametrize("pages", [
    pytest.param(lambda: corpus_pages(seed=23, n_files=60), id="corpus generator"),
    pytest.param(lambda: generate_pages(seed=23, n_pages=40), id="mention pages"),
])
def test_the_stage_writes_the_same_bytes_as_with_every_pattern_everywhere(pages, monkeypatch):
    pages = pages()
    fast = stage_replacements(pages)
    build = anonymise.ReleaseHandles.build

    def reference_build(*args, **kwargs):
        release = build(*args, **kwargs)
        return dataclasses.replace(release, scan=_EveryGroupEverywhere(release.scan.groups))

    monkeypatch.setattr(anonymise.ReleaseHandles, "build", reference_build)
    assert stage_replacements(pages) == fast


def test_the_finder_shortcut_finds_what_looking_everywhere_finds():
    pages = corpus_pages(seed=29, n_files=60) + generate_pages(seed=29, n_pages=30)
    handles = sorted({c.handle for p in pages for c in p.comments if c.handle})
    index = HandleIndex(handles, public_words(p.article for p in pages))
    compared = 0
    for page in pages:
        contexts = thread_contexts(
            [str(c.position) for c in page.comments],
            [None if c.parent_position is None else str(c.parent_position) for c in page.comments],
            [c.handle for c in page.comments],
        )
        for comment, context in zip(page.comments, contexts, strict=True):
            fast = find_mentions(comment.text, context, index)
            assert fast == find_mentions(comment.text, context, index, everywhere=True)
            compared += bool(fast)
    assert compared > 100
