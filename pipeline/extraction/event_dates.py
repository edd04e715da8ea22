"""When a mention happened: the dates of an event mention, from its sentence or its context.

A sentence's dates less those that date something else (the day officials spoke, the start of a
"since" period, an earlier event told in a relative clause); a mention with no date of its own
takes the day or period told just before ("on that very day", "that year", "a day after"), else
the report's window. Dates are found and resolved by ``dates``; how a dated mention joins the
event it tells is ``document_events``'s job, the sentence walk that calls this is ``events``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Doc

from pipeline.extraction.event_mentions import SentenceFacts, Trigger, is_anaphoric, token_at
from pipeline.extraction.records import DateMention, IncidentCandidate

UNDATED_WINDOW_DAYS = 30  # an undated "recent" event lies in the month before publication
REPORT_WINDOW_DAYS = 6  # an undated event in a dated news report happened in the week up to it
# "On that very day": the day told just before, not the report's.
SAME_DAY = re.compile(r"\b(?:that|the same)\s+(?:very\s+)?day\b", re.I)
_SAME_PERIOD = re.compile(r"\b(?:that|the same)\s+(?P<unit>month|year)\b", re.I)
_CUE_EARLIER = re.compile(r"\b(previous|earlier|recent(?:ly)?|past|ago|last (?:week|month|year)|before)\b", re.I)
_SPEECH_VERBS = frozenset({"said", "say", "says", "told", "tell", "tells", "announced", "announces", "reported",
                           "reports", "added", "adds", "confirmed", "confirms", "stated", "states", "declared"})


def day_it_was_said(doc: Doc, mention) -> bool:
    """"..., a provincial official said on Monday": the day officials spoke, not the event's day."""
    tok = token_at(doc, mention.start)
    if tok is None:
        return False
    head = tok.head  # what the date phrase hangs from, through its own words and a preposition
    while head.i != head.head.i and (mention.start <= head.idx < mention.end or head.dep_ == "prep"):
        head = head.head
    return head.lower_ in _SPEECH_VERBS


def _in_since_clause(tok, main) -> bool:
    """"… the bloodiest attacks since President Lopez Obrador took office in December": a date in a
    "since" clause dates the start of the period the event is compared with, not the event."""
    if tok is None:
        return False
    for a in tok.ancestors:
        if a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in a.children):
            return not a.left_edge.i <= main.i <= a.right_edge.i
    return since_date(tok)


def since_date(tok) -> bool:
    """"a curfew has been in effect since 30 August": the day a state began, not an event's day."""
    return tok is not None and any(a.lower_ == "since" and a.dep_ == "prep" for a in tok.ancestors)


def dates_of_main_event(doc: Doc, real: list[Trigger], dates: list) -> list:
    """The sentence's dates less those of an earlier event told in a relative clause.

    "The first bomb exploded at a building, the area where 50 kg of dynamite exploded 3 months
    ago": the relative clause has its own trigger and hangs off another noun, so its date is not
    the first bomb's. "The attack, which took place yesterday" keeps its date (the clause is about
    the trigger itself).
    """
    main = token_at(doc, real[0].start)
    if main is None or not dates or is_anaphoric(doc, real[0]):
        return dates  # "The attacks are part of operations that began July 25": the clause is the news
    kept = []
    for d in dates:
        tok = token_at(doc, d.start)
        if _in_since_clause(tok, main):
            continue
        clause = next((a for a in ([tok, *tok.ancestors] if tok is not None else []) if a.dep_ == "relcl"), None)
        if clause is not None and not clause.left_edge.i <= main.i <= clause.right_edge.i \
                and clause.head.i != main.i and any(
                    clause.left_edge.idx <= t.start < clause.right_edge.idx + len(clause.right_edge) for t in real[1:]):
            continue
        kept.append(d)
    return kept


def period_told_before(facts: SentenceFacts, told_days: list[DateMention]) -> list[DateMention]:
    """"Fifteen police were killed in Jalisco that year": the year (or month) of the date told just
    before ("in 2015"), not the report's own time."""
    m = _SAME_PERIOD.search(facts.text)
    if m is None:
        return []
    told = told_days[0].date_start
    if m["unit"].lower() == "year":
        start, end = date(told.year, 1, 1), date(told.year, 12, 31)
    else:
        start = told.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return [DateMention(facts.start + m.start(), facts.start + m.end(), m.group(), start, end, m["unit"].lower(), True)]


_DAYS_AFTER = re.compile(r"\b(?:come|comes|came|coming|follows?|followed|was|is)\s+(a|one|two|three)\s+days?\s+after\b", re.I)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3}


def days_before_the_told_event(facts: SentenceFacts, real: list[Trigger], told: IncidentCandidate | None
                               ) -> date | None:
    """"The clashes in Faryab come a day after the Taliban captured Doab": an event told after
    "N days after" happened N days before the event just told (``told``), when that one has its day."""
    m = _DAYS_AFTER.search(facts.text)
    if m is None or told is None or told.date_precision != "day" or told.event_date is None:
        return None
    if not any(t.start >= facts.start + m.end() for t in real):
        return None
    return told.event_date - timedelta(days=_NUMBER_WORDS[m.group(1).lower()])


def undated_interval(text: str, published: date | None, previous: IncidentCandidate | None, report_dated: bool
                      ) -> tuple[date | None, date | None, date | None, str]:
    """No date in the sentence: the previous incident's day in a running report; in a dated news report the
    report's day (best guess) within the week before it; the month before publication when the text
    says the event came earlier ("the previous attack", "a recent operation"); else unknown: a
    publication date inferred from the latest date the text mentions is only a floor, and the
    report's own news may come after it."""
    earlier = _CUE_EARLIER.search(text)
    if previous is not None and previous.date_precision == "day" and not earlier:
        return previous.event_date, previous.date_start, previous.date_end, "day"
    if published is None:
        return None, None, None, "unknown"
    if report_dated and not earlier:
        return published, published - timedelta(days=REPORT_WINDOW_DAYS), published, "week"
    if earlier:
        return None, published - timedelta(days=UNDATED_WINDOW_DAYS), published, "month"
    return None, None, None, "unknown"


def refine_date(c: IncidentCandidate, interval: tuple) -> None:
    """A detail sentence that gives the day ("took place on 30 December") of an incident dated only
    by its report narrows the incident's date, when the day lies in the interval already known."""
    day, start, end, precision = interval
    if c.date_precision == "day" or precision != "day" or day is None:
        return
    if (c.date_start is None or day >= c.date_start - timedelta(days=1)) and \
            (c.date_end is None or day <= c.date_end + timedelta(days=1)):
        c.event_date, c.date_start, c.date_end, c.date_precision = day, start, end, "day"
