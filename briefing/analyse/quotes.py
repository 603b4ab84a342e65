"""Quotations: where direct speech opens and closes, and claim spans cut to it."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from briefing.analyse.spans import balanced_end, tokens_of

QUOTES = '“”"‘’«»'


def opens(tok: Token) -> bool:
    """A quotation mark that opens a quote: '“', or '"' with space before and none after."""
    if tok.text in ("“", "«"):
        return True
    if tok.text != '"' or tok.whitespace_:
        return False
    return tok.i == 0 or bool(tok.doc[tok.i - 1].whitespace_) or tok.doc[tok.i - 1].is_space


UNITS = frozenset({"%", "‰", "°"})  # punctuation to spaCy, part of the figure to a reader


def clean_span(doc: Doc, tokens: list[Token], limit: int) -> Span | None:
    """The content as one span: no leading 'that', no stray punctuation, quotes closed."""
    if not tokens:
        return None
    start, end = tokens[0].i, tokens[-1].i + 1
    while start < end and (
        (doc[start].dep_ == "mark" and doc[start].lower_ in ("that", "whether"))
        or (doc[start].is_punct and doc[start].text not in QUOTES)
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (
            doc[end - 1].is_punct
            and doc[end - 1].text not in QUOTES
            and doc[end - 1].text not in UNITS
        )
        or opens(doc[end - 1])  # the next sentence's quote, split onto this one
    ):
        end -= 1
    end = balanced_end(doc, start, end, limit)
    if end - start < 2:
        return None
    return doc[start:end]


def whole_quotation(doc: Doc, span: Span) -> Span:
    """Grow a claim to its whole quotation when the quote opened sentences earlier, or
    closes after the words the parser gave it.

    '"The water is still rising. Anyone ... at risk," Cossa told reporters': the parser
    gives only the last sentence as the complement; the quotation marks give the rest.
    """
    start = span.start
    if start > 0 and doc[start - 1].text in ('"', "“") and opens(doc[start - 1]):
        start -= 1  # the opening quotation mark just before the parser's span
    text = doc[start : span.end].text
    opened = text.lstrip()[:1]
    if (opened == '"' and text.count('"') % 2 == 1) or (
        opened == "“" and text.count("“") > text.count("”")
    ):
        # '"We expect more cases -- definitely," said X': the parser cut the quotation short
        closer = "”" if opened == "“" else '"'
        for k in range(span.end, min(span.end + 40, len(doc))):
            if doc[k].is_sent_start:
                break
            if doc[k].text == closer:
                return doc[start : k + 1]
    j = span.end
    while j < len(doc) and j - span.end < 3 and doc[j].is_punct and doc[j].text not in ('"', "”"):
        j += 1
    inside_close = span.text.count("”") > span.text.count("“") or (
        span.text.count('"') % 2 == 1 and not span.text.lstrip().startswith('"')
    )
    after_close = j < len(doc) and doc[j].text in ('"', "”")
    if not (inside_close or after_close):
        return span
    closer = doc[j].text if after_close else ("”" if "”" in span.text else '"')
    opener = "“" if closer == "”" else '"'
    if opener in span.text and not inside_close:
        return span  # the quotation opens inside the claim already
    for i in range(span.start - 1, max(span.start - 300, 0) - 1, -1):
        if doc[i].text == opener and (opener != '"' or opens(doc[i])):
            return doc[i : (j + 1 if after_close else span.end)]
        if doc[i].text == closer:
            break  # an earlier quotation closes here: this one has no opener before
    return span


def inside_quotes(doc: Doc) -> set[int]:
    """Token indices inside direct quotations: speech verbs there are not attribution.

    Over the whole text, as a quotation may run over several sentences ('"We have said
    many times what our conditions are. Nothing has changed," he said').
    """
    inside: set[int] = set()
    opened: int | None = None
    for tok in tokens_of(doc):
        text = tok.text
        if text in ("“", "«") or (text == '"' and (opened is None or opens(tok))):
            opened = tok.i  # a new opening mark restarts an unclosed quotation
        elif text in ("”", "»", '"') and opened is not None:
            inside.update(range(opened + 1, tok.i))
            opened = None
    return inside
