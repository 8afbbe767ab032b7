"""The synthetic corpus: deterministic per seed, every variant really present,
truth consistent with the bytes and with the line roles."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from itertools import islice

import pytest

from pipeline.evaluation.views import normalise
from pipeline.synth.generate import SynthFile, draw_page, generate_corpus, main
from pipeline.synth.model import flatten
from pipeline.synth.render import FAMILIES, renderer
from pipeline.synth.render.page_writer import BODY, HANDLE, TEXT, TITLE

N_FILES = 400


@pytest.fixture(scope="module")
def corpus() -> list[SynthFile]:
    return list(generate_corpus(N_FILES, seed=7))


def _digest(files: list[SynthFile]) -> str:
    sha = hashlib.sha256()
    for synth in files:
        sha.update(synth.name.encode() + synth.data)
    return sha.hexdigest()


def test_same_seed_same_bytes(corpus: list[SynthFile]) -> None:
    assert _digest(list(generate_corpus(N_FILES, seed=7))) == _digest(corpus)


def test_other_seed_other_bytes(corpus: list[SynthFile]) -> None:
    assert _digest(list(generate_corpus(N_FILES, seed=8))) != _digest(corpus)


def test_a_prefix_does_not_depend_on_the_length_asked_for(corpus: list[SynthFile]) -> None:
    assert _digest(list(generate_corpus(50, seed=7))) == _digest(corpus[:50])


def test_every_variant_and_family_is_present(corpus: list[SynthFile]) -> None:
    seen = Counter(v for synth in corpus for v in synth.variants)
    for variant in ("crlf", "bom", "nbsp", "trailing_spaces", "tabs", "cp1252", "truncated",
                    "zero_comments", "exact_duplicate", "recapture", "syndicated",
                    "empty", "binary", "undecodable"):
        assert seen[variant] > 0, variant
    assert {synth.family for synth in corpus} >= set(FAMILIES)
    assert sum(synth.copypasta for synth in corpus) > 0


def test_variants_are_really_in_the_bytes(corpus: list[SynthFile]) -> None:
    for synth in corpus:
        variants = set(synth.variants)
        if "crlf" in variants:
            assert b"\r\n" in synth.data
        if "bom" in variants:
            assert synth.data.startswith(b"\xef\xbb\xbf")
        if "cp1252" in variants:
            with pytest.raises(UnicodeDecodeError):
                synth.data.decode("utf-8")
            synth.data.decode("cp1252")
        if "nbsp" in variants and "cp1252" not in variants:
            assert "\u00a0" in synth.data.decode("utf-8-sig")
        if "tabs" in variants:
            assert b"\n\t" in synth.data
        if "empty" in variants:
            assert synth.data == b""
        if "binary" in variants:
            assert b"\x00" in synth.data


def test_links_point_to_earlier_files(corpus: list[SynthFile]) -> None:
    by_name = {synth.name: synth for synth in corpus}
    names = [synth.name for synth in corpus]
    assert len(set(names)) == len(names)
    for synth in corpus:
        if synth.duplicate_of:
            assert by_name[synth.duplicate_of].data == synth.data
        if synth.recapture_of:
            earlier = by_name[synth.recapture_of]
            assert earlier.truth is not None and synth.truth is not None
            assert synth.truth.paragraphs == earlier.truth.paragraphs
            assert flatten(synth.truth.comments)[: len(flatten(earlier.truth.comments))] == (
                flatten(earlier.truth.comments))
            assert len(flatten(synth.truth.comments)) > len(flatten(earlier.truth.comments))
        if synth.syndicated_with:
            earlier = by_name[synth.syndicated_with]
            assert earlier.truth is not None and synth.truth is not None
            assert synth.truth.paragraphs == earlier.truth.paragraphs


def _decoded_lines(synth: SynthFile) -> list[str]:
    text = synth.data.decode(synth.encoding or "utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def test_truth_matches_the_page_line_by_line(corpus: list[SynthFile]) -> None:
    for synth in corpus:
        if synth.truth is None:
            continue
        assert synth.roles is not None and synth.family is not None
        lines = _decoded_lines(synth)
        assert len(lines) == len(synth.roles), synth.name
        page_title = [normalise(lines[i]) for i, r in enumerate(synth.roles) if r.kind == TITLE]
        assert page_title == [normalise(synth.truth.title)]
        body = _joined(lines, synth.roles, BODY, -1)
        assert body == normalise(synth.truth.body).replace("\n\n", "\n"), synth.name
        for comment in flatten(synth.truth.comments):
            text = _joined(lines, synth.roles, TEXT, comment.position)
            assert text.endswith(normalise(comment.text).replace("\n\n", "\n")), synth.name
        shown = flatten(renderer(synth.family).visible(synth.truth).comments)
        if renderer(synth.family).TRAITS.shows_handles:
            handles = [normalise(lines[i]).lstrip("•*▪ ") for i, r in enumerate(synth.roles)
                       if r.kind == HANDLE]
            assert handles == [" ".join(c.handle.split()) for c in shown if c.handle], synth.name


def _joined(lines: list[str], roles: tuple, kind: str, comment: int) -> str:
    return "\n".join(
        normalise(lines[i]) for i, r in enumerate(roles) if r.kind == kind and r.comment == comment
    )


def test_truncated_truth_is_cut(corpus: list[SynthFile]) -> None:
    truncated = [s for s in corpus if "truncated" in s.variants]
    assert truncated
    assert not any(s.data.endswith(b"\n") for s in truncated if "trailing_spaces" not in s.variants)


@pytest.mark.parametrize("family", FAMILIES)
def test_draw_page_respects_the_family(family: str) -> None:
    traits = renderer(family).TRAITS
    for seed in range(30):
        page = draw_page(family, random.Random(seed))
        for comment in flatten(page.comments):
            assert comment.depth <= traits.max_depth
            if not traits.multiline_paragraphs:
                assert "\n" not in comment.text.replace("\n\n", "")
            if not traits.allows_empty_body:
                assert comment.text


def test_cli_writes_files_and_manifest(tmp_path) -> None:
    assert main(["--pages", "12", "--seed", "3", "--out", str(tmp_path)]) == 0
    records = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    assert len(records) == 12
    for record in records:
        data = (tmp_path / record["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"]


def test_generation_streams() -> None:
    assert len(list(islice(generate_corpus(None, seed=1), 5))) == 5
