"""dedupe: one record per observation, near duplicates labelled, laws as properties."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import schemas
from pipeline.schemas import contract
from pipeline.stages import dedupe

LAYOUT = "flat_handles"
STORY = "Council votes to close the old library after years of budget cuts"
BODY = (
    "The council voted on Tuesday to close the old library.\n\n"
    "Residents said the decision came without any public consultation at all."
)
COPYPASTA = "Share this everywhere before they delete it, the truth about the vote is out now"


@dataclass
class Page:
    """One parsed page as the parse stage hands it over."""

    source_file: str
    title: str = STORY
    body: str = BODY
    site: str | None = None
    comments: list[tuple[str | None, str, int | None]] = field(default_factory=list)
    sha: str | None = None  # same bytes -> give the same sha

    def sha256(self) -> str:
        if self.sha is not None:
            return self.sha
        content = repr((self.title, self.body, self.site, self.comments))
        return hashlib.sha256(content.encode()).hexdigest()


def tables(pages: list[Page]) -> dict[str, pa.Table]:
    articles = pa.table(
        {
            "source_file": [p.source_file for p in pages],
            "source_sha256": [p.sha256() for p in pages],
            "site": pa.array([p.site for p in pages], pa.string()),
            "layout": [LAYOUT] * len(pages),
            "title": [p.title for p in pages],
            "body": [p.body for p in pages],
            "n_comments_declared": pa.array([len(p.comments) for p in pages], pa.int64()),
        }
    )
    articles = with_page_facts(articles)
    rows = [
        (p.source_file, i, parent, handle, text)
        for p in pages
        for i, (handle, text, parent) in enumerate(p.comments)
    ]
    depth: dict[tuple[str, int], int] = {}
    for file, i, parent, _, _ in rows:
        depth[(file, i)] = 0 if parent is None else depth[(file, parent)] + 1
    comments = pa.table(
        {
            "source_file": pa.array([r[0] for r in rows], pa.string()),
            "position": pa.array([r[1] for r in rows], pa.int64()),
            "parent_position": pa.array([r[2] for r in rows], pa.int64()),
            "depth": pa.array([depth[(r[0], r[1])] for r in rows], pa.int64()),
            "handle": pa.array([r[3] for r in rows], pa.string()),
            "text": pa.array([r[4] for r in rows], pa.string()),
        }
    )
    return {"articles": articles, "comments": with_comment_facts(comments)}


def with_page_facts(articles: pa.Table) -> pa.Table:
    """The parse contract's page columns dedupe carries or counts (dates, language,
    what the page shows, line accounting), filled the way the parse stage would."""
    n = articles.num_rows
    facts = contract("parse", "articles").arrow_schema()
    body_lines = [len(b.split("\n")) for b in articles["body"].to_pylist()]
    values = {
        "published": pa.nulls(n, pa.string()),
        "published_text": pa.nulls(n, pa.string()),
        "language": pa.array(["en"] * n, pa.string()),
        "threading_shown": pa.array([True] * n, pa.bool_()),
        "handles_shown": pa.array([True] * n, pa.bool_()),
        "parse_confidence": pa.array([1.0] * n, pa.float64()),
        "lines_title": pa.array([1] * n, pa.int64()),
        "lines_body": pa.array(body_lines, pa.int64()),
        "lines_comment_text": pa.array([0] * n, pa.int64()),
        "lines_handle": pa.array([0] * n, pa.int64()),
        "lines_chrome": pa.array([0] * n, pa.int64()),
    }
    for name, column in values.items():
        if name not in articles.column_names:
            articles = articles.append_column(facts.field(name), column)
    return articles


def with_comment_facts(comments: pa.Table) -> pa.Table:
    n = comments.num_rows
    texts = comments["text"].to_pylist()
    handles = comments["handle"].to_pylist()
    values = {
        "published": pa.nulls(n, pa.string()),
        "published_text": pa.nulls(n, pa.string()),
        "lines_text": pa.array([len(t.split("\n")) if t else 0 for t in texts], pa.int64()),
        "lines_handle": pa.array([int(h is not None) for h in handles], pa.int64()),
    }
    for name, column in values.items():
        if name not in comments.column_names:
            comments = comments.append_column(name, column)
    return comments


def run(pages: list[Page]) -> dict[str, pa.Table]:
    result = dedupe.run(tables(pages))
    check_contract(result.tables)
    return result.tables


def check_contract(out: dict[str, pa.Table]) -> None:
    problems = [
        problem
        for name, table in out.items()
        for problem in schemas.table_problems(schemas.contract("dedupe", name), table)
    ]
    assert not problems, problems
    check_relations(out)


def check_relations(out: dict[str, pa.Table]) -> None:
    """Threading laws, kept ids released, rows sorted by primary key (cheap enough per example)."""
    problems = schemas.relation_problems("dedupe", out)
    assert not problems, problems
    for name, key in (("articles", "article_id"), ("comments", "comment_id")):
        assert out[name][key].to_pylist() == sorted(out[name][key].to_pylist())
    duplicate_keys = list(zip(out["duplicates"]["record_table"].to_pylist(),
                              out["duplicates"]["dropped_id"].to_pylist(), strict=True))
    assert duplicate_keys == sorted(duplicate_keys)


def texts_in_order(out: dict[str, pa.Table]) -> list[str]:
    comments = out["comments"].sort_by([("article_id", "ascending"), ("position", "ascending")])
    return comments["text"].to_pylist()


# --- exact duplicates -------------------------------------------------------


def test_same_page_saved_twice_is_one_article_and_every_copy_row_is_logged() -> None:
    comments = [("ann", "First!", None), ("bob", "Not again", 0)]
    out = run([Page("a.txt", comments=comments), Page("b.txt", comments=comments)])
    assert out["articles"]["source_file"].to_pylist() == ["a.txt"]
    duplicates = out["duplicates"].to_pylist()
    assert {d["reason"] for d in duplicates} == {"same-page-captured-twice"}
    assert {d["source_file"] for d in duplicates} == {"b.txt"}
    assert sorted(d["record_table"] for d in duplicates) == ["articles", "comments", "comments"]
    assert out["comments"].num_rows == 2


def test_recaptured_article_merges_comments_in_page_order() -> None:
    early = [("ann", "First comment here", None), ("cat", "Deleted later", None),
             ("bob", "Reply to ann", 0)]
    late = [("ann", "First comment here", None), ("bob", "Reply to ann", 0),
            ("dan", "A newer comment", None), ("eve", "Newest", None)]
    out = run([Page("early.txt", comments=early), Page("late.txt", comments=late)])
    assert out["articles"]["source_file"].to_pylist() == ["late.txt"]
    # the later/longer capture's order, the early-only comment after its predecessor
    assert texts_in_order(out) == [
        "First comment here", "Reply to ann", "Deleted later", "A newer comment", "Newest"
    ]
    reasons = pc.value_counts(out["duplicates"]["reason"]).to_pylist()
    assert {r["values"]: r["counts"] for r in reasons} == {"same-article-captured-again": 3}
    kept_from = dict(zip(out["comments"]["text"].to_pylist(),
                         out["comments"]["source_file"].to_pylist(), strict=True))
    assert kept_from["Deleted later"] == "early.txt"
    assert kept_from["A newer comment"] == "late.txt"


def test_early_only_reply_lands_right_after_its_parent() -> None:
    early = [("ann", "Top one", None), ("bob", "Reply one", 0), ("cat", "Top two", None)]
    late = [("ann", "Top one", None), ("dan", "Reply two", 0), ("cat", "Top two", None),
            ("eve", "Top three", None)]
    out = run([Page("x1.txt", comments=early), Page("x2.txt", comments=late)])
    assert texts_in_order(out) == ["Top one", "Reply one", "Reply two", "Top two", "Top three"]


def test_new_reply_never_lands_before_its_parent_when_captures_disagree_on_order() -> None:
    primary = [("ann", "Comment X", None), ("bob", "Comment P", None), ("cat", "Comment Q", None)]
    other = [("bob", "Comment P", None), ("ann", "Comment X", None), ("dan", "Reply to P", 0)]
    out = run([Page("p1.txt", comments=primary), Page("p2.txt", comments=other)])
    assert texts_in_order(out) == ["Comment X", "Comment P", "Reply to P", "Comment Q"]


def test_same_comment_twice_by_one_handle_is_dropped_but_not_by_two_handles() -> None:
    comments = [
        ("ann", "They \u201cforgot\u201d the  budget \u2013 again\u2026", None),
        ("ann", "They \"forgot\" the budget - again...", None),
        ("bob", "They \"forgot\" the budget - again...", None),
        (None, "+1", None),
        (None, "+1", None),
    ]
    out = run([Page("p.txt", comments=comments)])
    assert out["comments"].num_rows == 4
    (dropped,) = out["duplicates"].to_pylist()
    assert dropped["reason"] == "same-comment-twice"
    kept = out["comments"].filter(pc.equal(out["comments"]["comment_id"], dropped["kept_id"]))
    assert kept["text"].to_pylist() == [comments[0][1]]  # the published text is the original


def test_a_page_cut_inside_a_comment_is_a_duplicate_and_its_fragment_is_not_kept() -> None:
    whole = [("ann", "First!", None), ("bob", "Ha ha ha. You couldn't make it up.", 0),
             ("cat", "Later one", None)]
    cut = [("ann", "First!", None), ("bob", "Ha ha ha. You couldn\u2019t make", 0)]
    for names in (("a-whole.txt", "b-cut.txt"), ("b-whole.txt", "a-cut.txt")):
        out = run([Page(names[0], comments=whole), Page(names[1], comments=cut)])
        assert out["articles"]["source_file"].to_pylist() == [names[0]]
        assert sorted(texts_in_order(out)) == sorted(text for _, text, _ in whole)
        by_reason = {d["reason"]: d for d in out["duplicates"].to_pylist()}
        assert by_reason["truncated-capture"]["source_file"] == names[1]
        fragment = by_reason["truncated-comment"]
        kept = out["comments"].filter(pc.equal(out["comments"]["comment_id"], fragment["kept_id"]))
        assert kept["text"].to_pylist() == [whole[1][1]]


def test_a_shorter_last_comment_is_no_fragment_when_another_capture_has_it_too() -> None:
    first = [("ann", "I agree", None), ("bob", "I agree with all of this", None)]
    second = [("bob", "I agree with all of this", None), ("ann", "I agree", None)]
    other_handle = [("cat", "I agree", None)]
    out = run([Page("p1.txt", comments=first), Page("p2.txt", comments=second),
               Page("p3.txt", comments=other_handle)])
    assert "truncated-comment" not in out["duplicates"]["reason"].to_pylist()
    assert sorted(texts_in_order(out)) == ["I agree", "I agree", "I agree with all of this"]


def test_story_on_two_sites_is_two_articles_in_one_cluster() -> None:
    pages = [Page("s1.txt", site="Site One"), Page("s2.txt", site="Site Two")]
    out = run(pages)
    assert out["articles"].num_rows == 2
    clusters = out["articles"]["near_dup_cluster"].to_pylist()
    assert clusters[0] is not None and clusters[0] == clusters[1]
    assert out["duplicates"].num_rows == 0


def test_copypasta_across_articles_is_clustered_but_short_phrases_are_not() -> None:
    pages = [
        Page("a.txt", comments=[("ann", COPYPASTA, None), ("bob", "I agree", None)]),
        Page("b.txt", title="Another story entirely", body="Different words.",
             comments=[("cat", COPYPASTA.upper() + "!!", None), ("dan", "I agree", None)]),
    ]
    out = run(pages)
    cluster_of = dict(zip(out["comments"]["text"].to_pylist(),
                          out["comments"]["near_dup_cluster"].to_pylist(), strict=True))
    assert cluster_of[COPYPASTA] is not None
    assert cluster_of[COPYPASTA] == cluster_of[COPYPASTA.upper() + "!!"]
    assert cluster_of["I agree"] is None


def test_a_reply_quoting_a_comment_shares_its_cluster() -> None:
    quoted = "The library was the only warm place for kids after school in this part of town"
    reply = f"> {quoted}\n\nExactly this. Well said."
    out = run([Page("q.txt", comments=[("ann", quoted, None), ("bob", reply, 0)])])
    clusters = out["comments"]["near_dup_cluster"].to_pylist()
    assert clusters[0] is not None and clusters[0] == clusters[1]


def test_ids_never_depend_on_handles() -> None:
    comments = [("ann", "Top one", None), ("bob", "Reply one", 0), ("cat", "Top one", None)]
    renamed = [("zed", "Top one", None), ("yan", "Reply one", 0), ("xia", "Top one", None)]
    first = run([Page("a.txt", comments=comments)])
    second = run([Page("a.txt", comments=renamed)])
    assert first["comments"].drop_columns(["handle"]).equals(
        second["comments"].drop_columns(["handle"])
    )


def test_empty_input() -> None:
    out = run([])
    assert [t.num_rows for t in out.values()] == [0, 0, 0]


def test_report_counts_merges_drops_and_clusters() -> None:
    comments = [("ann", COPYPASTA, None), ("bob", COPYPASTA, None), ("ann", COPYPASTA, None)]
    result = dedupe.run(tables([Page("a.txt", comments=comments),
                                Page("b.txt", comments=comments[:1])]))
    counts = result.report.counts
    assert counts["articles_merged_from_captures"] == 1
    assert counts["comments_dropped_same_comment_twice"] == 1
    assert counts["comments_dropped_same_article_captured_again"] == 1
    assert counts["comment_clusters"] == 1 and counts["comment_clusters_of_size_2"] == 1
    assert "ann" not in repr(result.report.to_dict())


# --- laws -------------------------------------------------------------------

HANDLES = ["ann", "bob", "cat", None]
TEXTS = [
    "I agree", "LOL", "I  agree", COPYPASTA, COPYPASTA + " please",
    "The budget was cut in 2019 and again in 2021, nobody noticed that",
    "the budget was cut in 2019 and again in 2021 - nobody noticed that!",
    "What about the reading room on the second floor of the building",
]


@st.composite
def corpora(draw: st.DrawFn) -> list[Page]:
    """A few stories, each captured 1-3 times (subsets of one thread), some saved twice."""
    pages: list[Page] = []
    for story in range(draw(st.integers(1, 3))):
        thread = draw(threads())
        site = draw(st.sampled_from([None, "Site One", "Site Two"]))
        for _ in range(draw(st.integers(1, 3))):
            kept = draw(st.lists(st.booleans(), min_size=len(thread), max_size=len(thread)))
            page = Page(f"{len(pages):03d}.txt", title=f"{STORY} {story % 2}", site=site,
                        comments=_closed_subset(thread, kept))
            pages.append(page)
            if draw(st.booleans()):
                pages.append(Page(f"{len(pages):03d}.txt", page.title, page.body, page.site,
                                  page.comments, page.sha256()))
    return pages


@st.composite
def threads(draw: st.DrawFn) -> list[tuple[str | None, str, int | None]]:
    comments: list[tuple[str | None, str, int | None]] = []
    for i in range(draw(st.integers(0, 7))):
        choices = [None] if i == 0 else [None, i - 1, comments[i - 1][2]]
        parent = draw(st.sampled_from(choices))
        comments.append((draw(st.sampled_from(HANDLES)), draw(st.sampled_from(TEXTS)), parent))
    return comments


def _closed_subset(thread: list, kept: list[bool]) -> list:
    """The kept comments plus their ancestors, parents renumbered."""
    keep = set()
    for i in (i for i, k in enumerate(kept) if k):
        while i is not None and i not in keep:
            keep.add(i)
            i = thread[i][2]
    new_index = {old: new for new, old in enumerate(sorted(keep))}
    return [(h, t, None if p is None else new_index[p])
            for i, (h, t, p) in enumerate(thread) if i in keep]


def back_to_input(out: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Dedupe's output in the shape of its input (one capture per article)."""
    articles = with_page_facts(out["articles"].drop_columns(["article_id", "near_dup_cluster"]))
    file_of = dict(zip(out["articles"]["article_id"].to_pylist(),
                       out["articles"]["source_file"].to_pylist(), strict=True))
    comments = out["comments"]
    position_of = dict(zip(comments["comment_id"].to_pylist(),
                           comments["position"].to_pylist(), strict=True))
    parents = comments["parent_id"].to_pylist()
    return {
        "articles": articles,
        "comments": with_comment_facts(pa.table({
            "source_file": [file_of[a] for a in comments["article_id"].to_pylist()],
            "position": comments["position"],
            "parent_position": pa.array([position_of.get(p) for p in parents], pa.int64()),
            "depth": comments["depth"],
            "handle": comments["handle"],
            "text": comments["text"],
        })),
    }


LAW_SETTINGS = settings(max_examples=40, deadline=None)


@LAW_SETTINGS
@given(corpora())
def test_law_nothing_lost(pages: list[Page]) -> None:
    inputs = tables(pages)
    out = dedupe.run(inputs).tables
    check_relations(out)
    for name, key in (("articles", "article_id"), ("comments", "comment_id")):
        dropped = out["duplicates"].filter(pc.equal(out["duplicates"]["record_table"], name))
        assert set(dropped["kept_id"].to_pylist()) <= set(out[name][key].to_pylist())
        counted = _per_file(out[name]["source_file"]) + _per_file(dropped["source_file"])
        assert sorted(counted) == sorted(_per_file(inputs[name]["source_file"]))
    dropped_ids = out["duplicates"]["dropped_id"].to_pylist()
    assert len(set(dropped_ids)) == len(dropped_ids)


def _per_file(column: pa.ChunkedArray) -> list[str]:
    return column.to_pylist()


@LAW_SETTINGS
@given(corpora())
def test_law_idempotent(pages: list[Page]) -> None:
    out = dedupe.run(tables(pages)).tables
    again = dedupe.run(back_to_input(out)).tables
    assert again["duplicates"].num_rows == 0
    assert again["articles"].equals(out["articles"])
    assert again["comments"].drop_columns(["source_file"]).equals(
        out["comments"].drop_columns(["source_file"])
    )


@LAW_SETTINGS
@given(corpora(), st.randoms(use_true_random=False))
def test_law_row_order_does_not_matter(pages: list[Page], rng: random.Random) -> None:
    inputs = tables(pages)
    shuffled = {name: _shuffled(table, rng) for name, table in inputs.items()}
    first, second = dedupe.run(inputs).tables, dedupe.run(shuffled).tables
    for name in first:
        assert first[name].equals(second[name]), name


def _shuffled(table: pa.Table, rng: random.Random) -> pa.Table:
    order = list(range(table.num_rows))
    rng.shuffle(order)
    return table.take(pa.array(order, pa.int64()))


@LAW_SETTINGS
@given(corpora())
def test_law_ids_stable_when_unrelated_pages_are_added(pages: list[Page]) -> None:
    unrelated = Page("zzz.txt", title="Harbour festival returns", body="Boats and music.",
                     comments=[("eve", "Lovely boats in the harbour this weekend, see you", None)])
    before = dedupe.run(tables(pages)).tables
    after = dedupe.run(tables([*pages, unrelated])).tables
    for name, key in (("articles", "article_id"), ("comments", "comment_id")):
        new = after[name].filter(pc.is_in(after[name][key], before[name][key]))
        assert new.equals(before[name])
    assert after["duplicates"].equals(before["duplicates"])
