"""Score the parse stage against the gold of the real pages in tests/fixtures/real_pages.

The same matching rules as shared/real-pages/score_real.py, on the parse stage's own output
(raw handles, before anonymisation): a parsed comment matches a gold comment when its text
starts with the gold ``text_start`` (difflib ratio >= 0.9 for starts of 8+ characters), after
at most 3 short (<= 80 characters) leading lines; required gold comments are matched first.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.layouts.base import PageText, ParsedPage
from pipeline.stages.parse import UnparseablePage, parse_page

FIXTURES = Path(__file__).parents[1] / "fixtures" / "real_pages"
_MARKER = re.compile(r"^\s*(?:\d+\.|[•□☆○◦■*+o·-])\s+")


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\u00ad", "")
    return " ".join(text.split()).casefold()


def _strip_marker(text: str) -> str:
    return _MARKER.sub("", text, count=1)


def _starts_like(pred: str, gold: str) -> bool:
    if not gold:
        return False
    if pred.startswith(gold):
        return True
    if len(gold) < 8:
        return False
    ratio = difflib.SequenceMatcher(None, pred[: len(gold)], gold, autojunk=False).ratio()
    return ratio >= 0.9


@dataclass
class PageScore:
    name: str
    gold: dict
    parsed: ParsedPage | None
    reason: str | None = None
    tp: int = 0
    fp: int = 0
    fn: int = 0
    handle_right: int = 0
    date_text_right: int = 0
    date_text_shown: int = 0
    iso_right: int = 0
    iso_shown: int = 0
    parent_right: int = 0
    replies: int = 0
    in_body: int = 0
    matched: dict[int, int] = field(default_factory=dict)  # gold index -> parsed position

    @property
    def title_right(self) -> bool:
        return self.parsed is not None and norm(self.parsed.title) == norm(self.gold["title"])


def gold_files() -> list[Path]:
    return sorted((FIXTURES / "gold").glob("*.json"))


@cache
def score_page(gold_path: Path) -> PageScore:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (FIXTURES / "pages" / gold["page"]).read_text(encoding="utf-8")
    page = PageText.from_text(gold["page"], text)
    try:
        parsed = parse_page(page)
    except UnparseablePage as rejected:
        return PageScore(gold["page"], gold, None, rejected.reason)
    score = PageScore(gold["page"], gold, parsed)
    required = [c for c in gold["comments"] if not c.get("optional")]
    starts = []
    for comment in parsed.comments:
        lines = [ln for ln in comment.text.split("\n") if ln.strip()]
        options = []
        for skip in range(0, min(3, max(len(lines) - 1, 0)) + 1):
            if skip and len(lines[skip - 1].strip()) > 80:
                break
            options.append(_strip_marker(norm(_strip_marker("\n".join(lines[skip:])))))
        starts.append(options)
    used: set[int] = set()
    order = sorted(range(len(gold["comments"])),
                   key=lambda i: bool(gold["comments"][i].get("optional")))
    for gi in order:
        c = gold["comments"][gi]
        targets = [_strip_marker(norm(c[k])) for k in ("text_start", "alt_text_start") if c.get(k)]
        for pi, options in enumerate(starts):
            if pi in used:
                continue
            if any(_starts_like(o, t) for o in options for t in targets):
                used.add(pi)
                score.matched[gi] = pi
                break
    for gi, pi in score.matched.items():
        c, p = gold["comments"][gi], parsed.comments[pi]
        if c.get("optional"):
            continue
        score.tp += 1
        score.handle_right += norm(p.handle) == norm(c["handle"]) or bool(
            c.get("placeholder_handle"))
        if c.get("date_text"):
            score.date_text_shown += 1
            score.date_text_right += bool(p.published_text) and norm(p.published_text) in norm(
                c["date_text"])
        if c.get("date_iso"):
            score.iso_shown += 1
            score.iso_right += (p.published or "") == c["date_iso"]
        if gold["threading_visible"] and c.get("parent") is not None:
            score.replies += 1
            parent = score.matched.get(c["parent"])
            if parent is None and gold["comments"][c["parent"]].get("optional"):
                # a reply to a deleted comment (optional in the gold) may have no parent
                score.parent_right += p.parent_position is None
            else:
                score.parent_right += parent is not None and p.parent_position == parent
    optional_matched = sum(1 for gi in score.matched if gold["comments"][gi].get("optional"))
    score.fp = len(parsed.comments) - score.tp - optional_matched
    score.fn = len(required) - score.tp
    body = norm(parsed.body)
    score.in_body = sum(1 for c in required if len(c["text_start"]) >= 12
                        and _strip_marker(norm(c["text_start"])) in body)
    return score
