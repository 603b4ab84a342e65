"""Small helpers on token spans shared by the analysers."""

from __future__ import annotations

from spacy.tokens import Doc, Token

PAIRS = {"“": "”", "(": ")", "‘": "’"}


def balanced_end(doc: Doc, start: int, end: int, limit: int) -> int:
    """Extend end so that quotes and brackets opened in doc[start:end] are closed.

    Only punctuation may stand between end and the closing mark, and never past limit:
    '... calling it “deeply regrettable.”' keeps its closing quote.
    """
    for opener, closer in PAIRS.items():
        text = doc[start:end].text
        if text.count(opener) <= text.count(closer):
            continue
        for i in range(end, min(limit, len(doc))):
            if doc[i].text == closer:
                end = i + 1
                break
            if not doc[i].is_punct:
                break
    if doc[start:end].text.count('"') % 2 == 1:
        for i in range(end, min(limit, len(doc))):
            if doc[i].text == '"':
                end = i + 1
                break
            if not doc[i].is_punct:
                break
    return end


def tokens_of(doc: Doc) -> list[Token]:
    """The doc's tokens as one list, made once per doc: each pass over a Doc makes a new
    Token object per word, and the analysis passes over every article several times."""
    cached = doc.user_data.get("briefing.tokens")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["briefing.tokens"] = list(doc)
    return cached
