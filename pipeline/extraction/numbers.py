"""Casualty and detention counts: number phrases and the people they count.

What belongs here: reading number phrases ("at least nine", "two dozen", "dozens") into a
`Quantity`, finding counts of people killed / injured / detained in a sentence
(`find_count_mentions`) and combining the counts of one incident (`total_count`). Word lists
and conventional values live in `pipeline/data/count_lexicon.yaml`; this module is the engine.
No I/O beyond loading that lexicon once, no spaCy, no Dagster.

Conventions (ACLED: code the lowest supported figure; UCDP: low / best / high):

- A plain figure is exact: "nine" -> low 9, best 9, high 9.
- Floor qualifiers ("at least", "no fewer than", ...) and estimates ("about", "around",
  "some", "nearly", "almost", ...) code the stated figure as low and best, high unknown.
  "More than" / "over" code the smallest figure the report supports: "more than 100" ->
  101/101/None (a figure that is exceeded is not itself a count; the ISAF labellers agree).
- Ceiling qualifiers ("up to", "as many as", "fewer than", ...) -> low None, best = high = N.
- Ranges ("between 10 and 15", "10 to 15", "10-15") -> low 10, best 10, high 15.
- Vague quantifiers are floors with the value from the lexicon: several / multiple /
  a number of / a few / many / some -> 3, numerous -> 4 (the ISAF labellers' majority
  readings), a couple -> 2, tens -> 10, dozens -> 12, scores -> 20, hundreds -> 100,
  thousands -> 1000.
- `best` is always set when any figure is known; the pipeline publishes `best`.
- Explicit negatives ("no one was killed", "no civilians were harmed", "no casualties")
  give a count of 0 so the caller can tell "zero" from "not reported".
- A suicide bomber who "blew himself up" or an attacker "killing himself" counts as 1 killed.
- Bare plurals ("killed insurgents") give no count; the number must be about people
  (a person noun from the lexicon, or a bare figure ending the phrase: "killing three in").
- A definite singular or a pronoun ("the bomber was killed", "captured him") counts 1 but
  is marked as possibly anaphoric: its `Quantity.phrase` starts with "the ", and
  `total_count` only uses it when nothing else of that kind was found.
- Goals are not outcomes ("an operation to arrest a leader", "responsible for killing"),
  and perfect-tense running totals over a period ("have detained 40 ... since May") are
  campaign statistics: neither gives a count.
- Each count says how the text stands behind it (`Quantity.standing`, `count_standing`):
  "aggregate" for several events told together ("two assaults killed 40", "16 killed in two
  separate attacks"), "part" for some of a toll told ("in one case, ... killing a civilian"),
  "estimate" for a figure only some sources give ("some officials put the toll at 30"), else
  "told"; a second count of a kind joined by "and" that is neither a part nor another source's
  figure is `beside` the first ("two dead on the army side and five on the attackers'").
  How figures then combine into an event's toll is `tolls`' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.extraction.pattern_cache import compile_cached
from pipeline.extraction.records import CountMention, Quantity


class LazyPattern:
    """A regular expression compiled on first use, then exactly the compiled ``re.Pattern``.

    The count patterns are built from the whole lexicon (one is 100k characters) and compiling
    them all costs ~2.3 CPU s; compiling at import charged that to every process that merely
    imports the extractor (a build with nothing to extract, each worker). ``compile_patterns``
    compiles them all at once, before worker processes are forked, so the workers share them, and
    a compiled program is read from the local cache when an earlier process stored it
    (``pattern_cache``: milliseconds instead of seconds, the same program).
    Method lookups are cached on the instance, so a call costs what it costs on the pattern.
    """

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = compile_cached(self.pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str):
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value


_LAZY: list[LazyPattern] = []


def _pattern(pattern: str, flags: int = 0) -> LazyPattern:
    lazy = LazyPattern(pattern, flags)
    _LAZY.append(lazy)
    return lazy


def compile_patterns() -> int:
    """Compile every pattern of this module now (before forking workers); returns how many."""
    for lazy in _LAZY:
        lazy.compiled()
    return len(_LAZY)



LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "count_lexicon.yaml"
KINDS = ("killed", "injured", "detained")

_LEX: dict[str, Any] | None = None


def load_lexicon() -> dict[str, Any]:
    """The count lexicon, read once per process (module-level cache)."""
    global _LEX
    if _LEX is None:
        with LEXICON_PATH.open(encoding="utf-8") as fh:
            _LEX = yaml.safe_load(fh)
    return _LEX


# --------------------------------------------------------------------------- regex helpers


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces/hyphens matching any spacing.

    Phrases of one length are in alphabetical order, so the pattern's text is the same in every
    process (a set's order changes with the string hash seed), which lets ``pattern_cache`` find
    it. The order among them never changes a match: the only such phrases that can match the same
    text differ in a space or hyphen ("no one", "no-one") and then match exactly the same span.
    """
    parts = []
    for w in sorted({w.lower() for w in words}, key=lambda w: (-len(w), w)):
        tokens = re.split(r"[\s]+", w.strip())
        parts.append(r"\s+".join(re.escape(t).replace(r"\-", r"[-\s]?") for t in tokens))
    return "(?:" + "|".join(parts) + ")"


def _plurals(nouns: Iterable[str], irregular: dict[str, str]) -> set[str]:
    out: set[str] = set()
    for n in nouns:
        out.add(n)
        if n in irregular:
            out.add(irregular[n])
        elif n.endswith(("s", "x", "ch", "sh")):
            out.add(n + "es")
        elif n.endswith("y") and n[-2:-1] not in "aeiou":
            out.add(n[:-1] + "ies")
        else:
            out.add(n + "s")
    return out


_LX = load_lexicon()
_UNITS: dict[str, int] = _LX["units"]
_TENS: dict[str, int] = _LX["tens"]
_SCALES: dict[str, int] = _LX["scales"]
_VAGUE: dict[str, int | None] = _LX["vague"]
_QUALS: dict[str, list[str]] = _LX["qualifiers"]
_QUAL_KIND = {q: kind for kind, qs in _QUALS.items() for q in qs}

_UT = _alt(list(_UNITS) + list(_TENS))
_SC = _alt(_SCALES)
_W = rf"{_UT}(?:[\s-]+{_UT})?"
_WORDNUM = (
    rf"(?:\b{_W}(?:\s+{_SC}(?:(?:\s+and)?\s+{_W})?)*(?:\s+dozen)?\b"
    rf"|\b(?:a|an)\s+(?:{_SC}|dozen)(?:(?:\s+and)?\s+{_W})?\b)"
)
_DIGITS = (
    r"(?<![\w.,/$£€#-])(?:\d{1,3}(?:,\d{3})+|\d+)"
    r"(?![\w%°]|[.,:/]\d|\s*(?:-|–)?\s*(?:year|yr|mm|km|kg|per\s?cent|percent)|-[a-z])"
)
_CORE = rf"(?:{_DIGITS}|{_WORDNUM})"
_RANGE = rf"(?:between\s+{_CORE}\s+and\s+{_CORE}|{_CORE}(?:\s*(?:-|–|to|or)\s*{_CORE})?)"
_QUAL = _alt(_QUAL_KIND)
_VAGUE_RE = _alt(w for w, v in _VAGUE.items() if v is not None)
_NUMPHRASE = rf"(?:(?:\b{_QUAL}\s+)?{_RANGE}|(?:\b{_QUAL}\s+)?\b{_VAGUE_RE}\b)"

_PERSON_ALL = _plurals(_LX["person_nouns"], _LX["irregular_plurals"])
_SINGULAR = set(_LX["person_nouns"]) - set(_LX["not_singular"])
_PNOUN = rf"\b{_alt(_PERSON_ALL)}\b"
_PNOUN_SG = rf"\b{_alt(_SINGULAR)}\b"
_STOP = _alt(_LX["np_stop_words"] + [q for q in _QUAL_KIND])
# a modifier between a count and its head noun ("two suspected Taliban", "a 25-year-old")
_MOD = rf"(?:(?!{_STOP}\b|{_CORE})[a-z][\w'’.-]*|\d+[-\s]year[-\s]old)"
_NP = rf"(?:\s+{_MOD}){{0,4}}\s+{_PNOUN}"
_PLURAL_ONLY = _plurals(_LX["person_nouns"], _LX["irregular_plurals"]) - set(_LX["person_nouns"])
# "the commander and other suspected insurgents": a plural without a figure is at least two.
_OTHERS = (rf"\b(?:other|additional|further)(?:\s+{_MOD}){{0,3}}\s+\b{_alt(_PLURAL_ONLY)}\b"
    r"(?!\s+(?:fled|escaped|managed|ran|remain|remained|got\s+away)\b)")  # "… and other attackers fled"
_OF = r"\s+of\s+(?:them|those|whom|(?:the|these|his|her|their|its)(?:\s+[a-z][\w'’-]*){1,3})"
_BOUNDARY = rf"(?=\s*(?:[.,;:!?)\]\"'”’(]|$)|\s+{_alt(_LX['boundary_words'])}\b)"
_DET_SG = r"(?:an?|one|a\s+single|a\s+lone|another|a\s+second|a\s+third|a\s+fourth|the|his|her|their|its)"
# A titled, named person ("Taliban leader Saifullah", "commander Mullah Dadullah"): one person. The
# name must be written in mixed case, so ALL-CAPS text never reads a common word as a name.
_NAMED = r"(?-i:[A-Z][a-z][\w'’-]*)"
# A name in apposition between commas ("killed Taliban leader, Mahjur, along with one other") is
# the same person.
_APPOS_NAME = rf"(?:\s*,\s+{_NAMED}(?:\s+{_NAMED}){{0,2}},(?=\s|$))?"
_TITLED_NAME = rf"(?:{_NAMED}\s+){{0,3}}{_PNOUN_SG}(?:\s+{_NAMED}|(?=\s*,\s+{_NAMED}(?:\s+{_NAMED}){{0,2}},(?:\s|$)))"
_SG_NP = rf"(?:\b{_DET_SG}(?:\s+{_MOD}){{0,4}}\s+{_PNOUN_SG}|\b{_TITLED_NAME}){_APPOS_NAME}"

# An item of a count list: "at least nine people", "two of them", "killed three", "an insurgent".
_ITEM_NP = rf"(?:{_NUMPHRASE}(?:{_NP}|{_OF})|{_SG_NP}|{_OTHERS}|\b(?:himself|herself)\b)"
_PRONOUN_OBJ = r"\b(?:him|her)\b(?!\s+[a-z]+(?:s|men)\b)"  # "killed him", not "her sons"
_PRONOUN_SUBJ = r"\b(?:he|she)\b"
# A bare figure ends a count list only when it is no year: "In 2018, more than 100 officers were
# killed" counts 101, not 2018 + 101.
_ITEM_ANY = rf"(?:{_ITEM_NP}|(?!(?:1[89]|20)\d\d{_BOUNDARY}){_NUMPHRASE}{_BOUNDARY})"
_JOIN = r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|as\s+well\s+as|along\s+with|plus)\s+)"
LIST_JOIN = _pattern(_JOIN, re.I)  # between the items of a count list
# "killing four officers, a provincial official (who asked not to be named) said": a speaker, no victim.
_SPEAKS = rf"(?!(?:\s+[a-z][\w'’-]*){{0,2}}(?:,?\s+who\s+[^.;]{{1,60}}?,?)?\s+{_alt(_LX['speech_verbs'])}\b)"
_LIST = rf"(?:{_ITEM_ANY}(?:{_JOIN}{_ITEM_NP}{_SPEAKS})*|{_PRONOUN_OBJ})"
_LIST_NP = rf"{_ITEM_NP}(?:{_JOIN}{_ITEM_NP}{_SPEAKS})*"
# "two missionaries -- aged 19 and 21 -- were shot to death", "three policemen (two of them officers)
# were killed": an aside between the count and its verb.
_ASIDE = (r"(?:\s*(?:--|[\u2014\u2013])[^\-\u2014\u2013.;]{1,60}(?:--|[\u2014\u2013])|\s*\([^()]{1,60}\)"
          r"|\s*,\s+(?:including|among\s+them|mostly|most\s+of\s+them)\s+[^,.;()]{1,50},)?")  # "three people, including a child, died"
_POST_WORD = rf"(?!{_alt(_LX['postmodifier_stop_words'])}\b)(?:[\w'’.-]+|\[[\w\s'’.-]{{1,30}}\])"
_POSTMOD = (
    rf"(?:\s+{_alt(_LX['postmodifier_prepositions'])}(?:\s+{_POST_WORD}){{0,5}}?"
    rf"\s+(?!{_alt(_LX['postmodifier_open_words'])}\b){_POST_WORD}"
    rf"|\s+(?:(?:that|who)\s+)?{_alt(_LX['speakers'])}\s+{_alt(_LX['speech_verbs'])})?"
)  # see the lexicon: "ten people in the city of Cali were killed", "19 people it said were killed"
_AUX = (
    r"(?:(?:were|was|are|is|have|has|had|been|being|be|got|get|gets|all|also|reportedly|"
    r"allegedly|later|subsequently|reported|confirmed|believed|thought|said|to|have\s+been|"
    r"feared|each|both|then|eventually|immediately|initially|either|now|already|"
    r"instantly|apparently|unfortunately|tragically|mistakenly|accidentally|"
    r"(?:engaged|shot|ambushed|attacked|targeted|struck|hit|stabbed|beaten|tortured|captured|"
    r"abducted|kidnapped)\s+and)\s+){0,4}"  # "he was engaged and killed"
)

_ITEM_RE = _pattern(
    rf"(?P<num>{_NUMPHRASE})(?:{_NP}|{_OF})?|\b(?P<det>{_DET_SG})(?:\s+{_MOD}){{0,4}}\s+{_PNOUN_SG}{_APPOS_NAME}"
    rf"|(?P<named>\b{_TITLED_NAME}){_APPOS_NAME}"
    rf"|(?P<others>{_OTHERS})"
    rf"|\b(?P<self>himself|herself)\b|(?P<pron>\b(?:him|her|he|she)\b)",
    re.I,
)
_CORE_RE = _pattern(rf"{_CORE}|{_SG_NP}", re.I)
_VAGUE_ONLY = _pattern(rf"\b{_VAGUE_RE}\b", re.I)


def _verbs(kind: str, voice: str) -> str:
    return _alt(_LX["verbs"][kind][voice])


# Where a pattern that opens with a count list can start: at a word's start, at "between" (the one
# word of a count with no \b before it: "between 10 and 15") or at a capital (a titled name). Every
# alternative of _LIST, _LIST_NP, _NUMPHRASE and _PRONOUN_SUBJ starts so, so the lookahead matches
# nothing away; it lets the engine skip the middle of words instead of trying every alternative
# there (the passive and noun patterns run ~40 % faster, same matches).
_LIST_START = r"(?=\b\w|between|(?-i:[A-Z]))"

_PATTERNS: list[tuple[str, str, LazyPattern]] = []
for _kind in KINDS:
    _act = _verbs(_kind, "active")
    _pas = _verbs(_kind, "passive")
    if _kind == "detained":
        # "seized" takes people only when a person noun says so ("seized 12 weapons" is not).
        _seize = r"(?:seized|seizes|seize|seizing)"
        _PATTERNS.append((_kind, "active", _pattern(rf"\b(?!{_seize}\b){_act}\s+(?P<list>{_LIST})", re.I)))
        _PATTERNS.append((_kind, "active", _pattern(rf"\b{_seize}\s+(?P<list>{_LIST_NP})", re.I)))
        _PATTERNS.append(
            (
                _kind,
                "passive",
                _pattern(
                    rf"{_LIST_START}(?:(?P<list>{_LIST_NP}){_POSTMOD}\s+{_AUX}(?:{_pas})\b"
                    rf"|(?P<list2>{_LIST}|{_PRONOUN_SUBJ})\s+{_AUX}(?!seized){_pas}\b)",
                    re.I,
                ),
            )
        )
    else:
        # "killing all three", "killing the two attackers": a quantifier or article before the count.
        # "The attackers subsequently murdered a woman": the adverb of a further act is part of the count.
        _PATTERNS.append((_kind, "active", _pattern(
            rf"\b(?:(?:also|then|subsequently|afterwards)\s+)?{_act}\s+(?:all\s+|the\s+)?(?P<list>{_LIST})", re.I)))
        _PATTERNS.append(
            (
                _kind,
                "passive",
                _pattern(rf"{_LIST_START}(?P<list>{_LIST}|{_PRONOUN_SUBJ}){_POSTMOD}{_ASIDE}\s+{_AUX}{_pas}\b", re.I),
            )
        )
    if _kind == "killed":
        _PATTERNS.append(
            (
                _kind,
                "death_of",
                _pattern(
                    rf"\b(?:the\s+)?(?:deaths?|killings?|murders?|massacre|assassinations?)\s+of\s+(?:the\s+)?"
                    rf"(?P<list>{_LIST_NP})"
                    rf"|(?P<list2>\bthe\s+(?:death|killing|murder|assassination)\s+of)\s+(?!(?:the\s+)?{_NUMPHRASE}\b|\d)\w",
                    re.I,
                ),
            )
        )
    _nouns = _alt(_LX["count_nouns"][_kind])
    _PATTERNS.append(
        (
            _kind,
            "noun",
            _pattern(rf"{_LIST_START}(?P<list>{_NUMPHRASE})(?:\s+{_MOD}){{0,2}}?\s+{_nouns}\b", re.I),
        )
    )
    if _kind in _LX["toll_nouns"]:
        _PATTERNS.append(
            (
                _kind,
                "toll",
                _pattern(
                    rf"\b{_alt(_LX['toll_nouns'][_kind])}\b(?:\s+[\w'’-]+){{0,4}}?\s+"
                    rf"{_alt(_LX['toll_verbs'])}\s+(?P<list>{_NUMPHRASE})\b"
                    rf"|\b{_alt(_LX['toll_raisers'])}\s+(?:the\s+)?"
                    rf"{_alt(_LX['toll_nouns'][_kind])}\b(?:\s+[\w'’-]+){{0,4}}?\s+"
                    rf"to\s+(?P<list2>{_NUMPHRASE})\b",
                    re.I,
                ),
            )
        )
    if _kind in _LX["leave_results"]:
        _PATTERNS.append(
            (
                _kind,
                "leave",
                _pattern(
                    rf"\b{_alt(_LX['leave_verbs'])}\s+(?P<list>{_LIST})\s+"
                    rf"{_alt(_LX['leave_results'][_kind])}\b",
                    re.I,
                ),
            )
        )
    _PATTERNS.append(
        (
            _kind,
            "zero",
            _pattern(
                rf"\b{_alt(_LX['zero_subjects'])}\s+{_AUX}{_alt(_LX['zero_verbs'][_kind])}\b",
                re.I,
            ),
        )
    )
_PATTERNS.append(
    (
        "detained",
        "hostage",
        _pattern(
            rf"\b(?:took|taken|take|takes|taking|held|holding|holds|hold)\s+(?P<list>{_LIST})\s+"
            r"(?:hostages?|captives?|prisoners?)\b",
            re.I,
        ),
    )
)
_PATTERNS.append(("killed", "zero", _pattern(r"\bno\s+(?:\w+\s+)?(?:casualties|fatalities|deaths)\b", re.I)))
_PATTERNS.append(("killed", "self", _pattern(r"\b(?:blew|blows|blowing|blown)\s+(?:himself|herself)\s+up\b", re.I)))

_INTENT_BEFORE = _pattern(rf"\b{_alt(_LX['intent_before'])}\s+(?:the\s+)?$", re.I)
_YEAR = _pattern(r"(?:1[89]|20)\d\d")


def _goal_before(text: str, at: int) -> bool:
    """"an operation to arrest", "plans for the killing of": the count that follows is a goal, not an outcome."""
    return _INTENT_BEFORE.search(text, max(0, at - 30), at) is not None


_CUMULATIVE = _pattern(
    rf"\b{_alt(_LX['cumulative_aux'])}\s+(?:(?:been|also|now|together|jointly)\s+)*"
    rf"(?:{_alt(v for k in KINDS for v in _LX['verbs'][k]['active'])}|"
    rf"{_alt(v for k in KINDS for v in _LX['verbs'][k]['passive'])})\b",
    re.I,
)
_PERIOD = _pattern(rf"\b{_alt(_LX['cumulative_period'])}\b", re.I)
# "The campaign has resulted in 20 leaders being captured or killed this month": a running total.
_RUNNING_RESULT = _pattern(r"\b(?:has|have)\s+(?:so\s+far\s+)?(?:resulted\s+in|led\s+to|brought|left)\b", re.I)


# "one of the bloodiest attacks on security forces since the president took office": a record the
# event is compared with, not the period a total runs over.
_COMPARED_SINCE = re.compile(r"\b(?:(?:blood|dead|wor|bigg|larg|great|high)iest|worst|biggest|largest|first|most\s+\w+)"
                             r"\b[^.;]{0,80}$", re.I)


def is_running_total(text: str) -> bool:
    """A sentence that tells a total over a period, not one incident's count."""
    return (_CUMULATIVE.search(text) is not None or _RUNNING_RESULT.search(text) is not None) \
        and any(not _COMPARED_SINCE.search(text, 0, m.start()) for m in _PERIOD.finditer(text))


# A war's toll, not an event's: tens of thousands ever, or thousands told with the war, a decade
# or a yearly rate ("a conflict which has cost El Salvador more than 70,000 lives", "1,680 rebels
# had been killed" since the war began, "520,000 deaths per year").
WAR_SCALE_ALWAYS, WAR_SCALE_WITH_CUE = 10_000, 1_000
_WAR_TOTAL_CUE = _pattern(r"\b(?:war|wars|conflict|decades?|years?|[\w-]+-year|period|since|per year|a year|annually)\b", re.I)


def is_war_total(quantity: Quantity, text: str) -> bool:
    """A count too large for one incident: the total of a war or a period (see WAR_SCALE_*)."""
    low = quantity.low if quantity.low is not None else quantity.best
    if low is None:
        return False
    return low >= WAR_SCALE_ALWAYS or (low >= WAR_SCALE_WITH_CUE and _WAR_TOTAL_CUE.search(text) is not None)


def _gate(kind: str, how: str) -> LazyPattern | None:
    """Words one pattern cannot match without: skip the (slow, list-first) pattern otherwise."""
    if how == "passive":
        words = _LX["verbs"][kind]["passive"]
    elif how == "noun":
        words = _LX["count_nouns"][kind]
    else:
        return None
    return _pattern(rf"\b{_alt(w.split()[0] for w in words)}", re.I)


_GATES = [_gate(kind, how) for kind, how, _ in _PATTERNS]

# Cheap gate: a text without any trigger word (verb, count noun, toll, "no casualties", ...)
# cannot yield a count, so the big patterns are skipped for it.
_TRIGGER_WORDS: set[str] = set()
for _k in KINDS:
    for _v in _LX["verbs"][_k]["active"] + _LX["verbs"][_k]["passive"] + _LX["count_nouns"][_k]:
        _TRIGGER_WORDS.add(_v.split()[0])
    _TRIGGER_WORDS.update(_v.split()[-1] for _v in _LX["zero_verbs"][_k])
    _TRIGGER_WORDS.update(_v.split()[0] for _v in _LX["toll_nouns"].get(_k, []))
    _TRIGGER_WORDS.update(_v.split()[-1] for _v in _LX["toll_nouns"].get(_k, []))
_TRIGGER_WORDS.update(
    [
        "casualties",
        "fatalities",
        "deaths",
        "death",
        "killings",
        "murders",
        "assassination",
        "assassinations",
        "blew",
        "blows",
        "blowing",
        "blown",
        "took",
        "taken",
        "take",
        "takes",
        "taking",
        "held",
        "holding",
        "holds",
        "hold",
        "left",
        "leaving",
        "leaves",
        "leave",
    ]
)
_TRIGGER = _pattern(rf"\b{_alt(_TRIGGER_WORDS)}\b", re.I)
_MONTH_BEFORE = _pattern(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I)
_DAY_BEFORE = _pattern(r"\b\d{1,2}\s+$")
_DAY_MONTH = _pattern(r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.I)
# "one of his associates": people beside the one already counted.
OF_COMPANIONS = _pattern(r"\bof\s+(?:his|her|their)\s+(?:associates|accomplices|aides|companions|guards|"
                           r"bodyguards|fighters|men|followers|deputies|sons|brothers|relatives)\b", re.I)
# Words that make a count new people, not a repeat: "another", "two more", "one of his associates".
_ADDITIVE = _pattern(rf"\b(?:another|other|others|additional|more(?!\s+than)|further|second|third|fourth|fifth)\b"
                       rf"|{OF_COMPANIONS.pattern}", re.I)
_TOLL_TEXT = _pattern(r"\btoll\b|\bnumber\s+of\b|\bbody\s+count\b", re.I)


# --------------------------------------------------------------------------- quantities


def _word_number(text: str) -> int | None:
    """Value of a spelled-out number ("one hundred and twelve", "two dozen"), None if invalid."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower()) if t]
    if not tokens:
        return None
    total = current = 0
    seen = False
    for i, tok in enumerate(tokens):
        if tok in ("a", "an") and i == 0:
            current, seen = 1, True
        elif tok == "and":
            if i == 0 or tokens[i - 1] not in _SCALES:
                return None
        elif tok in _UNITS:
            u = _UNITS[tok]
            if current % 100 and not (current % 10 == 0 and u < 10 and current % 100 >= 20):
                return None
            current += u
            seen = True
        elif tok in _TENS:
            if current % 100:
                return None
            current += _TENS[tok]
            seen = True
        elif tok == "hundred":
            current = (current or 1) * 100
            seen = True
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = 0
            seen = True
        elif tok == "dozen":
            current = (current or 1) * int(_LX["dozen"])
            seen = True
        else:
            return None
    return total + current if seen else None


def _number(text: str) -> int | None:
    t = text.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    if t in ("a single", "a lone", "another", "one", "a", "an", "himself", "herself"):
        return 1
    return _word_number(t)


@lru_cache(maxsize=4096)
def parse_quantity(phrase: str) -> Quantity | None:
    """Read a number phrase with ACLED/UCDP conventions (see module docstring); None if none."""
    if not phrase or not phrase.strip():
        return None
    t = re.sub(r"\s+", " ", phrase.strip().lower()).replace("–", "-")
    if t in _VAGUE:
        v = _VAGUE[t]
        return None if v is None else Quantity(v, v, None, phrase)
    qual = None
    for q in sorted(_QUAL_KIND, key=len, reverse=True):
        if t.startswith(q + " "):
            qual, t = _QUAL_KIND[q], t[len(q) + 1 :].strip()
            break
    if t in _VAGUE:
        v = _VAGUE[t]
        if v is None:
            return None
        return Quantity(v, v, None, phrase) if qual != "upper" else Quantity(None, v, v, phrase)
    low = high = None
    m = re.fullmatch(r"between (.+?) and (.+)", t) or re.fullmatch(r"(.+?)\s*(?:-| to | or )\s*(.+)", t)
    if m:
        a, b = _number(m.group(1)), _number(m.group(2))
        if a is not None and b is not None and a <= b:
            low, high = a, b
    if low is None:
        n = _number(t)
        if n is None:
            return None
        low = high = n
    if qual == "above":
        return Quantity(low + 1, low + 1, None, phrase)
    if qual in ("lower", "approx"):
        return Quantity(low, low, None, phrase)
    if qual == "upper":
        return Quantity(None, high, high, phrase)
    return Quantity(low, low, high, phrase)


def _add(qs: list[Quantity], phrase: str) -> Quantity:
    """Sum of quantities; an unknown bound anywhere makes that bound unknown."""
    lows = [q.low for q in qs]
    highs = [q.high for q in qs]
    return Quantity(
        None if any(v is None for v in lows) else sum(v for v in lows if v is not None),
        sum(q.best or 0 for q in qs),
        None if any(v is None for v in highs) else sum(v for v in highs if v is not None),
        phrase,
    )


# --------------------------------------------------------------------------- mentions


def _apposition(text: str, prev: re.Match[str], item: re.Match[str]) -> bool:
    """'the man, an IED facilitator,' / 'one, a facilitator,': an indefinite singular between commas
    right after a definite or numbered single item renames it."""
    det = (item.group("det") or "").lower()
    if det not in ("a", "an") or text[prev.end(): item.start()].strip() != ",":
        return False
    if not re.match(r"\s*,", text[item.end():]):
        return False
    before = (prev.group("det") or "").lower()
    return before in ("the", "his", "her", "their") or bool(prev.group("named")) or \
        (prev.group("num") or "").strip().lower() == "one"


def _list_quantity(text: str) -> Quantity | None:
    """Quantity of a count list ("a Taliban leader and two suspected insurgents").

    Definite items count too ("detained the leader and two of his associates" -> 3); a list of
    definite items only is a weak count (phrase "the ..."), see `total_count`.
    """
    parts: list[Quantity] = []
    prev: re.Match[str] | None = None
    for m in _ITEM_RE.finditer(text):
        if prev is not None and _apposition(text, prev, m):
            continue  # "detained the man, an IED facilitator, and three suspects": the same man
        prev = m
        if m.group("num"):
            q = parse_quantity(m.group("num"))
        elif m.group("det") and m.group("det").lower() == "the":
            q = Quantity(1, 1, 1, m.group(0))  # definite: possibly anaphoric, see total_count
        elif m.group("others"):
            q = Quantity(2, 2, None, m.group(0))  # a plural: at least two
        elif m.group("pron"):
            q = Quantity(1, 1, 1, "the " + m.group(0))  # pronoun: anaphoric, see total_count
        else:
            q = Quantity(1, 1, 1, m.group("det") or m.group("self") or m.group("named"))
        if q is not None:
            parts.append(q)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else _add(parts, text)


# "three unidentified men shot and killed the minister": a bare verb with an object after it is
# active, and the count before it is of the killers ("three soldiers killed in Borno" is passive).
_BE_AUX = _pattern(_POSTMOD + _ASIDE + r"\s+(?:\w+\s+){0,2}?(?:were|was|are|is|have|has|had|been|being|be|got|get|gets)\b",
                     re.I)  # past the same aside the passive pattern allows
_OBJECT_AFTER = _pattern(
    r"\s*(?:\d|(?:the|a|an|his|her|their|its|two|three|four|five|six|seven|eight|nine|ten|several|some|at\s+least|"
    r"dozens|scores)\b)", re.I)
_NAME_AFTER = _pattern(r"\s*(?!(?:In|On|At|By|As|After|During|Near|While|When|And|Or|For|From|With|Over|Amid|Outside|"
                         r"Inside|Across|Along|Since|Following|Before|Around)\b)[A-Z][a-z]")


def _counts_the_attackers(m: re.Match[str], group: str, text: str) -> bool:
    """The count of a passive-looking match is the subject of an active verb with an object."""
    if _BE_AUX.match(text, m.end(group), m.end()):
        return False
    return _OBJECT_AFTER.match(text, m.end()) is not None or _NAME_AFTER.match(text, m.end()) is not None


def _mention(kind: str, how: str, m: re.Match[str], text: str, offset: int) -> CountMention | None:
    if how == "zero":
        return CountMention(m.start() + offset, m.end() + offset, m.group(0), kind, Quantity(0, 0, 0, m.group(0)))
    if how == "self":
        return CountMention(m.start() + offset, m.end() + offset, m.group(0), kind, Quantity(1, 1, 1, m.group(0)))
    group = "list" if m.group("list") is not None else "list2"
    lst = m.group(group)
    ls = m.start(group)
    if how in ("active", "leave", "hostage", "death_of") and _goal_before(text, m.start()):
        return None  # "an operation to arrest a Taliban leader": a goal, not an outcome
    if (how == "passive" or how == "noun" and m.group(0).lower().endswith("ed")) and group == "list" \
            and _counts_the_attackers(m, group, text):
        return None
    if how == "death_of" and group == "list2":
        return CountMention(m.start() + offset, m.end(group) + offset, m.group(group), kind, Quantity(1, 1, 1, lst))
    month = _MONTH_BEFORE.search(text, max(0, ls - 12), ls)
    if month and re.match(r"\d", lst) and not _DAY_BEFORE.search(text, max(0, month.start() - 4), month.start()):
        return None  # "May 12 killed ..." style date, not a count ("on 23 September 28 bodies" is one)
    if _YEAR.fullmatch(lst.strip()) or _DAY_MONTH.match(lst):
        return None  # a bare year, or a date ("10 March")
    q = _list_quantity(lst)
    if q is None:
        return None
    return CountMention(m.start() + offset, m.end() + offset, m.group(0), kind, q)


# "the murder of six Jesuits and two maids": a count after a killing noun is of victims, whatever they are called.
_KILLING_OF_N = _pattern(
    rf"\b(?:deaths?|killings?|murders?|massacre|assassinations?)\s+of\s+(?:the\s+)?(?P<n1>{_NUMPHRASE})"
    rf"(?:\s+(?!and\b)[a-z][\w'’-]*){{1,2}}(?:\s+and\s+(?P<n2>{_NUMPHRASE})(?:\s+[a-z][\w'’-]*){{1,2}})?",
    re.I,
)
# One victim told without a number: a singular passive ("Galan was killed") or a possessive death
# ("his assassination", "Galan's murder"). Weak (phrase "the ..."): it may repeat a counted victim.
_ONE_VICTIM = _pattern(
    r"\b(?:was|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:killed|murdered|assassinated|shot\s+dead|"
    r"gunned\s+down|executed|slain|beheaded|stabbed\s+to\s+death)\b"
    r"|\b(?:his|her|\w+['’]s)\s+(?:assassination|murder|killing)\b",
    re.I,
)


def _victims_without_verb(text: str, offset: int) -> list[CountMention]:
    """Killings told by a noun or a singular passive: "the murder of six Jesuits and two maids" (a
    count), "Galan was killed" / "his assassination" (one victim, weak: it may repeat a counted one)."""
    out = []
    for m in _KILLING_OF_N.finditer(text):
        if _goal_before(text, m.start()) or _YEAR.fullmatch(m.group("n1").strip()):
            continue
        parts = [q for q in (parse_quantity(m.group("n1")), parse_quantity(m.group("n2") or "")) if q]
        if parts:
            q = parts[0] if len(parts) == 1 else _add(parts, m.group(0))
            out.append(CountMention(m.start() + offset, m.end() + offset, m.group(0), "killed", q))
    for m in _ONE_VICTIM.finditer(text):
        if not _goal_before(text, m.start()):
            out.append(CountMention(m.start() + offset, m.end() + offset, m.group(0), "killed",
                                    Quantity(1, 1, 1, "the " + m.group(0))))
    return out


def find_count_mentions(text: str, offset: int = 0) -> list[CountMention]:
    """Counts of people killed / injured / detained in `text`, in text order, non-overlapping.

    Spans are shifted by `offset` so a sentence's mentions carry article-body offsets. A count
    repeated in the same text (same kind, same figure) is reported once.
    """
    if not _TRIGGER.search(text):
        return []
    found: list[tuple[int, int, int, CountMention]] = []
    cumulative = is_running_total(text)
    for prio, (kind, how, rx) in enumerate(_PATTERNS):
        if cumulative and how != "toll":
            continue  # a running total over a period, not an incident count
        gate = _GATES[prio]
        if gate is not None and not gate.search(text):
            continue
        for m in rx.finditer(text):
            cm = _mention(kind, how, m, text, offset)
            if cm is not None and not is_war_total(cm.quantity, text):
                found.append((cm.start, -(cm.end - cm.start), prio, cm))
    if not cumulative and not any(cm.kind == "killed" for *_, cm in found):
        found += [(cm.start, -(cm.end - cm.start), len(_PATTERNS), cm) for cm in _victims_without_verb(text, offset)]
    found.sort(key=lambda x: (x[0], x[1], x[2]))
    out: list[CountMention] = []
    last_end = -1
    for _, _, _, cm in found:
        if cm.start < last_end:
            continue
        if any(
            o.kind == cm.kind and o.quantity.best == cm.quantity.best and not _ADDITIVE.search(cm.text) for o in out
        ):
            last_end = cm.end
            continue
        out.append(cm)
        last_end = cm.end
    return _with_standing(text, out, offset)


_SEVERAL_EVENTS = (rf"\b(?:{_QUAL}\s+)?(?:{_alt(_LX['several_quantifiers'])}|(?!(?:1[89]|20)\d\d\b)\d+)\s+"
                   rf"(?:[a-z][\w'’-]*\s+){{0,2}}?{_alt(_LX['event_plurals'])}\b")
# "two jihadist assaults killed 40 soldiers": the several events are the subject of the killing verb.
_BY_SEVERAL = _pattern(rf"{_SEVERAL_EVENTS}\s+(?:(?:have|has|had)\s+)?(?:(?:also|reportedly)\s+)?$", re.I)
# "16 people killed in two separate attacks", "detained 11 suspects during three operations".
_IN_SEVERAL = _pattern(rf"(?:\s+[\w'’-]+){{0,3}}?\s+(?:in|during|across|over|from)\s+{_SEVERAL_EVENTS}", re.I)
_PARTIAL_SOURCE = _pattern(
    rf"\b{_alt(_LX['partial_sources'])}\s+(?:[\w-]+\s+)?{_alt(_LX['source_nouns'])}\s+(?:(?:have|had)\s+)?"
    rf"{_alt(_LX['estimate_verbs'])}\b|\bothers\s+{_alt(_LX['estimate_verbs'])}\b"
    rf"|\baccording\s+to\s+{_alt(_LX['partial_sources'])}\b", re.I)
SOURCE_REACH_CHARS = 60  # a partial source this close to a count is the count's source
_PART_OPENER = _pattern(rf"\b{_alt(_LX['part_openers'])}\b", re.I)
_PART_CUE = _pattern(rf"\b{_alt(_LX['part_cues'])}\b[^.;:,]{{0,30}}$", re.I)
_NOT_BESIDE = _pattern(rf"\b{_alt(_LX['not_beside'])}\b|;", re.I)
_BESIDE_JOIN = _pattern(r"\band\b", re.I)


# "during a six-week stretch of violence that claimed the lives of more than two dozen officers": the
# toll of a period's events, told with one of them.
_BY_A_PERIOD = _pattern(r"\b(?:stretch|spate|wave|surge|period|campaign|weeks?|months?)\s+of\s+(?:[\w-]+\s+){0,2}?"
                        r"(?:violence|fighting|attacks|unrest|clashes|bloodshed)\s+(?:that|which)\s+"
                        r"(?:(?:has|have|had)\s+)?$", re.I)


def count_standing(text: str, start: int, end: int) -> str:
    """How the text stands behind the count at ``text[start:end]``: "aggregate" when it is the toll of
    several events told together, "part" when it counts some of the people of a toll told ("in one
    case", "among them" before it), "estimate" when only some sources give it, else "told"."""
    if _BY_SEVERAL.search(text, max(0, start - 80), start) or _IN_SEVERAL.match(text, end) \
            or _BY_A_PERIOD.search(text, max(0, start - 80), start):
        return "aggregate"
    if _PART_OPENER.search(text, 0, start) or _PART_CUE.search(text, max(0, start - 45), start):
        return "part"
    if _PARTIAL_SOURCE.search(text, max(0, start - SOURCE_REACH_CHARS), end + SOURCE_REACH_CHARS):
        return "estimate"
    if _APPROXIMATE.search(text, start, end):
        return "estimate"  # "killed about 30 militants": a rough figure, not a count of the dead
    return "told"


_APPROXIMATE = _pattern(r"\b(?:about|around|approximately|roughly|some|an\s+estimated)\s+\d", re.I)


# "..., the army said, adding that 17 assailants were killed": the same source goes on.
_SAME_SOURCE_GOES_ON = _pattern(r"\b(?:said|says|told\s+\w+)\s*,?\s+(?:and\s+)?adding\s+(?:that\s+)?", re.I)


def _beside(text: str, prev: CountMention, cm: CountMention, offset: int) -> bool:
    """A second count of a kind joined to the first by "and" (or by the same source "adding that") with
    nothing that makes it a part, a restatement or another source's figure: "two dead on the army's
    side and five on the attackers'"."""
    between = _SAME_SOURCE_GOES_ON.sub(" and ", text[prev.end - offset: cm.start - offset])
    return _BESIDE_JOIN.search(between) is not None and _NOT_BESIDE.search(between) is None \
        and not _TOLL_TEXT.search(cm.text)


def _with_standing(text: str, out: list[CountMention], offset: int) -> list[CountMention]:
    placed = []
    for cm in out:
        standing = count_standing(text, cm.start - offset, cm.end - offset)
        prev = next((o for o in reversed(placed) if o.kind == cm.kind), None)
        beside = prev is not None and (cm.quantity.best or 0) > 0 and (prev.quantity.best or 0) > 0 \
            and _beside(text, prev, cm, offset)
        if standing != "told" or beside:
            cm = replace(cm, quantity=replace(cm.quantity, standing=standing), beside=beside)
        placed.append(cm)
    return placed


def is_vague(q: Quantity) -> bool:
    """A figure read only from a vague word ("several", "numerous"), no number stated."""
    return _VAGUE_ONLY.search(q.phrase) is not None and _CORE_RE.search(q.phrase) is None


def _same_count(a: CountMention, b: CountMention) -> bool:
    """Same figure twice in one incident: read as the same count repeated (lead + body).

    Comparing head nouns as well ("insurgents" vs "leader") was tried and agreed less with
    the ISAF labels: releases name the same people differently in the lead and the body.
    """
    return a.quantity.best == b.quantity.best


def total_count(mentions: list[CountMention], kind: str) -> Quantity | None:
    """Combine one incident's mentions of `kind` into one figure without double counting.

    Rules, in order: (1) a toll ("death toll rose to 12") is the total: the largest toll wins;
    (2) definite singulars ("the leader was captured") count only when nothing else of the kind
    does; (3) a vague figure ("several insurgents") gives way to a stated one at least as
    large ("killed four insurgents"): the vague one summarises the same people; (4) a figure equal to one already counted is the same count repeated, unless its
    text marks it as additional ("two others", "another"); (5) the rest are summed. Only zero
    counts ("no one was killed") give 0; no mention gives None.
    """
    ms = [m for m in mentions if m.kind == kind and m.quantity.best is not None]
    if not ms:
        return None
    positive = [m for m in ms if (m.quantity.best or 0) > 0]
    if not positive:
        return Quantity(0, 0, 0, "; ".join(m.quantity.phrase for m in ms))
    tolls = [m for m in positive if _TOLL_TEXT.search(m.text)]
    if tolls:
        best = max(tolls, key=lambda m: m.quantity.best or 0)
        return best.quantity
    strong = [m for m in positive if not m.quantity.phrase.lower().startswith("the ")]
    use = strong or positive[:1]
    top_exact = max((m.quantity.best or 0 for m in use if not is_vague(m.quantity)), default=0)
    use = [m for m in use if not (is_vague(m.quantity) and (m.quantity.best or 0) <= top_exact)]
    kept: list[CountMention] = []
    for m in use:
        if not _ADDITIVE.search(m.text) and any(_same_count(k, m) for k in kept):
            continue
        kept.append(m)
    if len(kept) == 1:
        return kept[0].quantity
    return _add([m.quantity for m in kept], "; ".join(m.quantity.phrase for m in kept))
