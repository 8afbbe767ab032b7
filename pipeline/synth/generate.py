"""The synthetic corpus: seeded pages in all five layout families, with their
truth, written as raw files the way a scraper would have saved them.

``draw_page(family, rng)`` draws one page's truth within the family's
constraints; ``generate_corpus(n_pages, seed)`` streams :class:`SynthFile`
records (name, raw bytes, family, truth, line roles, variants) with the
variations real scrapes have: CRLF, UTF-8 BOM, NBSP, tab indentation,
trailing spaces, Windows-1252 files with curly quotes, zero comments,
truncated pages (truth cut to match), exact duplicate files, the same article
captured twice (the later capture has more comments), copypasta pasted by
several commenters, a story syndicated on two sites, and a few bad inputs
(empty, binary, undecodable; truth None).

It streams: memory stays flat however many pages are asked for (only a small
window of recent pages is remembered, for duplicates and recaptures). It must
never depend on anything but the seed: same seed, same bytes.

Command line::

    python -m pipeline.synth.generate --pages N --seed S --out DIR [--megabytes M]

writes the files and ``DIR/truth.jsonl`` (one JSON object per file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.synth.model import SynthComment, SynthPage
from pipeline.synth.render import FAMILIES, renderer
from pipeline.synth.render.page_writer import (
    FamilyTraits,
    LineRole,
    RenderedPage,
    count_comments,
    site_name,
)
from pipeline.synth.text import (
    DrawnCommentParagraph,
    article_paragraph,
    cast_of_commenters,
    comment_paragraph,
    copypasta_texts,
    drawn_comment_paragraph,
    headline,
    pick_topic,
    short_body_line,
    update_paragraph,
)
from pipeline.synth.truncate import truncate

RECENT_WINDOW = 64
THREAD_WINDOW = 3  # unthreaded, a comment answers one of the few just above it


@dataclass(frozen=True)
class SynthFile:
    """One generated input file and what is known to be in it.

    ``truth`` is the drawn page (cut when truncated), None for bad inputs;
    ``roles`` gives each line's role (see ``pipeline.synth.render``).
    ``duplicate_of`` / ``recapture_of`` / ``syndicated_with`` name the
    earlier file this one repeats, re-captures or shares its story with.
    """

    name: str
    data: bytes
    family: str | None
    truth: SynthPage | None
    roles: tuple[LineRole, ...] | None = None
    variants: tuple[str, ...] = ()
    encoding: str | None = "utf-8"
    duplicate_of: str | None = None
    recapture_of: str | None = None
    syndicated_with: str | None = None
    copypasta: int = 0


@dataclass(frozen=True)
class _Drawn:
    """A page remembered for later duplicates, recaptures and syndication."""

    file: SynthFile
    page: SynthPage
    style_seed: str
    topic: str


# --------------------------------------------------------------------------
# Drawing one page's truth


def draw_page(
    family: str,
    rng: random.Random,
    *,
    topic: str | None = None,
    copypasta: tuple[str, ...] = (),
    n_comments: int | None = None,
) -> SynthPage:
    """One page's truth, respecting what the family's pages allow."""
    traits: FamilyTraits = renderer(family).TRAITS
    topic = topic or pick_topic(rng)
    if n_comments is None:
        n_comments = 0 if rng.random() < 0.06 else min(220, 1 + int(rng.expovariate(1 / 28)))
    cast = cast_of_commenters(rng, max(1, min(40, n_comments // 2 + 1)))
    comments = _comment_forest(family, traits, rng, topic, cast, n_comments, copypasta)
    return SynthPage(
        title=headline(rng, topic),
        paragraphs=_article(family, rng, topic),
        comments=comments,
        site=site_name(rng) if family == "flat_handles" and rng.random() < 0.8 else None,
        n_comments_declared=_declared(family, rng, comments),
    )


def _article(family: str, rng: random.Random, topic: str) -> tuple[str, ...]:
    paragraphs = [article_paragraph(rng, topic) for _ in range(rng.randint(2, 9))]
    if family == "no_handles" and rng.random() < 0.6:
        updates = rng.randint(1, 3)
        numbers = [None if n == 1 and rng.random() < 0.5 else n for n in range(updates, 0, -1)]
        paragraphs = [update_paragraph(rng, topic, n) for n in numbers] + paragraphs
    return tuple(paragraphs)


def _declared(family: str, rng: random.Random, comments: tuple[SynthComment, ...]) -> int | None:
    shows = {"flat_handles": 1.0, "numbered": 1.0, "indented_bullets": 0.3}.get(family, 0.0)
    if rng.random() >= shows:
        return None
    extra = rng.randint(1, 9) if rng.random() < 0.2 else 0
    return count_comments(comments) + extra


def _comment_forest(
    family: str, traits: FamilyTraits, rng: random.Random, topic: str,
    cast: list[str], budget: int, copypasta: tuple[str, ...],
) -> tuple[SynthComment, ...]:
    left = [budget]
    shown: list[str] = []  # handles shown so far, in page order

    def draw(depth: int, parent: str | None) -> SynthComment:
        left[0] -= 1
        thread = [parent] if parent is not None else shown[-THREAD_WINDOW:]
        comment = _comment(family, traits, rng, topic, cast, copypasta, thread, tuple(shown))
        if comment.handle is not None:
            shown.append(comment.handle)
        replies: list[SynthComment] = []
        while left[0] > 0 and depth < traits.max_depth and rng.random() < 0.35 / (depth + 1):
            replies.append(draw(depth + 1, comment.handle))
        return replace(comment, replies=tuple(replies))

    forest: list[SynthComment] = []
    while left[0] > 0:
        forest.append(draw(0, None))
    return tuple(forest)


def _comment(
    family: str, traits: FamilyTraits, rng: random.Random, topic: str,
    cast: list[str], copypasta: tuple[str, ...], thread: list[str], shown: tuple[str, ...],
) -> SynthComment:
    """One comment. It may address a commenter shown above it on the page: most
    often the one it replies to (or, unthreaded, one of the last few), as people do."""
    author = cast[int(rng.random() * len(cast))]
    handle: str | None = author
    if family == "blank_separated" and rng.random() < 0.45:
        handle = None
    if copypasta and rng.random() < 0.015:
        return SynthComment(handle, (copypasta[int(rng.random() * len(copypasta))],))
    if traits.allows_empty_body and handle is not None and rng.random() < 0.04:
        return SynthComment(handle, ())
    near = [name for name in thread if name != author]
    anyone = sorted({name for name in shown if name != author})
    others = near if near and rng.random() < 0.8 else anyone
    drawn = _paragraphs(rng, topic, others, cast)
    if not traits.multiline_paragraphs:
        drawn = [d._replace(text=d.text.replace("\n", " ")) for d in drawn]
    if handle is None and len(drawn) > 1 and len(drawn[0].text) < 40:
        first = drawn_comment_paragraph(rng, topic, others)
        drawn[0] = first._replace(text=first.text.replace("\n", " "))
    kept = [d for d in drawn if d.text not in cast]
    if not kept:
        kept = [DrawnCommentParagraph(comment_paragraph(rng, topic, ()).replace("\n", " "), False)]
    return SynthComment(handle, tuple(d.text for d in kept), (), _mention_spans(kept))


def _mention_spans(drawn: list[DrawnCommentParagraph]) -> tuple[tuple[int, int, str], ...]:
    """The paragraphs' mention spans as spans of the comment text (paragraphs joined
    by a blank line)."""
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for paragraph in drawn:
        spans += [(offset + s, offset + e, h) for s, e, h in paragraph.mentions]
        offset += len(paragraph.text) + 2
    return tuple(spans)


def _paragraphs(
    rng: random.Random, topic: str, others: list[str], cast: list[str]
) -> list[DrawnCommentParagraph]:
    count = 1 if rng.random() < 0.65 else rng.randint(2, 5)
    return [
        DrawnCommentParagraph(short_body_line(rng), False) if rng.random() < 0.12
        else drawn_comment_paragraph(rng, topic, others, neighbours=cast)
        for _ in range(count)
    ]


# --------------------------------------------------------------------------
# Byte-level variants of a rendered page


def add_nbsp(text: str, rng: random.Random) -> str:
    """Non-breaking spaces after sentence ends and at line ends (the first line always)."""
    text = text.replace(". ", ".\u00a0 ") if rng.random() < 0.7 else text
    return "\n".join(
        line + "\u00a0" if line.strip() and (i == 0 or rng.random() < 0.1) else line
        for i, line in enumerate(text.split("\n"))
    )


def add_trailing_spaces(text: str, rng: random.Random) -> str:
    """Spaces and tabs after some lines (blank ones too, never after the final newline)."""
    lines = text.split("\n")
    last = len(lines) - 1
    return "\n".join(
        line + (" " if rng.random() < 0.7 else " \t ")
        if i < last and rng.random() < 0.3 else line
        for i, line in enumerate(lines)
    )


def tab_indentation(text: str) -> str | None:
    """Leading space runs turned into tabs, one tab per indentation step (for
    pages whose every indentation is a whole number of steps: Disqus-like; the
    numbered family's sites choose tab steps in the renderer instead, because
    continuation lines there are aligned under the text, not stepped)."""
    lines = text.split("\n")
    widths = {len(line) - len(line.lstrip(" ")) for line in lines if line.strip()} - {0}
    if not widths:
        return None
    step = min(widths)
    if any(w % step for w in widths):
        return None
    return "\n".join(
        "\t" * ((len(line) - len(line.lstrip(" "))) // step) + line.lstrip(" ")
        for line in lines
    )


def _curly(page: SynthPage) -> SynthPage:
    """Apostrophes made typographic, and text made encodable in Windows-1252."""

    def fix(text: str) -> str:
        text = text.replace("'", "\u2019")
        return text.encode("cp1252", errors="replace").decode("cp1252")

    def fix_comment(c: SynthComment) -> SynthComment:
        return SynthComment(
            None if c.handle is None else fix(c.handle),
            tuple(fix(p) for p in c.paragraphs),
            tuple(fix_comment(r) for r in c.replies),
            tuple((start, end, fix(h)) for start, end, h in c.mentions),  # same lengths
        )

    return replace(
        page,
        title=fix(page.title),
        paragraphs=tuple(fix(p) for p in page.paragraphs),
        comments=tuple(fix_comment(c) for c in page.comments),
    )


def _encode(text: str, variants: list[str]) -> tuple[bytes, str]:
    if "crlf" in variants:
        text = text.replace("\n", "\r\n")
    if "cp1252" in variants:
        try:
            if not text.isascii():  # an ASCII page reads the same in UTF-8: no variant
                return text.encode("cp1252"), "cp1252"
        except UnicodeEncodeError:
            pass
        variants.remove("cp1252")
    if "bom" in variants:
        return ("\ufeff" + text).encode("utf-8"), "utf-8-sig"
    return text.encode("utf-8"), "utf-8"


def _draw_variants(rng: random.Random, family: str) -> list[str]:
    variants = [
        name for name, rate in (("crlf", 0.15), ("bom", 0.1), ("nbsp", 0.15),
                                ("trailing_spaces", 0.15), ("cp1252", 0.08),
                                ("truncated", 0.06))
        if rng.random() < rate
    ]
    if family == "indented_bullets" and rng.random() < 0.25:
        variants.append("tabs")
    if "cp1252" in variants and "bom" in variants:
        variants.remove("bom")
    return variants


# --------------------------------------------------------------------------
# The corpus


def _file_name(index: int, data: bytes) -> str:
    return f"{index:06d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def _render(family: str, page: SynthPage, style_seed: str) -> RenderedPage:
    module = renderer(family)
    rng = random.Random(style_seed)
    if family == "blank_separated":
        return module.render_lines(page, rng, loose_handles=True)
    return module.render_lines(page, rng)


def _materialise(
    index: int, family: str, page: SynthPage, style_seed: str, rng: random.Random,
    variants: list[str], **links: str | int | None,
) -> SynthFile:
    if "cp1252" in variants:
        page = _curly(page)
    rendered = _render(family, page, style_seed)
    if "truncated" in variants:
        rendered, page = truncate(page, rendered, rng)
    text = rendered.text
    if "tabs" in variants:
        tabbed = tab_indentation(text)
        if tabbed is None:
            variants.remove("tabs")
        text = tabbed or text
    if "nbsp" in variants:
        text = add_nbsp(text, rng)
    if "trailing_spaces" in variants:
        text = add_trailing_spaces(text, rng)
    data, encoding = _encode(text, variants)
    if not page.comments:
        variants.append("zero_comments")
    return SynthFile(
        _file_name(index, data), data, family, page, rendered.roles,
        tuple(variants), encoding, **links,  # type: ignore[arg-type]
    )


def _bad_file(index: int, rng: random.Random) -> SynthFile:
    kind = ("empty", "binary", "undecodable")[index % 3]
    if kind == "empty":
        data = b""
    elif kind == "binary":
        data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(400)
    else:
        data = b"Headline\n\nText " + b"\x81\x8d\x8f\x90\x9d\xc3\x28" * 40
    return SynthFile(_file_name(index, data), data, None, None, None, (kind,), None)


def _count_copypasta(page: SynthPage, copypasta: frozenset[str]) -> int:
    def visit(comments: tuple[SynthComment, ...]) -> int:
        return sum((c.text in copypasta) + visit(c.replies) for c in comments)

    return visit(page.comments)


def _recapture(page: SynthPage, family: str, rng: random.Random, topic: str,
               copypasta: tuple[str, ...]) -> SynthPage:
    """The same article later: all earlier comments, then more."""
    extra = draw_page(family, rng, topic=topic, copypasta=copypasta,
                      n_comments=rng.randint(1, 12)).comments
    comments = page.comments + extra
    declared = None if page.n_comments_declared is None else count_comments(comments)
    return replace(page, comments=comments, n_comments_declared=declared)


def _syndicated(page: SynthPage, rng: random.Random, topic: str,
                copypasta: tuple[str, ...]) -> tuple[str, SynthPage]:
    """The same story on another site, with its own layout and readers."""
    family = FAMILIES[int(rng.random() * len(FAMILIES))]
    other = draw_page(family, rng, topic=topic, copypasta=copypasta)
    return family, replace(other, title=page.title, paragraphs=page.paragraphs)


def generate_corpus(
    n_pages: int | None, seed: int, max_bytes: int | None = None
) -> Iterator[SynthFile]:
    """Stream ``n_pages`` files (or until ``max_bytes`` of raw data), seeded."""
    copypasta = copypasta_texts(seed)
    pasted = frozenset(copypasta)
    recent: deque[_Drawn] = deque(maxlen=RECENT_WINDOW)
    written = 0
    index = 0
    while (n_pages is None or index < n_pages) and (max_bytes is None or written < max_bytes):
        rng = random.Random(f"{seed}/{index}")
        synth = _next_file(index, rng, recent, copypasta, pasted)
        written += len(synth.data)
        index += 1
        yield synth


def _next_file(
    index: int, rng: random.Random, recent: deque[_Drawn],
    copypasta: tuple[str, ...], pasted: frozenset[str],
) -> SynthFile:
    roll = rng.random()
    if index % 97 == 13:
        return _bad_file(index, rng)
    if recent and roll < 0.02:
        earlier = recent[int(rng.random() * len(recent))].file
        return replace(earlier, name=_file_name(index, earlier.data),
                       variants=("exact_duplicate",), duplicate_of=earlier.name)
    if recent and roll < 0.05:
        return _later_capture(index, rng, recent, copypasta, pasted)
    family = FAMILIES[index % len(FAMILIES)] if roll < 0.5 else FAMILIES[
        int(rng.random() * len(FAMILIES))]
    topic = pick_topic(rng)
    syndicated_with = None
    if recent and roll < 0.07:
        source = recent[int(rng.random() * len(recent))]
        family, page = _syndicated(source.page, rng, source.topic, copypasta)
        syndicated_with = source.file.name
    else:
        page = draw_page(family, rng, topic=topic, copypasta=copypasta)
    style_seed = f"style/{index}"
    variants = _draw_variants(rng, family)
    if syndicated_with:
        variants.append("syndicated")
    synth = _materialise(index, family, page, style_seed, rng, variants,
                         syndicated_with=syndicated_with)
    synth = replace(synth, copypasta=_count_copypasta(synth.truth, pasted))  # type: ignore[arg-type]
    if "truncated" not in variants:
        recent.append(_Drawn(synth, page, style_seed, topic))
    return synth


def _later_capture(
    index: int, rng: random.Random, recent: deque[_Drawn],
    copypasta: tuple[str, ...], pasted: frozenset[str],
) -> SynthFile:
    source = recent[int(rng.random() * len(recent))]
    family = source.file.family or "flat_handles"
    page = _recapture(source.page, family, rng, source.topic, copypasta)
    variants = [v for v in source.file.variants if v in ("crlf", "bom", "cp1252", "tabs")]
    variants.append("recapture")
    synth = _materialise(index, family, page, source.style_seed, rng, variants,
                         recapture_of=source.file.name)
    return replace(synth, copypasta=_count_copypasta(synth.truth, pasted))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Manifest and command line


def page_to_json(page: SynthPage) -> dict[str, object]:
    def comment(c: SynthComment) -> dict[str, object]:
        return {"handle": c.handle, "paragraphs": list(c.paragraphs),
                "replies": [comment(r) for r in c.replies]}

    return {"title": page.title, "paragraphs": list(page.paragraphs), "site": page.site,
            "n_comments_declared": page.n_comments_declared,
            "comments": [comment(c) for c in page.comments]}


def manifest_record(synth: SynthFile) -> dict[str, object]:
    """One line of truth.jsonl."""
    return {
        "file": synth.name,
        "sha256": hashlib.sha256(synth.data).hexdigest(),
        "bytes": len(synth.data),
        "family": synth.family,
        "encoding": synth.encoding,
        "variants": list(synth.variants),
        "duplicate_of": synth.duplicate_of,
        "recapture_of": synth.recapture_of,
        "syndicated_with": synth.syndicated_with,
        "n_comments": None if synth.truth is None else count_comments(synth.truth.comments),
        "copypasta_comments": synth.copypasta,
        "truth": None if synth.truth is None else page_to_json(synth.truth),
    }


def write_corpus(out: Path, n_pages: int | None, seed: int, max_bytes: int | None) -> int:
    """Write the files and truth.jsonl; returns the number of files."""
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out / "truth.jsonl").open("w", encoding="utf-8") as manifest:
        for synth in generate_corpus(n_pages, seed, max_bytes):
            (out / synth.name).write_bytes(synth.data)
            manifest.write(json.dumps(manifest_record(synth), ensure_ascii=False) + "\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=None, help="number of files to write")
    parser.add_argument("--megabytes", type=float, default=None, help="stop after this much data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.pages is None and args.megabytes is None:
        parser.error("give --pages or --megabytes")
    max_bytes = None if args.megabytes is None else int(args.megabytes * 1_000_000)
    count = write_corpus(args.out, args.pages, args.seed, max_bytes)
    print(f"wrote {count} files and truth.jsonl to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
