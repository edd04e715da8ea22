"""The sentence walk: a document's sentences → its event mentions, then its events.

One incident per event, place and day (the ACLED unit): a sentence with a real event mention
(``event_mentions``) opens a mention at each place it coordinates ("air strikes in Khost and
Kunar" → two, ``event_places``); a later sentence that adds detail without a place of its own
(the rest of a press release) enriches the mention before it, its toll combined by ``tolls``
and its sides by ``event_roles``; a sentence that sets a place or a day sets the scene of the
ones after it. ``detect_incidents`` is the walk; the helpers here each read one sentence.
What lives elsewhere: when a mention happened (its dates, the day told before, the report's
window) is ``event_dates``; how two mentions of the article become one event (``same_event``,
``one_per_event``) is ``document_events``. Dates, places, counts and actors are found by their
own modules; this one only combines them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from spacy.tokens import Doc

from pipeline.extraction.dates import resolve_event_interval
from pipeline.extraction.document_events import ANOTHER_EVENT, OpenEvent, is_background, one_per_event
from pipeline.extraction.event_dates import (
    SAME_DAY,
    dates_of_main_event,
    day_it_was_said,
    days_before_the_told_event,
    period_told_before,
    refine_date,
    since_date,
    undated_interval,
)
from pipeline.extraction.event_mentions import (
    SentenceFacts,
    Trigger,
    describes_role,
    has_action_verb,
    is_anaphoric,
    is_habitual,
    is_headline,
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
    separate_event_places,
)
from pipeline.extraction.event_roles import ARMED_TYPES, CLAIM, assign_roles, event_type_of, settle_article_roles
from pipeline.extraction.numbers import is_running_total, is_vague
from pipeline.extraction.records import (
    IncidentCandidate,
    Place,
    Quantity,
)
from pipeline.extraction.tolls import (
    named_victim,
    sentence_count,
    split_toll,
)

SCENE_REACH_CHARS = 600  # a place set this close before a count-bearing sentence is where it happened
# "Army vs Boko Haram, Borno": an unnamed state force is one of the sides of a headline fight.
_UNNAMED_STATE_FORCE = re.compile(r"\b(?:army|troops|soldiers|military|police|security forces|air force|navy)\b", re.I)
_TOLL_RANK = 30  # kill/death words and below (arrests, riots, protests): what a running total counts
# "The explosion took place in the Olaya neighborhood", "the residence is located in": a sentence
# that only says where the incident just told happened.
_WHERE_IT_HAPPENED = re.compile(r"\b(?:took place|occurred|happened|(?:is|was|are|were) located)\b", re.I)


def _refine_place(last: OpenEvent | None, places: list[Place], facts: SentenceFacts, told_where: bool = False) -> bool:
    """Move the incident just told to a finer place inside its own ("Bogota" -> "Bogota - Olaya"), or
    to the place a sentence about it names when its own was only guessed or borrowed from the scene
    ("… had staged the attack near the town of Guicán"). ``told_where``: the sentence says where the
    event took place, which outranks a country the lead named only in passing ("bordering Somalia")."""
    if last is None or last.split_into != 1 or len(places) != 1 or \
            facts.start - last.candidate.char_end > SCENE_REACH_CHARS:
        return False
    place, known = places[0], last.candidate.place
    guess_replaced = (last.place_guessed or last.place_borrowed) and known is not None \
        and place.precision != "country" \
        and (place.country_iso3 == known.country_iso3 or told_where and known.precision == "country")
    inside = known is not None and (nested(known, place) or is_city_part_of(place, known))
    if not guess_replaced and (not inside or not is_finer(place, known)):
        return False
    last.place_guessed = last.place_borrowed = False
    if place.admin1 is None and known.admin1 is not None and place.country_iso3 == known.country_iso3:
        place = replace(place, admin1=known.admin1, latitude=known.latitude, longitude=known.longitude)
    last.candidate.place = place
    return True


def _continues(doc: Doc, trigger: Trigger) -> bool:
    """"Clashes continued", "fighting continues", "they continued to clash": an event going on, which
    the article has already told, not a new one."""
    tok = token_at(doc, trigger.start)
    if tok is None:
        return False
    return tok.dep_ in ("nsubj", "nsubjpass", "xcomp") and tok.head.lower_ in _CONTINUE


_CONTINUE = frozenset({"continue", "continues", "continued", "continuing", "raged", "rages", "persisted"})


def _where_the_told_event_happened(doc: Doc, real: list[Trigger], facts: SentenceFacts) -> Trigger | None:
    """The trigger of "The attack took place …" / "the attack occurred …" when it refers back to an
    event already told ("the", "this", "Friday's"): the subject of a verb that says where or when
    it happened."""
    for m in _WHERE_IT_HAPPENED.finditer(facts.text):
        verb = token_at(doc, facts.start + m.start())
        if verb is None:
            continue
        if verb.dep_ in ("auxpass", "aux") or verb.lower_ in ("is", "was", "are", "were"):
            verb = verb.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subj in subjects:
            lo, hi = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
            for t in real:
                if lo <= t.start < hi and is_anaphoric(doc, t, told_before=True):
                    return t
    return None


def _tells_when_and_where(doc: Doc, sent, real: list[Trigger], told_again: Trigger, facts: SentenceFacts,
                          last: OpenEvent, gazetteer, country_hint: str | None) -> bool:
    """"The attack took place early on Friday in the al-Azim district": a sentence that refers back to
    the event just told and says when and where it happened is a detail of it, not a new event,
    when its day lies in what is known of that event's dates. Its place and day refine the event;
    a toll it gives is the event's only when no other event is told in it ("after the murder of
    seven civilians in a series of raids this week" is another)."""
    told = resolve_event_interval(dates_of_main_event(doc, [told_again], facts.dates), near=told_again.start)
    day, start, end, _ = told
    c = last.candidate
    if start is None or end is None:
        return False
    if c.date_precision == "day" and c.event_date is not None:
        fits = start <= c.event_date <= end
    else:
        fits = c.date_start is None or c.date_end is None or (
            start <= c.date_end + timedelta(days=1) and c.date_start - timedelta(days=1) <= end)
    if not fits:
        return False
    refine_date(c, told)
    if any(p.place.precision != "country" for p in facts.places):
        _refine_place(last, event_places(facts.places, facts.text, facts.start, gazetteer, country_hint), facts,
                      told_where=True)
    if len(real) == 1 and facts.counts:
        killed, killed_more = sentence_count(facts.counts, "killed")
        injured, injured_more = sentence_count(facts.counts, "injured")
        detained, detained_more = sentence_count(facts.counts, "detained")
        last.absorb(split_toll(killed, last.split_into, 0), injured, detained,
                    (killed_more, injured_more, detained_more), (c.event_type, c.sub_event_type, last.rank),
                    None, None)
    last.take_roles(*assign_roles(doc, sent, real, facts.actors))
    last.tells(facts.text)
    return True


# "one at the Central Park, another at the university, and another at a school": the sites of
# several events of one sentence, each an event of its own.
_FIRST_SITE = re.compile(r"\b(?:one|the first)\s+(?:at|in|on|near|inside|outside|against)\b", re.I)
_OTHER_SITE = re.compile(r"\b(?:another|(?:a|the)\s+(?:second|third|fourth|fifth|last))\s+"
                         r"(?:at|in|on|near|inside|outside|against)\b", re.I)


def _enumerated_sites(text: str) -> int:
    """How many sites a sentence lists its events at ("one at X, another at Y" → 2), else 1."""
    first = _FIRST_SITE.search(text)
    if first is None:
        return 1
    return 1 + len(_OTHER_SITE.findall(text, first.end()))


def _is_title(sentences: list[SentenceFacts], n: int) -> bool:
    """Sentence ``n`` is the article's title: a title line with no full sentence before it."""
    first_line = sentences[n].text.strip().split("\n")[0]  # the model may run stamp lines below it in
    return is_headline(first_line) and not any(is_full_sentence(s.text) for s in sentences[:n])


def is_full_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ".\"", ".”"))


_WORDS_ONLY = re.compile(r"\W+")
# A line or a sentence inside one read as longer (a page's summary run into its first paragraph)
_PART_BREAK = re.compile(r"\n+|(?<=[.!?])\s+")


def _words_only(text: str) -> str:
    return _WORDS_ONLY.sub(" ", text.lower()).strip()


def _plural_event(doc: Doc, trigger: Trigger) -> bool:
    """A trigger naming events in the plural, uncounted and not the ones told ("their raids", "landmine
    attacks"): events in general. "Two bombs", "the attacks", "these blasts" are the event's own."""
    tok = token_at(doc, trigger.start)
    while tok is not None and tok.dep_ in ("compound", "amod", "nmod") and tok.head.i != tok.i:
        tok = tok.head
    if tok is None or tok.tag_ != "NNS":
        return False
    return not any(c.dep_ == "nummod" or c.dep_ == "det" and c.lower_ in ("the", "these", "those", "both")
                   for c in tok.children)


def detect_incidents(article_id: str, doc: Doc, sentences: list[SentenceFacts], published: date | None,
                     gazetteer, country_hint: str | None, report_dated: bool = False,
                     home: Place | None = None) -> list[IncidentCandidate]:
    """All incident candidates of one article, one per event, place and day.

    ``home`` is where a local report was filed (its dateline city, admin1 precision): the place of
    an event the report locates nowhere else.
    """
    opened: list[OpenEvent] = []
    last: OpenEvent | None = None
    scene: SentenceFacts | None = None  # the latest sentence that set a place ("conducted an operation in X district")
    told_days = None  # the dates of the latest sentence that gave any
    said_before: set[str] = set()  # every sentence so far and each line or sentence inside it, in words only
    for n, facts in enumerate(sentences):
        said = _words_only(facts.text)
        if said.count(" ") >= 5 and said in said_before:
            continue  # a web page that repeats its summary in the body tells the event once, not twice
        said_before.add(said)
        said_before.update(_words_only(part) for part in _PART_BREAK.split(facts.text))
        if facts.dates:
            told_days = [d for d in facts.dates if not since_date(token_at(doc, d.start))] or told_days
        finer = [p for p in facts.places if p.place.precision != "country"]
        # "talks scheduled in Caracas, Venezuela" in a report on El Salvador sets no scene for it
        at_home = any(p.place.country_iso3 in (None, country_hint) for p in finer) if country_hint else bool(finer)
        sent = doc.char_span(facts.start, facts.end, alignment_mode="expand")
        if sent is not None and facts.triggers and facts.dates:
            facts = replace(facts, dates=[d for d in facts.dates if not day_it_was_said(doc, d)])
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
        if last is not None and all(_continues(doc, t) for t in real):
            # "heavy clashes continued around the district center": the fight already told, still going on
            last.tells(facts.text)
            continue
        told_again = _where_the_told_event_happened(doc, real, facts) if last is not None and facts.dates else None
        if told_again is not None and _tells_when_and_where(doc, sent, real, told_again, facts, last, gazetteer,
                                                            country_hint):
            continue
        perp, target = assign_roles(doc, sent, real, facts.actors)
        event_type, sub_event_type, rank = event_type_of(real, perp, target, has_killed)
        places = event_places(facts.places, facts.text, facts.start, gazetteer, country_hint)
        dates = dates_of_main_event(doc, real, facts.dates)
        killed, killed_more = sentence_count(facts.counts, "killed")
        if killed is None and not any(c.kind == "killed" for c in facts.counts):
            killed = named_victim(doc, real)
        injured, injured_more = sentence_count(facts.counts, "injured")
        detained, detained_more = sentence_count(facts.counts, "detained")
        more = (killed_more, injured_more, detained_more)
        separate = separate_event_places(facts.places, facts.text, facts.start, gazetteer, country_hint,
                                         [c.start for c in facts.counts if c.kind == "killed"]) \
            if len(places) == 1 else None
        own_counts: list[tuple[Quantity | None, Quantity | None, Quantity | None]] | None = None
        if separate:
            places = [p for p, _, _ in separate]
            own_counts = []
            for _, start, end in separate:
                mine = [c for c in facts.counts if start <= c.start < end]
                own_counts.append(tuple(sentence_count(mine, kind)[0] for kind in ("killed", "injured", "detained")))
        borrowed = False
        sites = _enumerated_sites(facts.text) if len(places) == 1 and not separate else 1
        if sites > 1:
            places = places * sites  # "three bombs went off in Tegucigalpa, one at the park, another at …"
        if not places or all(p.precision == "country" for p in places) and not (facts.dates or killed):
            newer_scene = scene is not None and (last is None or scene.start > last.candidate.char_start) \
                and (bool(facts.counts) or has_action_verb(doc, fresh)) and facts.start - scene.end < SCENE_REACH_CHARS
            told = resolve_event_interval(facts.dates) if facts.dates else None
            other_day = last is not None and not newer_scene and told is not None and \
                last.candidate.date_precision == "day" and (
                    told[0] not in (None, last.candidate.event_date)
                    or told[1] is not None and told[2] is not None
                    and not told[1] <= last.candidate.event_date <= told[2])
            if last is not None and not newer_scene and fresh and ANOTHER_EVENT.search(facts.text):
                # "In another incident, a motorcyclist was shot dead": one more event, where the last was
                places, borrowed = [last.candidate.place], True
            elif other_day:
                # "In 2018, more than 100 police officers were killed across the country": a past
                # event with neither a place nor a day of its own is background, no detail of this one.
                if not (fresh and has_action_verb(doc, fresh) and last.candidate.place is not None
                        and told[0] is not None):
                    continue
                # "Judge Diaz was assassinated in Medellin on 28 July; magistrate Espinoza was
                # killed on 1 November": another event on another day, where the last one was.
                places, borrowed = [last.candidate.place], True
            elif last is not None and not newer_scene:
                # A detail of the incident told just before: enrich it. A sentence on events in general
                # ("the jihadists have widened their raids and landmine attacks") types no incident.
                last.tells(facts.text)
                general = not facts.counts and not facts.dates and all(_plural_event(doc, t) for t in fresh)
                last.absorb(split_toll(killed, last.split_into, 0), injured, detained, more,
                            (last.candidate.event_type, last.candidate.sub_event_type, last.rank) if general
                            else (event_type, sub_event_type, rank), perp, target)
                if facts.dates:
                    refine_date(last.candidate, resolve_event_interval(facts.dates))
                continue
            elif newer_scene:
                # The event happened where the report last set the scene.
                places = event_places(scene.places, scene.text, scene.start, gazetteer, country_hint)
                dates = dates or [d for d in scene.dates if not since_date(token_at(doc, d.start))]
                borrowed = True
            elif fresh and (facts.counts or facts.dates or has_action_verb(doc, fresh)):
                # The article's first event names no place of its own: code it where the report set
                # the scene, else where a local report was filed, else at country level.
                if scene:
                    places = event_places(scene.places, scene.text, scene.start, gazetteer, country_hint)
                    borrowed = True
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
        if not dates and told_days is not None and SAME_DAY.search(facts.text):
            dates = told_days  # "On that very day, a colonel was murdered": the day told just before
        elif not dates and told_days is not None:
            dates = period_told_before(facts, told_days)
        days_before = days_before_the_told_event(facts, real, last.candidate if last else None) \
            if not dates else None
        if days_before is not None:
            event_date = date_start = date_end = days_before
            precision = "day"
        elif dates:
            event_date, date_start, date_end, precision = resolve_event_interval(dates, near=real[0].start)
        else:
            event_date, date_start, date_end, precision = undated_interval(
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
            last = OpenEvent(candidate, rank, split_into=len(places), place_guessed=guessed, more=more,
                         place_borrowed=borrowed, headline=_is_title(sentences, n),
                         undated=not dates and days_before is None)
            opened.append(last)
    events = [o for o in one_per_event(opened) if not is_background(o)]
    settle_article_roles([o.candidate for o in events], sentences)
    return [o.candidate for o in events]
