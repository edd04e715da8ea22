"""Event mentions → the events of one article: which sentences tell one event, and its facts.

One incident per event, place and day (the ACLED unit): a sentence with a real event mention
(``event_mentions``) opens an incident at each place it coordinates ("air strikes in Khost and
Kunar" → two, ``event_places``); a later sentence that adds detail without a place of its own
(the rest of a press release) enriches the incident before it, its toll combined by ``tolls``
and its sides by ``event_roles``. This module is where two mentions become one event.
Dates, places, counts and actors are found by their own modules; this one only combines them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from spacy.tokens import Doc

from pipeline.extraction.dates import resolve_event_interval
from pipeline.extraction.event_mentions import (
    SentenceFacts,
    Trigger,
    describes_role,
    has_action_verb,
    is_anaphoric,
    is_habitual,
    is_present_perfect,
    is_real_event,
    token_at,
)
from pipeline.extraction.event_places import (
    country_place,
    event_places,
    is_city_part_of,
    is_finer,
    nested,
    place_key,
    separate_event_places,
    unknown_district_of,
)
from pipeline.extraction.event_roles import ARMED_TYPES, CLAIM, assign_roles, event_type_of, settle_article_roles
from pipeline.extraction.numbers import is_running_total, is_vague
from pipeline.extraction.records import (
    ActorMention,
    IncidentCandidate,
    Place,
    Quantity,
)
from pipeline.extraction.tolls import combine_tolls, named_victim, sentence_count, split_toll
from pipeline.schemas import VIOLENT_EVENT_TYPES

SCENE_REACH_CHARS = 600  # a place set this close before a count-bearing sentence is where it happened
UNDATED_WINDOW_DAYS = 30  # an undated "recent" event lies in the month before publication
REPORT_WINDOW_DAYS = 6  # an undated event in a dated news report happened in the week up to it
# "Army vs Boko Haram, Borno": an unnamed state force is one of the sides of a headline fight.
_UNNAMED_STATE_FORCE = re.compile(r"\b(?:army|troops|soldiers|military|police|security forces|air force|navy)\b", re.I)
_TOLL_RANK = 30  # kill/death words and below (arrests, riots, protests): what a running total counts
_CUE_EARLIER = re.compile(r"\b(previous|earlier|recent(?:ly)?|past|ago|last (?:week|month|year)|before)\b", re.I)


@dataclass
class _Open:
    """An incident being assembled from one or more sentences of an article."""

    candidate: IncidentCandidate
    rank: int
    split_into: int = 1
    place_guessed: bool = False  # coded where the report was filed or at country level, not where told
    more: tuple[bool, bool, bool] = (False, False, False)  # its counts add to an earlier toll ("two more")

    def absorb(self, killed: Quantity | None, injured: Quantity | None, detained: Quantity | None,
               more: tuple[bool, bool, bool], typing: tuple[str, str | None, int],
               perp: ActorMention | None, target: ActorMention | None) -> None:
        """Fold a later sentence about the same incident in: counts, a more severe type, missing roles."""
        c = self.candidate
        c.fatalities = combine_tolls(c.fatalities, killed, more[0])
        c.injured = combine_tolls(c.injured, injured, more[1])
        c.detained = combine_tolls(c.detained, detained, more[2])
        event_type, sub_event_type, rank = typing
        # Between a bare attack and a battle the sides make ("soldiers killed by militants"), the battle.
        attack = ("violence_against_civilians", "Attack")
        if c.event_type == "battles" and (event_type, sub_event_type) == attack:
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


# "The explosion took place in the Olaya neighborhood", "the residence is located in": a sentence
# that only says where the incident just told happened.
_WHERE_IT_HAPPENED = re.compile(r"\b(?:took place|occurred|happened|(?:is|was|are|were) located)\b", re.I)


def _refine_place(last: _Open | None, places: list[Place], facts: SentenceFacts) -> bool:
    """Move the incident just told to a finer place inside its own ("Bogota" -> "Bogota - Olaya")."""
    if last is None or last.split_into != 1 or len(places) != 1 or \
            facts.start - last.candidate.char_end > SCENE_REACH_CHARS:
        return False
    place, known = places[0], last.candidate.place
    guess_replaced = last.place_guessed and known is not None and place.country_iso3 == known.country_iso3 \
        and place.precision != "country"
    inside = known is not None and (nested(known, place) or is_city_part_of(place, known))
    if not guess_replaced and (not inside or not is_finer(place, known)):
        return False
    last.place_guessed = False
    if place.admin1 is None:
        place = replace(place, admin1=known.admin1, latitude=known.latitude, longitude=known.longitude)
    last.candidate.place = place
    return True


def _refine_date(c: IncidentCandidate, interval: tuple) -> None:
    """A detail sentence that gives the day ("took place on 30 December") of an incident dated only
    by its report narrows the incident's date, when the day lies in the interval already known."""
    day, start, end, precision = interval
    if c.date_precision == "day" or precision != "day" or day is None:
        return
    if (c.date_start is None or day >= c.date_start - timedelta(days=1)) and \
            (c.date_end is None or day <= c.date_end + timedelta(days=1)):
        c.event_date, c.date_start, c.date_end, c.date_precision = day, start, end, "day"


def _undated_interval(text: str, published: date | None, previous: IncidentCandidate | None, report_dated: bool
                      ) -> tuple[date | None, date | None, date | None, str]:
    """No date in the sentence: the previous incident's day in a running report; in a dated news report the
    report's day (best guess) within the week before it; else the month before publication."""
    earlier = _CUE_EARLIER.search(text)
    if previous is not None and previous.date_precision == "day" and not earlier:
        return previous.event_date, previous.date_start, previous.date_end, "day"
    if published is None:
        return None, None, None, "unknown"
    if report_dated and not earlier:
        return published, published - timedelta(days=REPORT_WINDOW_DAYS), published, "week"
    return None, published - timedelta(days=UNDATED_WINDOW_DAYS), published, "month"


def detect_incidents(article_id: str, doc: Doc, sentences: list[SentenceFacts], published: date | None,
                     gazetteer, country_hint: str | None, report_dated: bool = False,
                     home: Place | None = None) -> list[IncidentCandidate]:
    """All incident candidates of one article, one per event, place and day.

    ``home`` is where a local report was filed (its dateline city, admin1 precision): the place of
    an event the report locates nowhere else.
    """
    opened: list[_Open] = []
    last: _Open | None = None
    scene: SentenceFacts | None = None  # the latest sentence that set a place ("conducted an operation in X district")
    for facts in sentences:
        finer = [p for p in facts.places if p.place.precision != "country"]
        # "talks scheduled in Caracas, Venezuela" in a report on El Salvador sets no scene for it
        at_home = any(p.place.country_iso3 in (None, country_hint) for p in finer) if country_hint else bool(finer)
        sent = doc.char_span(facts.start, facts.end, alignment_mode="expand")
        if sent is not None and facts.triggers and facts.dates:
            facts = replace(facts, dates=[d for d in facts.dates if not _day_it_was_said(doc, d)])
        if sent is None or not facts.triggers:
            if finer and not facts.dates and _WHERE_IT_HAPPENED.search(facts.text) and _refine_place(
                    last, event_places(facts.places, facts.text, facts.start, gazetteer, country_hint), facts):
                continue
            # "The leader directs insurgents in Qalandar and Musa Khel districts": where someone
            # habitually acts is not the scene of the report's event.
            if at_home and (facts.dates or not is_habitual(sent)):
                scene = facts
            continue
        armed_parties = {m.actor_id for m in facts.actors if m.actor_type in ARMED_TYPES}
        precise_count = any(not is_vague(c.quantity) for c in facts.counts)
        if is_running_total(facts.text):
            # "has resulted in 20 leaders being captured or killed this month" is a record, but
            # "shelling targets Harasta … raise the number killed since the start to 110" also
            # tells a new event: keep its other triggers, never the total as its toll.
            kept = [t for t in facts.triggers if t.rule.rank > _TOLL_RANK]
            if not kept:
                continue
            facts = replace(facts, triggers=kept, counts=[])
        real = [t for t in facts.triggers if is_real_event(doc, t, sent, facts.text)
                and (not t.rule.sides or len(armed_parties) + bool(_UNNAMED_STATE_FORCE.search(facts.text)) >= 2)
                and (facts.dates or precise_count or not is_present_perfect(doc, t))]
        has_killed = any(c.kind == "killed" and (c.quantity.best or 0) > 0 for c in facts.counts)
        if CLAIM.search(facts.text) and last is not None and not facts.counts:
            perp, _ = assign_roles(doc, sent, real or facts.triggers, facts.actors)
            if perp is not None and last.candidate.perpetrator_actor_id is None:
                last.candidate.perpetrator_actor_id = perp.actor_id
            continue
        if not real:
            # Places told with what a wanted man does ("organized attacks in Kabul and Herat") are
            # not where the operation was.
            # A dated sentence ("In Alingar district yesterday, a force searched for a leader who is
            # responsible for attacks") sets the scene whatever its wanted man does.
            if at_home and (facts.dates or not any(describes_role(doc, t, facts.text) for t in facts.triggers)):
                scene = facts
            continue
        fresh = [t for t in real if not is_anaphoric(doc, t, told_before=last is not None)]
        if not fresh and not facts.counts and not facts.dates:
            if finer:  # "The bomb exploded in the Olaya neighborhood": where the event told went off
                _refine_place(last, event_places(facts.places, facts.text, facts.start, gazetteer, country_hint), facts)
            if last is not None and facts.actors:
                # "The attack was carried out by FMLN urban commandos": who did the incident just told
                last.take_roles(*assign_roles(doc, sent, real, facts.actors))
                last.tells(facts.text)
            continue
        perp, target = assign_roles(doc, sent, real, facts.actors)
        event_type, sub_event_type, rank = event_type_of(real, perp, target, has_killed)
        places = event_places(facts.places, facts.text, facts.start, gazetteer, country_hint)
        dates = _dates_of_main_event(doc, real, facts.dates)
        killed, killed_more = sentence_count(facts.counts, "killed")
        if killed is None and not any(c.kind == "killed" for c in facts.counts):
            killed = named_victim(doc, real)
        injured, injured_more = sentence_count(facts.counts, "injured")
        detained, detained_more = sentence_count(facts.counts, "detained")
        more = (killed_more, injured_more, detained_more)
        separate = separate_event_places(facts.places, facts.text, facts.start, gazetteer, country_hint) \
            if len(places) == 1 else None
        own_counts: list[tuple[Quantity | None, Quantity | None, Quantity | None]] | None = None
        if separate:
            places = [p for p, _, _ in separate]
            own_counts = []
            for _, start, end in separate:
                mine = [c for c in facts.counts if start <= c.start < end]
                own_counts.append(tuple(sentence_count(mine, kind)[0] for kind in ("killed", "injured", "detained")))
        if not places or all(p.precision == "country" for p in places) and not (facts.dates or killed):
            newer_scene = scene is not None and (last is None or scene.start > last.candidate.char_start) \
                and (bool(facts.counts) or has_action_verb(doc, fresh)) and facts.start - scene.end < SCENE_REACH_CHARS
            told = resolve_event_interval(facts.dates) if facts.dates else None
            other_day = last is not None and not newer_scene and told is not None and \
                last.candidate.date_precision == "day" and (
                    told[0] not in (None, last.candidate.event_date)
                    or told[1] is not None and told[2] is not None
                    and not told[1] <= last.candidate.event_date <= told[2])
            if other_day:
                # "In 2018, more than 100 police officers were killed across the country": a past
                # event with neither a place nor a day of its own is background, no detail of this one.
                if not (fresh and has_action_verb(doc, fresh) and last.candidate.place is not None
                        and told[0] is not None):
                    continue
                # "Judge Diaz was assassinated in Medellin on 28 July; magistrate Espinoza was
                # killed on 1 November": another event on another day, where the last one was.
                places = [last.candidate.place]
            elif last is not None and not newer_scene:
                # A detail of the incident told just before: enrich it.
                last.tells(facts.text)
                last.absorb(split_toll(killed, last.split_into, 0), injured, detained, more,
                            (event_type, sub_event_type, rank), perp, target)
                if facts.dates:
                    _refine_date(last.candidate, resolve_event_interval(facts.dates))
                continue
            elif newer_scene:
                # The event happened where the report last set the scene.
                places = event_places(scene.places, scene.text, scene.start, gazetteer, country_hint)
                dates = dates or scene.dates
            elif fresh and (facts.counts or facts.dates or has_action_verb(doc, fresh)):
                # The article's first event names no place of its own: code it where the report set
                # the scene, else where a local report was filed, else at country level.
                if scene:
                    places = event_places(scene.places, scene.text, scene.start, gazetteer, country_hint)
                else:
                    places = places or country_place(gazetteer, country_hint)
            else:
                continue
            if not places:
                continue
        guessed = bool(places) and all(p.precision == "country" for p in places)
        if home is not None and places and all(p.precision == "country" and p.country_iso3 == home.country_iso3
                                               for p in places):
            places = [home]  # a local report placing its event only in the country: where it was filed
        if finer:
            scene = facts
        if dates:
            event_date, date_start, date_end, precision = resolve_event_interval(dates, near=real[0].start)
        else:
            event_date, date_start, date_end, precision = _undated_interval(
                facts.text, published, last.candidate if last else None, report_dated)
        for i, place in enumerate(places):
            k_i, inj_i, det_i = own_counts[i] if own_counts else (
                split_toll(killed, len(places), i), split_toll(injured, len(places), i), split_toll(detained, len(places), i))
            confidence = 0.45 + 0.15 * (place.precision in ("point", "admin2", "admin1")) \
                + 0.15 * (precision == "day") + 0.1 * (k_i is not None) + 0.1 * (perp is not None)
            candidate = IncidentCandidate(
                article_id=article_id, char_start=facts.start, char_end=facts.end, quote=facts.text,
                event_type=event_type, sub_event_type=sub_event_type, event_date=event_date,
                date_start=date_start, date_end=date_end, date_precision=precision, place=place,
                fatalities=k_i, injured=inj_i, detained=det_i,
                perpetrator_actor_id=perp.actor_id if perp else None,
                target_actor_id=target.actor_id if target else None,
                confidence=round(min(confidence, 0.95), 2), evidence=(facts.text,),
            )
            last = _Open(candidate, rank, split_into=len(places), place_guessed=guessed, more=more)
            opened.append(last)
    events = [o for o in one_per_event(opened) if not _background(o)]
    settle_article_roles([o.candidate for o in events], sentences)
    return [o.candidate for o in events]


# ---------------------------------------------------------------------------------------------
# Two mentions, one event. The walk above folds a sentence that only adds detail into the event
# before it; what is left are the article's event mentions, each with a place, dates and counts.
# ``one_per_event`` then reads them as a whole: the headline, the lead, later paragraphs, a
# witness's account and a toll update of one event become one incident with the most specific
# place, the narrowest date and the best-supported toll.
# ---------------------------------------------------------------------------------------------

_TOLL_UPDATE = re.compile(r"\b(?:toll|risen|rose|climbed|has climbed|increased|now stands|updated|revised)\b", re.I)


# "Another explosion took place simultaneously in Zone 5", "a third blast hit the market": the text says
# this is one more event than those told before it, however alike their place and day.
_ANOTHER_EVENT = re.compile(
    r"\b(?:another|a\s+(?:second|third|fourth|fifth|further|separate))\s+(?:\w+\s+)?"
    r"(?:explosions?|blasts?|bomb(?:ing)?s?|attacks?|ambush(?:es)?|raids?|(?:air\s*)?strikes?|clash(?:es)?|"
    r"shootings?|assaults?|grenades?|incidents?|massacres?)\b", re.I)
REPORT_LAG_DAYS = 1  # a report's own event happened on its day or the day before ("Sunday night")


def _dates_agree(a: IncidentCandidate, b: IncidentCandidate) -> bool:
    """One day, or intervals that overlap when at most one of them is a day ("Sunday" in "this
    week"). A mention dated only by its report (the report's day as best guess) is about a day at
    most ``REPORT_LAG_DAYS`` before it: "on Feb. 8" in a report of Feb. 15 is another event."""
    if (a.event_date, a.date_start, a.date_end) == (b.event_date, b.date_start, b.date_end):
        return True
    if a.date_precision == "day" and b.date_precision == "day":
        return False
    days = [c.event_date for c in (a, b) if c.date_precision == "day"]
    guesses = [c.event_date for c in (a, b) if c.date_precision != "day" and c.event_date is not None]
    if days and guesses and not 0 <= (guesses[0] - days[0]).days <= REPORT_LAG_DAYS:
        return False
    if None in (a.date_start, a.date_end, b.date_start, b.date_end):
        return a.date_start is None and b.date_start is None
    return a.date_start <= b.date_end and b.date_start <= a.date_end


def _places_agree(a: _Open, b: _Open, adjacent: bool) -> bool:
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


def _tolls_disagree(a: IncidentCandidate, b: IncidentCandidate, far_apart: bool = False) -> bool:
    """Two different tolls (with ``far_apart``, more than twice and 3 apart), neither told as an
    update of the other: two events ("fifteen soldiers were killed Friday ... a month after two
    assaults killed 40 soldiers")."""
    x, y = a.fatalities, b.fatalities
    if x is None or y is None or x.best is None or y.best is None or x.best == y.best:
        return False
    if far_apart and max(x.best, y.best) <= 2 * min(x.best, y.best) + 3:
        return False
    return not (_TOLL_UPDATE.search(a.quote) or _TOLL_UPDATE.search(b.quote))


def same_event(a: _Open, b: _Open, adjacent: bool = False) -> bool:
    """Whether two event mentions of one article (``a`` told first) are one event.

    A mention the text calls another event ("another explosion", "a third blast") is one. The same
    dates at the same or a nested place are one event whatever the words; otherwise both
    must be violent or of one type, their places must agree (``_places_agree``) and their dates
    overlap, and their tolls must not contradict each other.
    """
    ca, cb = a.candidate, b.candidate
    if _ANOTHER_EVENT.search(cb.quote):
        return False
    same_dates = (ca.event_date, ca.date_start, ca.date_end) == (cb.event_date, cb.date_start, cb.date_end)
    if place_key(ca.place) == place_key(cb.place) and same_dates:
        return not _tolls_disagree(ca, cb, far_apart=True)
    if same_dates and not (a.place_guessed or b.place_guessed) and _places_agree(a, b, adjacent) \
            and not _tolls_disagree(ca, cb):
        return True  # "in Helmand province" then "in Washer district" the same night: the operation's scene
    if ca.event_type != cb.event_type and not (ca.event_type in VIOLENT_EVENT_TYPES
                                               and cb.event_type in VIOLENT_EVENT_TYPES):
        return False
    if not _dates_agree(ca, cb) or not _places_agree(a, b, adjacent):
        return False
    return same_dates or not _tolls_disagree(ca, cb)


def _fold(into: _Open, other: _Open) -> None:
    """``other`` told the event ``into`` told first: keep the first span as evidence, take the finer
    place and date, the more severe type, the best-supported toll and any missing side."""
    c, o = into.candidate, other.candidate
    for text in o.evidence:
        into.tells(text)
    into.absorb(None, None, None, other.more, (o.event_type, o.sub_event_type, other.rank), None, None)
    summaries = (_SUMMARY.search(c.quote) is not None, _SUMMARY.search(o.quote) is not None)
    c.fatalities = _one_toll(c.fatalities, o.fatalities, other.more[0], summaries)
    c.injured = _one_toll(c.injured, o.injured, other.more[1], summaries)
    c.detained = _one_toll(c.detained, o.detained, other.more[2], summaries)
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


# "detained more than 10 suspected insurgents during three operations": a lead that sums up several
# events; its toll is theirs together, not the one event it is folded into.
_SUMMARY = re.compile(r"\b(?:during|in|across)\s+(?:two|three|four|five|six|seven|eight|nine|ten|several|multiple|"
                      r"numerous|a series of|\d+)\s+(?:separate\s+|joint\s+|different\s+)?(?:operations|raids|attacks|"
                      r"strikes|incidents|clashes|missions)\b", re.I)


def _one_toll(mine: Quantity | None, theirs: Quantity | None, additional: bool,
              summaries: tuple[bool, bool] = (False, False)) -> Quantity | None:
    """Two counts of one event: the event's own count outranks a summary's of several events, and
    a figure the text states outranks a vague word ("several detained" in a lead, "two suspects
    were detained" in the operation's own paragraph); otherwise the higher toll, or both added
    when the later one says it adds ("two more")."""
    if mine is not None and theirs is not None:
        if summaries[0] != summaries[1]:
            return theirs if summaries[0] else mine
        if is_vague(mine) != is_vague(theirs):
            return theirs if is_vague(mine) else mine
    return combine_tolls(mine, theirs, additional)


def one_per_event(opened: list[_Open]) -> list[_Open]:
    """The article's events: each mention folded into the event it is the same event as and agrees
    with most (the first told on a tie), else an event of its own."""
    events: list[_Open] = []
    for i, o in enumerate(opened):
        same = [e for e in events if same_event(e, o, adjacent=i > 0 and opened[i - 1] is e)]
        if not same:
            events.append(o)
            continue
        _fold(max(same, key=lambda e: (_agreement(e.candidate, o.candidate), -events.index(e))), o)
    return events


def _background(o: _Open) -> bool:
    """A past event the article recalls ("in 2018, more than 100 police officers were killed"):
    with neither a place of its own nor a day or week it happened in, it opens no incident."""
    c = o.candidate
    placed = c.place is not None and c.place.precision != "country" and not o.place_guessed
    return not placed and c.date_precision in ("month", "year")


_SPEECH_VERBS = frozenset({"said", "say", "says", "told", "tell", "tells", "announced", "announces", "reported",
                           "reports", "added", "adds", "confirmed", "confirms", "stated", "states", "declared"})


def _day_it_was_said(doc: Doc, mention) -> bool:
    """"..., a provincial official said on Monday": the day officials spoke, not the event's day."""
    tok = token_at(doc, mention.start)
    if tok is None:
        return False
    head = tok.head  # what the date phrase hangs from, through its own words and a preposition
    while head.i != head.head.i and (mention.start <= head.idx < mention.end or head.dep_ == "prep"):
        head = head.head
    return head.lower_ in _SPEECH_VERBS


def _dates_of_main_event(doc: Doc, real: list[Trigger], dates: list) -> list:
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
        clause = next((a for a in ([tok, *tok.ancestors] if tok is not None else []) if a.dep_ == "relcl"), None)
        if clause is not None and not clause.left_edge.i <= main.i <= clause.right_edge.i \
                and clause.head.i != main.i and any(
                    clause.left_edge.idx <= t.start < clause.right_edge.idx + len(clause.right_edge) for t in real[1:]):
            continue
        kept.append(d)
    return kept


