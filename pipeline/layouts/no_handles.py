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
   boundary k maximises sum_{i<k} (-s_i) + sum_{i>=k} max(s_i, -1), with s
   clipped to [-3, 3.5]: news prose after the boundary costs at most a pasted
   quote's worth (readers paste news; articles hold no reader remarks), so one
   pasted news paragraph under a reader's remark cannot drag the boundary
   below that remark. A comment counter, when the page has one, fixes the
   boundary instead.
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
5. Fit (:func:`fit_evidence`): the register contrast at the boundary, combined
   with the family's signature, reader paragraphs one blank line below news
   prose (a family that separates comments by wide gaps would have to call
   them article); a page of news prose only is an article with no comments
   yet. Marks of other families (indentation, bullets, numbering, handle-like
   lines, comment widgets, a "0 Comments" counter) lower the fit.

Measured: seed 004 boundary exact, all 22 article paragraphs right, comment
start F1 0.89 against a gold written by reading (tests/layouts/test_no_handles.py);
``make eval-parse`` (300 generated pages, seed 0): paragraph assignment 0.9997
(2938/2939). Limits: the boundary slips when the last article paragraph is
short and neutral, or the first comment is neutral or a pasted news paragraph,
or a weak remark is followed by pasted news (a reader's verdict on the piece,
"Thanks for the article", or taking sides, "X is right about this", now
counts as a reader's voice); comment boundaries between consecutive comments
separated exactly like paragraphs are often invisible on the page, so comment
boundary F1 cannot reach 1. A single unterminated caption line at the very
end of the article may stay a comment.

This module must never read files, log, key on a literal of one site (a site
name, a headline), invent a site name or a comment count, or drop a non-blank
line without a chrome reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import accumulate

from pipeline.layouts._article import chrome_reason, is_head_label
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
_PASTED_NEWS_CLIP = 1.0  # readers paste news into comments; articles hold no reader remarks
_SEPARATOR_EVIDENCE = -_CLIP
_CAPTION_EVIDENCE = -1.0
_NEWS_LIKE = 0.0
_USUAL_MULTI_BLANK_SHARE = 0.15
_ARTICLE_ONLY_FIT = 0.35  # plain prose and nothing else: this family is the fallback
_NEWS_ONLY_FIT = 0.95  # every paragraph news prose: an article with no comments yet
_WIDGET_REASONS = frozenset({"comment-count", "reply-form", "comment-widget"})
_FIRST_READER_EVIDENCE = 4.0  # a clear reader paragraph one blank below the news
_READER_CAP = 2.0  # register evidence each later paragraph of the run adds, at most
_HANDLE_WORDS = 6  # a one-line paragraph this short above a longer one may be a handle
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
    evidence = evidence_of(blocks)
    # Gain of boundary k: news read as article before k, reader text after it,
    # where a news paragraph after k costs at most a pasted quote's worth.
    article_gain = [-e for e in accumulate(evidence, initial=0.0)]
    quoted = [max(e, -_PASTED_NEWS_CLIP) for e in evidence]
    comment_gain = list(accumulate(reversed(quoted), initial=0.0))[::-1]
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
    return max(range(1, max(1, latest) + 1), key=lambda k: (article_gain[k] + comment_gain[k], k))


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
    first = blocks[0] if blocks and end > 1 else None
    lines = first.paragraph.lines if first and first.kind == "content" else ()
    if len(lines) == 1 and is_head_label(lines[0]):  # a byline or label under the headline
        reasons[0] = "label"
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

_BOUND_MARGIN = 1e-3  # scores are rounded to 4 places; a bound must stay above them
_MARKED = re.compile(r"^(?: {2,}|\t)|^\s*(?:[•·◦▪‣]|\d{1,3}[.)]\s)")


def fit_score(page: PageText) -> float:
    """How well the page fits this family (see :func:`fit_evidence`)."""
    content = [line for line in page.lines if not is_blank(line)]
    if len(content) < 2:
        return 0.05
    marked = sum(bool(_MARKED.match(line)) for line in content) / len(content)
    blocks = [classify(p) for p in paragraphs_of(page, title_line_of(page) + 1)]
    return round(fit_evidence(blocks, marked), 4)


def fit_bound(page: PageText) -> float:
    """An upper bound of :func:`fit_score` from the page's marks alone: the
    share of marked lines lowers every reading, and a page showing a comment
    platform's controls can reach the register reading at most (its
    signature and news-only readings do not apply), see :func:`fit_evidence`."""
    content = [line for line in page.lines if not is_blank(line)]
    if len(content) < 2:
        return 0.05
    marked = sum(bool(_MARKED.match(line)) for line in content) / len(content)
    blocks = [classify(p) for p in paragraphs_of(page, title_line_of(page) + 1)]
    structure = 0.1 * any(b.kind == "separator" for b in blocks)
    base = min(1.0, 0.75 + structure) if shows_comment_widget(blocks) else 1.0
    return base * (1.0 - min(1.0, 4.0 * marked)) + _BOUND_MARGIN


def fit_evidence(blocks: list[Block], marked: float = 0.0) -> float:
    """Fit of the page's blocks (``marked``: share of indented, bulleted or
    numbered lines, the marks of other families).

    With comments: the register change at the boundary (news, then reader
    voice), combined with this family's signature (:func:`unmarked_boundary`):
    the reader paragraphs start one blank line below the news prose, where a
    family that separates comments by wide gaps would still be in its article.
    Without comments: plain prose is the fallback fit, and a page whose every
    paragraph reads as news (with only separators and photo captions besides)
    is an article with no comments yet, which this family reads by register
    where others read its occasional wide gap as the start of the comments
    (the more news prose below a wide gap, the surer; :func:`news_below_wide_gaps`).
    Neither of these two readings applies to a page showing a comment
    platform's controls (a counter, a reply form, sort or subscribe lines):
    this family shows none, so such a page keeps the plain fits.
    Penalties: marks of other families (marked lines, handle-like lines among
    the comments, text after "0 Comments") lower every reading; more wide gaps
    among the comments than this family shows lower the register reading only,
    since the signature is what tells those gaps from a blank-separated page.
    """
    end = article_end(blocks)
    comments = [b.paragraph for b in blocks[end:] if b.kind == "content"]
    marks = 4.0 * marked + _handle_like_share(comments)
    if comments and any(declared_count(b) == 0 for b in blocks if b.kind == "counter"):
        marks += 0.7  # "0 Comments" and text after it: that text is some other chrome
    structure = 0.1 * any(b.kind == "separator" for b in blocks)
    widgets = shows_comment_widget(blocks)
    if comments:
        contrast = min(1.0, max(0.0, boundary_contrast(blocks)) / 3.0)
        register = 0.3 + 0.45 * contrast + structure
        register *= 1.0 - min(1.0, _blank_run_excess(comments))
        signature = 0.0 if widgets else 1.0 - math.exp(-unmarked_boundary(blocks, end))
        base = 1.0 - (1.0 - register) * (1.0 - signature)
    elif not widgets and reads_as_news_throughout(blocks):
        base = 1.0 - (1.0 - _NEWS_ONLY_FIT) * math.exp(-news_below_wide_gaps(blocks))
    else:
        base = _ARTICLE_ONLY_FIT + structure
    return max(0.0, min(1.0, base) * (1.0 - min(1.0, marks)))


def unmarked_boundary(blocks: list[Block], end: int) -> float:
    """Evidence for this family's signature: nothing marks where the article
    ends. The first comment paragraph sits one blank line below the last
    article paragraph, everything above it reads as news (captions aside), and
    it and the paragraphs that follow one blank apart read as a reader's words
    (not as handles). A layout that separates comments by wide gaps would have
    to take all of them for article text; each one makes that reading less
    likely. 0 when the boundary is a wide gap or a comment counter, or the
    register does not change exactly once. The fit it gives is 1 - exp(-evidence).
    """
    if end == 0 or end >= len(blocks) or blocks[end].kind != "content":
        return 0.0
    if blocks[end].paragraph.blanks_before != 1:
        return 0.0
    evidence = evidence_of(blocks)
    article = [e for e, b in zip(evidence[:end], blocks, strict=False) if b.kind == "content"]
    if not article or max(article) >= _NEWS_LIKE:
        return 0.0  # the register changes more than once: the boundary is not clear
    total = 0.0
    for i in range(end, len(blocks)):
        paragraph = blocks[i].paragraph
        if i > end and (blocks[i].kind != "content" or paragraph.blanks_before != 1):
            break
        nxt = blocks[i + 1].paragraph if i + 1 < len(blocks) else None
        if _looks_like_handle(paragraph, nxt, _HANDLE_WORDS) or _chrome_stack(paragraph):
            break
        reader = max(0.0, evidence[i])
        total += _FIRST_READER_EVIDENCE * min(1.0, reader) if i == end else min(_READER_CAP, reader)
    return total


def shows_comment_widget(blocks: list[Block]) -> bool:
    """A comment counter, reply form or comment-platform control on the page."""
    return any(b.kind == "counter" for b in blocks) or any(
        chrome_reason(line) in _WIDGET_REASONS for b in blocks for line in b.paragraph.lines
    )


def reads_as_news_throughout(blocks: list[Block]) -> bool:
    """The page below the headline is an article and nothing else: it opens
    with a news paragraph, every content paragraph reads as news prose
    (finished sentences, but for a last paragraph cut by the capture) except
    photo captions between two of them, and the rest is section separators."""
    content = [i for i, b in enumerate(blocks) if b.kind == "content"]
    if not content:
        return False
    captions = caption_indices(blocks, len(blocks))
    inner = range(content[0] + 1, content[-1])
    return all(
        i in inner if i in captions else _news_prose(blocks[i].paragraph, i == content[-1])
        for i in content
    )


def news_below_wide_gaps(blocks: list[Block]) -> float:
    """News evidence of the paragraphs from the first wide gap on: a layout
    that starts its comments at a wide gap would take them for comments, and
    each reads as article prose instead (each counts at most 1)."""
    wide = next((i for i in range(1, len(blocks)) if blocks[i].paragraph.blanks_before >= 2), None)
    if wide is None:
        return 0.0
    captions = caption_indices(blocks, len(blocks))
    return sum(
        min(1.0, max(0.0, -comment_log_odds(b.paragraph.text)))
        for i, b in enumerate(blocks[wide:], start=wide)
        if b.kind == "content" and i not in captions
    )


def _news_prose(paragraph: Paragraph, may_be_cut: bool) -> bool:
    text = paragraph.text
    return (
        (may_be_cut or is_terminated(text))
        and not _chrome_stack(paragraph)
        and comment_log_odds(text, may_be_cut) < _NEWS_LIKE
    )


def _chrome_stack(paragraph: Paragraph) -> bool:
    """Three or more lines, most of them short unpunctuated labels: a menu or a
    comment widget's controls, not prose written by anyone."""
    labels = sum(
        len(words_of(line)) <= 3 and not is_terminated(line) for line in paragraph.lines
    )
    return len(paragraph.lines) >= 3 and labels >= len(paragraph.lines) / 2


def _handle_like_share(comments: list[Paragraph]) -> float:
    """Short unpunctuated one-line comment paragraphs followed by longer prose
    (handle lines), counted twice when they recur: evidence of a family with handles."""
    short = [
        p.text for p, nxt in zip(comments, comments[1:], strict=False) if _looks_like_handle(p, nxt)
    ]
    recurring = sum(short.count(text) > 1 for text in short)
    return min(1.0, 2.0 * (len(short) + recurring) / max(1, len(comments)))


def _looks_like_handle(
    paragraph: Paragraph, following: Paragraph | None, max_words: int = 3
) -> bool:
    """A one-line paragraph above a longer one that reads as another family's
    handle line: short and unpunctuated, or made of punctuation only ("...",
    "-=-"), and not a reaction ("wow", "+1", "Agreed")."""
    text = paragraph.text
    if following is None or len(paragraph.lines) != 1 or _interjection(text):
        return False
    size = len(words_of(text))
    if size >= len(words_of(following.text)):
        return False
    return not any(c.isalnum() for c in text) or (size <= max_words and not is_terminated(text))


def _interjection(text: str) -> bool:
    """A short reaction ("oops", "wow", "Agreed", "+1", "^"): a comment, not a handle."""
    cues = cues_of(text)
    reaction = cues.slang or cues.stance or cues.exclamations or cues.questions
    return bool(reaction) or is_reply_opener(text)


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

    def score_bound(self, page: PageText) -> float:
        """At least :meth:`score`, without reading the register (see :func:`fit_bound`)."""
        return fit_bound(page)

    def parse(self, page: PageText) -> ParsedPage:
        return parse_page(page)


LAYOUT = NoHandlesLayout()
