"""The privacy net: a released text line that still has the shape of a comment header.

After anonymisation a comment header left in a text (a name followed by a date, "X says:",
a numbered "N. X DATE") means a handle escaped: the parser did not see that line as a
header, so no stage knew the name was a handle. The net reads every line of a released
text with the comment parser's own line model (:mod:`pipeline.layouts.records.lines`) but
not its page template, so it does not depend on how the page was parsed. A page with such
a line is rejected by the release stage, with the reason; the rest of the release goes on.

Shapes, deliberately narrow (a false alarm costs a whole page):

* ``name-date``: a short name and a date or time on one line and nothing else besides the
  system's words ("Julia on 11/08/2020 at 9:52", "th3Chris28.09.1913:39",
  "Par Bruno Gobin, le mercredi 15 mai 2019 à 08h07"), or a name line followed by a line
  that is only a date;
* ``says``: a name of at most four words followed by a header verb and a colon at the end
  of the line ("Art Edwards says:", "Ramón dijo:");

where the name is not a pseudonym. In article bodies a line opening with a "by" word is a
byline (the author's, who is not a commenter) and is not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.layouts.records.lines import BY, DATE, NAME, RELATIVE, TIME, VERB, Line, analyse
from pipeline.layouts.records.records import C_DATE, C_NAME, line_class

_PSEUDONYM = re.compile(r"@?\s*u_[a-z2-7]{10}")
MAX_NAME_WORDS = 4


def _names(line: Line) -> list[str]:
    """The names on the line that are not, or do not hold, a pseudonym."""
    return [t.text for t in line.tokens if t.kind == NAME and not _PSEUDONYM.search(t.text)]


def _name_date(line: Line, in_article: bool) -> bool:
    kinds = [t.kind for t in line.tokens if t.kind != "p"]
    if not any(k in (DATE, RELATIVE) for k in kinds):
        return False
    if in_article and kinds and kinds[0] == BY:
        return False  # a byline
    names = _names(line)
    if len(names) != 1 or len(names[0].split()) > MAX_NAME_WORDS:
        return False
    if not any(ch.isalpha() for ch in names[0]):
        return False
    # nothing else on the line: the name, the date, the system's words
    others = [k for k in kinds if k not in (NAME, DATE, RELATIVE, TIME, VERB, BY, "conn",
                                            "action", "badge", "section")]
    return not others and line.content.rstrip()[-1:] not in ".!?"


def _says(line: Line) -> bool:
    text = line.content.rstrip()
    if not text.endswith(":"):
        return False
    toks = [t for t in line.tokens if t.kind != "p"]
    if len(toks) < 2 or toks[-1].kind != VERB or toks[-2].kind != NAME:
        return False
    name = toks[-2].text
    return len(toks) == 2 and not _PSEUDONYM.search(name) and len(
        name.split()) <= MAX_NAME_WORDS


def _name_then_date(lines: list[Line], i: int) -> bool:
    """A name alone on its line, and a line that is only a date right after it."""
    return (line_class(lines[i]) == C_NAME and i + 1 < len(lines) and bool(_names(lines[i]))
            and line_class(lines[i + 1]) == C_DATE and not lines[i + 1].content.endswith("."))


def escaped_headers(text: str, in_article: bool = False) -> Iterator[str]:
    """The kinds of header shape found in ``text``'s lines (never the lines themselves)."""
    lines = [analyse(no, raw) for no, raw in enumerate(text.split("\n"), start=1) if raw.strip()]
    for i, line in enumerate(lines):
        if line.long:
            continue
        if _says(line):
            yield "says"
        elif _name_date(line, in_article) or (
                _name_then_date(lines, i) and not (in_article and i == 0)):
            yield "name-date"


def page_problem(body: str, texts: list[str]) -> str | None:
    """Why a page must not be released, or None: the first header shape left in its article
    body or its comments after anonymisation."""
    for shape in escaped_headers(body, in_article=True):
        return f"handle-shaped line left after anonymising ({shape}, article text)"
    for text in texts:
        for shape in escaped_headers(text):
            return f"handle-shaped line left after anonymising ({shape}, a comment)"
    return None
