"""Per-article extractions → the published tables, with stable content-derived IDs.

Merges incidents that several articles report (same event type, place and date), builds the
canonical actors table (registry, generic and discovered actors actually used, plus their
parents), and assigns IDs from content only — never from row numbers or run times — so an
incident or actor that is still there keeps its ID when other articles come and go.
Recipe (also in the README): ``incident_id = "inc-" + sha256(event_type|country|admin1|admin2|
location|event_date|date_start|date_end)[:16]`` (an article's second event with that key adds
``|1``, its third ``|2``); ``relation_id = "rel-" + sha256(subject|type|
object|article_id)[:16]``; actor IDs are registry slugs or slugs of the normalised name.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipeline.contract import empty_frame
from pipeline.extraction.actors import load_registry
from pipeline.extraction.records import ActorDefinition, ArticleExtraction, IncidentCandidate, Quantity
from pipeline.incident_merge import group_reports


def _hash_id(prefix: str, *parts: object) -> str:
    text = "|".join("" if p is None else str(p) for p in parts)
    return f"{prefix}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def incident_key(c: IncidentCandidate) -> tuple:
    p = c.place
    return (c.event_type, p.country_iso3 if p else None, p.admin1 if p else None, p.admin2 if p else None,
            p.location if p else None, c.event_date, c.date_start, c.date_end)


def incident_id(c: IncidentCandidate, told_apart: int = 0) -> str:
    """``told_apart``: the candidate is the article's n-th event with this key (three bombs in one
    city on one day), which the ID must tell apart; the first keeps the plain recipe."""
    return _hash_id("inc", *incident_key(c)) if not told_apart else _hash_id("inc", *incident_key(c), told_apart)


def _told_apart(candidates: list[IncidentCandidate]) -> dict[int, int]:
    """For each candidate (by ``id``), how many of its article's earlier candidates share its key."""
    seen: dict[tuple, int] = {}
    out = {}
    for c in sorted(candidates, key=lambda c: (c.article_id, c.char_start)):
        k = (c.article_id, incident_key(c))
        out[id(c)] = seen.get(k, 0)
        seen[k] = out[id(c)] + 1
    return out


def _ts(d: date | None):
    return pd.Timestamp(d) if d is not None else pd.NaT


def _merge_quantity(qs: list[Quantity | None]) -> Quantity | None:
    """Across sources (one figure per article): low = lowest low, high = highest, best = the figure
    most sources give ("5, 5 and 7 killed": 5), the highest of those tied (tolls are revised upward:
    "2 killed" early, "18" by evening). Each source's own figure stays in ``incident_sources``."""
    qs = [q for q in qs if q is not None]
    if not qs:
        return None
    lows = [q.low for q in qs if q.low is not None]
    bests = [q.best for q in qs if q.best is not None]
    highs = [q.high for q in qs if q.high is not None]
    best = max(bests, key=lambda b: (bests.count(b), b)) if bests else None
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    if low is not None and best is not None:
        low = min(low, best)
    if high is not None and best is not None:
        high = max(high, best)
    return Quantity(low, best, high, "; ".join(dict.fromkeys(q.phrase for q in qs)))


@dataclass
class Tables:
    """The six published tables as contract-shaped frames."""

    articles: pd.DataFrame
    incidents: pd.DataFrame
    incident_sources: pd.DataFrame
    actors: pd.DataFrame
    actor_mentions: pd.DataFrame
    relations: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return dict(self.__dict__)


def build_tables(articles: pd.DataFrame, extractions: list[ArticleExtraction], extractor_version: str) -> Tables:
    """Everything after extraction: merge, resolve, identify. Deterministic for the same input."""
    published = {r.article_id: (r.published_date.date() if pd.notna(r.published_date) else None)
                 for r in articles.itertuples()}
    extractions = sorted(extractions, key=lambda e: e.article_id)
    incidents, sources = _incident_rows(extractions, extractor_version, published)
    mentions = _mention_rows(extractions)
    relations = _relation_rows(extractions, extractor_version)
    actors = _actor_rows(extractions, incidents, mentions, relations, published)
    return Tables(articles, incidents, sources, actors, mentions, relations)


_GEO_ORDER = {"point": 0, "admin2": 1, "admin1": 2, "country": 3, "unknown": 4}
_DATE_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def _finest_place(cands: list[IncidentCandidate]):
    """The most specific place the reports give (a neighbourhood over its city, a town over its
    province, one placed in its province over one the gazetteer could not place); the first
    report's on a tie."""
    placed = [c.place for c in cands if c.place is not None]
    if not placed:
        return None
    return min(placed, key=lambda p: (_GEO_ORDER.get(p.precision, 4) >= _GEO_ORDER["country"], p.admin1 is None,
                                      _GEO_ORDER.get(p.precision, 4), p.location is None, not p.city_part))


def _narrowest_dates(cands: list[IncidentCandidate]) -> IncidentCandidate:
    """The report with the narrowest date ("Sunday" over "last week"); the first report's on a tie."""
    def width(c: IncidentCandidate) -> int:
        return (c.date_end - c.date_start).days if c.date_start and c.date_end else 10**6
    return min(cands, key=lambda c: (_DATE_ORDER.get(c.date_precision, 4), width(c)))


def _event_type(cands: list[IncidentCandidate]) -> tuple[str, str | None]:
    """The type most reports give; the first report's on a tie."""
    votes: dict[tuple[str, str | None], int] = {}
    for c in cands:
        votes[(c.event_type, c.sub_event_type)] = votes.get((c.event_type, c.sub_event_type), 0) + 1
    return max(votes, key=lambda k: votes[k])  # dicts keep insertion order: ties go to the first


def _incident_rows(extractions: list[ArticleExtraction], version: str, published: dict[str, date | None]
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per event: the reports ``group_reports`` puts together, under their first report's ID."""
    candidates = [c for ex in extractions for c in ex.incidents]
    apart = _told_apart(candidates)
    groups = group_reports(candidates, published, key=lambda c: (incident_key(c), apart[id(c)]))
    rows, source_rows = [], []
    for group in sorted(groups, key=lambda g: incident_id(g.first, apart[id(g.first)])):
        iid = incident_id(group.first, apart[id(group.first)])
        cands = group.members
        p = _finest_place(cands)
        dated = _narrowest_dates(cands)
        event_type, sub_event_type = _event_type(cands)
        killed = _merge_quantity([c.fatalities for c in cands])
        injured = _merge_quantity([c.injured for c in cands])
        detained = _merge_quantity([c.detained for c in cands])
        by_article = {}
        for c in sorted(cands, key=lambda c: (c.article_id, c.char_start)):
            by_article.setdefault(c.article_id, c)
        rows.append({
            "incident_id": iid, "event_date": _ts(dated.event_date), "date_start": _ts(dated.date_start),
            "date_end": _ts(dated.date_end), "date_precision": dated.date_precision, "event_type": event_type,
            "sub_event_type": sub_event_type,
            "perpetrator_actor_id": next((c.perpetrator_actor_id for c in cands if c.perpetrator_actor_id), None),
            "target_actor_id": next((c.target_actor_id for c in cands if c.target_actor_id), None),
            "country_iso3": p.country_iso3 if p else None, "admin1": p.admin1 if p else None,
            "admin2": p.admin2 if p else None, "location": p.location if p else None,
            "latitude": p.latitude if p else None, "longitude": p.longitude if p else None,
            "geo_precision": p.precision if p else "unknown",
            "fatalities_low": killed.low if killed else None, "fatalities_best": killed.best if killed else None,
            "fatalities_high": killed.high if killed else None,
            "injured_best": injured.best if injured else None, "detained_best": detained.best if detained else None,
            "summary": group.first.quote, "n_sources": len(by_article),
            "confidence": round(min(0.99, max(c.confidence for c in cands) + 0.05 * (len(by_article) - 1)), 2),
        })
        for aid, c in sorted(by_article.items()):
            source_rows.append({
                "incident_id": iid, "article_id": aid, "char_start": c.char_start, "char_end": c.char_end,
                "quote": c.quote, "fatalities_text": c.fatalities.phrase if c.fatalities else None,
                "extractor_version": version,
            })
    return (pd.DataFrame(rows) if rows else empty_frame("incidents"),
            pd.DataFrame(source_rows) if source_rows else empty_frame("incident_sources"))


def _mention_rows(extractions: list[ArticleExtraction]) -> pd.DataFrame:
    rows = {}
    for ex in extractions:
        for m in ex.actor_mentions:
            rows[(ex.article_id, m.start, m.end, m.actor_id)] = {
                "article_id": ex.article_id, "actor_id": m.actor_id, "char_start": m.start, "char_end": m.end,
                "text": m.text}
    return pd.DataFrame(list(rows.values())) if rows else empty_frame("actor_mentions")


def _relation_rows(extractions: list[ArticleExtraction], version: str) -> pd.DataFrame:
    rows = {}
    for ex in extractions:
        for r in ex.relations:
            rid = _hash_id("rel", r.subject_actor_id, r.relation_type, r.object_actor_id, r.article_id)
            rows.setdefault(rid, {
                "relation_id": rid, "subject_actor_id": r.subject_actor_id, "relation_type": r.relation_type,
                "object_actor_id": r.object_actor_id, "article_id": r.article_id, "char_start": r.char_start,
                "char_end": r.char_end, "quote": r.quote, "observed_date": _ts(r.observed_date),
                "confidence": r.confidence, "extractor_version": version})
    return pd.DataFrame(list(rows.values())) if rows else empty_frame("relations")


def _actor_rows(extractions, incidents, mentions, relations, published) -> pd.DataFrame:
    registry = load_registry()
    defs: dict[str, ActorDefinition] = {}
    for ex in extractions:
        for d in ex.actors:
            prior = defs.get(d.actor_id)
            if prior is None:
                defs[d.actor_id] = d
            else:
                defs[d.actor_id] = ActorDefinition(prior.actor_id, prior.name, prior.actor_type,
                                                   tuple(dict.fromkeys(prior.aliases + d.aliases)),
                                                   prior.country_iso3 or d.country_iso3, prior.parent_actor_id,
                                                   prior.wikidata_id)
    used = set(mentions["actor_id"]) if len(mentions) else set()
    for col in ("perpetrator_actor_id", "target_actor_id"):
        used |= set(incidents[col].dropna()) if len(incidents) else set()
    for col in ("subject_actor_id", "object_actor_id"):
        used |= set(relations[col].dropna()) if len(relations) else set()

    def definition(aid: str) -> ActorDefinition | None:
        return registry.get(aid) or defs.get(aid)

    pending = sorted(used)
    while pending:  # parents must resolve (FK), so bring them in too
        aid = pending.pop()
        d = definition(aid)
        if d and d.parent_actor_id and d.parent_actor_id not in used and definition(d.parent_actor_id):
            used.add(d.parent_actor_id)
            pending.append(d.parent_actor_id)
    surface: dict[str, dict[str, None]] = defaultdict(dict)
    seen: dict[str, list[date]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for m in mentions.itertuples():
        surface[m.actor_id][m.text] = None
        counts[m.actor_id] += 1
        if published.get(m.article_id):
            seen[m.actor_id].append(published[m.article_id])
    rows = []
    for aid in sorted(used):
        d = definition(aid)
        if d is None:
            continue
        aliases = [a for a in dict.fromkeys(list(d.aliases) + sorted(surface[aid])) if a and a != d.name]
        dates = seen.get(aid) or []
        rows.append({
            "actor_id": aid, "name": d.name, "aliases": aliases, "actor_type": d.actor_type,
            "country_iso3": d.country_iso3,
            "parent_actor_id": d.parent_actor_id if d.parent_actor_id in used else None,
            "wikidata_id": d.wikidata_id, "n_mentions": counts.get(aid, 0),
            "first_seen": _ts(min(dates)) if dates else pd.NaT, "last_seen": _ts(max(dates)) if dates else pd.NaT,
        })
    return pd.DataFrame(rows) if rows else empty_frame("actors")
