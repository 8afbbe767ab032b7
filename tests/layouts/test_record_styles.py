"""Property law of the general record parser: render a comment thread in a header/trailer
style taken from a real comment system, parse it back, get the thread.

Each style is one shape seen on the real pages (WordPress "N. Name says:" with the date on
the next line, "• Name on DATE said:", Hacker News "Name 3 hours ago | parent | next",
Reddit "level N", German "Name sagt:" and "N. Name DATE um HH.MM", French
"Par Name, le DATE à 08h07" without blank lines, Spanish "• Name dijo:" with the date after
the text, a date shown after the text under a bare name line, Portuguese relative dates).
The law: every comment comes back with its handle, its text, its date as shown and as ISO
8601, and its parent where the style shows threading.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.layouts.base import PageText
from pipeline.stages.parse import parse_page

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}
WORDS = ("the council said plans for the new road would be ready next spring while residents "
         "asked why nobody had told them anything about the cost or the noise and whether "
         "the money would come from the city budget this year or the next one").split()


@dataclass(frozen=True)
class Comment:
    handle: str
    paragraphs: tuple[str, ...]
    depth: int
    when: tuple[int, int, int, int, int]  # year, month, day, hour, minute


@dataclass(frozen=True)
class Style:
    name: str
    threaded: bool
    relative: bool  # shows a relative time: no ISO date

    def render(self, c: Comment, n: int) -> tuple[list[str], str]:
        """The comment's lines and its date exactly as shown."""
        y, mo, d, h, mi = c.when
        ind = " " * (4 * c.depth)
        text = [p for p in c.paragraphs]
        if self.name == "wp_says":
            shown = f"{MONTHS['en'][mo - 1]} {d}, {y} at {(h - 1) % 12 + 1}:{mi:02d} " + (
                "pm" if h >= 12 else "am")
            head = f"{ind} {n}. {c.handle} says:" if c.depth == 0 else f"{ind}  □ {c.handle} says:"
            return [head, f"{ind}    {shown}", "", *_para(text, ind + "    "), "",
                    f"{ind}    Reply"], shown
        if self.name == "on_said":
            shown = f"{MONTHS['en'][mo - 1]} {d}, {y} at {(h - 1) % 12 + 1}:{mi:02d} " + (
                "pm" if h >= 12 else "am")
            return [f"  • {c.handle} on {shown} said:", "", *_para(text, "    ")], shown
        if self.name == "hn":
            shown = f"{h + 1} hours ago"
            return [f"{c.handle} {shown} | parent | next [–]", "", *_para(text, ""), "",
                    "reply"], shown
        if self.name == "level":
            shown = f"{mi % 9 + 1} yr. ago"
            return [f"level {c.depth + 1}", c.handle, f"· {shown}", str(d * 7), "",
                    *_para(text, ""), ""], shown
        if self.name == "de_sagt":
            shown = f"{d}. {MONTHS['de'][mo - 1]} {y} um {h:02d}:{mi:02d}"
            return [f"{c.handle} sagt:", shown, "", *_para(text, ""), "", "Antworten"], shown
        if self.name == "de_numbered":
            shown = f"{d:02d}.{mo:02d}.{y} um {h:02d}.{mi:02d}"
            return [f"{ind} {n}. {c.handle} {shown}", "", *_para(text, ind + "    "), "",
                    f"{ind}    Antworten ↓"], shown
        if self.name == "fr_par":
            shown = f"{d} {MONTHS['fr'][mo - 1]} {y} à {h:02d}h{mi:02d}"
            return [f"Par {c.handle}, le {shown}", *[" ".join(p.split()) for p in text]], shown
        if self.name == "es_dijo":
            shown = f"{d} {MONTHS['es'][mo - 1]} {y} a las {h:02d}:{mi:02d}"
            mark = "•" if c.depth == 0 else "□"
            return [f"{ind}  {mark} {c.handle} dijo:", "", *_para(text, ind + "    "), "",
                    f"{ind}    {shown}", f"{ind}    / Responder"], shown
        if self.name == "date_after":
            shown = f"{d:02d}.{mo:02d}.{y} {h:02d}:{mi:02d}"
            return [c.handle, "", *_para(text, ""), "", shown, "Antworten", ""], shown
        if self.name == "pt_relative":
            shown = f"{mi % 5 + 2} anos atrás"
            return [f"{ind} {n}. {c.handle}", f"{ind}    {shown} Link permanente", "",
                    *_para(text, ind + "    "), "", f"{ind}    Responder"], shown
        raise AssertionError(self.name)


def _para(paragraphs: list[str], indent: str) -> list[str]:
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        if i:
            out.append("")
        out.append(indent + p)
    return out


STYLES = [
    Style("wp_says", True, False), Style("on_said", False, False), Style("hn", False, True),
    Style("level", True, True), Style("de_sagt", False, False),
    Style("de_numbered", True, False), Style("fr_par", False, False),
    Style("es_dijo", True, False), Style("date_after", False, False),
    Style("pt_relative", True, True),
]

handles = st.one_of(
    st.tuples(st.sampled_from(["Anna", "Peter", "Jutta", "Ramón", "Chloé", "Olu", "Mei"]),
              st.sampled_from(["", " Green", " Weber", " K.", " Dubois"])).map("".join),
    st.tuples(st.sampled_from(["wolf", "river", "night", "blue"]),
              st.integers(0, 999)).map(lambda t: f"{t[0]}{t[1]}"),
    st.sampled_from(["Chefkoch_Ellen", "the_real_one", "Adirondacker12800", "JJJ"]),
)
sentences = st.lists(st.sampled_from(WORDS), min_size=5, max_size=18).map(
    lambda ws: (" ".join(ws)).capitalize() + ".")
short = st.sampled_from(["Thanks!", "Great post!", "Danke!", "Well said.", "Merci beaucoup !"])
paragraph = st.one_of(sentences, st.lists(sentences, min_size=2, max_size=3).map(" ".join))
when = st.tuples(st.integers(2009, 2024), st.integers(1, 12), st.integers(1, 28),
                 st.integers(0, 23), st.integers(0, 59))


@st.composite
def threads(draw):
    style = draw(st.sampled_from(STYLES))
    n = draw(st.integers(2, 7))
    comments = []
    depth = 0
    for i in range(n):
        depth = 0 if i == 0 or not style.threaded else draw(st.integers(0, min(depth + 1, 2)))
        body = draw(st.one_of(st.tuples(short), st.lists(paragraph, min_size=1, max_size=3)
                              .map(tuple)))
        comments.append(Comment(draw(handles), body, depth, draw(when)))
    if len({c.handle for c in comments}) < 2:  # a discussion has more than one voice
        comments[-1] = Comment(comments[-1].handle + "_2", *[getattr(comments[-1], f) for f in
                                                              ("paragraphs", "depth", "when")])
    return style, comments


ARTICLE = [
    "Council delays the new road again",
    "",
    "By the city desk",
    "",
    "The council has delayed the plans for the new road by another year, citing the cost of "
    "the bridge and a study of the noise that residents asked for at the last meeting.",
    "",
    "Residents said they were not surprised. Many of them have waited for the road since the "
    "first plans were shown, and some have moved away in the meantime, the report found.",
    "",
]


def _page(style: Style, comments: list[Comment]) -> tuple[str, list[str]]:
    lines = [*ARTICLE, f"{len(comments)} Comments", ""]
    shown = []
    for n, c in enumerate(comments, start=1):
        rendered, date = style.render(c, n)
        lines.extend(rendered)
        lines.append("")
        shown.append(date)
    lines.extend(["Leave a Reply", "", "Your email address will not be published."])
    return "\n".join(lines) + "\n", shown


def _parents(comments: list[Comment]) -> list[int | None]:
    out: list[int | None] = []
    for i, c in enumerate(comments):
        parent = None
        for j in range(i - 1, -1, -1):
            if comments[j].depth < c.depth:
                parent = j
                break
        out.append(parent)
    return out


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(threads())
def test_a_thread_rendered_in_a_real_style_parses_back(case):
    style, comments = case
    text, shown = _page(style, comments)
    parsed = parse_page(PageText.from_text(f"{style.name}.txt", text))
    assert parsed.layout == "records"
    assert parsed.title == ARTICLE[0]
    assert [c.handle for c in parsed.comments] == [c.handle for c in comments]
    assert [" ".join(c.text.split()) for c in parsed.comments] == [
        " ".join(" ".join(c.paragraphs).split()) for c in comments]
    assert [c.published_text for c in parsed.comments] == shown
    if style.relative:
        assert all(c.published is None for c in parsed.comments)
    else:
        for got, c in zip(parsed.comments, comments, strict=True):
            y, mo, d, h, mi = c.when
            assert got.published == f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}"
    if style.threaded:
        assert [c.parent_position for c in parsed.comments] == _parents(comments)
        # "level N" lines show the thread even when every comment is at level 1
        assert parsed.threading_shown == (style.name == "level" or any(c.depth for c in comments))
    assert parsed.handles_shown
