"""Dates and times as pages show them, in any of the languages of ``cues.yaml``.

:func:`find_dates` returns every date, date-and-time, time or relative time in
a line as a :class:`DateSpan` (where it is, what kind, and its ISO 8601 form
when it can be read). The patterns are written once for every language; the
month, weekday and unit names come from the lexicon:

* ``6. Juni 2015 um 10:23``, ``16. March, 2023 at 16:59``, ``24 janvier 2017``,
  ``26 de abril de 2022 a las 14:02``, ``mercredi 15 mai 2019 à 08h07``;
* ``March 6, 2017 at 12:04 am``, ``Dec 24, 2020``;
* ``14.09.2022 um 21.11``, ``11/08/2020 at 9:52``, ``2019-02-20 15:42``, and the
  glued forum form ``28.09.1913:39`` (day, month, two-digit year, time);
* times alone (``12h10``, ``10 h 47 min``, ``4:47 pm``) and relative times
  (``1 day ago``, ``4 yr. ago``, ``vor 3 Tagen``, ``il y a 2 jours``,
  ``1 ano atrás``), which have no ISO form here: the capture time is unknown.

A dotted numeric date is day first (``14.09.2022``). A slashed one is read
day-first or month-first as the page shows it: :meth:`DateSpan.iso` takes
``day_first``, decided once per page from the dates only one order reads
(:func:`day_first_votes`); when the page does not tell, a slashed date whose
parts are both <= 12 has no ISO form. A two-digit
year ``yy`` is 20yy below 70 and 19yy from 70 (fixed, so that the output never
depends on the day it runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.layouts.records.lexicon import alternation, lexicon

KIND_DATE = "date"  # a calendar date, with or without a time
KIND_TIME = "time"  # a time of day alone
KIND_RELATIVE = "relative"  # "3 days ago"


@dataclass(frozen=True)
class DateSpan:
    """One date or time in a line: ``line[start:end]``.

    ``year``/``month``/``day``/``hour``/``minute`` as read (None where not
    shown); ``numeric`` holds the two leading parts of a numeric date whose
    day/month order the line alone does not tell (``11/08/2020``).
    """

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    numeric: tuple[int, int] | None = None

    @property
    def has_year(self) -> bool:
        return self.year is not None

    @property
    def has_time(self) -> bool:
        return self.hour is not None

    def iso(self, day_first: bool | None = None) -> str | None:
        """ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``); None for a relative
        time, a time alone, a date without a year or an order the page leaves open."""
        if self.kind != KIND_DATE or self.year is None:
            return None
        month, day = self.month, self.day
        if self.numeric is not None:
            a, b = self.numeric
            if day_first is None:
                return None
            day, month = (a, b) if day_first else (b, a)
        if month is None or day is None or not _valid(self.year, month, day):
            return None
        out = f"{self.year:04d}-{month:02d}-{day:02d}"
        if self.hour is not None:
            out += f"T{self.hour:02d}:{self.minute:02d}"
        return out


@dataclass(frozen=True)
class _Patterns:
    month_name: re.Pattern[str]
    name_month: re.Pattern[str]
    numeric: re.Pattern[str]
    glued: re.Pattern[str]
    iso: re.Pattern[str]
    time: re.Pattern[str]
    time_join: re.Pattern[str]
    relative: re.Pattern[str]


_TIME = (
    r"(?P<H>[0-2]?\d)\s?(?:[:：]|h|\s?h\s)\s?(?P<Mi>[0-5]\d)(?!\d)(?:\s?min\b)?(?::[0-5]\d)?"
    r"(?:\s?(?P<ap>[ap]\.?\s?m\b\.?))?(?:\s?uhr\b)?"
)
_DOT_TIME = r"(?P<H2>[0-2]?\d)\.(?P<M2>[0-5]\d)(?!\.?\d)(?:\s?uhr\b)?"


@cache
def _patterns() -> _Patterns:
    lex = lexicon()
    month = rf"(?P<mon>{alternation(set(lex.months))})\.?"
    weekday = rf"(?:(?:{alternation(lex.weekdays)})\.?,?\s+)?"
    # day month [year]: "6. Juni 2015", "16. March, 2023", "26 de abril de 2022"
    day_month = (
        rf"{weekday}(?<!\d)(?P<d>[0-3]?\d)(?:\.|er|º|°)?\s*(?:de\s+)?{month}(?![^\W\d_])"
        r"(?:,?\s*(?:de\s+|del\s+)?(?P<y>(?:1[89]|20)\d\d)(?!\d))?"
    )
    # month day[, year]: "March 6, 2017", "Dec 24, 2020"
    month_day = (
        rf"{weekday}(?<![^\W\d_]){month}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
        r"(?:,?\s+(?P<y>(?:1[89]|20)\d\d)(?!\d))?"
    )
    join = r"(?:\s*(?:,|\||-|–|—|·|@|at|um|à|a\s+las|a\s+la|alle|às|om|on|le|\s)\s*)"
    rel_n = rf"(?:\d+|{alternation(lex.relative_number_words)})"
    units = alternation(lex.relative_units)
    relative = (
        rf"(?<![^\W_])(?:{rel_n}\s*(?:{units})\.?\s+(?:{alternation(lex.relative_after)})"
        rf"|(?:{alternation(lex.relative_before)})\s+{rel_n}\s*(?:{units})\.?"
        rf"|{alternation(lex.relative_words)})(?![^\W_])"
    )
    flags = re.IGNORECASE
    return _Patterns(
        month_name=re.compile(day_month, flags),
        name_month=re.compile(month_day, flags),
        numeric=re.compile(
            rf"{weekday}(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[01]?\d)(?P=sep)(?P<y>(?:1[89]|20)\d\d|\d\d)(?!\d)",
            flags,
        ),
        glued=re.compile(
            r"(?<!\d\.)(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)\.(?P<y>\d\d)(?=[0-2]?\d:[0-5]\d)", flags
        ),
        iso=re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)", flags),
        time=re.compile(rf"(?<![\d.:])(?:{_TIME})", flags),
        time_join=re.compile(rf"{join}?(?:{_TIME}|{_DOT_TIME})", flags),
        relative=re.compile(relative, flags),
    )


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 70 else 1900
    return value


def _valid(y: int | None, m: int, d: int) -> bool:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return False
    if m in (4, 6, 9, 11) and d > 30:
        return False
    if m == 2 and d > 29:
        return False
    return y is None or 1800 <= y <= 2099


def _hour(h: int, ap: str | None) -> int:
    if ap:
        pm = ap.lower().startswith("p")
        if h == 12:
            return 12 if pm else 0
        return h + 12 if pm else h
    return h


def _time_after(line: str, pos: int) -> tuple[int, int, int] | None:
    """(end, hour, minute) of a time right after ``pos`` (joined by "at", "um", ",", ...)."""
    match = _patterns().time_join.match(line, pos)
    if not match:
        return None
    if match.group("H") is not None:
        hour, minute = int(match.group("H")), int(match.group("Mi"))
        hour = _hour(hour, match.group("ap"))
    else:
        hour, minute = int(match.group("H2")), int(match.group("M2"))
    if hour > 23 or minute > 59:
        return None
    return match.end(), hour, minute


def _span(line: str, start: int, end: int, y: int | None, m: int | None, d: int | None,
          numeric: tuple[int, int] | None = None) -> DateSpan:
    timed = _time_after(line, end)
    hh = mm = None
    if timed:
        end, hh, mm = timed
    return DateSpan(start, end, KIND_DATE, y, m, d, hh, mm, numeric)


def with_time(date: DateSpan, time: DateSpan) -> DateSpan:
    """A date shown on one line and its time on the next ("24 janvier 2017" / "12h10")."""
    return DateSpan(date.start, date.end, KIND_DATE, date.year, date.month, date.day,
                    time.hour, time.minute, date.numeric)


def find_dates(line: str) -> list[DateSpan]:
    """Every date, time and relative time in ``line``, left to right, not overlapping."""
    if not _digit().search(line) and not _maybe_relative_words(line):
        return []
    pats = _patterns()
    months = lexicon().months
    found: list[DateSpan] = []
    for match in pats.glued.finditer(line):
        a, b, y = int(match.group("a")), int(match.group("b")), _year(match.group("y"))
        found.append(_span(line, match.start(), match.end(), y, b, a))
    for match in pats.iso.finditer(line):
        found.append(_span(line, match.start(), match.end(), int(match.group("y")),
                           int(match.group("m")), int(match.group("d"))))
    for match in pats.numeric.finditer(line):
        a, b, y = int(match.group("a")), int(match.group("b")), _year(match.group("y"))
        if match.group("sep") == "." or (a > 12 and b <= 12):  # 14.09.2022 is always day first
            if _valid(y, b, a):
                found.append(_span(line, match.start(), match.end(), y, b, a))
        elif b > 12 and a <= 12:
            if _valid(y, a, b):
                found.append(_span(line, match.start(), match.end(), y, a, b))
        elif a <= 12 and b <= 12 and a and b:
            found.append(_span(line, match.start(), match.end(), y, None, None, numeric=(a, b)))
    for pattern in (pats.month_name, pats.name_month):
        for match in pattern.finditer(line):
            month = months.get(" ".join(match.group("mon").casefold().split()).rstrip("."))
            if month is None:
                continue
            day = int(match.group("d"))
            year = _year(match.group("y"))
            if year is None:
                # without a year, a month name is a date only with a time, or capitalised
                # ("may 2 people" is not a date; "Le 17 juillet à 22:09" and "Mar 05" are)
                timed = _time_after(line, match.end())
                if timed is None and not match.group("mon")[:1].isupper():
                    continue
            if not 1 <= day <= 31:
                continue
            found.append(_span(line, match.start(), match.end(), year, month, day))
    for match in pats.relative.finditer(line):
        found.append(DateSpan(match.start(), match.end(), KIND_RELATIVE))
    for match in pats.time.finditer(line):
        hour = _hour(int(match.group("H")), match.group("ap"))
        if hour > 23:
            continue
        found.append(DateSpan(match.start(), match.end(), KIND_TIME, hour=hour,
                              minute=int(match.group("Mi"))))
    return _non_overlapping(found)


@cache
def _digit() -> re.Pattern[str]:
    """Any character ``str.isdigit`` calls a digit: \\d and the superscript and circled ones."""
    extra = "".join(ch for ch in map(chr, range(0x110000))
                    if ch.isdigit() and not ("0" <= ch <= "9" or re.match(r"\d", ch)))
    return re.compile(rf"[\d{re.escape(extra)}]")


def _maybe_relative_words(line: str) -> bool:
    return bool(_relative_words().search(line.casefold()))


@cache
def _relative_words() -> re.Pattern[str]:
    """Any relative word anywhere in a casefolded line (a substring, as ``in`` tests)."""
    words = sorted(lexicon().relative_words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else re.compile(r"(?!)")


def _non_overlapping(spans: list[DateSpan]) -> list[DateSpan]:
    """Longest first, then leftmost; a span overlapping a kept one is dropped."""
    kept: list[DateSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def day_first_votes(texts: list[str]) -> bool | None:
    """Whether the page writes slashed dates day first, from those only one order reads.

    ``texts`` are the page's date texts. True when some ``a/b/yyyy`` has a > 12
    (and none b > 12), False for the opposite, None when the page does not tell.
    """
    day_first = month_first = 0
    for match in _patterns().numeric.finditer("\n".join(texts)):
        if match.group("sep") != "/":
            continue
        a, b = int(match.group("a")), int(match.group("b"))
        day_first += a > 12 >= b
        month_first += b > 12 >= a
    if day_first and not month_first:
        return True
    if month_first and not day_first:
        return False
    return None
