"""Web-page boilerplate: which lines of a scraped article are the page, not the report.

What belongs here: a line classifier over an article body (``find_boilerplate``) and the
masking that blanks those lines without moving any other character (``mask_boilerplate``), so
every downstream offset — evidence spans, actor mentions, quotes — still points into the
original body. What does not: deciding what a report says (events, actors, places) and reading
dates (``pipeline.extraction.dates`` says what a publication stamp is; this module only masks it).

A line is page furniture when it is
* a **publication stamp** ("Published: 12 March 2024", "Updated 3:45 PM GMT, March 12, 2024");
* a **photo caption or credit**: it carries a credit cue ("Photo: AFP / ...", "Image caption"),
  or it is a bare wire credit in brackets ("(Reuters)"), or a long line printed again on the very next
  line, the second time with at most a short credit after it (a picture's alt text, then its caption:
  "... Sunday, Oct. 25, 2015." / "... Sunday, Oct. 25, 2015. AP");
* a **byline** ("By MARK STEVENSON", "Reporting by ...; editing by ...");
* a **page control** ("Advertisement", "Enable Read mode", "Read more: ...", "Share on Facebook");
* in the **footer**, which opens at a comment form, copyright notice, tag list or "Related
  articles" heading and runs to the end of the page;
* a **headline that is not this report's**: in mixed-case text, after the report's first
  sentence, a paragraph made only of short title-like lines (no sentence punctuation, a capital
  first letter, few words): a list of related headlines or a link to another story.

The vocabulary is data (``pipeline/data/boilerplate.yaml``): the words of web publishing, never
sentences of one article. ALL-CAPS wire copy is left alone (its case says nothing about titles
and it carries no web furniture). Pure functions over strings; no I/O after the first load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from pipeline.extraction.dates import date_stamp, line_offsets
from pipeline.extraction.nlp import is_all_caps

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "boilerplate.yaml"

KINDS = ("stamp", "caption", "byline", "ui", "footer", "related")

_TERMINAL_RE = re.compile(r"[.!?;:,\"'\u201d\u2019)\]]\s*$")
_WORD_RE = re.compile(r"[^\W_][\w'\u2019.&/-]*")
_SEPARATOR_RE = re.compile(r"\s*(?:[:|\u00bb>\u203a\u2013\u2014/(\[]|-\s|$)")
# A bracketed wire or picture credit alone on its line: "(Reuters)", "(AFP Photo)", "[AP]".
_BARE_CREDIT_RE = re.compile(r"^[(\[]\s*[A-Z][\w .&/'\u2019-]{0,40}[)\]]$")
# A headline ends on a content word; a hard-wrapped sentence line often ends on a function word.
_FUNCTION_END = frozenset(
    "a an the of in on at to for and or but by with from as into that which who whose than its their his her "
    "is are was were be been has have had said says".split()
)
_SENTENCE_OPENERS = frozenset("the this these that those it he she they we i there a an".split())
_AUXILIARIES = frozenset("was were been has have had would could should did does".split())
_RELATED_MAX_WORDS = 18
# A caption printed twice (alt text, then caption): long enough not to be a repeated headline,
# the second copy adding at most a credit ("AP", "Photo: Reuters").
_REPEATED_MIN_WORDS = 12
_REPEATED_CREDIT_MAX_WORDS = 4
_SENTENCE_MIN_WORDS = 8


@dataclass(frozen=True)
class BoilerplateLine:
    """One masked line: body offsets (without the newline) and why it is not news."""

    start: int
    end: int
    kind: str  # stamp | caption | byline | ui | footer | related


@dataclass(frozen=True)
class _Lexicon:
    ui_lines: tuple[str, ...]
    ui_max_words: int
    credit_res: tuple[re.Pattern, ...]
    byline_starts: tuple[str, ...]
    footer_starts: tuple[str, ...]


@lru_cache(maxsize=2)
def _lexicon(path: str) -> _Lexicon:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)

    def phrases(key: str) -> tuple[str, ...]:
        # longest first, so "share this article" is tried before "share"
        return tuple(sorted({_fold(p) for p in data.get(key) or () if str(p).strip()}, key=len, reverse=True))

    credit_res = tuple(re.compile(r"(?<!\w)" * p[0].isalnum() + re.escape(p) + r"(?!\w)" * p[-1].isalnum())
                       for p in phrases("credit_cues"))
    return _Lexicon(phrases("ui_lines"), int(data.get("ui_max_words", 12)), credit_res,
                    phrases("byline_starts"), phrases("footer_starts"))


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", str(s).replace("\u2019", "'")).strip().casefold()


def _lines(body: str) -> list[tuple[int, int, str]]:
    return [(pos, pos + len(line), line) for pos, line in line_offsets(body)]


def _starts_with(folded: str, phrase: str) -> str | None:
    """The rest of the line after ``phrase`` at its start (word boundary), else None."""
    if not folded.startswith(phrase):
        return None
    rest = folded[len(phrase):]
    if rest and phrase[-1].isalnum() and rest[0].isalnum():
        return None
    return rest


def _n_words(s: str) -> int:
    return len(_WORD_RE.findall(s))


def _is_ui(folded: str, lex: _Lexicon) -> bool:
    """"Advertisement", "Read more: X", "Share on Facebook": a control word alone, before a
    separator, or (several words) opening a short line that is no sentence."""
    for phrase in lex.ui_lines:
        rest = _starts_with(folded, phrase)
        if rest is None:
            continue
        if not rest.strip(" .!:|"):
            return True
        if _SEPARATOR_RE.match(rest) and _n_words(rest) <= 2 * lex.ui_max_words:
            return True
        if " " in phrase and _n_words(folded) <= lex.ui_max_words and not re.search(r"[.!?]$", folded):
            return True
    return False


def _is_caption(line: str, folded: str, lex: _Lexicon) -> bool:
    if _BARE_CREDIT_RE.match(line.strip()):
        return True
    return _n_words(folded) <= 45 and any(rx.search(folded) for rx in lex.credit_res)


def _is_byline(line: str, folded: str, lex: _Lexicon) -> bool:
    """"By MARK STEVENSON", "Reporting by Ali Ahmed; Editing by Jane Doe": a writer's credit,
    a short line whose words after the cue are names (capitalised), not a sentence."""
    if _n_words(folded) > 16:
        return False
    for phrase in lex.byline_starts:
        rest = _starts_with(folded, phrase)
        if rest is None:
            continue
        tail = line.strip()[len(phrase):].lstrip(" :")
        words = [w for w in _WORD_RE.findall(tail) if w.lower() not in ("and", "in", "of", "the", "for", "de", "al")]
        if words and sum(w[0].isupper() for w in words) >= 0.75 * len(words) and not re.search(r"[!?]$", tail):
            return True
    return False


def _title_like(line: str) -> bool:
    """A short headline-shaped line: capital or digit first, no sentence punctuation at its end,
    not ending on a function word (which a wrapped sentence line does)."""
    text = line.strip().strip("*#_ ")
    if not text or _TERMINAL_RE.search(text):
        return False
    words = _WORD_RE.findall(text)
    if not 2 <= len(words) <= _RELATED_MAX_WORDS:
        return False
    first = text.lstrip("\"'\u201c\u2018")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if words[-1].lower() in _FUNCTION_END:
        return False
    # Headlines drop articles and auxiliaries; "The detainees were taken ..." is a sentence that
    # lost its full stop, "This is an update to ..." a note.
    return words[0].lower() not in _SENTENCE_OPENERS and not any(w.lower() in _AUXILIARIES for w in words)


def _is_sentence_line(line: str) -> bool:
    text = line.strip()
    return _n_words(text) >= _SENTENCE_MIN_WORDS and bool(re.search(r"[.!?][\"'\u201d\u2019)]*$", text))


def find_boilerplate(body: str, lexicon_path: Path | str | None = None) -> list[BoilerplateLine]:
    """Every line of ``body`` that is page furniture, in text order (see the module docstring)."""
    if not body.strip() or is_all_caps(body):
        return []
    lex = _lexicon(str(lexicon_path or LEXICON_PATH))
    lines = _lines(body)
    found: dict[int, BoilerplateLine] = {}
    first_sentence = next((k for k, (_s, _e, ln) in enumerate(lines) if _is_sentence_line(ln)), len(lines))

    for k, (s, _e, line) in enumerate(lines):
        if not line.strip():
            continue
        folded = _fold(line)
        lead = len(line) - len(line.lstrip())
        span = (s + lead, s + len(line.rstrip()))
        kind = None
        if k > first_sentence and any(_starts_with(folded, p) is not None for p in lex.footer_starts):
            for s2, _e2, ln2 in lines[k:]:
                if ln2.strip():
                    lead2 = len(ln2) - len(ln2.lstrip())
                    found[s2] = BoilerplateLine(s2 + lead2, s2 + len(ln2.rstrip()), "footer")
            break
        if date_stamp(line) is not None:
            kind = "stamp"
        elif _is_caption(line, folded, lex):
            kind = "caption"
        elif _is_byline(line, folded, lex):
            kind = "byline"
        elif _is_ui(folded, lex):
            kind = "ui"
        if kind:
            found[s] = BoilerplateLine(*span, kind)

    _mark_repeated_captions(lines, found)

    # Headlines that are not this report's: after its first sentence, a paragraph made only of
    # title-like lines (a list of related stories, or a single link to one).
    k = first_sentence + 1
    while k < len(lines) and lines[k][2].strip():
        k += 1  # the rest of the first sentence's paragraph
    while k < len(lines):
        if not lines[k][2].strip():
            k += 1
            continue
        block = []
        while k < len(lines) and lines[k][2].strip():
            block.append(lines[k])
            k += 1
        content = [ln for ln in block if ln[0] not in found]
        if content and all(_title_like(ln[2]) for ln in content):
            for s, _e, line in content:
                lead = len(line) - len(line.lstrip())
                found[s] = BoilerplateLine(s + lead, s + len(line.rstrip()), "related")
    return sorted(found.values(), key=lambda b: b.start)


def _mark_repeated_captions(lines: list[tuple[int, int, str]], found: dict[int, BoilerplateLine]) -> None:
    """A long line and the very next line (no blank line between) repeating it, plus at most a short
    credit, are a picture's alt text and its caption: both are page furniture. A paragraph printed
    again after a blank line (a page scraped twice) is left alone: its report must not be lost."""
    for (s1, _e1, first), (s2, _e2, second) in pairwise(lines):
        a, b = _fold(first), _fold(second)
        if not a or _n_words(a) < _REPEATED_MIN_WORDS or not b.startswith(a):
            continue
        if _n_words(b[len(a):]) > _REPEATED_CREDIT_MAX_WORDS:
            continue
        for s, line in ((s1, first), (s2, second)):
            lead = len(line) - len(line.lstrip())
            found[s] = BoilerplateLine(s + lead, s + len(line.rstrip()), "caption")


def mask_boilerplate(body: str, lines: list[BoilerplateLine] | None = None) -> str:
    """``body`` with its boilerplate lines blanked (spaces), every other character in place.

    The result has the same length as ``body``: offsets into it are offsets into the original.
    """
    return _masked(body) if lines is None else _blanked(body, lines)


@lru_cache(maxsize=64)
def _masked(body: str) -> str:
    """Cached: the extractor masks each body of a parse batch ahead (to parse what the article's
    extraction will read) and the extraction masks it again."""
    return _blanked(body, find_boilerplate(body))


def _blanked(body: str, spans: list[BoilerplateLine]) -> str:
    if not spans:
        return body
    chars = list(body)
    for b in spans:
        chars[b.start : b.end] = [" "] * (b.end - b.start)
    return "".join(chars)
