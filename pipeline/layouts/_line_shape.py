"""The shape of one page line: indentation, content, list markers.

Shared by the layout families whose threading is drawn with indentation
(``numbered``, ``indented_bullets``). A line's *indent* is measured in columns
after expanding tabs and counting every Unicode space (NBSP, thin space, ...)
as one column; zero-width characters count for nothing. Depth is never read
from a column number: the layouts compare indents with each other.

This module must never decide what a line *means* (handle, body, chrome): it
only describes how the line looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

TAB_WIDTH = 4
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_EDGE_SPACE = re.compile(rf"^[\s{_ZERO_WIDTH}]+|[\s{_ZERO_WIDTH}]+$")

BULLET_GLYPHS = "•◦▪▫‣●○■□∙⁃"
WEAK_BULLET_GLYPHS = "-*"
_NUMBER_MARKER = re.compile(r"^(\d{1,5})[.)](?:\s+(.*))?$", re.DOTALL)
_BULLET_MARKER = re.compile(rf"^[{BULLET_GLYPHS}](?:\s*(.*))?$", re.DOTALL)
_WEAK_BULLET_MARKER = re.compile(r"^[-*]\s+(.*[^\s*\-].*)$", re.DOTALL)
_WORD = re.compile(r"\S+")


def indent_width(line: str) -> int:
    """Columns of leading white space, tabs expanded to the next tab stop."""
    width = 0
    for char in line:
        if char == "\t":
            width += TAB_WIDTH - width % TAB_WIDTH
        elif char in _ZERO_WIDTH:
            continue
        elif char.isspace():
            width += 1
        else:
            break
    return width


@lru_cache(maxsize=1 << 16)  # pure; layouts ask again for the same lines
def content(line: str) -> str:
    """The line without surrounding white space or zero-width characters."""
    return _EDGE_SPACE.sub("", line)


@lru_cache(maxsize=1 << 16)  # pure; layouts ask again for the same lines
def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class LineShape:
    """How one page line looks.

    ``kind`` is ``blank``, ``number`` ("1. text"), ``bullet`` ("• text") or
    ``plain``. ``full_text`` is the line without surrounding white space;
    ``text`` is the same with any marker removed; ``number`` is the numeral
    of a numbered marker.
    """

    line_no: int
    kind: str
    indent: int
    text: str
    number: int | None = None
    full_text: str = ""

    @property
    def is_marker(self) -> bool:
        return self.kind in ("number", "bullet")


def shape_of(line_no: int, line: str, weak_bullets: bool = False) -> LineShape:
    """Describe one line (``line_no`` is 1-based). With ``weak_bullets``, a
    line starting "- " or "* " is a bullet too (plain-text renderings of
    lists); "* * *" separators never are."""
    text = content(line)
    if not text:
        return LineShape(line_no, "blank", 0, "")
    indent = indent_width(line)
    numbered = _NUMBER_MARKER.match(text)
    if numbered:
        return LineShape(
            line_no,
            "number",
            indent,
            content(numbered.group(2) or ""),
            int(numbered.group(1)),
            full_text=text,
        )
    bulleted = _BULLET_MARKER.match(text) or (weak_bullets and _WEAK_BULLET_MARKER.match(text))
    if bulleted:
        return LineShape(
            line_no, "bullet", indent, content(bulleted.group(1) or ""), full_text=text
        )
    return LineShape(line_no, "plain", indent, text, full_text=text)


def shapes_of(lines: tuple[str, ...]) -> tuple[LineShape, ...]:
    """Describe every line of a page, in order.

    "- " and "* " count as bullets only on a page that uses no bullet glyph
    at all: a page with "•" items keeps its dashes as text."""
    strong = any(_BULLET_MARKER.match(content(line)) for line in lines)
    return tuple(
        shape_of(i, line, weak_bullets=not strong) for i, line in enumerate(lines, start=1)
    )


def next_non_blank(shapes: tuple[LineShape, ...], index: int) -> LineShape | None:
    """The first non-blank shape after ``shapes[index]``, or None at the end."""
    for at in range(index + 1, len(shapes)):  # not a slice: a copy per call is quadratic
        if shapes[at].kind != "blank":
            return shapes[at]
    return None


def paragraphs(shapes: list[LineShape]) -> list[list[LineShape]]:
    """Group content lines into paragraphs: a blank line starts a new one.

    ``shapes`` is a page-ordered list that may contain blank shapes.
    """
    grouped: list[list[LineShape]] = []
    current: list[LineShape] = []
    for shape in shapes:
        if shape.kind == "blank":
            if current:
                grouped.append(current)
            current = []
        else:
            current.append(shape)
    if current:
        grouped.append(current)
    return grouped


def join_paragraphs(grouped: list[list[str]]) -> str:
    """Lines of a paragraph joined by "\\n", paragraphs by a blank line."""
    return "\n\n".join("\n".join(lines) for lines in grouped if lines)
