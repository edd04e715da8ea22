"""One article → everything it yields (incidents, actor mentions, new actors, relations).

The per-article unit of work: pure, deterministic, and cached by the caller under
(text hash, extractor version). It parses the body once with spaCy, finds the article's country
context, actors and places once, then hands each sentence's facts to the event and relation
detectors. Nothing here merges across articles (that is ``pipeline.normalise``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from pipeline.extraction.actors import NON_STATE_ARMED_TYPES, load_registry
from pipeline.extraction.boilerplate import mask_boilerplate
from pipeline.extraction.dates import find_date_mentions, parse_dateline, section_dates
from pipeline.extraction.event_mentions import SentenceFacts, find_triggers
from pipeline.extraction.events import detect_incidents
from pipeline.extraction.nlp import PERSON_TITLES, is_all_caps, parse
from pipeline.extraction.numbers import find_count_mentions
from pipeline.extraction.places import load_gazetteer, name_key, place_named_villages
from pipeline.extraction.records import ArticleExtraction, Place, PlaceMention
from pipeline.extraction.relations import detect_relations


def _within(items, start: int, end: int) -> list:
    return [m for m in items if m.start >= start and m.end <= end]


def plausible_places(mentions: list[PlaceMention], country: str | None, gazetteer=None) -> list[PlaceMention]:
    """Drop towns abroad that the sentence gives no reason to believe in.

    In an article about one country, a foreign town ("Bismarck" in a byline, "Az Zubayr" from
    the name Zubair) is kept only when the sentence also names its country or one of its
    first-level units, or when it is a major city named by its own name ("San Salvador" in a report
    from Caracas; not "DAMAS", an alternate name of Damascus);
    foreign countries and provinces named outright stay.
    """
    if country is None:
        return mentions
    named = {m.place.country_iso3 for m in mentions if m.place.precision in ("country", "admin1")}
    return [m for m in mentions if m.place.country_iso3 == country or m.place.precision in ("country", "admin1")
            or m.place.country_iso3 in named or (gazetteer is not None and gazetteer.is_major_city(m.place)
                                                 and name_key(m.text) == name_key(m.place.name))]


_TERMINAL = re.compile(r"[.!?:;\"'\u201d)\]]\s*$")


def sentence_spans(doc, body: str) -> list[tuple[int, int]]:
    """The model's sentences, with false breaks mended.

    A sentence that ends without terminal punctuation and runs on in the same paragraph was cut
    by the model ("... LIBERATION FRONT | [FMLN] IN SAN MIGUEL DEPARTMENT."); in ALL-CAPS wire
    text, where lines wrap mid-sentence, this is common. Header lines (short, on their own line
    in mixed-case text) stay apart.
    """
    caps = is_all_caps(body)
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if spans:
            prev_start, prev_end = spans[-1]
            gap = body[prev_end:start]
            prev = body[prev_start:prev_end].rstrip()
            if prev and not _TERMINAL.search(prev) and "\n\n" not in body[prev_start:start].rstrip() \
                    and (caps or "\n" not in body[prev_start:start].rstrip()) and not gap.strip():
                spans[-1] = (prev_start, end)
                continue
        spans.append((start, end))
    return spans


def dateline_home(gazetteer, dateline, country: str | None) -> Place | None:
    """Where a local report was filed: the dateline's city, when it lies in the article's country.

    An event the report places nowhere else is coded there with admin1 precision — ACLED's
    convention of coding an event known only to a region at that region's main town.
    """
    if dateline is None or not dateline.place_text or country is None:
        return None
    name = re.split(r"[,(]", dateline.place_text)[0].strip()
    place = gazetteer.resolve(name, country_hint=country) if name else None
    if place is None or place.country_iso3 != country or place.precision != "point" or place.admin1 is None:
        return None
    return replace(place, precision="admin1")


_LOCATIVE = frozenset("in near at into outside inside around toward towards from".split())
_PLACE_WORDS = frozenset("district province village city town department state county municipality".split())


def person_name_spans(doc, body: str, is_place_name=lambda name: False) -> list[tuple[int, int]]:
    """Character spans of people's names (capitals read from ``body``: the parsed text may be the
    sentence-case view of an all-caps wire), so that "JAIME VALENCIA MARTINEZ" or "Captain Walter
    Cordoba" is never read as a town. A name told after a locative word ("in Nad Ali"), before a
    place word ("Sayed Abad district") or that is a place's whole name is left to the gazetteer."""
    spans = []
    # The model's people are trusted in all-caps wires only (its sentence-case view): in mixed
    # case it also calls "Maiduguri Attack" or "Sangin/Helmand" a person.
    for ent in doc.ents if is_all_caps(body) else ():
        if ent.label_ != "PERSON" or len(ent) < 2:
            continue
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if before in _LOCATIVE or after in _PLACE_WORDS or is_place_name(ent.text):
            continue  # "in Nad Ali", "Sayed Abad district", "SAN MIGUEL": the model's person is a place
        spans.append((ent.start_char, ent.end_char))
    for tok in doc[1:]:
        title = doc[tok.i - 1]
        if title.lower_.rstrip(".") in PERSON_TITLES and body[title.idx].isupper() and tok.is_alpha \
                and body[tok.idx].isupper():
            k = tok.i  # the title covers the name and a surname coordinated with it
            while k + 2 < len(doc) and doc[k + 1].lower_ == "and" and body[doc[k + 2].idx].isupper():
                k += 2
            spans.append((tok.idx, doc[k].idx + len(doc[k])))
    return spans


def _event_clauses(body: str, spans, published: date | None):
    """Sentences, with one told as several events between semicolons split into its clauses:
    "Judge Diaz was assassinated on 28 July; magistrate Jimenez was killed on 17 October"."""
    for start, end in spans:
        cuts = [start] + [start + m.end() for m in re.finditer(r";\s*", body[start:end])] + [end]
        clauses = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if body[a:b].strip()]
        if len(clauses) > 1 and all(find_triggers(body[a:b]) and find_date_mentions(body[a:b], published)
                                    for a, b in clauses):  # a sentence of one clause is not searched twice
            yield from clauses
        else:
            yield start, end


def _reference_day(parts: list[tuple[int, date]], offset: int, published: date | None) -> date | None:
    """The day relative words at ``offset`` count from: their part's day, else publication."""
    before = [day for start, day in parts if start <= offset]
    return before[-1] if before else published


ARMED_GROUP_VOTE = 2.0  # a named armed group of one country counts as much as a province of it


def _armed_group_countries(mentions, new_actors) -> dict[str, float]:
    """The countries of the non-state armed groups the registry knows and the text names (each
    group once): JNIM, al-Shabaab and the VDP fight in one country each. Groups made up for the
    article's own country ("unidentified armed group") say nothing."""
    made_up = {a.actor_id for a in new_actors}
    groups = {(m.actor_id, m.country_iso3) for m in mentions
              if m.actor_type in NON_STATE_ARMED_TYPES and m.country_iso3 and m.actor_id not in made_up
              and not m.actor_id.startswith("unidentified-")}
    votes: dict[str, float] = {}
    for _, iso in groups:
        votes[iso] = votes.get(iso, 0.0) + ARMED_GROUP_VOTE
    return votes


def extract_article(article_id: str, body: str, published: date | None,
                    published_source: str = "unknown", published_precision: str = "day") -> ArticleExtraction:
    """Run the whole extraction over one article body (offsets are body offsets).

    ``published_source`` says whether the publication date was stated (front matter, dateline) or
    inferred from the text: only a stated date dates the undated events of a news report, and an
    inferred one is a floor (the text was written then or later). A weekday counts from a stated
    day, lies nearest an inferred day and names no day beside an inferred month or year
    ("Monday" in a text whose latest date is "Feb. 2022" may be any Monday since).
    """
    page = body
    body = mask_boilerplate(page)  # captions, stamps, bylines, related headlines blanked; offsets kept
    doc = parse(body)
    gazetteer = load_gazetteer()
    registry = load_registry()
    dateline = parse_dateline(body, published.year if published else None)
    country = gazetteer.country_context(body)
    mentions, new_actors = registry.find_mentions(body, doc=doc, country_hint=country)
    votes = _armed_group_countries(mentions, new_actors)
    if votes and country not in votes:
        # "Al-Shabaab fighters overran a base in El Baraf": the named armed groups say where, when no
        # place does, or only words that are also small towns abroad ("Homeland", "Rapid")
        again = gazetteer.country_context(body, actor_votes=votes)
        if again != country:
            country = again
            mentions, new_actors = registry.find_mentions(body, doc=doc, country_hint=country)
    if dateline is not None:  # "KUNDUZ, Afghanistan (...) -": the dateline names a place, not an actor
        mentions = [m for m in mentions if m.end <= dateline.start or m.start >= dateline.end]
    # "Bungudu LGA", "Zamfara State": a place named with its unit word is a place, not a new actor
    new_ids = {a.actor_id for a in new_actors}
    mentions = [m for m in mentions if m.actor_id not in new_ids or not gazetteer.is_unit_phrase(m.text)]
    new_actors = [a for a in new_actors if any(m.actor_id == a.actor_id for m in mentions)]
    exclude = [(m.start, m.end) for m in mentions] + person_name_spans(doc, body, gazetteer.is_place_name)
    if dateline is not None:
        exclude.append((dateline.start, dateline.end))
    places = place_named_villages(gazetteer.find_place_mentions(body, country_hint=country, exclude_spans=exclude),
                                  body, country, gazetteer)
    body_start = dateline.end if dateline is not None else 0

    parts = section_dates(page, published)
    weekdays = "last" if published_source != "text" else "nearest" if published_precision == "day" else "none"
    sentences: list[SentenceFacts] = []
    for start, end in _event_clauses(body, sentence_spans(doc, body), published):
        text = body[start:end]
        stripped = text.rstrip()
        end = start + len(stripped)
        if end <= body_start or not stripped.strip():
            continue
        if start < body_start:  # dateline and first sentence share a line
            start = body_start
            text = body[start:end]
        else:
            text = stripped
        triggers = find_triggers(text, offset=start)
        sentence_places = plausible_places(_within(places, start, end), country, gazetteer)
        sentences.append(SentenceFacts(
            start=start, end=end, text=text, triggers=triggers,
            places=sentence_places,
            dates=find_date_mentions(text, _reference_day(parts, start, published), offset=start,
                                     weekdays=weekdays if not parts else "last")
            if triggers or sentence_places else [],
            counts=find_count_mentions(text, offset=start) if triggers else [],
            actors=_within(mentions, start, end),
        ))
    report_dated = published is not None and published_source in ("front_matter", "dateline")
    home = dateline_home(gazetteer, dateline, country)
    incidents = detect_incidents(article_id, doc, sentences, published, gazetteer, country, report_dated, home)
    relations = detect_relations(article_id, doc, body, sentences, published)
    return ArticleExtraction(article_id=article_id, incidents=incidents, actor_mentions=mentions,
                             actors=new_actors, relations=relations)
