"""Date reading for news text: datelines, publication dates and date mentions.

What belongs here: turning date *expressions* in article text into resolved intervals
(``DateMention``), reading the dateline at the top of a wire/press text (``Dateline``),
deciding an article's publication date (``PublicationDate``), and collapsing mentions into one
event interval. Everything is a pure function over strings and ``datetime.date``: no I/O, no
spaCy, no Dagster, no network. Which mention belongs to which incident is decided elsewhere.

Design: precompiled regexes over a small built-in lexicon (months, weekdays, number words), so
the module is fast and predictable on both mixed-case news and ALL-CAPS wire text (MUC/FBIS).
Conventions follow ACLED/UCDP coding: an interval plus a precision (day | week | month | year);
relative and year-less expressions are never resolved to a day after the reference date.
"""

from __future__ import annotations

import bisect
import calendar
import re
from datetime import date, timedelta

from pipeline.extraction.records import Dateline, DateMention, PublicationDate

__all__ = [
    "EARLIEST_PUBLICATION",
    "date_stamp",
    "find_date_mentions",
    "header_publication_date",
    "implausible_publication_date",
    "parse_dateline",
    "resolve_event_interval",
    "resolve_publication_date",
]

# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------

_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = frozenset(calendar.month_name[i].lower() for i in range(1, 13))
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar"})  # modal verb / a march / to march
_WEEKDAY_NUM = {calendar.day_name[i].lower(): i for i in range(7)}  # monday=0
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
# Words that, right before "May", make it the modal verb ("they May 5..." in wire caps is rare,
# "IT MAY 10" is not a date).
_MAY_SUBJECTS = frozenset(
    [
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "who",
        "which",
        "that",
        "this",
        "there",
        "what",
        "one",
    ]
)
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

# --------------------------------------------------------------------------------------------
# Regex building blocks (all compiled once, case-insensitive)
# --------------------------------------------------------------------------------------------

_FULL = "january|february|march|april|may|june|july|august|september|october|november|december"
_ABBR = "jan|febr|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
_MONTH = rf"(?:(?:{_FULL})\b|(?:{_ABBR})(?:\.|\b))"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_YEAR4 = r"(?:19\d\d|20\d\d|2100)"
_ORD = r"(?:st|nd|rd|th)?"
_NOT_NUM_BEFORE = r"(?<![\w.,:/\-])"
_NOT_NUM_AFTER = r"(?![\d]|[.,:/]\d)"
_MAY_VERB = (
    r"(?!(?<=may)\s+(?:be|have|not|also|well|never|still|soon|take|make|get|come|go|need|prove|face|"
    r"become|lead|seek|want|try|help|do|continue|affect|include|cause|result|use|give)\b)"
)
_I = re.IGNORECASE

_ISO_RE = re.compile(r"(?<![\w\-])(?P<y>(?:19|20)\d\d)-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w\-])")
_MDY_RE = re.compile(
    rf"\b(?:{_WD},?\s+)?(?P<mon>{_MONTH})\s*(?P<d>\d{{1,2}}){_ORD}{_NOT_NUM_AFTER}"
    rf"(?:\s*[-–]\s*(?P<d2>\d{{1,2}}){_ORD}{_NOT_NUM_AFTER})?"
    rf"(?:(?:,\s*|\s+)(?P<y>{_YEAR4})(?!\d))?",
    _I,
)
_DMY_RE = re.compile(
    rf"(?:\b{_WD},?\s+)?{_NOT_NUM_BEFORE}(?P<d>\d{{1,2}}){_ORD}"
    rf"(?:\s*[-–]\s*(?P<d2>\d{{1,2}}){_ORD})?\s+(?:of\s+)?(?P<mon>{_MONTH}){_MAY_VERB}"
    rf"(?:,?\s+(?P<y>{_YEAR4})(?!\d)|\s+(?P<yy>\d\d)(?![\w,.]))?",
    _I,
)
_MY_RE = re.compile(
    rf"\b(?:(?P<part>early|mid|late)[\s\-]+)?(?P<mon>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR4})(?!\d)",
    _I,
)
_MONTH_ONLY_RE = re.compile(
    r"\b(?:(?P<pre>in|during|since|until|till|by|from|of|last|this|next|early|late|mid|before|"
    r"after|through|throughout|between|and|or)[\s\-]+|(?P<mid>mid-))?"
    rf"(?P<mon>{_FULL}|(?:{_ABBR})\.)(?![\w\-])"
    r"(?P<post>\s+(?:of\s+)?(?:last|this|next)\s+year)?",
    _I,
)
_YEAR_RE = re.compile(
    r"\b(?P<pre>in|during|since|of|by|until|till|from|through|throughout|before|after|early|"
    r"late|mid|between|and|for)[\s\-]+(?:the\s+year\s+)?"
    rf"(?P<y>{_YEAR4})(?![\d\-]|[.,:/]\d)"
    r"(?!\s*(?:hours|hrs|gmt|utc|local\b|[a-z]+s\b|people|men|women|police|personnel|strong))",
    _I,
)
_REL_RE = re.compile(
    r"\b(?:(?P<dby>the\s+day\s+before\s+yesterday)"
    r"|(?P<yest>yesterday(?:\s+(?:morning|afternoon|evening|night))?|last\s+night)"
    r"|(?P<today>(?:earlier\s+|later\s+)?today|this\s+(?:morning|afternoon|evening)|tonight|overnight)"
    r"|(?P<thisweek>(?:earlier\s+)?this\s+week)"
    r"|(?P<lastweekend>last\s+weekend)"
    r"|(?P<lastweek>last\s+week)"
    r"|(?P<thismonth>(?:earlier\s+)?this\s+month)"
    r"|(?P<lastmonth>last\s+month)"
    r"|(?P<thisyear>(?:earlier\s+)?this\s+year)"
    r"|(?P<lastyear>last\s+year)"
    rf"|(?P<ago>(?P<n>\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})\s+"
    r"(?P<unit>day|week|month|year)s?\s+ago))\b",
    _I,
)
_WEEKDAY_RE = re.compile(
    r"\b(?:(?P<pre>on|last|this|next|coming|early|late|earlier)\s+)?"
    rf"(?P<wd>{_WD})(?:['’]s)?(?:\s+(?:morning|afternoon|evening|night))?\b",
    _I,
)

# Dateline: at the start of a line, PLACE then a date in parentheses (ISAF), or ", DATE" with an
# optional source (wire: MUC/AP), or a wire source only ("KABUL (Reuters) -").
_DL_DATE = (
    r"(?:[A-Za-z]{3,9}\.?\s?\d{1,2}(?:,?\s\d{4}|\s\d\d)?"
    r"|\d{1,2}\s[A-Za-z]{3,9}\.?(?:\s\d{4}|\s\d\d)?"
    r"|[A-Za-z]{3,9}\.?\s\d{4})"
)
_DL_WORD = r"[A-Z][A-Za-z.'’\-]*"
_DATELINE_RE = re.compile(
    rf"^[^\S\n]*(?P<place>(?P<city>{_DL_WORD}(?:[ ]{_DL_WORD}){{0,3}})"
    r"(?:[ ]\([A-Z][A-Za-z .]{1,30}\))?"
    rf"(?:,[ ]?(?!NO[ ]DATE){_DL_WORD}(?:[ ]{_DL_WORD}){{0,2}})?)"
    r"(?:"
    rf"[^\S\n]*\([^\S\n]*(?P<pdate>{_DL_DATE})[^\S\n]*\)(?:[^\S\n]*(?:--?|[—–]))?"
    rf"|,[^\S\n]*(?P<cdate>{_DL_DATE}|NO[ ]DATE)[^\S\n]*(?:(?:[(\[][^\n]{{1,70}}?[)\]])?"
    r"\s*(?:--?|[—–])"
    # "Baghdad, Jan 21 (AFP) Jan 21, 2022" on a line of its own: a wire's source ends it, no dash
    r"|\((?P<wire>[A-Za-z][A-Za-z .&/\-]{0,40})\)[^\n]*$)"
    r"|[^\S\n]*\((?P<src>[A-Za-z][A-Za-z .&/\-]{0,40})\)[^\S\n]*(?:--?|[—–])"
    r")",
    re.MULTILINE,
)
# "BOGOTA — Four people died …": a city in capitals, maybe its country, and a dash, no date or source
_DL_CAPS = r"[A-Z][A-Z.'’\-]+"
_BARE_DATELINE_RE = re.compile(
    rf"^[^\S\n]*(?P<place>(?P<city>{_DL_CAPS}(?:[ ]{_DL_CAPS}){{0,3}})(?:,[ ]?{_DL_WORD}(?:[ ]{_DL_WORD}){{0,2}})?)"
    r"[^\S\n]+(?:--?|[—–])[^\S\n]",
    re.MULTILINE,
)
_DL_MD_RE = re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s?(?P<d>\d{1,2})(?:,?\s(?P<y>\d{4}|\d\d))?$")
_DL_DM_RE = re.compile(r"(?P<d>\d{1,2})\s(?P<mon>[A-Za-z]{3,9})\.?(?:\s(?P<y>\d{4}|\d\d))?$")
_DL_MY_RE = re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s(?P<y>\d{4})$")
_WIRE_SOURCES = frozenset(
    [
        "reuters",
        "ap",
        "afp",
        "efe",
        "dpa",
        "xinhua",
        "upi",
        "ani",
        "ians",
        "pti",
        "anadolu",
        "sana",
        "irna",
        "tass",
        "itar-tass",
        "bloomberg",
        "aa",
        "kyodo",
        "yonhap",
        "ips",
        "cnn",
        "bbc",
    ]
)
_NOT_PLACE_START = frozenset(
    {
        "on",
        "in",
        "the",
        "for",
        "download",
        "news",
        "release",
        "at",
        "by",
        "from",
        "and",
        "a",
    }
)
_MONTH_WORD_RE = re.compile(_MONTH, _I)
_FUTURE_CUE_RE = re.compile(
    r"\b(?:will|would|shall|scheduled|planned|plans?|expected|due|upcoming|next|until|till|by|"
    r"before|after|beyond|must|going\s+to|intends?|ahead\s+of|deadline)\b",
    _I,
)
_RELEASE_NO_RE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0?[1-9]|1[0-2])-[A-Z]{1,3}[-–]\d{2,4}\b")
_DATELINE_WINDOW = 400
# Publication dates are plausible from here to the day after the build: older "news" is a typo
# or a history text (and pandas' datetime64[ns] ends in 1677), later is not yet published.
EARLIEST_PUBLICATION = date(1900, 1, 1)
# Characters of the body read when the publication date must be inferred from the text: the
# latest dates a report states are near its top, and a 30 MB text must not cost minutes.
_INFER_WINDOW = 100_000


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _month_of(token: str) -> int | None:
    """Map a month token ("Sept.", "AUG", "january") to 1-12; None when it is not a month."""
    key = token.rstrip(".").lower()
    if key not in _FULL_MONTHS and key not in _ABBR.split("|"):
        return None
    return _MONTH_NUM.get(key[:3])


def _is_abbrev(token: str) -> bool:
    return token.rstrip(".").lower() not in _FULL_MONTHS


def _month_allowed(token: str, anchored: bool, context: bool) -> bool:
    """Keep "May"/"March" only where they cannot be the verb/noun.

    anchored: next to a day number or a year; context: after a date preposition ("in May").
    Lower-case ambiguous tokens never count; ALL-CAPS ones need a number next to them.
    """
    key = token.rstrip(".").lower()
    if key not in _AMBIGUOUS_MONTHS:
        return True
    if token.islower():
        return False
    if anchored:
        return True
    return context and not token.isupper()


def _two_digit_year(yy: int) -> int:
    """Wire-style 2-digit years: 30-99 -> 19xx, 00-29 -> 20xx."""
    return 1900 + yy if yy >= 30 else 2000 + yy


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _yearless_day(m: int, d: int, ref: date) -> date | None:
    """A day without year: the reference year, or the year before if that would be later."""
    cand = _safe_date(ref.year, m, d)
    if cand is None or cand > ref:
        cand = _safe_date(ref.year - 1, m, d)
    return cand


def _latest_month(m: int, ref: date, strictly_before: bool) -> tuple[int, int]:
    """(year, month) of the most recent month m, not after (or strictly before) ref's month."""
    if m < ref.month or (m == ref.month and not strictly_before):
        return ref.year, m
    return ref.year - 1, m


def _range_precision(start: date, end: date) -> str:
    """ACLED-style precision of a day range: a range of up to a week is 'week'."""
    if start == end:
        return "day"
    days = (end - start).days
    return "week" if days <= 7 else "month" if days <= 31 else "year"


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"(\w+)\W*$", text[max(0, pos - 20) : pos])
    return m.group(1).lower() if m else ""


# --------------------------------------------------------------------------------------------
# Mention finders: each yields (start, end, DateMention) for accepted matches
# --------------------------------------------------------------------------------------------

_Cand = tuple[int, int, DateMention]


def _mk(text: str, s: int, e: int, off: int, a: date, b: date, prec: str, rel: bool) -> _Cand:
    return s, e, DateMention(off + s, off + e, text[s:e], a, b, prec, rel)


def _day_or_range(
    text: str, m: re.Match[str], off: int, mon: int, d: int, d2: int | None,
    year: int | None, ref: date | None, end: int,
) -> _Cand | None:  # fmt: skip
    """Build a day (or day-range) mention; year-less days are resolved against ref."""
    s = m.start()
    if year is not None:
        a = _safe_date(year, mon, d)
        b = _safe_date(year, mon, d2) if d2 else a
        rel = False
    else:
        if ref is None:
            return None
        b = _yearless_day(mon, d2, ref) if d2 else None
        a = _yearless_day(mon, d, b if b else ref)
        if d2 is None:
            b = a
        rel = True
    if a is None or b is None or b < a:
        return None
    return _mk(text, s, end, off, a, b, _range_precision(a, b), rel)


def _iter_iso(text: str, ref: date | None, off: int) -> list[_Cand]:
    out = []
    for m in _ISO_RE.finditer(text):
        dd = _safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
        if dd:
            out.append(_mk(text, m.start(), m.end(), off, dd, dd, "day", False))
    return out


def _iter_mdy(text: str, ref: date | None, off: int) -> list[_Cand]:
    out = []
    for m in _MDY_RE.finditer(text):
        tok = m["mon"]
        mon = _month_of(tok)
        if mon is None or not _month_allowed(tok, True, False):
            continue
        if tok.rstrip(".").lower() == "may" and _prev_word(text, m.start("mon")) in _MAY_SUBJECTS:
            continue
        d2 = int(m["d2"]) if m["d2"] else None
        year = int(m["y"]) if m["y"] else None
        c = _day_or_range(text, m, off, mon, int(m["d"]), d2, year, ref, m.end())
        if c:
            out.append(c)
    return out


def _iter_dmy(text: str, ref: date | None, off: int) -> list[_Cand]:
    out = []
    for m in _DMY_RE.finditer(text):
        tok = m["mon"]
        mon = _month_of(tok)
        if mon is None or not _month_allowed(tok, True, False):
            continue
        end = m.end()
        year = None
        if m["y"]:
            year = int(m["y"])
        elif m["yy"]:
            if _is_abbrev(tok):  # "25 AUG 88"; "6 January 12 people..." is not a year
                year = _two_digit_year(int(m["yy"]))
            else:
                end = m.end("mon")
        d2 = int(m["d2"]) if m["d2"] else None
        c = _day_or_range(text, m, off, mon, int(m["d"]), d2, year, ref, end)
        if c:
            out.append(c)
    return out


def _iter_month_year(text: str, ref: date | None, off: int) -> list[_Cand]:
    out = []
    for m in _MY_RE.finditer(text):
        tok = m["mon"]
        mon = _month_of(tok)
        if mon is None or not _month_allowed(tok, True, False):
            continue
        y = int(m["y"])
        out.append(_mk(text, m.start(), m.end(), off, date(y, mon, 1), _month_end(y, mon),
                       "month", False))  # fmt: skip
    return out


def _iter_month_only(text: str, ref: date | None, off: int) -> list[_Cand]:
    out = []
    if ref is None:
        return out
    for m in _MONTH_ONLY_RE.finditer(text):
        tok = m["mon"]
        mon = _month_of(tok)
        pre = (m["pre"] or "").lower()
        post = (m["post"] or "").lower()
        context = bool(pre or m["mid"] or post)
        if mon is None or not _month_allowed(tok, False, context):
            continue
        if _is_abbrev(tok) and not context:
            continue
        if not context and not tok.isupper() and re.match(r"\s+[A-Z][a-z]", text[m.end() :]):
            continue  # "June Almeida", "August Wilson": a first name, not a month
        if pre == "next" or "next" in post:
            continue
        if "last year" in post:
            y = ref.year - 1
        elif "this year" in post:
            y = ref.year
        else:
            y, _ = _latest_month(mon, ref, strictly_before=(pre == "last"))
        a = date(y, mon, 1)
        if a > ref:
            continue
        b = min(_month_end(y, mon), ref)
        s = m.start() if pre in ("last", "early", "late", "mid") or m["mid"] else m.start("mon")
        out.append(_mk(text, s, m.end(), off, a, b, "month", True))
    return out


def _iter_year(text: str, ref: date | None, off: int) -> list[_Cand]:
    out = []
    for m in _YEAR_RE.finditer(text):
        y = int(m["y"])
        s = m.start("y") if m["pre"].lower() not in ("early", "late", "mid") else m.start()
        out.append(_mk(text, s, m.end(), off, date(y, 1, 1), date(y, 12, 31), "year", False))
    return out


def _iter_relative(text: str, ref: date | None, off: int) -> list[_Cand]:
    out: list[_Cand] = []
    if ref is None:
        return out
    for m in _REL_RE.finditer(text):
        kind = m.lastgroup
        s, e = m.start(), m.end()
        if kind == "dby":
            a = b = ref - timedelta(days=2)
            p = "day"
        elif kind == "yest":
            a = b = ref - timedelta(days=1)
            p = "day"
        elif kind == "today":
            a = b = ref
            p = "day"
        elif kind == "thisweek":
            a, b, p = ref - timedelta(days=ref.weekday()), ref, "week"
        elif kind == "lastweek":
            a = ref - timedelta(days=ref.weekday() + 7)
            b, p = a + timedelta(days=6), "week"
        elif kind == "lastweekend":
            b = ref - timedelta(days=ref.weekday() + 1)
            a, p = b - timedelta(days=1), "week"
        elif kind == "thismonth":
            a, b, p = ref.replace(day=1), ref, "month"
        elif kind == "lastmonth":
            y, mo = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
            a, b, p = date(y, mo, 1), _month_end(y, mo), "month"
        elif kind == "thisyear":
            a, b, p = date(ref.year, 1, 1), ref, "year"
        elif kind == "lastyear":
            a, b, p = date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), "year"
        else:  # "N units ago"
            raw = m["n"].lower()
            n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
            unit = m["unit"].lower()
            if unit == "day":
                a = b = ref - timedelta(days=n)
                p = "day"
            elif unit == "week":
                mid = ref - timedelta(days=7 * n)
                a = mid - timedelta(days=mid.weekday())
                b, p = min(a + timedelta(days=6), ref), "week"
            elif unit == "month":
                k = ref.year * 12 + ref.month - 1 - n
                y, mo = divmod(k, 12)
                a, b, p = date(y, mo + 1, 1), _month_end(y, mo + 1), "month"
            else:
                y = ref.year - n
                a, b, p = date(y, 1, 1), date(y, 12, 31), "year"
        out.append(_mk(text, s, e, off, a, b, p, True))
    return out


def _iter_weekday(text: str, ref: date | None, off: int, weekdays: str = "last") -> list[_Cand]:
    """A weekday is the last such day up to the reference ("Monday" read on a Wednesday).

    ``weekdays="nearest"``: the reference is only a floor (a publication day inferred from the
    latest date the text mentions, so the text was written that day or later) and the weekday is
    the one nearest it: "Monday" beside "Sunday, Oct. 25" is the 26th, not six days before.
    ``"none"``: no day can be named (the floor is a month or a year).
    """
    out: list[_Cand] = []
    if ref is None or weekdays == "none":
        return out
    for m in _WEEKDAY_RE.finditer(text):
        pre = (m["pre"] or "").lower()
        if pre in ("next", "this", "coming"):
            continue  # likely future: never resolved after the reference date
        back = (ref.weekday() - _WEEKDAY_NUM[m["wd"].lower()]) % 7
        if back == 0 and pre == "last":
            back = 7
        if weekdays == "nearest" and pre != "last" and back > 7 - back:
            back -= 7  # the next such day is nearer the floor than the last one
        d = ref - timedelta(days=back)
        s = m.start() if pre == "last" else m.start("wd")
        out.append(_mk(text, s, m.end(), off, d, d, "day", True))
    return out


_FINDERS = (
    _iter_iso,
    _iter_mdy,
    _iter_dmy,
    _iter_month_year,
    _iter_month_only,
    _iter_year,
    _iter_relative,
)  # then _iter_weekday, which also needs to know how to read weekdays
# Cheap gate: a sentence with no digit and no date word cannot hold a date mention.
_GATE_RE = re.compile(
    rf"\d|{_MONTH}|{_WD}|\b(?:today|tonight|overnight|yesterday|this|last|ago)\b",
    _I,
)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


_STREET_AFTER_RE = re.compile(r"\s+(?:avenue|street|boulevard|square|plaza|road|bridge|highway|stadium)\b", re.I)


def find_date_mentions(text: str, reference: date | None, offset: int = 0,
                       weekdays: str = "last") -> list[DateMention]:
    """All date expressions in ``text``, resolved against ``reference`` (publication date).

    Returned in order of appearance, non-overlapping (longest match wins), spans shifted by
    ``offset`` so they are article-body offsets. Without a reference only explicit dates
    (with a year) are returned, since year-less and relative ones cannot be anchored.
    ``weekdays``: how a weekday is read against the reference (see ``_iter_weekday``).
    """
    if not text or not _GATE_RE.search(text):
        return []
    cands: list[_Cand] = []
    for finder in _FINDERS:
        cands.extend(finder(text, reference, offset))
    cands.extend(_iter_weekday(text, reference, offset, weekdays))
    if not cands:
        return []
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest first, then leftmost
    # Taken spans never overlap, so sorted by start they are sorted by end too: a candidate
    # overlaps one iff it overlaps its neighbours by start (bisect), not any of thousands.
    taken: list[_Cand] = []
    starts: list[int] = []
    for c in cands:
        i = bisect.bisect_right(starts, c[0])
        if (i > 0 and taken[i - 1][1] > c[0]) or (i < len(taken) and taken[i][0] < c[1]):
            continue
        starts.insert(i, c[0])
        taken.insert(i, c)
    # "1 May Avenue", "9 de Julio Street": a date that names a street is no date; nor does one
    # quoted before a capitalised name ('the "9 May" People's Liberation Forces')
    return [c[2] for c in taken if not _STREET_AFTER_RE.match(text, c[2].end - offset)
            and not _quoted_name(text, c[2].start - offset, c[2].end - offset)]


_QUOTES = "\"'“”‘’"
_NAME_AFTER_QUOTE_RE = re.compile(r"[^\S\n]*[A-Z]")


def _quoted_name(text: str, start: int, end: int) -> bool:
    """A date standing alone in quotation marks and followed by a capitalised word names something."""
    return 0 < start and end < len(text) and text[start - 1] in _QUOTES and text[end] in _QUOTES \
        and _NAME_AFTER_QUOTE_RE.match(text, end + 1) is not None


def _dateline_parts(
    body: str,
) -> tuple[re.Match[str], int | None, int | None, int | None] | None:
    """The first dateline match in the head of ``body`` with its (year, month, day) parts.

    Parts are None when absent ("KABUL (Reuters) -", "NO DATE", "(Sept. 4)" has no year).
    """
    head = body[: _DATELINE_WINDOW + 120]
    for m in _DATELINE_RE.finditer(head):
        if m.start("place") >= _DATELINE_WINDOW:
            break
        city = m["city"]
        first = city.split()[0].rstrip(".,").lower()
        if first in _NOT_PLACE_START or first in _WEEKDAY_NUM or _month_of(first) is not None:
            continue
        if m["wire"] is not None and m["wire"].strip().lower() not in _WIRE_SOURCES:
            continue
        raw = m["pdate"] or m["cdate"]
        if raw is None:  # "KABUL (Reuters) -": a wire source, no date
            src = m["src"].strip().lower()
            if src in _WIRE_SOURCES or (city.isupper() and len(city) >= 3):
                return m, None, None, None
            continue
        if raw == "NO DATE":
            return m, None, None, None
        parts = _parse_dateline_date(raw)
        if parts is None:
            continue
        return (m, *parts)
    for m in _BARE_DATELINE_RE.finditer(head):
        if m.start("place") >= _DATELINE_WINDOW:
            break
        first = m["city"].split()[0].rstrip(".,").lower()
        if len(m["city"]) >= 3 and first not in _NOT_PLACE_START and _month_of(first) is None:
            return m, None, None, None
    return None


def _parse_dateline_date(raw: str) -> tuple[int | None, int, int | None] | None:
    """(year, month, day) of a dateline date string; None when it is not a date."""
    for rx in (_DL_MD_RE, _DL_DM_RE, _DL_MY_RE):
        dm = rx.match(raw)
        if not dm:
            continue
        mon = _month_of(dm["mon"])
        if mon is None:
            return None
        gd = dm.groupdict()
        day = int(gd["d"]) if gd.get("d") else None
        y = gd.get("y")
        year = None if y is None else int(y) if len(y) == 4 else _two_digit_year(int(y))
        if day is not None and not 1 <= day <= 31:
            return None
        return year, mon, day
    return None


def parse_dateline(body: str, year_hint: int | None = None) -> Dateline | None:
    """The dateline in the first ~400 characters of an article body, or None.

    Handles ISAF ("KABUL, Afghanistan (Jan. 25, 2013) -"), wire caps ("LIMA, 20 AUG 88 (EFE)
    --") and AP/Reuters styles. A year-less date takes ``year_hint``, else the year of a
    release number printed above it ("2010-08-CA-043"); with no year the date is None.
    """
    found = _dateline_parts(body)
    if found is None:
        return None
    m, year, mon, day = found
    place = re.sub(r"\s+", " ", m["place"]).strip()
    place_text = None if place.upper().startswith("NO CITY") else place
    dl_date: date | None = None
    precision = "unknown"
    if mon is not None:
        if year is None:
            year = year_hint
        if year is None:
            rel = _RELEASE_NO_RE.search(body, 0, m.start())
            if rel:
                # A December release number with a January dateline is next year's.
                year = int(rel["y"]) + (int(rel["m"]) == 12 and mon == 1)
        if year is not None:
            dl_date = _safe_date(year, mon, day or 1)
            if dl_date is not None:
                precision = "day" if day else "month"
    s = m.start("place")
    return Dateline(s, m.end(), body[s : m.end()], place_text, dl_date, precision)


def _forward_looking(text: str, m: DateMention) -> bool:
    """True when the words just before a mention point ahead ("elections due in 2024")."""
    before = text[max(0, m.start - 80) : m.start]
    before = re.split(r"[.!?;\n]", before)[-1]
    return _FUTURE_CUE_RE.search(before) is not None


def _infer_from_text(body: str, year_hint: int | None, latest: date | None = None) -> tuple[date, str] | None:
    """Latest plausible date the text mentions; year-less days take the latest explicit year seen.

    Forward-looking mentions ("will be held in October 2023") are ignored: they say nothing
    about when the text was written; nor are dates outside the publication window.
    """
    explicit = [mm for mm in find_date_mentions(body, None) if not _forward_looking(body, mm)]
    years = [mm.date_start.year for mm in explicit]
    if year_hint is not None:
        years.append(year_hint)
    cands = list(explicit)
    if years:
        # Year-less days: resolve against the last day of the latest explicit year.
        anchor = date(max(years), 12, 31)
        for mm in find_date_mentions(body, anchor):
            if (
                mm.relative
                and mm.precision == "day"
                and _MONTH_WORD_RE.search(mm.text)
                and not _forward_looking(body, mm)
            ):
                cands.append(mm)
    cands = [mm for mm in cands if implausible_publication_date(mm.date_start, latest) is None]
    if not cands:
        return None
    best = max(cands, key=lambda mm: (mm.date_start, -_PRECISION_RANK[mm.precision]))
    return best.date_start, best.precision


def implausible_publication_date(d: date, latest: date | None = None) -> str | None:
    """Why ``d`` cannot be a publication date (outside 1900-01-01 … ``latest``), or None when it can."""
    if d < EARLIEST_PUBLICATION:
        return f"{d.isoformat()} is before {EARLIEST_PUBLICATION.isoformat()}"
    if latest is not None and d > latest:
        return f"{d.isoformat()} is after {latest.isoformat()}, the day after the build"
    return None
# What a publication stamp carries besides its date: the stamp's verb, times, time zones and
# separators ("Published: 12 March 2024", "Updated 3:45 PM GMT, March 12, 2024 | 2 min read").
_STAMP_REST_RE = re.compile(
    r"\b(?:first\s+)?(?:published|updated|last\s+updated|posted|modified|created|date[d]?)\b|\b(?:on|at)\b|"
    r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\b|\b[ap]\.?m\b\.?|\b\d+\s+(?:mins?|minutes?|hours?|hrs?)\s+(?:read|ago)\b|"
    r"\b(?:GMT|UTC|BST|CET|CEST|EAT|WAT|CAT|EST|EDT|PST|PDT|IST|PKT|AST|local\s+time)\b(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|"
    r"[\s|,:;/()\-\u2013\u2014\u2022\u00b7]",
    _I,
)
_STAMP_PUBLISHED_RE = re.compile(r"^\W*(?:first\s+)?(?:published|posted|dated?)\b", _I)
_STAMP_MAX_CHARS = 90  # a stamp is a short line; a sentence that names a date is no stamp
_HEAD_STAMP_LINES = 15  # a page's publication stamp sits in its first lines


def date_stamp(line: str) -> DateMention | None:
    """The date of a line that is nothing but a publication stamp, else None.

    "Published: 12 March 2024", "Updated 3:45 PM GMT, March 12, 2024", "March 12, 2024 at
    10:05 am" and "13 February 2022" are stamps; "Baghdad, Jan 21 (AFP)" and any sentence are
    not. The stamp's date must be one full day with its year (a stamp never needs a reference).
    """
    text = line.strip()
    if not text or len(text) > _STAMP_MAX_CHARS:
        return None
    days = [mm for mm in find_date_mentions(text, None) if mm.precision == "day" and not mm.relative]
    if not days:
        return None
    rest = list(text)
    for mm in find_date_mentions(text, None):
        rest[mm.start : mm.end] = [" "] * (mm.end - mm.start)
    leftover = _STAMP_REST_RE.sub("", "".join(rest))
    leftover = "".join(w for w in re.split(r"\s+", leftover)
                       if not any(d.startswith(w.lower().rstrip(".")) and len(w) >= 3 for d in _WEEKDAY_NUM))
    return days[0] if not leftover else None


def line_offsets(body: str):
    """(offset, line) for each line of ``body`` as ``split("\\n")`` gives them, lazily: a caller that
    reads only the head of a huge text splits only that."""
    pos = 0
    while pos <= len(body):
        end = body.find("\n", pos)
        end = len(body) if end < 0 else end
        yield pos, body[pos:end]
        pos = end + 1


def header_publication_date(body: str) -> DateMention | None:
    """The publication stamp among the first lines of a web page, when there is one.

    A "Published"/"Posted" stamp wins over an "Updated" one (the page was first put out then);
    otherwise the first stamp counts. Offsets are those of the body.
    """
    found: list[tuple[bool, DateMention]] = []
    seen = 0
    for start, line in line_offsets(body):
        if not line.strip():
            continue
        seen += 1
        if seen > _HEAD_STAMP_LINES:
            break
        mm = date_stamp(line)
        if mm is not None:
            lead = len(line) - len(line.lstrip())
            at = start + lead
            found.append((bool(_STAMP_PUBLISHED_RE.match(line)),
                          DateMention(at + mm.start, at + mm.end, mm.text, mm.date_start, mm.date_end, mm.precision)))
    if not found:
        return None
    published = [mm for is_pub, mm in found if is_pub]
    return (published or [found[0][1]])[0]


def resolve_publication_date(
    front_matter_published: date | None, body: str, year_hint: int | None = None, latest: date | None = None
) -> PublicationDate:
    """The article's publication date and where it came from.

    Order: front matter > dateline date > a publication stamp line at the head of a web page
    ("Published: 12 March 2024", source "dateline": a date the page states) > latest date
    mentioned in the text (source "text", an inference) > unknown. A year-less dateline day with
    no hint takes the latest explicit year in the text. A date before 1900 or after ``latest`` (the
    caller's "tomorrow") is no publication date and is passed over, whichever source states it;
    the text inference reads at most the first ``_INFER_WINDOW`` characters, so a huge text costs
    bounded time.
    """
    if front_matter_published is not None and implausible_publication_date(front_matter_published, latest) is None:
        return PublicationDate(front_matter_published, "front_matter", "day")
    if year_hint is None:
        rel = _RELEASE_NO_RE.search(body, 0, _DATELINE_WINDOW)
        year_hint = int(rel["y"]) if rel else None
    dl = parse_dateline(body, year_hint)
    if dl is not None and dl.date is not None:
        if implausible_publication_date(dl.date, latest) is None:
            return PublicationDate(dl.date, "dateline", dl.precision)
    stamp = header_publication_date(body)
    if stamp is not None and implausible_publication_date(stamp.date_start, latest) is None:
        return PublicationDate(stamp.date_start, "dateline", "day")
    if dl is not None and dl.date is None:
        found = _dateline_parts(body)
        if found is not None and found[2] is not None:
            explicit = find_date_mentions(body[dl.end : _INFER_WINDOW], None)
            if explicit:
                y = max(mm.date_start.year for mm in explicit)
                day = found[3]
                d = _safe_date(y, found[2], day or 1)
                if d is not None and implausible_publication_date(d, latest) is None:
                    return PublicationDate(d, "dateline", "day" if day else "month")
    inferred = _infer_from_text(body[:_INFER_WINDOW], year_hint, latest)
    if inferred is not None:
        return PublicationDate(inferred[0], "text", inferred[1])
    return PublicationDate(None, "unknown", "unknown")


# A compilation of daily releases opens each part with its day: a title line "July 7: ISAF
# Operations in Balkh, Kandahar" or a further ISAF dateline "KABUL, Afghanistan (July 9) -".
_SECTION_TITLE_RE = re.compile(
    rf"^[^\S\n]*(?:-+[^\S\n]*)?(?P<mon>{_MONTH})[^\S\n]?(?P<d>\d{{1,2}}):[^\S\n]+\S", re.MULTILINE | _I)


def section_dates(body: str, published: date | None) -> list[tuple[int, date]]:
    """(offset, day) of each dated part of a compilation, in text order.

    Relative words in a part ("last night", "today") count from that part's day, not from the
    compilation's publication date. A part's day takes the publication year (the year before
    when it would fall after publication). Empty without a publication date.
    """
    if published is None:
        return []
    found: list[tuple[int, date]] = []
    for m in _SECTION_TITLE_RE.finditer(body):
        mon = _month_of(m["mon"])
        day = _yearless_day(mon, int(m["d"]), published) if mon else None
        if day is not None:
            found.append((m.start("mon"), day))
    for m in _DATELINE_RE.finditer(body):
        raw = m["pdate"]
        if raw is None:
            continue
        parsed = _parse_dateline_date(raw)
        if parsed is None or parsed[1] is None or parsed[2] is None:
            continue
        year, mon, d = parsed
        day = _safe_date(year, mon, d) if year else _yearless_day(mon, d, published)
        if day is not None and day <= published:
            found.append((m.start("place"), day))
    return sorted(found)


def resolve_event_interval(
    mentions: list[DateMention], near: int | None = None,
) -> tuple[date | None, date | None, date | None, str]:
    """(event_date, date_start, date_end, precision) of the most specific mention.

    day > week > month > year; ties go to the mention nearest the offset ``near`` (the event's
    trigger: "the paper, on 21 December, wrote on the priests murdered on 16 November"), else to
    the first, except that "overnight" (a night that straddles two days) yields to another day in
    the same sentence ("an overnight operation … yesterday"). event_date is set only for a
    single-day interval. Empty input gives (None, None, None, "unknown").
    """
    if not mentions:
        return None, None, None, "unknown"
    best = min(mentions, key=lambda mm: (_PRECISION_RANK.get(mm.precision, 9),
                                         mm.text.lower() == "overnight",
                                         abs(mm.start - near) if near is not None else 0))
    return best.event_date, best.date_start, best.date_end, best.precision

