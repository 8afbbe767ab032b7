"""The anonymise stage's last sweep: what the mention logic misses, the sweep
catches, so the stage's output passes the leak audit by construction."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.audit import audit_release
from pipeline.common_words import ANY_LANGUAGE
from pipeline.handle_sweep import SWEEP, SweepContext, apply_with_outputs, sweep_comment
from pipeline.leak_patterns import leak_patterns, rows_by_group
from pipeline.mentions import CommentContext, HandleIndex
from pipeline.pseudonyms import PseudonymKey, canonical_handle, pseudonym_map
from pipeline.stages.anonymise import run

KEY = PseudonymKey(b"s" * 32)


def _comments(rows: list[tuple[str, str | None, str]]) -> pa.Table:
    """rows: (article_id, handle, text)."""
    return pa.table(
        {
            "comment_id": [f"c{i}" for i in range(len(rows))],
            "article_id": [a for a, _, _ in rows],
            "parent_id": pa.array([None] * len(rows), pa.string()),
            "position": list(range(len(rows))),
            "depth": [0] * len(rows),
            "handle": pa.array([h for _, h, _ in rows], pa.string()),
            "text": [t for _, _, t in rows],
            "source_file": ["000.txt"] * len(rows),
            "near_dup_cluster": pa.array([None] * len(rows), pa.string()),
        }
    )


def _audit(tmp_path, anonymised: pa.Table, raw: pa.Table, handles: list[str]):
    pq.write_table(anonymised, tmp_path / "comments.parquet")
    return audit_release(tmp_path, handles, raw.select(["comment_id", "handle"]))


def _sweep_alone(text: str, page: list[str], author: str | None, public=frozenset()):
    """The sweep on a text the first pass left as it was: what the rule forbids in it."""
    handles = sorted(set(page))
    ids = pseudonym_map(KEY, handles)
    patterns = leak_patterns(handles, ANY_LANGUAGE, public)
    groups = (*patterns.full, *patterns.private_parts)
    flagged = rows_by_group(pa.array([text]), groups).get(0, [])
    context = CommentContext(
        canonical_handle(author) if author else None,
        frozenset(canonical_handle(h) for h in page),
        tuple(canonical_handle(h) for h in page if h != author),
    )
    ctx = SweepContext(
        context, frozenset(page), HandleIndex(handles, public), patterns, ids,
        {canonical_handle(h): p for h, p in ids.items()},
    )  # fmt: skip
    found = sweep_comment(text, [], [groups[i] for i in flagged], ctx)
    return apply_with_outputs(text, found)[0], found, ids


def test_the_sweep_alone_applies_the_whole_rule():
    page = ["xX_99_Xx", "the real one", "Ostranian Patriot", "Rob"]
    text = "XX_99_XX, please. the real one, you are wrong. A patriot reads; Ostranian too."
    swept, found, ids = _sweep_alone(text, page, author="Rob")
    assert swept == (
        f"{ids['xX_99_Xx']}, please. {ids['the real one']}, you are wrong. "
        f"A patriot reads; {ids['Ostranian Patriot']} too."
    )
    assert {r.kind for r in found} == {SWEEP}


def test_the_sweep_prefers_the_owner_on_the_same_page_and_keeps_public_names():
    swept, _, ids = _sweep_alone("ask lindqvist", ["Carl Lindqvist"], author=None)
    assert swept == f"ask {ids['Carl Lindqvist']}"
    kept, found, _ = _sweep_alone(
        "Konashenkov again", ["Konashenkov must stay (fan)"], None, frozenset({"konashenkov"})
    )
    assert kept == "Konashenkov again" and found == []


def test_a_match_looser_than_case_folding_still_finds_its_owner():
    # Found by the law below: "ı".upper() is "I", so Python's re matches "IA"
    # with the handle "ıAq" (RE2 flags the row for "ıaq"), though the two
    # case-fold apart: the owner is found by the literal instead.
    swept, _, ids = _sweep_alone("IAQ ıaq", ["ıAq"], author=None)
    assert swept == f"{ids['ıAq']} {ids['ıAq']}"


def test_what_the_first_pass_missed_in_a_stage_run_is_swept(tmp_path):
    handles = ["xX_99_Xx", "Mr. T", "the real one", "Jürgen K."]
    rows = [
        ("a1", "xX_99_Xx", "first"),
        ("a1", "Jürgen K.", "xx_99_xx, please read before you post."),
        ("a1", "Mr. T", "WHAT A JOKE!!!  Mr. T is right about this one."),
        ("a2", "the real one", "The fake report got more airtime than the real one."),
        ("a2", "Jürgen K.", "the real one, you are wrong. JÜRGEN agrees."),
    ]
    raw = _comments(rows)
    result = run({"comments": raw}, KEY)
    texts = result.tables["comments"].column("text").to_pylist()
    assert _audit(tmp_path, result.tables["comments"], raw, handles).passed
    ids = pseudonym_map(KEY, handles)
    assert texts[1] == f"{ids['xX_99_Xx']}, please read before you post."
    assert texts[2] == f"WHAT A JOKE!!!  {ids['Mr. T']} is right about this one."
    assert texts[3] == "The fake report got more airtime than the real one."
    assert texts[4] == f"{ids['the real one']}, you are wrong. JÜRGEN agrees."


# --- the law: whatever the text, the audit passes ------------------------------

_words = st.text(st.characters(categories=["Lu", "Ll", "Nd"]), min_size=2, max_size=8)
_ordinary = st.sampled_from(["the", "real", "one", "cat", "patriot", "good", "point", "jo"])
_handles = st.builds(
    lambda words, tail: " ".join(words) + tail,
    st.lists(st.one_of(_words, _ordinary), min_size=1, max_size=3),
    st.sampled_from(["", ".", " (fan)", "_99", "++"]),
)
_filler = st.sampled_from(
    ["the report", "is right", ",", "thank you", "—", "\n\n", ":)", "lol", "hey", "@", "as",
     "said", "Good point,"]
)


@st.composite
def corpora(draw):
    cast = draw(st.lists(_handles, min_size=1, max_size=6, unique=True))
    rows = []
    # Article ids as the dedupe stage makes them: one 16-hex token a handle cannot be part of.
    for page in ("a_0f1e2d3c4b5a6978", "a_8796a5b4c3d2e1f0"):
        for _ in range(draw(st.integers(1, 4))):
            pieces = []
            for _ in range(draw(st.integers(0, 6))):
                if draw(st.booleans()):
                    handle = draw(st.sampled_from(cast))
                    pieces.append(draw(st.sampled_from([handle, handle.upper(), handle.lower()])))
                else:
                    pieces.append(draw(_filler))
            rows.append((page, draw(st.sampled_from([*cast, None])), " ".join(pieces)))
    return cast, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_anonymised_comments_always_pass_the_leak_audit(tmp_path_factory, corpus):
    _, rows = corpus
    raw = _comments(rows)
    result = run({"comments": raw}, KEY)
    commenters = sorted({handle for _, handle, _ in rows if handle})  # as the build passes them
    report = _audit(tmp_path_factory.mktemp("release"), result.tables["comments"], raw, commenters)
    assert report.passed, report.summary()
