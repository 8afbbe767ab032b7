"""Layout family 5, "no handles": an article, then reader comments with no
handles, no numbering and no marker where the article ends.

Such a page is a title line followed by paragraphs separated by blank lines.
The article may have "Update N:" parts, "* * *" section separators and photo
captions split over lines; the comments follow with the same single blank line
between them as between paragraphs (sometimes two or more). Every comment is
top level as far as the page shows: handle None, parent None, depth 0.

Method
------
1. Paragraphs: maximal runs of non-blank lines, each with the number of blank
   lines before it. Separator lines (only punctuation, e.g. "* * *") and a
   comment counter ("57 Comments") are chrome.
2. Article/comment boundary, a change point: each paragraph gets a register
   score s_i, the log-odds that it is a reader comment rather than news prose
   (:mod:`pipeline.layouts._register`: person, slang, insults, questions,
   lowercase start, length versus attribution verbs, numbers, dates, long
   sentences, "Update N:"). Separators count as strong article evidence. The
   boundary k maximises sum_{i<k} (-s_i) + sum_{i>=k} s_i, i.e. it is the
   argmin of the prefix sums of s (clipped to [-3, 3] so that one pasted news
   quote in the comments cannot drag the boundary). A comment counter, when
   the page has one, fixes the boundary instead.
3. Photo captions, only inside the article: a run of two or more short
   unterminated fragments, or one fragment with a caption cue ("Photo", "(R)",
   "Getty", "file photo"). Anything less certain stays in the body.
4. Comments, a semi-Markov dynamic program over the comment paragraphs: each
   gap between two paragraphs has a log-odds g that the second starts a new
   comment (prior for a new comment, two or more blank lines, reply openers
   such as "^", "lol", "Thank you", "You ..." versus continuation cues: "p.s.",
   "And ...", "Also ...", a list item after a list or a line ending in ":", a
   lowercase sentence continuing an unterminated one, the same writer's
   lowercase style, a pasted news quote under a remark). A segmentation scores
   the sum of g over its comment starts minus g over its joins, minus a
   penalty for comments longer than four paragraphs.

Measured (tests/layouts/test_no_handles.py): seed 004 boundary exact, all 22
article paragraphs right, comment start F1 0.89 against a gold written by
reading; 300 generated pages (tests/layouts/no_handles_pages.py): paragraph
assignment 0.994, exact boundary 0.89-0.92, comment start F1 0.94-0.95.
Limits: the boundary slips when the last article paragraph is short and
neutral, or the first comment is neutral or a pasted news paragraph; comment
boundaries between consecutive comments separated exactly like paragraphs are
often invisible on the page, so comment boundary F1 cannot reach 1. A single
unterminated caption line at the very end of the article may stay a comment.

This module must never read files, log, key on a literal of one site (a site
name, a headline), invent a site name or a comment count, or drop a non-blank
line without a chrome reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from pipeline.layouts._register import (
    comment_log_odds,
    cues_of,
    is_reply_opener,
    is_terminated,
    is_unmistakably_comment,
    starts_lowercase,
    words_of,
)
from pipeline.layouts.base import (
    ChromeLine,
    LayoutMismatch,
    PageText,
    ParsedComment,
    ParsedPage,
    is_blank,
)

_SEPARATOR = re.compile(r"^[\s*•·~=_#+—–-]{3,}$")
_COUNTER = re.compile(
    r"^(?:(\d[\d,.]*)\s+(?:comments?|responses?|replies)|comments?\s*[(:]\s*(\d[\d,.]*)\)?)$",
    re.I,
)
_CAPTION_CUE = re.compile(
    r"\b(?:photo|photos|image|images|credit|getty|reuters|afp|ap|file photo|pictured|"
    r"courtesy|via)\b|\((?:l|r|c|l-r|left|right|center|centre)\)",
    re.I,
)
_CAPTION_LEAD = re.compile(r"^(?:photo|image|picture|photograph|credit)s?\s*(?:by\b|:)", re.I)
_LIST_ITEM = re.compile(r"^(?:[-*•]\s|\d{1,2}[.)]\s|[a-z][.)]\s)")
_CONTINUATION = re.compile(
    r"^(?:and|but|also|plus|or|so|then|besides|moreover|furthermore|anyway|still|"
    r"otherwise|which|not to mention|oh,? and|btw|that said|in fact|even so|again)\b",
    re.I,
)
_POSTSCRIPT = re.compile(r"^(?:p\.?\s?s\.?|edit|update|addendum|add(?:ed)?)\b\s*[:.,-]?", re.I)
_ANAPHORA = re.compile(r"^(?:they|it|this|that|these|those|he|she|his|her|their)\b", re.I)
_SPACE_RUN = re.compile(r"[^\S\n]")

_CLIP = 3.0
_COMMENT_CLIP = 3.5  # a sure comment outweighs one pasted news paragraph after it
_SEPARATOR_EVIDENCE = -_CLIP
_CAPTION_EVIDENCE = -1.0
_NEWS_LIKE = 0.0
_USUAL_MULTI_BLANK_SHARE = 0.15
_ARTICLE_ONLY_FIT = 0.35  # plain prose and nothing else: this family is the fallback
_LONG_COMMENT = 4
_LONG_COMMENT_PENALTY = 0.6


@dataclass(frozen=True)
class Paragraph:
    """A maximal run of non-blank lines: its line numbers, text and blank run before it."""

    line_nos: tuple[int, ...]
    lines: tuple[str, ...]
    blanks_before: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Block:
    """A paragraph with its role candidate: content, separator or comment counter."""

    paragraph: Paragraph
    kind: str  # "content", "separator", "counter"


def clean_line(line: str) -> str:
    """One page line with NBSP, tabs and other Unicode spaces made plain and ends trimmed."""
    return _SPACE_RUN.sub(" ", line).strip()


def paragraphs_of(page: PageText, first_line: int = 1) -> list[Paragraph]:
    """Split the page (from ``first_line``) into paragraphs at blank lines."""
    found: list[Paragraph] = []
    numbers: list[int] = []
    blanks = 0
    for line_no in range(first_line, len(page.lines) + 1):
        if is_blank(page.line(line_no)):
            if numbers:
                found.append(_paragraph(page, numbers, blanks))
                numbers, blanks = [], 0
            blanks += 1
            continue
        numbers.append(line_no)
    if numbers:
        found.append(_paragraph(page, numbers, blanks))
    return found


def _paragraph(page: PageText, numbers: list[int], blanks: int) -> Paragraph:
    return Paragraph(tuple(numbers), tuple(clean_line(page.line(n)) for n in numbers), blanks)


def title_line_of(page: PageText) -> int:
    """The line number of the headline: the first non-blank line."""
    for line_no, text in enumerate(page.lines, start=1):
        if not is_blank(text):
            return line_no
    raise LayoutMismatch(f"{page.source_file}: page has no text at all")


def classify(paragraph: Paragraph) -> Block:
    """Tell separators and comment counters (chrome) from content paragraphs."""
    if len(paragraph.lines) == 1:
        line = paragraph.lines[0]
        if _SEPARATOR.match(line) and not any(c.isalnum() for c in line):
            return Block(paragraph, "separator")
        if _COUNTER.match(line):
            return Block(paragraph, "counter")
    return Block(paragraph, "content")


def declared_count(block: Block) -> int | None:
    """The comment count a counter line states."""
    match = _COUNTER.match(block.paragraph.lines[0])
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group(1) or match.group(2))
    return int(digits) if digits else None


# --- the article/comment boundary -------------------------------------------


def block_evidence(block: Block, last: bool = False) -> float:
    """Clipped log-odds that a block belongs to the comments rather than the article.

    Separators and caption-like lines are article furniture. ``last``: the block
    ends the page, where a missing full stop may be truncation.
    """
    if block.kind == "separator":
        return _SEPARATOR_EVIDENCE
    score = comment_log_odds(block.paragraph.text, may_be_cut=last)
    return max(-_CLIP, min(_COMMENT_CLIP, score))


def evidence_of(blocks: list[Block]) -> list[float]:
    """Block evidence for a whole page, in order. A caption sitting between
    news paragraphs (or after a separator) counts as article evidence: that is
    where captions are, while a run of fragments among comments is not one."""
    evidence = [block_evidence(b, last=i == len(blocks) - 1) for i, b in enumerate(blocks)]
    flags = caption_flags(blocks, len(blocks))
    for start, stop in _runs(flags):
        before = evidence[start - 1] if start > 0 else _SEPARATOR_EVIDENCE
        after = evidence[stop] if stop < len(blocks) else 0.0
        between_news = before < _NEWS_LIKE and after < _NEWS_LIKE
        for i in range(start, stop):
            if between_news or has_caption_cue(blocks[i].paragraph):
                evidence[i] = min(evidence[i], _CAPTION_EVIDENCE)
    return evidence


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, stop) of each run of True."""
    runs: list[tuple[int, int]] = []
    for i, flag in enumerate(flags):
        if flag and runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        elif flag:
            runs.append((i, i + 1))
    return runs


def article_end(blocks: list[Block]) -> int:
    """Index of the first comment block (len(blocks) when the page has no comments)."""
    counters = [i for i, block in enumerate(blocks) if block.kind == "counter"]
    if counters:
        return counters[0] + 1
    if not blocks:
        return 0
    prefix = list(accumulate(evidence_of(blocks), initial=0.0))
    # At least the first paragraph is article: a page of this family has one;
    # and the article is over by the first paragraph only a reader would write.
    latest = next(
        (
            i
            for i, b in enumerate(blocks)
            if b.kind == "content" and is_unmistakably_comment(b.paragraph.text)
        ),
        len(blocks),
    )
    return min(range(1, max(1, latest) + 1), key=lambda k: (prefix[k], -k))


def boundary_contrast(blocks: list[Block]) -> float:
    """How clearly the page changes register at its boundary (mean comment-side
    evidence minus mean article-side evidence); 0 when one side is empty."""
    end = article_end(blocks)
    evidence = evidence_of(blocks)
    article = [e for e, b in zip(evidence[:end], blocks, strict=False) if b.kind == "content"]
    comments = [e for e, b in zip(evidence[end:], blocks[end:], strict=True) if b.kind == "content"]
    if not article or not comments:
        return 0.0
    return sum(comments) / len(comments) - sum(article) / len(article)


# --- photo captions ------------------------------------------------------------


def _neutral_fragment(text: str, max_words: int) -> bool:
    """Unterminated, short, and with nothing of a commenter's voice."""
    if is_terminated(text) or len(words_of(text)) > max_words or not text[0].isalnum():
        return False
    cues = cues_of(text)
    return not (
        cues.personal or cues.first_plural or cues.slang or cues.profane or cues.questions
    )


def has_caption_cue(paragraph: Paragraph) -> bool:
    """A credit line ("Photo: ...") or a neutral fragment naming a photo, an
    agency or a position in the picture ("(R)")."""
    text = paragraph.text
    if _CAPTION_LEAD.match(text):
        return True
    return _neutral_fragment(text, 30) and bool(_CAPTION_CUE.search(text))


def has_caption_shape(paragraph: Paragraph) -> bool:
    """A sentence-case description of six words or more with no full stop."""
    text = paragraph.text
    return (
        _neutral_fragment(text, 30)
        and not starts_lowercase(text)
        and len(words_of(text)) >= 6
        and not _title_case(text)
    )


def _title_case(text: str) -> bool:
    words = [w for w in words_of(text) if w[0].isalpha() and len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def _continues_caption(paragraph: Paragraph) -> bool:
    """The rest of a caption broken over two paragraphs ("... in Geneva, Switzerland")."""
    text = paragraph.text
    return starts_lowercase(text) and len(words_of(text)) <= 20 and not cues_of(text).personal


def caption_flags(blocks: list[Block], end: int) -> list[bool]:
    """Which of the first ``end`` blocks are photo captions: cued lines,
    caption-shaped lines, runs of two or more neutral fragments, and lowercase
    continuations of a caption. The last block of a page is left alone (a
    truncated paragraph is not a caption) unless it carries a cue."""
    content = [b.kind == "content" for b in blocks[:end]]
    fragment = [
        c and _neutral_fragment(b.paragraph.text, 18) for c, b in zip(content, blocks, strict=False)
    ]
    flags = [False] * end
    for i in range(end):
        paragraph = blocks[i].paragraph
        cued = content[i] and has_caption_cue(paragraph)
        if i == len(blocks) - 1 and not cued:
            continue
        in_run = fragment[i] and ((i > 0 and fragment[i - 1]) or (i + 1 < end and fragment[i + 1]))
        follows = i > 0 and flags[i - 1] and content[i] and _continues_caption(paragraph)
        flags[i] = cued or follows or (content[i] and (in_run or has_caption_shape(paragraph)))
    return flags


def caption_indices(blocks: list[Block], end: int) -> set[int]:
    """Indices of the article blocks that are photo captions."""
    return {i for i, flag in enumerate(caption_flags(blocks, end)) if flag}


# --- comment segmentation --------------------------------------------------------


def new_comment_log_odds(previous: Paragraph, current: Paragraph) -> float:
    """Evidence that ``current`` starts a new comment rather than continuing ``previous``."""
    text, before = current.text, previous.text
    evidence = 1.2 + 2.5 * (current.blanks_before >= 2) + 0.5 * (current.blanks_before >= 3)
    if _POSTSCRIPT.match(text):
        evidence -= 3.0
    if _LIST_ITEM.match(text) and (_LIST_ITEM.match(before) or before.endswith(":")):
        evidence -= 3.0
    elif before.endswith(":"):
        evidence -= 2.0
    if _CONTINUATION.match(text):
        evidence -= 1.3
    elif _ANAPHORA.match(text):
        evidence -= 0.4
    evidence += _lowercase_evidence(before, text)
    if is_reply_opener(text):
        evidence += 1.2
    if len(words_of(text)) <= 3:
        evidence += 0.5
    return evidence + _quote_evidence(before, text)


def _lowercase_evidence(before: str, text: str) -> float:
    """A lowercase start continues an unterminated sentence or a lowercase writer."""
    if not starts_lowercase(text):
        return 0.0
    if not is_terminated(before):
        return -1.5
    return -1.5 if _writes_in_lowercase(before) else 0.3


def _writes_in_lowercase(text: str) -> bool:
    """A writer who never capitalises a sentence start."""
    starts = re.findall(r"(?:^|[.!?]\s+)([A-Za-z])", text)
    return bool(starts) and all(c.islower() for c in starts)


def _quote_evidence(before: str, text: str) -> float:
    """A paragraph of news prose under a remark is a pasted quote of the same comment."""
    if comment_log_odds(text) > -2.0:
        return 0.0
    return -1.0 if comment_log_odds(before) > -2.0 or before.endswith(":") else -0.8


def segment_comments(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Group comment paragraphs into comments (semi-Markov dynamic program)."""
    if not paragraphs:
        return []
    gaps = [0.0] + [
        new_comment_log_odds(a, b) for a, b in zip(paragraphs, paragraphs[1:], strict=False)
    ]
    join_cost = list(accumulate((-g for g in gaps), initial=0.0))
    best = [0.0] + [float("-inf")] * len(paragraphs)
    start_of = [0] * (len(paragraphs) + 1)
    for end in range(1, len(paragraphs) + 1):
        for start in range(max(0, end - 12), end):
            score = best[start] + gaps[start] + join_cost[end] - join_cost[start + 1]
            score -= _LONG_COMMENT_PENALTY * max(0, end - start - _LONG_COMMENT)
            if score > best[end]:
                best[end], start_of[end] = score, start
    return _backtrack(paragraphs, start_of)


def _backtrack(paragraphs: list[Paragraph], start_of: list[int]) -> list[list[Paragraph]]:
    comments: list[list[Paragraph]] = []
    end = len(paragraphs)
    while end > 0:
        comments.append(paragraphs[start_of[end] : end])
        end = start_of[end]
    return comments[::-1]


# --- assembling the parse ----------------------------------------------------------


def _chrome_of(blocks: list[Block], reasons: dict[int, str]) -> list[ChromeLine]:
    return [
        ChromeLine(line_no, line, reason)
        for i, reason in reasons.items()
        for line_no, line in zip(
            blocks[i].paragraph.line_nos, blocks[i].paragraph.lines, strict=True
        )
    ]


def _chrome_reasons(blocks: list[Block], end: int) -> dict[int, str]:
    reasons = {i: "photo-caption" for i in caption_indices(blocks, end)}
    for i, block in enumerate(blocks):
        if block.kind == "separator":
            reasons[i] = "section-separator"
        elif block.kind == "counter":
            reasons[i] = "comment-counter"
    return dict(sorted(reasons.items()))


def _comments_of(paragraph_groups: list[list[Paragraph]]) -> tuple[ParsedComment, ...]:
    return tuple(
        ParsedComment(
            position=position,
            parent_position=None,
            depth=0,
            handle=None,
            text="\n\n".join(p.text for p in group),
            text_lines=tuple(n for p in group for n in p.line_nos),
        )
        for position, group in enumerate(paragraph_groups)
    )


def parse_page(page: PageText) -> ParsedPage:
    """Title, article body, comments and chrome of one no-handles page."""
    title_no = title_line_of(page)
    blocks = [classify(p) for p in paragraphs_of(page, title_no + 1)]
    end = article_end(blocks)
    reasons = _chrome_reasons(blocks, end)
    article = [b.paragraph for i, b in enumerate(blocks[:end]) if i not in reasons]
    comment_paragraphs = [
        b.paragraph for i, b in enumerate(blocks) if i >= end and i not in reasons
    ]
    counters = [declared_count(b) for b in blocks if b.kind == "counter"]
    return ParsedPage(
        layout=LAYOUT.name,
        title=clean_line(page.line(title_no)),
        body="\n\n".join(p.text for p in article),
        site=None,
        n_comments_declared=counters[0] if counters else None,
        comments=_comments_of(segment_comments(comment_paragraphs)),
        chrome=tuple(_chrome_of(blocks, reasons)),
        title_lines=(title_no,),
        body_lines=tuple(n for p in article for n in p.line_nos),
    )


# --- how well a page fits ------------------------------------------------------------

_MARKED = re.compile(r"^(?: {2,}|\t)|^\s*(?:[•·◦▪‣]|\d{1,3}[.)]\s)")


def fit_score(page: PageText) -> float:
    """Fallback fit: prose paragraphs with no handles, bullets or numbering, a
    register change from news to comments, and comments separated like
    paragraphs (not by the consistent blank runs of the blank-separated family)."""
    content = [line for line in page.lines if not is_blank(line)]
    if len(content) < 2:
        return 0.05
    marked = sum(bool(_MARKED.match(line)) for line in content) / len(content)
    blocks = [classify(p) for p in paragraphs_of(page, title_line_of(page) + 1)]
    end = article_end(blocks)
    comments = [b.paragraph for b in blocks[end:] if b.kind == "content"]
    penalty = 4.0 * marked + _handle_like_share(comments) + _blank_run_excess(comments)
    if comments and any(declared_count(b) == 0 for b in blocks if b.kind == "counter"):
        penalty += 0.7  # "0 Comments" and text after it: that text is some other chrome
    contrast = min(1.0, max(0.0, boundary_contrast(blocks)) / 3.0)
    base = 0.3 + 0.45 * contrast if comments else _ARTICLE_ONLY_FIT
    structure = 0.1 * any(b.kind == "separator" for b in blocks)
    return round(max(0.0, (base + structure) * (1.0 - min(1.0, penalty))), 4)


def _handle_like_share(comments: list[Paragraph]) -> float:
    """Short unpunctuated one-line comment paragraphs followed by longer prose
    (handle lines), counted twice when they recur: evidence of a family with handles."""
    short = [
        p.text
        for p, nxt in zip(comments, comments[1:], strict=False)
        if len(p.lines) == 1
        and len(words_of(p.text)) <= 3
        and not is_terminated(p.text)
        and not _interjection(p.text)
        and len(words_of(nxt.text)) > len(words_of(p.text))
    ]
    recurring = sum(short.count(text) > 1 for text in short)
    return min(1.0, 2.0 * (len(short) + recurring) / max(1, len(comments)))


def _interjection(text: str) -> bool:
    """A short reaction ("oops", "wow", "Agreed"): a comment, not a handle."""
    cues = cues_of(text)
    return bool(cues.slang or cues.stance or cues.exclamations or cues.questions)


def _blank_run_excess(comments: list[Paragraph]) -> float:
    """How far the share of multi-blank gaps among comments exceeds what this
    family shows (an occasional double blank); shrunk towards that rate when
    there are few gaps."""
    gaps = [p.blanks_before >= 2 for p in comments[1:]]
    share = (sum(gaps) + _USUAL_MULTI_BLANK_SHARE * 4) / (len(gaps) + 4)
    return max(0.0, 3.0 * (share - 0.3))


class NoHandlesLayout:
    """The handle-less comment layout (plug-in object)."""

    name = "no_handles"

    def score(self, page: PageText) -> float:
        return fit_score(page)

    def parse(self, page: PageText) -> ParsedPage:
        return parse_page(page)


LAYOUT = NoHandlesLayout()
