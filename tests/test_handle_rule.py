"""The handle rule: distinctive forms everywhere, ordinary ones only where a text
names or addresses their commenter (the cases of the anonymise-precision issue)."""

from __future__ import annotations

import pytest

from pipeline.common_words import ANY_LANGUAGE
from pipeline.handle_rule import distinctive_parts, is_distinctive_handle, written_as_name
from pipeline.mentions import CommentContext, HandleIndex, find_mentions
from pipeline.pseudonyms import canonical_handle

PAGE = ["the real one", "Cat", "Will", "Ostranian Patriot", "Sonnenschein", "FlorianGeyer",
        "The General", "Jo", "Joe from Kansas", "nest", "Robert Müller"]
INDEX = HandleIndex(PAGE, frozenset())


@pytest.mark.parametrize("handle", ["FlorianGeyer", "Promitheas", "northerntruthseeker",
                                    "Ostranian Patriot", "jane_doe", "Tom1984", "Knochenstrauss"])
def test_distinctive_handles(handle):
    assert is_distinctive_handle(handle, ANY_LANGUAGE)


@pytest.mark.parametrize("handle", ["the real one", "Cat", "Patriot", "Jürgen K.", "rebelde",
                                    "Sonnenschein", "sceptique", "Truth Seeker", "C++ fan"])
def test_ordinary_handles_in_any_corpus_language(handle):
    assert not is_distinctive_handle(handle, ANY_LANGUAGE)


def test_only_the_rare_part_of_a_handle_is_hunted_alone():
    assert distinctive_parts("Ostranian Patriot", ANY_LANGUAGE) == {"ostranian"}
    assert distinctive_parts("Konashenkov", ANY_LANGUAGE, frozenset({"konashenkov"})) == set()


def test_capitalised_as_the_handle_writes_it():
    assert written_as_name("Cat", "Cat") and written_as_name("jerry", "jerry hamilton")
    assert not written_as_name("cat", "Cat") and not written_as_name("The general", "The General")
    assert not written_as_name("JERRY", "Jerry")


def _replaced(text: str, thread: tuple[str, ...] = ()) -> list[str]:
    context = CommentContext(
        None, frozenset(canonical_handle(h) for h in PAGE), tuple(map(canonical_handle, thread))
    )
    return [text[m.start : m.end] for m in find_mentions(text, context, INDEX)]


@pytest.mark.parametrize(
    ("text", "thread", "expected"),
    [
        ("the real one, you are wrong", ("the real one",), ["the real one"]),
        ("That was a decoy, the real one is still in the depot", ("the real one",), []),
        ("The fake report got more airtime than the real one", ("the real one",), []),
        ("Good point, Will.", (), ["Will"]),
        ("as Cat said, it is over", (), ["Cat"]),
        ("@Cat read it", (), ["Cat"]),
        ("Cat videos are better than this article.", ("Cat",), []),
        ("Cat, dog and parrot videos get more views.", ("Cat",), []),
        ("A real patriot reads the report.", ("Ostranian Patriot",), []),
        ("Good point, Patriot.", ("Ostranian Patriot",), ["Patriot"]),
        ("The Ostranian army is not mentioned.", (), ["Ostranian"]),
        ("Florian Geyer was a knight, FlorianGeyer knows.", (), ["Florian Geyer", "FlorianGeyer"]),
        ("Nach dem Regen kommt Sonnenschein, sagt man.", ("Sonnenschein",), []),
        ("Hallo Sonnenschein, gut gesagt.", (), ["Sonnenschein"]),
        ("The general said nothing about the blockade.", ("The General",), []),
        ("Jo, das stimmt nicht ganz.", ("Jo",), []),
        ("Danke Jo!", (), ["Jo"]),
        ("Even in Kansas people laugh at this.", ("Joe from Kansas",), []),
        ("Nur weiter Jo, immer weiter.", ("Jo",), ["Jo"]),
        ("@ Cat read it", (), ["Cat"]),
        # alone on a line: a signature, or whom the comment answers (real pages)
        ("Den Kindern hat es geschmeckt.\n\nnest", (), ["nest"]),
        ("Jo, da bin ich auch dabei.\n\nRobert Müller", (), ["Robert Müller"]),
        ("I had a nest of wasps in my garden.", (), []),
        ("Drück dich!\n\nLg nest.", (), ["nest"]),
    ],
)
def test_ordinary_forms_only_where_they_name_or_address(text, thread, expected):
    assert _replaced(text, thread) == expected
