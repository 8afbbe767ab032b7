"""The leak audit: every file, every string column, file names; never names a handle."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.audit import audit_release

HANDLES = ["jerry hamilton", "Promitheas Apollonious", "as", "C++ (fan)*", "Assad must stay (x1)"]


def _release(tmp_path, comments: list[str], article_body: str = "Nothing to see."):
    pq.write_table(
        pa.table({"comment_id": [f"c{i}" for i in range(len(comments))], "text": comments}),
        tmp_path / "comments.parquet",
    )
    pq.write_table(
        pa.table({"title": ["Bashar al-Assad visits"], "body": [article_body]}),
        tmp_path / "articles.parquet",
    )
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "corpus"}, indent=1))
    return tmp_path


def _all_messages(report) -> str:
    return "\n".join([report.summary()] + [hit.describe() for hit in report.hits])


def test_clean_release_passes(tmp_path):
    release = _release(tmp_path, ["u_abcdefghij is right", "it is as bad as it looks"])
    report = audit_release(release, HANDLES)
    assert report.passed, _all_messages(report)
    assert report.files_scanned == 3


def test_full_handle_in_comment_fails_with_place_but_not_handle(tmp_path):
    release = _release(tmp_path, ["fine", "JERRY   HAMILTON was here"])
    report = audit_release(release, HANDLES)
    assert not report.passed
    assert {(h.file, h.place) for h in report.failures} == {
        ("comments.parquet", "column 'text', row 1")
    }
    messages = _all_messages(report).casefold()
    assert all(part not in messages for part in ("jerry", "hamilton", "promitheas"))


def test_distinctive_part_in_comment_fails(tmp_path):
    report = audit_release(_release(tmp_path, ["Hey Promitheas!"]), HANDLES)
    assert [h.place for h in report.failures] == ["column 'text', row 0"]


def test_part_used_as_a_name_in_articles_is_a_warning(tmp_path):
    report = audit_release(_release(tmp_path, ["support for Assad"]), HANDLES)
    assert report.passed and any("comments" in h.file for h in report.warnings)


def test_article_text_hits_are_warnings(tmp_path):
    release = _release(tmp_path, ["ok"], article_body="Jerry Hamilton, the minister, said")
    report = audit_release(release, HANDLES)
    assert report.passed
    assert {h.file for h in report.warnings} == {"articles.parquet"}


def test_metadata_files_and_file_names_are_scanned(tmp_path):
    release = _release(tmp_path, ["ok"])
    (release / "CITATION.cff").write_text("title: corpus\nauthors: promitheas apollonious\n")
    (release / "c++ (fan)*.md").write_text("nothing\n")
    report = audit_release(release, HANDLES)
    places = {(h.file, h.place) for h in report.failures}
    assert ("CITATION.cff", "line 2") in places
    assert ("c++ (fan)*.md", "file name") in places


def test_common_word_handle_is_not_hunted(tmp_path):
    report = audit_release(_release(tmp_path, ["As I said, as usual"]), ["as", "Cat"])
    assert report.passed


def test_an_unreadable_parquet_file_fails_the_audit_instead_of_crashing(tmp_path):
    (tmp_path / "comments.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    report = audit_release(tmp_path, ["Siegfried"])
    assert [hit.file for hit in report.failures] == ["comments.parquet"]
    assert "unreadable" in report.failures[0].describe()


def test_every_shard_is_scanned_and_a_hit_names_its_shard(tmp_path):
    def shard(name: str, texts: list[str]) -> None:
        table = pa.table({"comment_id": [f"c{i}" for i in range(len(texts))], "text": texts})
        pq.write_table(table, tmp_path / name)

    shard("comments-00000-of-00003.parquet", ["fine", "also fine"])
    shard("comments-00001-of-00003.parquet", ["ok", "JERRY HAMILTON was here", "Hey Promitheas!"])
    shard("comments-00002-of-00003.parquet", ["fine"])
    pq.write_table(
        pa.table({"title": ["Bashar al-Assad visits"], "body": ["x"]}),
        tmp_path / "articles-00001-of-00002.parquet",
    )
    pq.write_table(
        pa.table({"title": ["t"], "body": ["y"]}), tmp_path / "articles-00000-of-00002.parquet"
    )
    report = audit_release(tmp_path, HANDLES)
    assert report.files_scanned == 5
    assert {(h.file, h.place) for h in report.failures} == {
        ("comments-00001-of-00003.parquet", "column 'text', row 1"),
        ("comments-00001-of-00003.parquet", "column 'text', row 2"),
    }
    # "Assad" is a name in the second articles shard: a warning in comments, as unsharded.
    shard("comments-00002-of-00003.parquet", ["support for Assad"])
    report = audit_release(tmp_path, HANDLES)
    assert any(h.file == "comments-00002-of-00003.parquet" for h in report.warnings)
    assert not any(h.file == "comments-00002-of-00003.parquet" for h in report.failures)
