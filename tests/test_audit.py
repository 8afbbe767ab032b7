"""The leak audit: every file, every string column, file names; never names a handle."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.audit import audit_release

HANDLES = [
    "jerry whitehot", "Promitheas Apollonious", "as", "C++ (fanboi99)*",
    "Konashenkov must stay (x1)",
]


def _release(tmp_path, comments: list[str], article_body: str = "Nothing to see."):
    pq.write_table(
        pa.table({"comment_id": [f"c{i}" for i in range(len(comments))], "text": comments}),
        tmp_path / "comments.parquet",
    )
    pq.write_table(
        pa.table({"title": ["Igor Konashenkov visits"], "body": [article_body]}),
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
    release = _release(tmp_path, ["fine", "JERRY   WHITEHOT was here"])
    report = audit_release(release, HANDLES)
    assert not report.passed
    assert {(h.file, h.place) for h in report.failures} == {
        ("comments.parquet", "column 'text', row 1")
    }
    messages = _all_messages(report).casefold()
    assert all(part not in messages for part in ("jerry", "whitehot", "promitheas"))


def test_distinctive_part_in_comment_fails(tmp_path):
    report = audit_release(_release(tmp_path, ["Hey Promitheas!"]), HANDLES)
    assert [h.place for h in report.failures] == ["column 'text', row 0"]


def test_part_used_as_a_name_in_articles_is_a_warning(tmp_path):
    report = audit_release(_release(tmp_path, ["support for Konashenkov"]), HANDLES)
    assert report.passed and any("comments" in h.file for h in report.warnings)


def test_article_text_hits_are_warnings(tmp_path):
    release = _release(tmp_path, ["ok"], article_body="Jerry Whitehot, the minister, said")
    report = audit_release(release, HANDLES)
    assert report.passed
    assert {h.file for h in report.warnings} == {"articles.parquet"}


def test_metadata_files_and_file_names_are_scanned(tmp_path):
    release = _release(tmp_path, ["ok"])
    (release / "CITATION.cff").write_text("title: corpus\nauthors: promitheas apollonious\n")
    (release / "c++ (fanboi99)*.md").write_text("nothing\n")
    report = audit_release(release, HANDLES)
    places = {(h.file, h.place) for h in report.failures}
    assert ("CITATION.cff", "line 2") in places
    assert ("c++ (fanboi99)*.md", "file name") in places


def test_common_word_handle_is_not_hunted(tmp_path):
    report = audit_release(_release(tmp_path, ["As I said, as usual"]), ["as", "Cat"])
    assert report.passed


def test_ordinary_phrases_and_parts_are_not_hunted_as_such(tmp_path):
    # "the real one" is an ordinary phrase, "Patriot" an ordinary part of a handle
    # whose other word is rare: only that word, and the whole handle, are.
    texts = ["That was a decoy, the real one is still in the depot.", "A real patriot reads."]
    handles = ["the real one", "Ostranian Patriot"]
    assert audit_release(_release(tmp_path, texts), handles).passed
    texts.append("The Ostranian says so")
    report = audit_release(_release(tmp_path, texts), handles)
    assert [h.place for h in report.failures] == ["column 'text', row 2"]


def _thread_release(tmp_path, rows: list[tuple[str, str | None, str]]):
    """rows: (comment_id, parent_id, text) of one page; returns the release and the
    build's (comment_id, handle) for handles named like the comment ids."""
    pq.write_table(
        pa.table({
            "comment_id": [c for c, _, _ in rows],
            "article_id": ["a1"] * len(rows),
            "parent_id": pa.array([p for _, p, _ in rows], pa.string()),
            "position": list(range(len(rows))),
            "text": [t for _, _, t in rows],
        }),
        tmp_path / "comments.parquet",
    )
    return tmp_path


def test_an_ordinary_handle_used_to_address_its_commenter_fails(tmp_path):
    rows = [
        ("c0", None, "first"),
        ("c1", "c0", "the real one, you are wrong."),
        ("c2", "c0", "The fake report got more airtime than the real one."),
        ("c3", None, "@Cat read it again"),
        ("c4", None, "Cat videos are better than this."),
        ("c5", "c3", "Good point, Patriot."),
        ("c6", None, "A patriot does not cheer."),
    ]
    build = pa.table({
        "comment_id": ["c0", "c1", "c2", "c3", "c4", "c5", "c6"],
        "handle": ["the real one", "Cat", "Jo", "Ostranian Patriot", "x1", "Jo", "x1"],
    })
    release = _thread_release(tmp_path, rows)
    report = audit_release(release, list(build.column("handle").to_pylist()), build)
    assert [h.place for h in report.failures] == [
        "column 'text', row 1", "column 'text', row 3", "column 'text', row 5"
    ]
    messages = _all_messages(report).casefold()
    assert all(word not in messages for word in ("real one", "cat", "patriot"))
    # Without the build's comments, only the distinctive half can be checked.
    assert audit_release(release, list(build.column("handle").to_pylist())).passed


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
    shard("comments-00001-of-00003.parquet", ["ok", "JERRY WHITEHOT was here", "Hey Promitheas!"])
    shard("comments-00002-of-00003.parquet", ["fine"])
    pq.write_table(
        pa.table({"title": ["Igor Konashenkov visits"], "body": ["x"]}),
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
    # "Konashenkov" is a name in the second articles shard: a warning in comments, as unsharded.
    shard("comments-00002-of-00003.parquet", ["support for Konashenkov"])
    report = audit_release(tmp_path, HANDLES)
    assert any(h.file == "comments-00002-of-00003.parquet" for h in report.warnings)
    assert not any(h.file == "comments-00002-of-00003.parquet" for h in report.failures)


def _png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    import struct
    import zlib

    out = b"\x89PNG\r\n\x1a\n"
    for kind, body in [(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)), *chunks,
                       (b"IEND", b"")]:  # fmt: skip
        out += struct.pack(">I", len(body)) + kind + body
        out += struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return out


def test_a_figure_is_audited_on_its_text_not_on_its_pixels(tmp_path):
    release = _release(tmp_path, ["fine"])
    (release / "figures").mkdir()
    # compressed pixels that happen to spell a handle are image data, not text
    (release / "figures" / "chart.png").write_bytes(_png([(b"IDAT", b"xx jerry whitehot xx")]))
    assert audit_release(release, HANDLES).passed
    # a text chunk (plain, or compressed) is text a reader sees in the file's metadata
    import zlib

    (release / "figures" / "chart.png").write_bytes(
        _png([(b"tEXt", b"Title\0by Promitheas Apollonious")]))
    assert [h.file for h in audit_release(release, HANDLES).failures] == ["figures/chart.png"]
    (release / "figures" / "chart.png").write_bytes(
        _png([(b"zTXt", b"Comment\0\0" + zlib.compress(b"jerry whitehot"))]))
    assert not audit_release(release, HANDLES).passed


def test_a_file_that_only_looks_like_a_png_is_read_as_text(tmp_path):
    release = _release(tmp_path, ["fine"])
    broken = _png([(b"IDAT", b"xx")])[:-4] + b"\njerry whitehot"  # no CRC, then text
    (release / "notes.png").write_bytes(broken)
    assert not audit_release(release, HANDLES).passed
