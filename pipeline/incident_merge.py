"""Which incident candidates of different articles report one event.

What belongs here: the test that two reports are one event — compatible type, place and dates,
then the content of their evidence (shared words and names, agreeing tolls and authors) — and
grouping every article's candidates into events, each keeping the ID of its first report. What
does not: deciding which mentions inside one article are one event (``extraction.document_events``) or
building the published rows and IDs (``normalise``). Pure and deterministic: candidates in,
groups out.

Reports are taken in publication order and each joins the event it matches best, so a report
that arrives later never moves an earlier one: an incident keeps its ID when a second source
comes. Two candidates of one article are never merged here (the article told them apart).

The rule, in ``match_score``: the weaker the date and place evidence, the more the texts must
share. Close dates and one place need a little shared wording; nearby places, or a date that is
only a month or a year ("last year", a background mention), need much more unless both reports
name one town, and such a report that only a country places never joins on wording alone. Nothing
bounds an undated report in time: it joins, once all dated reports are grouped, only the one event
of its province that it tells with the same stated toll and much the same words, and only when no
other event of the province could be it (``_join_undated_reports``). A toll far from the
other report's is a second event, unless it is the later report's larger toll (a toll rises as
the dead are counted).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher

from pipeline.extraction.event_places import is_city_part_of, nested
from pipeline.extraction.records import IncidentCandidate, Place
from pipeline.schemas import VIOLENT_EVENT_TYPES

MIN_WORD_SIMILARITY = 0.12  # below this the two evidence texts tell different things, whatever else agrees
SAME_PLACE_MIN_SIMILARITY = 0.20  # one place and day: the texts must still share what they tell
NEARBY_MIN_SIMILARITY = 0.35  # two named places of one province: they must tell much the same
NEARBY_KM = 60  # two named places this close can be one scene told at different precision
STRONG_SIMILARITY = 0.35  # what the texts must share when neither the date nor the toll tells the event apart
LOOSE_DATE_DAYS = 7  # a date interval wider than this ("last year", "in February") tells no event from another
DATE_SLACK_DAYS = 1  # "Sunday night" and "Monday" of one attack
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*")
_STOP = frozenset("""a about after against ago all also an and another any are as at be been before being by
can could did do during each early for from had has have he her his how in including into is it its last
late least more most near new no not now of off on one or other our out over own people said says since some
such than that the their them then there these they this those through to told two under up was we were
what when where which while who will with would year years week weeks day days monday tuesday wednesday
thursday friday saturday sunday morning night evening afternoon""".split())


def evidence_words(text: str) -> set[str]:
    """The words of an evidence sentence that can tell one event from another (no function words)."""
    return {w.lower().rstrip(".,") for w in _WORD.findall(text or "") if w.lower() not in _STOP}


def similarity(a: set[str], b: set[str]) -> float:
    """Overlap of two evidence word sets, relative to the shorter (a headline against a paragraph)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b)) ** 0.5 / max(len(a), len(b)) ** 0.5


@dataclass(frozen=True)
class Evidence:
    """What a report is compared on: the words of all it tells about the event, and of its own
    sentence (the quote, usually the lead: outlets open a story with the same facts)."""

    words: frozenset[str]
    lead: frozenset[str]


def evidence_of(c: IncidentCandidate) -> Evidence:
    return Evidence(frozenset(evidence_words(c.evidence_text)), frozenset(evidence_words(c.quote)))


def text_agreement(a: Evidence, b: Evidence) -> float:
    """How much the two reports tell the same: the overlap of all they say, or of their own
    sentences when those agree more (two leads that share the place, the crowd and the day while
    the rest of each story goes its own way: background, reactions)."""
    return max(similarity(a.words, b.words), similarity(a.lead, b.lead))


def types_compatible(a: IncidentCandidate, b: IncidentCandidate) -> bool:
    """One event type, or two violent types (outlets differ on "attack" vs "clash" for one event)."""
    return a.event_type == b.event_type or (a.event_type in VIOLENT_EVENT_TYPES and b.event_type in VIOLENT_EVENT_TYPES)


def _km(a: Place, b: Place) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    dlat, dlon = math.radians(b.latitude - a.latitude), math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a.latitude)) * math.cos(math.radians(b.latitude)) \
        * math.sin(dlon / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _spelling(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


def same_name(a: str | None, b: str | None) -> bool:
    """Two spellings of one place name ("Bounti" and "Bounty", "Guicán" and "Guican")."""
    if not a or not b:
        return False
    x, y = _spelling(a), _spelling(b)
    return x == y or (min(len(x), len(y)) >= 5 and SequenceMatcher(None, x, y).ratio() >= 0.8)


def place_relation(a: Place | None, b: Place | None) -> str | None:
    """How two reports' places relate: "same", "within" (one inside the other: Mogadishu and
    "Mogadishu - Hodan", a province and a town in it, a country and anything in it), "nearby"
    (two named places of one province, or close by) or None (incompatible)."""
    if a is None or b is None:
        return "within"
    if a.country_iso3 and b.country_iso3 and a.country_iso3 != b.country_iso3:
        return None
    key_a, key_b = (a.admin1, a.admin2, a.location), (b.admin1, b.admin2, b.location)
    if key_a == key_b or (a.location and same_name(a.location, b.location)
                          and (a.admin1 is None or b.admin1 is None or a.admin1 == b.admin1)):
        return "same"
    if nested(a, b) or is_city_part_of(a, b) or is_city_part_of(b, a) or "country" in (a.precision, b.precision):
        return "within"
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return None
    if a.location and b.location and (a.location.startswith(b.location) or b.location.startswith(a.location)):
        return "within"
    if a.admin1 is None or b.admin1 is None:
        if a.location is None or b.location is None:
            return "within"  # one of them only placed in the country's unknown province
    if a.location is None or b.location is None:
        return None  # two districts, or a district and a town outside it: two places
    km = _km(a, b)
    if km is not None and km > NEARBY_KM:
        return None
    return "nearby"  # two named places of one province, close by or of unknown distance


REPORT_LAG_DAYS = 1  # an event a report dates only by its own day happened at most this long before it


def dates_compatible(a: IncidentCandidate, b: IncidentCandidate) -> bool:
    """The two date intervals overlap (one day of slack: "Sunday night" and "Monday"), and their
    best days agree: two days at most a day apart; a report dated only by its own day (the week up
    to it, that day as best guess) is about a day at most ``REPORT_LAG_DAYS`` earlier, and two such
    reports must be of one day (daily monitoring reports of consecutive days tell consecutive
    days' fighting). A report without any date is left to ``_join_undated_reports``."""
    if a.date_start is None or b.date_start is None or a.date_end is None or b.date_end is None:
        return False
    slack = timedelta(days=DATE_SLACK_DAYS)
    if not (a.date_start <= b.date_end + slack and b.date_start <= a.date_end + slack):
        return False
    if a.event_date is None or b.event_date is None:
        return True  # "last week" holds "Sunday"
    days = [c.event_date for c in (a, b) if c.date_precision == "day"]
    guesses = [c.event_date for c in (a, b) if c.date_precision != "day"]
    if len(days) == 1:  # the report's day is on or up to REPORT_LAG_DAYS after the event's
        return -DATE_SLACK_DAYS <= (guesses[0] - days[0]).days <= REPORT_LAG_DAYS
    if not days:  # two reports that date the event only by their own days: the same day
        return a.event_date == b.event_date
    return abs((a.event_date - b.event_date).days) <= DATE_SLACK_DAYS


def _tolls_agree(a: IncidentCandidate, b: IncidentCandidate) -> float:
    """+ when both tell a toll and the tolls are close (12 and 14)."""
    x = a.fatalities.best if a.fatalities else None
    y = b.fatalities.best if b.fatalities else None
    if not x or not y:
        return 0.0
    return 0.15 if abs(x - y) <= max(1, 0.2 * max(x, y)) else 0.0


def _tolls_far_apart(a: IncidentCandidate, b: IncidentCandidate) -> bool:
    """Tolls no revision explains (2 and 42 killed; 12 and 14 are one event): two events."""
    x, y = a.fatalities, b.fatalities
    return bool(x and x.best) and bool(y and y.best) and x.far_from(y)


def toll_rose_later(a: IncidentCandidate, b: IncidentCandidate, published: dict[str, date | None]) -> bool:
    """The larger toll comes from the report published later (2 killed on Monday, 18 by Wednesday):
    the normal course of a toll, not a sign of two events. Unknown publication dates prove nothing."""
    x = a.fatalities.best if a.fatalities else None
    y = b.fatalities.best if b.fatalities else None
    day_a, day_b = published.get(a.article_id), published.get(b.article_id)
    if not x or not y or x == y or day_a is None or day_b is None or day_a == day_b:
        return False
    return (y > x) == (day_b > day_a)


def _order_unknown_same_day(a: IncidentCandidate, b: IncidentCandidate, published: dict[str, date | None]) -> bool:
    """Two reports of one day's event published the same day, or undated: which came first is unknown,
    so a far lower toll may be the first count ("two killed" at noon, eighteen by night)."""
    day_a, day_b = published.get(a.article_id), published.get(b.article_id)
    return a.date_precision == b.date_precision == "day" and a.event_date == b.event_date is not None \
        and (day_a is None or day_b is None or day_a == day_b)


def _authors_agree(a: IncidentCandidate, b: IncidentCandidate) -> float:
    p, q = a.perpetrator_actor_id, b.perpetrator_actor_id
    if not p or not q:
        return 0.0
    if p == q:
        return 0.1
    return 0.0 if p.startswith("unidentified-") or q.startswith("unidentified-") else -0.1


def _loosely_dated(c: IncidentCandidate) -> bool:
    """Only a month or a year: the date cannot tell two events of one place apart."""
    return (c.date_end - c.date_start).days > LOOSE_DATE_DAYS


def date_agreement(a: IncidentCandidate, b: IncidentCandidate) -> str | None:
    """How the two reports' dates bear on one event: "close" (both dated to a week or better and
    compatible, see ``dates_compatible``), "loose" (compatible, but one of them is dated only by a
    month or a year) or None (they contradict, or one is undated: nothing bounds an undated report
    in time — formulaic releases of one town a year apart read alike — so ``_join_undated_reports``
    decides it once every dated report is grouped)."""
    if not dates_compatible(a, b):
        return None
    return "loose" if _loosely_dated(a) or _loosely_dated(b) else "close"


def _placed(p: Place | None) -> bool:
    return p is not None and p.precision != "country" and (p.admin1 is not None or p.location is not None)


def match_score(a: IncidentCandidate, b: IncidentCandidate, evidence_a: Evidence, evidence_b: Evidence,
                published: dict[str, date | None] | None = None) -> float | None:
    """How surely two reports of different articles tell one event (None: they cannot).

    The weaker the date and place evidence, the more the texts must share: one place and close
    dates need ``SAME_PLACE_MIN_SIMILARITY``, two nearby places ``NEARBY_MIN_SIMILARITY``. A report
    dated only by a month or a year joins another only when both are placed below the country: in
    one named town (``SAME_PLACE_MIN_SIMILARITY``) or one place inside the other
    (``STRONG_SIMILARITY``), never two nearby places. An undated report never joins here (see
    ``date_agreement``). Tolls far apart are two events, unless the larger toll is the later
    report's (``toll_rose_later``), the dates are close, the places one, and the texts agree
    strongly."""
    if not types_compatible(a, b):
        return None
    published = published or {}
    dating = date_agreement(a, b)
    if dating is None:
        return None
    relation = place_relation(a.place, b.place)
    if relation is None:
        return None
    words = text_agreement(evidence_a, evidence_b)
    if words < MIN_WORD_SIMILARITY:
        return None
    score = words + _tolls_agree(a, b) + _authors_agree(a, b)
    score += 0.05 * (a.event_type == b.event_type)
    score += 0.05 * (a.event_date is not None and a.event_date == b.event_date)
    if dating == "loose":
        if relation == "nearby" or not (_placed(a.place) and _placed(b.place)):
            return None
        named = relation == "same" and bool(a.place.location) and bool(b.place.location)
        needed = SAME_PLACE_MIN_SIMILARITY if named else STRONG_SIMILARITY
    elif relation == "nearby":
        if words < NEARBY_MIN_SIMILARITY:
            return None  # two places: the texts themselves must tell much the same, whatever else agrees
        needed = NEARBY_MIN_SIMILARITY
    else:
        needed = SAME_PLACE_MIN_SIMILARITY
    if _tolls_far_apart(a, b):
        if dating == "loose" or relation == "nearby" or not (
                toll_rose_later(a, b, published) or _order_unknown_same_day(a, b, published)):
            return None
        needed = max(needed, STRONG_SIMILARITY)
    return score if score >= needed else None


@dataclass
class EventGroup:
    """The reports of one event, first report first (its ID is the incident's)."""

    members: list[IncidentCandidate] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def first(self) -> IncidentCandidate:
        return self.members[0]


def _weeks(c: IncidentCandidate) -> range:
    """The weeks (days since 0001-01-01 // 7) a report's date interval touches, with the slack."""
    if c.date_start is None or c.date_end is None:
        return range(0)
    slack = timedelta(days=DATE_SLACK_DAYS)
    return range((c.date_start - slack).toordinal() // 7, (c.date_end + slack).toordinal() // 7 + 1)


def group_reports(candidates: list[IncidentCandidate], published: dict[str, date | None],
                  key=lambda c: id(c)) -> list[EventGroup]:
    """Every candidate in exactly one group.

    Candidates are taken by publication date, then article and position. One with the same
    ``key`` (type, place and dates) as a grouped one joins that group, whatever the article;
    otherwise it joins the group of other articles whose members it matches best (it must match
    each of them), else opens its own.
    """
    far = date.max
    ordered = sorted(candidates, key=lambda c: (published.get(c.article_id) or far, c.article_id, c.char_start))
    groups: list[EventGroup] = []
    by_key: dict[object, EventGroup] = {}
    # Only reports of one country and overlapping weeks can match: index groups by both, so the
    # cost grows with the reports of one place and time, not with the archive.
    by_week: dict[tuple[str | None, int], list[int]] = {}
    any_country: dict[int, list[int]] = {}
    for c in ordered:
        evidence = evidence_of(c)
        country = c.place.country_iso3 if c.place else None
        best, best_score = by_key.get(key(c)), None
        near: set[int] = set()
        for week in _weeks(c) if best is None else ():
            if country is None:
                near.update(any_country.get(week, ()))
            else:
                near.update(by_week.get((country, week), ()))
                near.update(by_week.get((None, week), ()))
        for g in (groups[i] for i in sorted(near)):
            if any(m.article_id == c.article_id for m in g.members):
                continue
            scores = [match_score(m, c, e, evidence, published) for m, e in zip(g.members, g.evidence, strict=True)]
            if any(s is None for s in scores):
                continue
            score = max(scores)
            if best_score is None or score > best_score:
                best, best_score = g, score
        if best is None:
            best = EventGroup()
            groups.append(best)
            for week in _weeks(c):
                by_week.setdefault((country, week), []).append(len(groups) - 1)
                any_country.setdefault(week, []).append(len(groups) - 1)
        best.members.append(c)
        best.evidence.append(evidence)
        by_key.setdefault(key(c), best)
    return _join_undated_reports(groups)


def _province(c: IncidentCandidate) -> tuple[str | None, str | None] | None:
    """Where an undated report is looked for: its country and province; (country, None) for a town
    the text names without a province ("the villages of Bounty and Kikara")."""
    return (c.place.country_iso3, c.place.admin1) if _placed(c.place) else None


def _join_undated_reports(groups: list[EventGroup]) -> list[EventGroup]:
    """An undated report left alone joins the one event of its province it tells (``_only_match_of_undated``).

    Done once every dated report is grouped, so that it is compared with all the events it could be;
    the event keeps its first report, and so its ID."""
    by_province: dict[tuple[str | None, str], list[EventGroup]] = {}
    for g in groups:
        for where in {_province(m) for m in g.members} - {None}:
            by_province.setdefault(where, []).append(g)
    gone: set[int] = set()
    for g in groups:
        if len(g.members) != 1 or g.first.date_start is not None or _province(g.first) is None:
            continue
        c = g.first
        country, admin1 = _province(c)
        near = by_province.get((country, admin1), []) + (by_province.get((country, None), []) if admin1 else [])
        others = [o for o in near if o is not g and id(o) not in gone]
        target = _only_match_of_undated(c, g.evidence[0], others)
        if target is not None:
            target.members.append(c)
            target.evidence.append(g.evidence[0])
            gone.add(id(g))
    return [g for g in groups if id(g) not in gone]


def undated_match_score(a: IncidentCandidate, b: IncidentCandidate, evidence_a: Evidence,
                        evidence_b: Evidence) -> tuple[float, bool] | None:
    """How much an undated report ``b`` and the report ``a`` tell alike, and whether that is enough
    for one event; None when they cannot be one event (another type, province or place, or not
    a toll both state, not far apart, "several" being none: formulaic releases of one province share most
    words).
    Enough: texts that share much (``STRONG_SIMILARITY``; ``SAME_PLACE_MIN_SIMILARITY`` when both
    name one town)."""
    if not types_compatible(a, b) or not (_placed(a.place) and _placed(b.place)):
        return None
    one_town = same_name(a.place.location, b.place.location)
    if a.place.admin1 != b.place.admin1 and not (one_town and None in (a.place.admin1, b.place.admin1)):
        return None  # another province; a town named without one is the same town spelt alike
    if place_relation(a.place, b.place) not in ("same", "within"):
        return None
    from pipeline.extraction.numbers import is_vague  # its patterns load only when an undated report needs them

    if not (a.fatalities and a.fatalities.best and b.fatalities and b.fatalities.best) or _tolls_far_apart(a, b) \
            or is_vague(a.fatalities) or is_vague(b.fatalities):
        return None  # without a date, only a toll both state, close enough, sets one event apart from the rest
    words = text_agreement(evidence_a, evidence_b)
    needed = SAME_PLACE_MIN_SIMILARITY if one_town else STRONG_SIMILARITY
    score = words + _tolls_agree(a, b) + _authors_agree(a, b)
    return score, words >= MIN_WORD_SIMILARITY and score >= needed


UNDATED_MARGIN = 0.15  # how much better than any other event of its province an undated report must fit


def _only_match_of_undated(c: IncidentCandidate, evidence: Evidence, groups: list[EventGroup]) -> EventGroup | None:
    """The one event of the province an undated report tells, else None.

    Nothing bounds an undated report in time, so it joins an event only when it fits that event
    and fits it clearly better (``UNDATED_MARGIN``) than every other event of its province it could
    be: formulaic releases of one town a year apart read alike and join nothing, while an article
    without a date that tells one massacre of a province joins the dated reports of it.
    """
    fits: list[tuple[float, int]] = []
    rivals: list[float] = []
    for i, g in enumerate(groups):
        if any(m.article_id == c.article_id for m in g.members):
            continue
        scores = [undated_match_score(m, c, e, evidence) for m, e in zip(g.members, g.evidence, strict=True)]
        possible = [s for s in scores if s is not None]
        if not possible:
            continue
        if len(possible) == len(scores) and all(ok for _, ok in possible):
            fits.append((min(score for score, _ in possible), i))
        else:
            rivals.append(max(score for score, _ in possible))
    if not fits:
        return None
    fits.sort(reverse=True)
    best, i = fits[0]
    others = [score for score, _ in fits[1:]] + rivals
    return groups[i] if all(best >= other + UNDATED_MARGIN for other in others) else None
