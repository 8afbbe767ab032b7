"""neardup: MinHash + LSH + signature check; content-only, order-free, short texts never glue."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.bench.dedupe import pair_scores, synthetic_comments
from pipeline.neardup import (
    ALONE,
    NearDupSettings,
    SketchTables,
    components_across_parts,
    connected_components,
    near_dup_components,
    string_hashes,
    text_sketches,
)

BASE = "the council voted on tuesday to close the old library after years of cuts"


def same_groups(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for index, label in enumerate(labels.tolist()):
        if label != ALONE:
            groups.setdefault(label, set()).add(index)
    return {frozenset(g) for g in groups.values()}


def test_edited_copies_cluster_and_unrelated_texts_do_not() -> None:
    texts = [
        BASE,
        BASE.replace("tuesday", "monday"),
        "The Council voted on Tuesday to close the old library after years of cuts!!",
        "nothing in common with the others, a text about boats and harbour festivals",
    ]
    assert same_groups(near_dup_components(pa.array(texts))) == {frozenset({0, 1, 2})}


def test_short_texts_never_glue_and_mid_length_ones_match_exactly() -> None:
    texts = [
        "I agree",
        "i agree!",
        "LOL",
        "lol",
        "so true so true",
        "So true, so true.",
        "so true so false",
    ]
    groups = same_groups(near_dup_components(pa.array(texts)))
    assert groups == {frozenset({4, 5})}


def test_short_text_does_not_bridge_two_long_ones() -> None:
    long_a = BASE
    long_b = "residents asked why nobody consulted them before the vote on tuesday"
    texts = [long_a, long_b, "the vote on tuesday", "the vote on tuesday"]
    labels = near_dup_components(pa.array(texts))
    assert labels[0] == ALONE and labels[1] == ALONE


def test_labels_do_not_depend_on_row_order() -> None:
    data = synthetic_comments(3_000, seed=1)
    order = np.random.default_rng(2).permutation(len(data.texts))
    labels = near_dup_components(data.texts)
    shuffled = near_dup_components(data.texts.take(pa.array(order)))
    assert same_groups(labels[order]) == same_groups(shuffled)


def test_big_buckets_are_linked_in_content_order() -> None:
    data = synthetic_comments(2_000, seed=5)
    small_buckets = NearDupSettings(max_bucket=2)
    order = np.random.default_rng(6).permutation(len(data.texts))
    labels = near_dup_components(data.texts, small_buckets)
    shuffled = near_dup_components(data.texts.take(pa.array(order)), small_buckets)
    assert same_groups(labels[order]) == same_groups(shuffled)
    assert pair_scores(data.groups, labels).f1 >= 0.95


def test_quality_on_synthetic_comments() -> None:
    data = synthetic_comments(5_000, seed=3)
    scores = pair_scores(data.groups, near_dup_components(data.texts))
    assert scores.precision >= 0.99 and scores.recall >= 0.98


def test_threads_do_not_change_the_result() -> None:
    data = synthetic_comments(3_000, seed=4)
    one = near_dup_components(data.texts, NearDupSettings(workers=1))
    two = near_dup_components(data.texts, NearDupSettings(workers=2, parallel_min_texts=0))
    assert np.array_equal(one, two)


def test_empty_and_null_input() -> None:
    assert near_dup_components(pa.array([], pa.string())).tolist() == []
    assert near_dup_components(pa.array([None, ""], pa.string())).tolist() == [ALONE, ALONE]


def _in_parts(texts: pa.Array, cuts: list[int], settings: NearDupSettings) -> np.ndarray:
    bounds = [0, *cuts, len(texts)]
    spans = list(zip(bounds[:-1], bounds[1:], strict=True))
    sketches = tuple(text_sketches(texts.slice(lo, hi - lo), settings) for lo, hi in spans)
    labels = components_across_parts(SketchTables(sketches), settings)
    assert [len(part) for part in labels] == [hi - lo for lo, hi in spans]
    return np.concatenate(labels)


def test_partitions_give_the_labels_of_the_whole() -> None:
    data = synthetic_comments(3_000, seed=8)
    short = pa.array(["so true so true", "I agree", "So true, so true.", "", None], pa.string())
    texts = pa.concat_arrays([data.texts, short, data.texts.slice(0, 50)])
    few_pairs_at_once = NearDupSettings(chunk_pairs=500, workers=2, parallel_min_texts=0)
    for settings_ in (NearDupSettings(), NearDupSettings(max_bucket=2), few_pairs_at_once):
        whole = near_dup_components(texts, settings_)
        for cuts in ([], [1000, 1000, 2999], [7, 400, 1500, 2200, 3001]):
            assert np.array_equal(_in_parts(texts, cuts, settings_), whole), cuts


def test_partitions_of_nothing() -> None:
    empty = pa.array([], pa.string())
    assert _in_parts(empty, [], NearDupSettings()).tolist() == []
    assert components_across_parts(SketchTables(()), NearDupSettings()) == []


def test_string_hashes_depend_on_content_only() -> None:
    words = pa.array(["a", "b", "", "ab", "ba", "a"])
    hashes = string_hashes(words)
    assert hashes[0] == hashes[5] and len(set(hashes[:5].tolist())) == 5
    assert np.array_equal(string_hashes(words.slice(3, 2)), hashes[3:5])


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29))))
def test_components_match_a_reference_union_find(n: int, edges: list[tuple[int, int]]) -> None:
    edges = [(a % n, b % n) for a, b in edges]
    left = np.array([a for a, _ in edges], np.int64)
    right = np.array([b for _, b in edges], np.int64)
    labels = connected_components(n, left, right)
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(b)
    for a in range(n):
        for b in range(n):
            assert (labels[a] == labels[b]) == (root(a) == root(b))
        assert labels[a] == min(i for i in range(n) if root(i) == root(a))
