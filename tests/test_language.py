"""pipeline/language.py: ISO 639-1 codes for article texts, None when unsure."""

from __future__ import annotations

import pytest

from pipeline.language import article_language, detect

ARTICLES = {
    "en": ("Council votes to close the old library",
           "The council voted on Tuesday to close the library on Market Street. Residents said "
           "the decision came without any public consultation, and several of them promised "
           "to fight it at the next meeting."),
    "de": ("Stadtrat beschließt Schließung der alten Bibliothek",
           "Der Stadtrat hat am Dienstag beschlossen, die Bibliothek in der Marktstraße zu "
           "schließen. Anwohner kritisierten, dass die Bürger vorher nicht gefragt wurden, und "
           "kündigten Widerstand bei der nächsten Sitzung an."),
    "fr": ("Le conseil vote la fermeture de l'ancienne bibliothèque",
           "Le conseil municipal a décidé mardi de fermer la bibliothèque de la rue du Marché. "
           "Les habitants regrettent qu'aucune consultation n'ait eu lieu et promettent de "
           "s'y opposer lors de la prochaine séance."),
    "es": ("El ayuntamiento vota cerrar la antigua biblioteca",
           "El pleno municipal decidió el martes cerrar la biblioteca de la calle del Mercado. "
           "Los vecinos lamentan que no se haya consultado a nadie y prometen oponerse en la "
           "próxima sesión."),
    "it": ("Il consiglio vota la chiusura della vecchia biblioteca",
           "Il consiglio comunale ha deciso martedì di chiudere la biblioteca di via del "
           "Mercato. I residenti lamentano che nessuno sia stato consultato e promettono di "
           "opporsi nella prossima seduta."),
    "pt": ("Câmara vota o encerramento da antiga biblioteca",
           "A câmara municipal decidiu na terça-feira encerrar a biblioteca da rua do Mercado. "
           "Os moradores lamentam que ninguém tenha sido consultado e prometem opor-se na "
           "próxima sessão."),
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(ARTICLES))
def test_an_article_gets_its_language(code: str) -> None:
    title, body = ARTICLES[code]
    assert article_language(title, body) == code


@pytest.mark.parametrize("text", ["", "   ", "Navigation", "• Home", "12345 678", "u_abcdefghij",
                                  "Trump Putin Merkel"])  # fmt: skip
def test_too_little_text_is_unsure_not_guessed(text: str) -> None:
    assert article_language(text, "") is None


def test_a_code_is_two_letters_and_the_answer_is_deterministic() -> None:
    title, body = ARTICLES["de"]
    answers = {detect(f"{title}\n\n{body}") for _ in range(3)}
    assert len(answers) == 1
    ((code, probability),) = answers
    assert code is not None and len(code) == 2 and code.islower() and probability >= 0.9


def test_only_the_start_of_a_long_text_is_read() -> None:
    en_title, en_body = ARTICLES["en"]
    _, de_body = ARTICLES["de"]
    long_body = (en_body + " ") * 30 + (de_body + " ") * 300  # English first, German after
    assert article_language(en_title, long_body) == "en"
