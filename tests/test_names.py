"""Entity spans trimmed into names (briefing/analyse/names.py)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from briefing.analyse.names import trim


def _span(words: list[str], spaces: list[bool], start: int, end: int, label: str) -> Span:
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    return Span(doc, start, end, label=label)


def test_a_person_cut_at_the_hyphen_of_a_given_name_gets_all_of_it() -> None:
    words = ["said", "Choi", "Moon", "-", "bak", ",", "a", "researcher"]
    spaces = [True, True, False, False, False, True, True, False]
    trimmed = trim(_span(words, spaces, 1, 3, "PERSON"))
    assert trimmed is not None and trimmed.text == "Choi Moon-bak"


def test_a_spaced_dash_after_a_name_is_no_part_of_it() -> None:
    words = ["said", "Choi", "Moon", "-", "bak"]
    spaces = [True, True, True, True, False]
    trimmed = trim(_span(words, spaces, 1, 3, "PERSON"))
    assert trimmed is not None and trimmed.text == "Choi Moon"


def test_an_organisation_is_not_extended_over_a_hyphen() -> None:
    words = ["the", "Hanbit", "Institute", "-", "led", "study"]
    spaces = [True, True, False, False, True, False]
    trimmed = trim(_span(words, spaces, 1, 3, "ORG"))
    assert trimmed is not None and trimmed.text == "Hanbit Institute"
