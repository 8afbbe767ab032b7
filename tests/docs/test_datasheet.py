"""DATASHEET.md: every Gebru et al. question answered, figures from the data, no placeholders."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from pipeline.docs.context import ReleaseContext
from pipeline.docs.datasheet import datasheet_questions, render_datasheet, render_figures
from pipeline.docs.figures import FIGURE_NAMES
from pipeline.docs.terms import columns
from tests.docs.tiny_release import A2, make_context, release_tables

PLACEHOLDERS = ("TODO", "TBD", "FIXME", "XXX", "{{", "}}", "{%", "%}", "lorem ipsum")


def _sections(text: str) -> dict[str, str]:
    """Level-2 sections of a Markdown document, by title."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def _answers(section: str) -> dict[str, str]:
    parts = re.split(r"^### (.+)$", section, flags=re.MULTILINE)
    return {q.strip(): a.strip() for q, a in zip(parts[1::2], parts[2::2], strict=True)}


def test_there_are_57_questions() -> None:
    assert sum(len(s["questions"]) for s in datasheet_questions()) == 57


def test_every_question_is_asked_and_answered_in_its_section(ctx: ReleaseContext) -> None:
    sections = _sections(render_datasheet(ctx))
    for section in datasheet_questions():
        answers = _answers(sections[section["title"]])
        for question in section["questions"]:
            assert question in answers, f"{section['title']}: missing {question!r}"
            assert len(answers[question]) > 20, f"{section['title']}: no answer to {question!r}"
        assert len(answers) == len(section["questions"]), f"{section['title']}: extra headings"


def test_not_applicable_answers_give_a_reason(ctx: ReleaseContext) -> None:
    for line in render_datasheet(ctx).splitlines():
        if line.startswith("N/A"):
            assert re.match(r"^N/A: \w", line), line


@pytest.mark.parametrize("preview", [False, True])
def test_no_placeholder_is_left(preview: bool) -> None:
    text = render_datasheet(make_context(preview=preview))
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text


def test_states_what_a_careful_reader_must_know(ctx: ReleaseContext) -> None:
    text = render_datasheet(ctx)
    assert "Content warning" in text
    assert "hateful, abusive and political speech" in text
    assert ctx.key_fingerprint in text
    assert "HMAC-SHA256" in text and "u_" in text and "base32" in text
    assert "did not consent" in text
    assert "web search" in text
    assert "no capture date and no URL column" in text
    assert "non-commercial research" in text
    assert "CC-BY" in text and "not openly licensed" in text
    assert "PREVIEW" not in text


def test_preview_says_pseudonyms_are_not_comparable() -> None:
    text = render_datasheet(make_context(preview=True))
    head = text[:600]
    assert "PREVIEW BUILD" in head
    assert "random key" in head and "not comparable" in head


def test_figures_come_from_the_tables(ctx: ReleaseContext) -> None:
    text = render_datasheet(ctx)
    assert "| not stated on the page | 2 |" in text
    assert "| numbered | 1 |" in text and "| no_handles | 1 |" in text
    assert "| stated count matches once removed duplicate comments are counted | 1 |" in text
    assert "| comments | same-comment-twice | 1 |" in text
    assert "| empty file | 1 |" in text
    assert "| distinct pseudonyms (`comments.author`) | 2 |" in text
    assert "Two \\| with pipe" not in text  # titles are never quoted


def test_missing_anonymise_counts_are_not_invented() -> None:
    text = render_datasheet(make_context(stage_reports={}))
    row = "| mentions of a commenter replaced by their pseudonym (anonymise stage) | not reported |"
    assert row in text


def test_replacements_are_counted_per_kind_never_shown() -> None:
    counts = {"full_handle_replacements": 3, "full_handle_comments": 2, "sweep_replacements": 0,
              "sweep_comments": 0, "addressed_replacements": 1200, "addressed_comments": 1100}
    text = render_datasheet(make_context(stage_reports={"anonymise": {"counts": counts}}))
    rows = [line for line in text.splitlines() if line.startswith("| ") and line.count("|") == 4]
    kinds = {line.split(" | ")[0][2:]: line.split(" | ")[1:] for line in rows}
    assert kinds["a whole handle that is not an ordinary word or phrase, wherever it occurs"] == [
        "3", "2 |"]
    assert ["1,200", "1,100 |"] in kinds.values() and ["0", "0 |"] in kinds.values()
    assert ["not reported", "not reported |"] in kinds.values()  # distinctive parts: not given
    assert "full_handle_replacements" not in text  # not listed a second time under its key


def test_every_column_is_described_from_the_schema(ctx: ReleaseContext) -> None:
    text = render_datasheet(ctx)
    for table in ("articles", "comments", "duplicates", "sources"):
        for column in columns(table):
            assert f"| `{column.name}` | {column.type} |" in text
            assert column.description.replace("|", "\\|") in text


def test_figures_are_linked_and_byte_deterministic(ctx: ReleaseContext) -> None:
    first, second = render_figures(ctx), render_figures(make_context())
    assert list(first) == list(FIGURE_NAMES)
    assert first == second
    for name, png in first.items():
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert b"Software" not in png and b"tIME" not in png
        assert f"(figures/{name})" in render_datasheet(ctx)


def test_figures_render_for_an_empty_release() -> None:
    tables = {name: t.slice(0, 0) for name, t in make_context().tables.items()}
    assert set(render_figures(make_context(tables))) == set(FIGURE_NAMES)
    assert "This release holds no comments." in render_datasheet(make_context(tables))


def test_datasheet_is_deterministic_and_relocatable(ctx: ReleaseContext) -> None:
    assert render_datasheet(ctx) == render_datasheet(make_context())
    assert "(dist/1.0.0/figures/thread_size.png)" in render_datasheet(
        ctx, figure_dir="dist/1.0.0/figures"
    )


def _with(table, name: str, values: list) -> object:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(index), pa.array(values, table[name].type))


def test_top_level_is_said_only_where_the_page_shows_threading() -> None:
    tables = release_tables()
    text = render_datasheet(make_context(tables))
    # A1 (5 comments, 2 replies) and A2 (3 comments, 1 reply) show threading
    assert "2 of 3 articles\ncome from pages that show" in text
    assert "On them, 5 comments\nare top level and 3 are replies" in text
    # A2's page now shows no threading: its 3 comments have no known place
    tables["articles"] = _with(tables["articles"], "threading_shown", [True, False, False])
    comments = tables["comments"]
    on_a2 = [a == A2 for a in comments["article_id"].to_pylist()]
    parents = comments["parent_id"].to_pylist()
    depths = comments["depth"].to_pylist()
    flat = [None if a2 else p for a2, p in zip(on_a2, parents, strict=True)]
    zero = [0 if a2 else d for a2, d in zip(on_a2, depths, strict=True)]
    tables["comments"] = _with(_with(comments, "parent_id", flat), "depth", zero)
    text = render_datasheet(make_context(tables))
    assert "On them, 3 comments\nare top level and 2 are replies" in text
    assert "The other 3 comments are on pages that do not\nshow threading" in text
    assert "**not known**" in text


def test_no_handle_on_the_page_and_no_handle_on_the_comment_are_told_apart() -> None:
    tables = release_tables()
    tables["articles"] = _with(tables["articles"], "handles_shown", [True, False, False])
    text = render_datasheet(make_context(tables))
    # A1 has one comment without a pseudonym on a page that shows handles; A2's 3 comments
    # (all with pseudonyms in the tiny release) sit on a page said to show none
    assert "| comments without a pseudonym (`author` null) | 1 |" in text
    assert "| of which on pages that show no handles at all" in text


def test_languages_lines_empty_texts_and_deprecation_are_reported(ctx) -> None:
    text = render_datasheet(ctx)
    assert "| `de` | 1 |" in text and "| `en` | 1 |" in text and "| unknown (null) | 1 |" in text
    # the four parsed inputs of the tiny release: 001, 002, 003 and the duplicate 004
    assert "4 parsed files (41 non-blank lines)" in text
    assert "| records removed as duplicates (duplicates.parquet) | 5 |" in text
    assert "1 comment(s) have an empty text" in text
    assert "Deprecated: `duplicates.table` (since 1.1.0). The same as record_table." in text
    assert "lowest 0.75" in text
