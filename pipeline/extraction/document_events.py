"""How two mentions of one article become one event: the document-level resolution.

The sentence walk (``events``) leaves the article's event mentions, each an ``OpenEvent`` with a
place, dates, counts and sides, a detail sentence already folded into the mention before it.
``one_per_event`` then reads them as a whole: the headline, the lead, later paragraphs, a
witness's account and a toll update of one event become one incident with the most specific
place, the narrowest date and the best-supported toll (``same_event`` decides, ``_fold``
combines); ``is_background`` drops a recalled past event with neither place nor day of its own.
Finding dates, places, counts and sides of a mention is not done here; joining incidents of
different articles is ``incident_merge``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.extraction.event_places import is_city_part_of, is_finer, nested, place_key, unknown_district_of
from pipeline.extraction.records import ActorMention, IncidentCandidate, Quantity
from pipeline.extraction.tolls import combine_tolls, one_toll, tolls_disagree
from pipeline.schemas import VIOLENT_EVENT_TYPES


@dataclass
class OpenEvent:
    """An incident being assembled from one or more sentences of an article."""

    candidate: IncidentCandidate
    rank: int
    split_into: int = 1
    place_guessed: bool = False  # coded where the report was filed or at country level, not where told
    place_borrowed: bool = False  # coded where an earlier sentence set the scene, not where its own text says
    more: tuple[bool, bool, bool] = (False, False, False)  # its counts add to an earlier toll ("two more")
    headline: bool = False  # told in the article's title line, which names the article's main event
    undated: bool = False  # no date of its own: dated by the report, so it is the report's news, no recollection

    def absorb(self, killed: Quantity | None, injured: Quantity | None, detained: Quantity | None,
               more: tuple[bool, bool, bool], typing: tuple[str, str | None, int],
               perp: ActorMention | None, target: ActorMention | None) -> None:
        """Fold a later sentence about the same incident in: counts, a more severe type, missing roles."""
        c = self.candidate
        c.fatalities = combine_tolls(c.fatalities, killed, more[0])
        c.injured = combine_tolls(c.injured, injured, more[1])
        c.detained = combine_tolls(c.detained, detained, more[2])
        event_type, sub_event_type, rank = typing
        # Between one-sided violence and a battle the sides make ("soldiers killed by militants"), the
        # battle: an attack, or hostages taken, told of a fight between armed sides is part of that fight.
        attack = ("violence_against_civilians", "Attack")
        if c.event_type == "battles" and event_type == "violence_against_civilians":
            take_theirs = False
        elif (c.event_type, c.sub_event_type) == attack and event_type == "battles":
            take_theirs = True  # "a Taliban attack" told as a fight between armed sides
        else:
            take_theirs = rank > self.rank
        if take_theirs:
            c.event_type, c.sub_event_type, self.rank = event_type, sub_event_type, max(rank, self.rank)
        self.take_roles(perp, target)

    def tells(self, text: str) -> None:
        """Keep a sentence that tells this event as part of its evidence."""
        if text not in self.candidate.evidence:
            self.candidate.evidence = (*self.candidate.evidence, text)

    def take_roles(self, perp: ActorMention | None, target: ActorMention | None) -> None:
        """Fill a perpetrator or target the incident still lacks ("the attack was carried out by X")."""
        c = self.candidate
        c.perpetrator_actor_id = c.perpetrator_actor_id or (perp.actor_id if perp else None)
        c.target_actor_id = c.target_actor_id or (target.actor_id if target else None)


# "Another explosion took place simultaneously in Zone 5", "a third blast hit the market": the text says
# this is one more event than those told before it, however alike their place and day.
ANOTHER_EVENT = re.compile(
    r"\b(?:another|a\s+(?:second|third|fourth|fifth|further|separate))\s+(?:\w+\s+)?"
    r"(?:explosions?|blasts?|bomb(?:ing)?s?|attacks?|ambush(?:es)?|raids?|(?:air\s*)?strikes?|clash(?:es)?|"
    r"shootings?|assaults?|grenades?|incidents?|massacres?)\b", re.I)
REPORT_LAG_DAYS = 1  # a report's own event happened on its day or the day before ("Sunday night")


def _dates_agree(a: IncidentCandidate, b: IncidentCandidate, headline: bool = False) -> bool:
    """One day, or intervals that overlap when at most one of them is a day ("Sunday" in "this
    week"). A mention dated only by its report (the report's day as best guess) is about a day at
    most ``REPORT_LAG_DAYS`` before it: "on Feb. 8" in a report of Feb. 15 is another event —
    unless it is the undated title (``headline``), which names the article's main event whatever
    day the body gives it."""
    if (a.event_date, a.date_start, a.date_end) == (b.event_date, b.date_start, b.date_end):
        return True
    if a.date_precision == "day" and b.date_precision == "day":
        return False
    days = [c.event_date for c in (a, b) if c.date_precision == "day"]
    guesses = [c.event_date for c in (a, b) if c.date_precision != "day" and c.event_date is not None]
    if days and guesses and not headline and not 0 <= (guesses[0] - days[0]).days <= REPORT_LAG_DAYS:
        return False
    if None in (a.date_start, a.date_end, b.date_start, b.date_end):
        return a.date_start is None and b.date_start is None
    return a.date_start <= b.date_end and b.date_start <= a.date_end


def _places_agree(a: OpenEvent, b: OpenEvent, adjacent: bool) -> bool:
    """The same place, one inside the other, or one only guessed (country, dateline city); a
    district the gazetteer does not know told right after an event in a known one is its scene."""
    pa, pb = a.candidate.place, b.candidate.place
    if place_key(pa) == place_key(pb):
        return True
    if pa is None or pb is None:
        return True
    if a.split_into > 1 or b.split_into > 1:  # one of several places of one sentence: only a guess joins it
        return (a.place_guessed or pa.precision == "country") != (b.place_guessed or pb.precision == "country")
    if a.place_guessed or b.place_guessed:
        # Coded to the article's country or its dateline city for want of a place: any place of
        # that country, or of that city's province, is where it happened.
        guess, told = (pa, pb) if a.place_guessed else (pb, pa)
        return guess.country_iso3 == told.country_iso3 and (
            guess.precision == "country" or guess.admin1 is None or told.admin1 in (None, guess.admin1))
    return nested(pa, pb) or is_city_part_of(pa, pb) or is_city_part_of(pb, pa) or \
        (adjacent and unknown_district_of(pb, pa))


_CROWD_TYPES = frozenset({"protests", "riots"})


def _damage_done_in_an_attack(a: OpenEvent, b: OpenEvent) -> bool:
    """Shelters set on fire or cattle looted where and when an attack is told ("the rebels also set fire
    to several shelters at the camp") are that attack's damage: ACLED codes the attack, not a second
    event of property destruction."""
    ca, cb = a.candidate, b.candidate
    return "Looting/property destruction" in (ca.sub_event_type, cb.sub_event_type) \
        and (ca.event_type in VIOLENT_EVENT_TYPES or cb.event_type in VIOLENT_EVENT_TYPES)


def _protest_turned_violent(a: OpenEvent, b: OpenEvent) -> bool:
    """A protest and the deaths, clashes or riot told of it at the same place ("Four die in Cali as
    Colombia marks a month of protests") are one event, the protest turned violent (ACLED codes it
    once, as the more severe type); at another place or on another day they stay apart."""
    types = {a.candidate.event_type, b.candidate.event_type}
    if not types & _CROWD_TYPES or not types <= _CROWD_TYPES | frozenset(VIOLENT_EVENT_TYPES):
        return False
    pa, pb = a.candidate.place, b.candidate.place
    return pa is not None and pb is not None and pa.precision != "country" and pb.precision != "country" \
        and (place_key(pa) == place_key(pb) or nested(pa, pb))


def _toll_below(title: IncidentCandidate, body: IncidentCandidate) -> bool:
    x, y = title.fatalities, body.fatalities
    return x is None or y is None or x.best is None or y.best is None or x.best <= y.best


def same_event(a: OpenEvent, b: OpenEvent, adjacent: bool = False) -> bool:
    """Whether two event mentions of one article (``a`` told first) are one event.

    A mention the text calls another event ("another explosion", "a third blast") is one. The same
    dates at the same or a nested place are one event whatever the words; otherwise both
    must be violent or of one type, their places must agree (``_places_agree``) and their dates
    overlap, and their tolls must not contradict each other.
    """
    ca, cb = a.candidate, b.candidate
    if ANOTHER_EVENT.search(cb.quote) or ca.char_start == cb.char_start:
        return False  # the text counts another event, or one sentence told several
    same_dates = (ca.event_date, ca.date_start, ca.date_end) == (cb.event_date, cb.date_start, cb.date_end)
    if place_key(ca.place) == place_key(cb.place) and same_dates:
        return not tolls_disagree(ca, cb, far_apart=True)
    if same_dates and not (a.place_guessed or b.place_guessed) and _places_agree(a, b, adjacent) \
            and not tolls_disagree(ca, cb):
        return True  # "in Helmand province" then "in Washer district" the same night: the operation's scene
    if ca.event_type != cb.event_type and not (ca.event_type in VIOLENT_EVENT_TYPES
                                               and cb.event_type in VIOLENT_EVENT_TYPES) \
            and not _protest_turned_violent(a, b) and not _damage_done_in_an_attack(a, b):
        return False
    headline = (a.headline and a.candidate.date_precision != "day") or (b.headline and cb.date_precision != "day")
    if not _dates_agree(ca, cb, headline) or not _places_agree(a, b, adjacent):
        return False
    # A title's toll may be the first count the desk had, below the body's update of the same event;
    # a title's toll above the body's adds up several events ("latest attacks kill 16").
    title_first = (a.headline and _toll_below(ca, cb)) or (b.headline and _toll_below(cb, ca))
    return same_dates or title_first or not tolls_disagree(ca, cb)


def _fold(into: OpenEvent, other: OpenEvent) -> None:
    """``other`` told the event ``into`` told first: keep the first span as evidence, take the finer
    place and date, the more severe type, the best-supported toll and any missing side."""
    c, o = into.candidate, other.candidate
    for text in o.evidence:
        into.tells(text)
    into.absorb(None, None, None, other.more, (o.event_type, o.sub_event_type, other.rank), None, None)
    c.fatalities = one_toll(c.fatalities, o.fatalities, other.more[0])
    c.injured = one_toll(c.injured, o.injured, other.more[1])
    c.detained = one_toll(c.detained, o.detained, other.more[2])
    c.perpetrator_actor_id = c.perpetrator_actor_id or o.perpetrator_actor_id
    c.target_actor_id = c.target_actor_id or o.target_actor_id
    if c.place is None or o.place is not None and (into.place_guessed and not other.place_guessed
                                                   or is_finer(o.place, c.place)):
        place = o.place
        if place is not None and c.place is not None and place.admin1 is None and c.place.admin1 is not None \
                and not into.place_guessed:
            # a district the gazetteer does not know, in the known province
            place = replace(place, admin1=c.place.admin1, latitude=c.place.latitude, longitude=c.place.longitude)
        c.place = place
        into.place_guessed = other.place_guessed
        into.split_into = max(into.split_into, other.split_into)
    if c.date_precision != "day" and o.date_precision == "day":
        c.event_date, c.date_start, c.date_end, c.date_precision = o.event_date, o.date_start, o.date_end, "day"
    c.confidence = max(c.confidence, o.confidence)


def _agreement(a: IncidentCandidate, b: IncidentCandidate) -> int:
    """How much two compatible mentions agree beyond compatibility: the same day (an undated
    mention dated by its report's day belongs with the report's event, not with one told as
    "earlier this week"), the same place, the same toll."""
    return 2 * (a.event_date is not None and a.event_date == b.event_date) \
        + (place_key(a.place) == place_key(b.place)) \
        + (a.fatalities is not None and b.fatalities is not None and a.fatalities.best == b.fatalities.best)


def one_per_event(opened: list[OpenEvent]) -> list[OpenEvent]:
    """The article's events: each mention folded into the event it is the same event as and agrees
    with most (the first told on a tie), else an event of its own."""
    events: list[OpenEvent] = []
    for i, o in enumerate(opened):
        same = [e for e in events if same_event(e, o, adjacent=i > 0 and opened[i - 1] is e)]
        if not same:
            events.append(o)
            continue
        _fold(max(same, key=lambda e: (_agreement(e.candidate, o.candidate), -events.index(e))), o)
    return events


def is_background(o: OpenEvent) -> bool:
    """A past event the article recalls ("in 2018, more than 100 police officers were killed"):
    with neither a place of its own nor a day or week it happened in, it opens no incident. An
    event the text gives no date at all is the report's news, however vaguely the report is dated."""
    c = o.candidate
    placed = c.place is not None and c.place.precision != "country" and not o.place_guessed
    return not placed and not o.undated and c.date_precision in ("month", "year")
