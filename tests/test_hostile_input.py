"""A release over real seeds plus hostile entries, end to end through the CLI: nothing
outside the seeds gets in, every entry has a sources row, no fragment is released, and
the stage outputs that hold raw handles are private (mode 600 in 700 directories)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.layouts.base import PageText
from pipeline.stages.ingest import MAX_LINE_CHARS, MAX_PAGE_BYTES
from pipeline.stages.parse import parse_page

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").iterdir())
OUTSIDE_TOKEN = "Zqxv0utsideTheSeeds"
NESTED_TOKEN = "Zqxv1nsideANestedDir"
RAW_HANDLE_STAGES = ("ingest", "parse", "dedupe", "anonymise", "release")


def _with_token(page: Path, token: str) -> str:
    """A real page with ``token`` in its title and in every comment text it shows."""
    text = page.read_text(encoding="utf-8")
    parsed = parse_page(PageText.from_text(page.name, text))
    text = text.replace(parsed.title, f"{parsed.title} {token}", 1)
    for comment in parsed.comments:
        line = comment.text.split("\n")[0]
        text = text.replace(line, f"{line} {token}", 1)
    return text


def _cut_inside_a_comment(page: Path) -> tuple[str, str]:
    """The page cut in the middle of its second comment's first line, and that line."""
    text = page.read_text(encoding="utf-8")
    comment = parse_page(PageText.from_text(page.name, text)).comments[1]
    line = comment.text.split("\n")[0]
    return text[: text.index(line) + len(line) // 2], comment.text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("hostile")
    seeds = work / "seeds"
    seeds.mkdir()
    for page in SEEDS[:2]:
        shutil.copyfile(page, seeds / page.name)
    outside = work / "outside" / "page.txt"
    outside.parent.mkdir()
    outside.write_text(_with_token(SEEDS[2], OUTSIDE_TOKEN), encoding="utf-8")
    (seeds / "link.txt").symlink_to(outside)
    (seeds / "nested").mkdir()
    (seeds / "nested" / "page.txt").write_text(_with_token(SEEDS[2], NESTED_TOKEN))
    os.mkfifo(seeds / "fifo")
    with_nul = bytearray(SEEDS[3].read_bytes())
    with_nul[10_052:10_052] = b"\x00" * 4
    (seeds / "nul.txt").write_bytes(bytes(with_nul))
    (seeds / "utf16.txt").write_bytes(SEEDS[4].read_text(encoding="utf-8").encode("utf-16"))
    (seeds / "long-line.txt").write_text("word " * (MAX_LINE_CHARS // 5 + 1) + "\n")
    with open(seeds / "big.txt", "wb") as big:
        big.truncate(MAX_PAGE_BYTES + 1)  # sparse: no disk used
    cut, whole_comment = _cut_inside_a_comment(SEEDS[1])
    (seeds / "zz-cut.txt").write_text(cut, encoding="utf-8")
    (work / "test.key").write_bytes(os.urandom(32).hex().encode())
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "release", "--version", "1.0.0",
         "--key-file", "test.key"],
        cwd=work,
        env={k: v for k, v in os.environ.items() if k != "CORPUS_PSEUDONYM_KEY_FILE"},
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.umask(0),  # modes must not depend on the umask
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    fragment = parse_page(PageText.from_text("cut", cut)).comments[-1].text
    return {"work": work, "release": work / "dist" / "1.0.0", "fragment": fragment,
            "whole_comment": whole_comment}  # fmt: skip


def _sources(release: Path) -> dict[str, dict]:
    rows = pq.read_table(release / "sources.parquet").to_pylist()
    return {row["source_file"]: row for row in rows}


def test_every_entry_has_a_sources_row_with_what_became_of_it(hostile: dict) -> None:
    sources = _sources(hostile["release"])
    outcome = {name: (row["status"], row["reason"]) for name, row in sources.items()}
    not_read = "only regular files are read"
    assert outcome["link.txt"] == ("rejected", f"not a regular file: symbolic link; {not_read}")
    assert outcome["nested"] == ("rejected", f"not a regular file: directory; {not_read}")
    assert outcome["fifo"] == ("rejected", f"not a regular file: FIFO (named pipe); {not_read}")
    assert outcome["nul.txt"] == (
        "rejected", "binary: NUL byte at byte offset 10,052, not a text page"
    )  # fmt: skip
    assert outcome["long-line.txt"][0] == "rejected"
    assert outcome["long-line.txt"][1].startswith("line too long: line 1 has ")
    assert outcome["big.txt"] == (
        "rejected",
        f"too large: {MAX_PAGE_BYTES + 1:,} bytes, the limit is {MAX_PAGE_BYTES:,} bytes per page",
    )
    assert outcome["utf16.txt"] == ("article", None)
    assert sources["utf16.txt"]["encoding"] == "utf-16-le"
    assert outcome["zz-cut.txt"] == ("duplicate", None)
    assert set(sources) == {p.name for p in SEEDS[:2]} | {
        "link.txt", "nested", "fifo", "nul.txt", "utf16.txt", "long-line.txt", "big.txt",
        "zz-cut.txt",
    }  # fmt: skip


def _all_text(directory: Path) -> str:
    """Every string cell of every Parquet file and every other file's bytes, as text."""
    found: list[str] = []
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            for column in table.columns:
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                    found += [value for value in column.to_pylist() if value]
        else:
            found.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(found)


def test_nothing_outside_the_seeds_or_in_a_nested_directory_reaches_any_file(
    hostile: dict,
) -> None:
    work: Path = hostile["work"]
    for directory in (hostile["release"], work / "build"):
        text = _all_text(directory)
        assert OUTSIDE_TOKEN not in text
        assert NESTED_TOKEN not in text
    outside_sha = hashlib.sha256((work / "outside" / "page.txt").read_bytes()).hexdigest()
    assert outside_sha not in _all_text(hostile["release"])


def test_a_page_cut_inside_a_comment_is_a_duplicate_and_no_fragment_is_released(
    hostile: dict,
) -> None:
    release: Path = hostile["release"]
    duplicates = pq.read_table(release / "duplicates.parquet").to_pylist()
    reasons = {(d["source_file"], d["reason"]) for d in duplicates}
    assert ("zz-cut.txt", "truncated-capture") in reasons
    assert ("zz-cut.txt", "truncated-comment") in reasons
    texts = pq.read_table(release / "comments.parquet")["text"].to_pylist()
    assert hostile["fragment"] not in texts
    assert sum(hostile["fragment"] in text for text in texts) == 1  # the whole one only


def test_the_release_is_valid(hostile: dict) -> None:
    from pipeline.validate import validate_release

    problems, _ = validate_release(hostile["release"], build_dir=hostile["work"] / "build")
    assert problems == []


def test_stage_outputs_are_mode_600_in_700_directories_whatever_the_umask(
    hostile: dict,
) -> None:
    build: Path = hostile["work"] / "build"
    assert stat.S_IMODE(build.stat().st_mode) == 0o700
    checked = 0
    for stage in RAW_HANDLE_STAGES:
        for path in [build / stage, *(build / stage).rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
            checked += 1
    assert checked > 20
