"""The anonymise stage: authors, mentions, identifiers, counts, and its laws."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.audit import audit_release
from pipeline.mentions import WORD_RE
from pipeline.pseudonyms import PseudonymKey, canonical_handle, pseudonym_map
from pipeline.stages.anonymise import COMMENT_COLUMNS, AnonymiseInputError, run

KEY_A = PseudonymKey(b"k" * 32)
KEY_B = PseudonymKey(b"q" * 40)


def _comments(rows: list[tuple[str | None, str]], article_id: str = "a1") -> pa.Table:
    return pa.table(
        {
            "comment_id": [f"{article_id}-{i}" for i in range(len(rows))],
            "article_id": [article_id] * len(rows),
            "parent_id": pa.array([None] * len(rows), pa.string()),
            "position": list(range(len(rows))),
            "depth": [0] * len(rows),
            "handle": pa.array([h for h, _ in rows], pa.string()),
            "text": [t for _, t in rows],
            "source_file": ["000.txt"] * len(rows),
            "near_dup_cluster": pa.array([None] * len(rows), pa.string()),
        }
    )


def test_handle_becomes_author_in_the_same_place():
    result = run({"comments": _comments([("Rob", "hi"), (None, "anon"), ("rob", "x")])}, KEY_A)
    table = result.tables["comments"]
    expected = list(COMMENT_COLUMNS)
    expected[expected.index("handle")] = "author"
    assert table.column_names == expected
    authors = table.column("author").to_pylist()
    assert authors[1] is None and authors[0] == authors[2]
    assert re.fullmatch(r"u_[a-z2-7]{10}", authors[0])
    assert result.report.counts["comments_with_author"] == 2
    assert result.report.counts["pseudonyms"] == 1


def test_mentions_and_identifiers_are_replaced():
    rows = [
        ("jerry hamilton", "Ha ha ha."),
        ("FlorianGeyer", "You were right Jerry :) mail me: fg@example.org"),
        ("Cat", "call +44 20 7946 0958 or see https://x.org/p?id=4&cuid=3606370&lang=en"),
    ]
    result = run({"comments": _comments(rows)}, KEY_A)
    texts = result.tables["comments"].column("text").to_pylist()
    jerry = pseudonym_map(KEY_A, ["jerry hamilton"])["jerry hamilton"]
    assert texts[1] == f"You were right {jerry} :) mail me: [email]"
    assert texts[2] == "call [phone] or see https://x.org/p?id=4&lang=en"
    counts = result.report.counts
    assert (counts["mentions_replaced"], counts["emails"], counts["phones"]) == (1, 1, 1)
    assert counts["url_params_removed"] == 1


def test_report_never_holds_a_handle():
    result = run({"comments": _comments([("Promitheas Apollonious", "hi Promitheas")])}, KEY_A)
    assert "promitheas" not in repr(result.report.to_dict()).casefold()


def test_missing_column_is_a_clear_error():
    with pytest.raises(AnonymiseInputError, match="handle"):
        run({"comments": _comments([("a", "b")]).drop_columns(["handle"])}, KEY_A)


def test_articles_are_read_for_context_and_not_output():
    articles = pa.table({"article_id": ["a1"], "title": ["t"], "body": ["Assad said"]})
    result = run({"comments": _comments([("x1", "y")]), "articles": articles}, KEY_A)
    assert set(result.tables) == {"comments", "escaped"}  # the pages it withholds, if any


# --- properties --------------------------------------------------------------

_METACHARS = list(".^$*+?{}[]\\|()")
handle_words = st.one_of(
    st.text(st.characters(categories=["Lu", "Ll", "Nd"]), min_size=2, max_size=9),
    st.sampled_from(["as", "Cat", "Rob", "Zoë", "Ångström", "gr8", "ihraç", "C++", "(x)"]),
)
handles = st.builds(
    lambda words, meta: (" ".join(words) + meta).strip(),
    st.lists(handle_words, min_size=1, max_size=3),
    st.sampled_from(["", "*", " (fan)", "$", "?]", " ."]),
).filter(lambda h: WORD_RE.search(h) is not None)
FILLER = ["the report", "is wrong", "and", "nobody believes it", "—", ":)", "2016", "\n\n"]


@st.composite
def pages(draw):
    cast = draw(st.lists(handles, min_size=1, max_size=5, unique_by=canonical_handle))
    rows = [(handle, ["the report"]) for handle in cast]  # everyone on the page commented
    for _ in range(draw(st.integers(1, 6))):
        segments = draw(
            st.lists(
                st.one_of(st.sampled_from(FILLER), st.sampled_from(cast).map(lambda h: ("@", h))),
                max_size=6,
            )
        )
        rows.append((draw(st.sampled_from(cast + [None])), segments))
    return cast, rows


def _render(segments, ids=None) -> str:
    out = []
    for segment in segments:
        if isinstance(segment, tuple):
            out.append("@" + (ids[canonical_handle(segment[1])] if ids else segment[1]))
        else:
            out.append(segment)
    return " ".join(out)


def _table(rows):
    return _comments([(h, _render(s)) for h, s in rows])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_no_handle_survives_in_any_column(tmp_path_factory, page):
    cast, rows = page
    result = run({"comments": _table(rows)}, KEY_A)
    release = tmp_path_factory.mktemp("release")
    pq.write_table(result.tables["comments"], release / "comments.parquet")
    comments = _table(rows)
    report = audit_release(release, cast, comments.select(["comment_id", "handle"]))
    assert report.passed, report.summary()


@settings(max_examples=40, deadline=None)
@given(pages())
def test_text_outside_mentions_is_unchanged(page):
    cast, rows = page
    result = run({"comments": _table(rows)}, KEY_A)
    ids = {canonical_handle(h): p for h, p in pseudonym_map(KEY_A, cast).items()}
    expected = [_render(segments, ids) for _, segments in rows]
    assert result.tables["comments"].column("text").to_pylist() == expected


@settings(max_examples=25, deadline=None)
@given(pages())
def test_deterministic_for_a_key_and_different_between_keys(page):
    _, rows = page
    first, again, other = (run({"comments": _table(rows)}, k) for k in (KEY_A, KEY_A, KEY_B))
    assert first.tables["comments"].equals(again.tables["comments"])
    authors_a = first.tables["comments"].column("author").to_pylist()
    authors_b = other.tables["comments"].column("author").to_pylist()
    assert all(a != b for a, b in zip(authors_a, authors_b, strict=True) if a is not None)
