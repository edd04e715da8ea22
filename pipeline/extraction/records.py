"""Records that cross module boundaries inside extraction.

Every record carries character offsets into the *article body* (the text after any front
matter), so any output row can be traced back to its span. Only plain dataclasses live here
(and what follows from their own fields): no parsing logic, no I/O, no Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DatePrecision = str  # "day" | "week" | "month" | "year" | "unknown"
GeoPrecision = str  # "point" | "admin2" | "admin1" | "country" | "unknown"
CountKind = str  # "killed" | "injured" | "detained"


@dataclass(frozen=True)
class Place:
    """A resolved place: the most specific level known, with its parents filled in."""

    name: str  # the canonical name of the most specific level (e.g. "Mazar-e-Sharif")
    country_iso3: str | None
    admin1: str | None = None  # canonical first-level unit name (e.g. "Balkh")
    admin2: str | None = None  # district / second-level unit where known (e.g. "Injil")
    location: str | None = None  # city/village/site name; None when the place IS an admin unit
    latitude: float | None = None
    longitude: float | None = None
    precision: GeoPrecision = "unknown"  # point | admin2 | admin1 | country | unknown
    geonameid: int | None = None
    city_part: bool = False  # a neighbourhood or suburb: location is "City - Part", coordinates the city's


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved to the interval it denotes."""

    start: int
    end: int
    text: str
    date_start: date
    date_end: date
    precision: DatePrecision  # day | week | month | year
    relative: bool = False  # True for "yesterday", "on Thursday", "last August"...

    @property
    def event_date(self) -> date | None:
        """The single best date: only when the interval is one day."""
        return self.date_start if self.date_start == self.date_end else None


@dataclass(frozen=True)
class Dateline:
    """The dateline at the top of a wire/press text ("KABUL, Afghanistan (Jan. 25, 2013) -")."""

    start: int
    end: int
    text: str
    place_text: str | None
    date: date | None
    precision: DatePrecision  # day | month | year | unknown (no date in the dateline)


@dataclass(frozen=True)
class PublicationDate:
    date: date | None
    source: str  # front_matter | dateline | text | unknown
    precision: DatePrecision


@dataclass(frozen=True)
class Quantity:
    """A number phrase read with ACLED/UCDP conventions: lowest supported figure as low/best."""

    low: int | None
    best: int | None
    high: int | None
    phrase: str  # the phrase the count came from, e.g. "at least nine"
    # How the text stands behind the figure (see ``numbers``): "told" (the event's own count),
    # "aggregate" (several events together: "two assaults killed 40"), "part" (some of a toll told:
    # "in one case, ... killing a civilian") or "estimate" (a differing figure some sources give:
    # "some officials put the toll at 30").
    standing: str = "told"

    def far_from(self, other: Quantity) -> bool:
        """Two best figures no revision explains: more than twice and 3 apart (2 and 42 killed;
        12 and 14 are one toll told twice). Both figures must be known."""
        x, y = self.best, other.best
        return x is not None and y is not None and max(x, y) > 2 * min(x, y) + 3


@dataclass(frozen=True)
class CountMention:
    """A casualty/detention count tied to its phrase, e.g. 'killed at least nine people'."""

    start: int  # span of the whole count phrase (number + verb) in the text given
    end: int
    text: str
    kind: CountKind  # killed | injured | detained
    quantity: Quantity
    # Counted beside the count before it in the same sentence, of other people ("two dead on the army's
    # side and five on the attackers'"): the two add up.
    beside: bool = False


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str  # surface form
    actor_id: str
    name: str  # canonical name
    actor_type: str
    country_iso3: str | None = None
    source: str = "registry"  # registry | acronym | generic | discovered


@dataclass(frozen=True)
class ActorDefinition:
    """A canonical actor, from the registry or built from context (generic/discovered)."""

    actor_id: str
    name: str
    actor_type: str
    aliases: tuple[str, ...] = ()
    country_iso3: str | None = None
    parent_actor_id: str | None = None
    wikidata_id: str | None = None


@dataclass
class IncidentCandidate:
    """One event, at one place, on one day, as one article reports it."""

    article_id: str
    char_start: int
    char_end: int
    quote: str
    event_type: str
    sub_event_type: str | None
    event_date: date | None
    date_start: date | None
    date_end: date | None
    date_precision: DatePrecision
    place: Place | None
    fatalities: Quantity | None = None
    injured: Quantity | None = None
    detained: Quantity | None = None
    perpetrator_actor_id: str | None = None
    target_actor_id: str | None = None
    confidence: float = 0.5
    evidence: tuple[str, ...] = ()  # every sentence of the article that tells this event (its quote first)

    @property
    def evidence_text(self) -> str:
        """All the article says about the event: what reports from other outlets are compared on."""
        return " ".join(self.evidence) or self.quote


@dataclass
class RelationCandidate:
    subject_actor_id: str
    relation_type: str
    object_actor_id: str
    article_id: str
    char_start: int
    char_end: int
    quote: str
    observed_date: date | None
    confidence: float


@dataclass
class ArticleExtraction:
    """Everything one article yields; the unit cached per (text hash, extractor version)."""

    article_id: str
    incidents: list[IncidentCandidate] = field(default_factory=list)
    actor_mentions: list[ActorMention] = field(default_factory=list)
    actors: list[ActorDefinition] = field(default_factory=list)
    relations: list[RelationCandidate] = field(default_factory=list)
