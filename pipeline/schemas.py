"""The data contract, declared once.

Each published table is a pandera ``DataFrameModel`` whose fields carry the column types, checks
and descriptions; ``TABLES`` adds what pandera has no slot for (primary key, foreign keys, row
order). Everything else — validation, Dagster column metadata, the Parquet/Arrow schema, the
datapackage descriptor, DuckDB ``COMMENT ON`` statements and the README data dictionary — is
derived from this module by ``pipeline.contract``. Nothing here reads or writes data.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series


def _import_pandera_dask_types_without_dask_frames() -> None:
    """Building a model's schema makes pandera import ``pandera.typing.dask``, which imports
    ``dask.dataframe`` (~0.6 s) only to learn whether Dask frames exist; these models are pandas-only,
    so that module is imported once with ``dask.dataframe`` hidden (dask itself stays importable)."""
    if "pandera.typing.dask" in sys.modules or "dask.dataframe" in sys.modules:
        return
    sys.modules["dask.dataframe"] = None  # makes `import dask.dataframe` raise ImportError, once
    try:
        import pandera.typing.dask  # noqa: F401
    finally:
        del sys.modules["dask.dataframe"]


_import_pandera_dask_types_without_dask_frames()

CONTRACT_VERSION = "2.0.0"  # 2.0.0: article IDs of duplicate/conflicting files and incident IDs (first report) re-derived

EVENT_TYPES = (
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "protests",
    "riots",
    "strategic_developments",
)
VIOLENT_EVENT_TYPES = ("battles", "explosions_remote_violence", "violence_against_civilians")
SUB_EVENT_TYPES = (
    # ACLED sub-event names, grouped by event type.
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
)
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
GEO_PRECISIONS = ("point", "admin2", "admin1", "country", "unknown")
PUBLISHED_DATE_SOURCES = ("front_matter", "dateline", "text", "unknown")
ARTICLE_STATUSES = ("ok", "duplicate", "rejected")
ACTOR_TYPES = (
    "state_forces",
    "rebel_group",
    "political_militia",
    "identity_militia",
    "civilians",
    "government",
    "external_state",
    "international_org",
    "person",
    "other",
)
RELATION_TYPES = (
    "allied_with",
    "opposes",
    "attacks",
    "supports",
    "member_of",
    "leads",
    "part_of",
    "met_with",
    "linked_to",
)
SYMMETRIC_RELATION_TYPES = ("allied_with", "met_with", "linked_to")

ISO3 = r"^[A-Z]{3}$"
SLUG = r"^[a-z0-9][a-z0-9-]*$"
SHA256 = r"^[0-9a-f]{64}$"
DATE = {"arrow": "date32"}
STR_LIST = {"arrow": "list<string>"}


def _bounded(df: pd.DataFrame, low: str, high: str) -> pd.Series:
    """Row-wise ``low <= high`` where both are present (nulls contradict nothing)."""
    lo, hi = df[low], df[high]
    return lo.isna() | hi.isna() | (lo <= hi)


class Articles(pa.DataFrameModel):
    """One row per raw document, whatever happened to it (ok, duplicate or rejected)."""

    article_id: Series[pd.StringDtype] = pa.Field(
        unique=True, str_matches=SLUG,
        description="Primary key: the front-matter `id`, else `sha-` + the first 16 hex of the body's SHA-256.")
    source_path: Series[pd.StringDtype] = pa.Field(
        description="Path of the raw file relative to the raw folder (with `#L<n>` for a line of a .jsonl file).")
    title: Series[pd.StringDtype] = pa.Field(nullable=True, description="Title from front matter or the first heading.")
    outlet: Series[pd.StringDtype] = pa.Field(nullable=True, description="Publishing outlet, from front matter.")
    url: Series[pd.StringDtype] = pa.Field(nullable=True, description="Source URL, from front matter.")
    published_date: Series[pa.DateTime] = pa.Field(
        nullable=True, metadata=DATE, description="Publication date: front matter, else dateline, else inferred from the text.")
    published_date_source: Series[pd.StringDtype] = pa.Field(
        isin=PUBLISHED_DATE_SOURCES, description="Where `published_date` came from: front_matter | dateline | text | unknown.")
    published_date_precision: Series[pd.StringDtype] = pa.Field(
        isin=DATE_PRECISIONS, description="Precision of `published_date` (day | week | month | year | unknown).")
    language: Series[pd.StringDtype] = pa.Field(nullable=True, description="ISO 639-1 language code (front matter, default `en`).")
    n_chars: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Length of the article body in characters.")
    text_sha256: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=SHA256, description="SHA-256 of the normalised body text (null when the file could not be read).")
    status: Series[pd.StringDtype] = pa.Field(isin=ARTICLE_STATUSES, description="ok | duplicate | rejected.")
    status_reason: Series[pd.StringDtype] = pa.Field(nullable=True, description="Why a document is a duplicate or was rejected.")
    duplicate_of: Series[pd.StringDtype] = pa.Field(nullable=True, description="`article_id` of the first copy when status is duplicate.")

    class Config:
        strict = True
        coerce = True


class Incidents(pa.DataFrameModel):
    """One row per distinct event — one event type, one place, one day where known — merged across articles."""

    incident_id: Series[pd.StringDtype] = pa.Field(
        unique=True, description=(
            "Primary key, stable: hash of the event type, place and date of the incident's first report (see "
            "README, 'IDs'); a second source never changes it. An id that disappears stays listed as a tombstone "
            "in every later release's `changes.json`, whose `replaced_by` names the incident that now holds its "
            "reports (null when none does)."))
    event_date: Series[pa.DateTime] = pa.Field(nullable=True, metadata=DATE, description="Best single date, null when only an interval is known.")
    date_start: Series[pa.DateTime] = pa.Field(nullable=True, metadata=DATE, description="First day of the interval the event lies in.")
    date_end: Series[pa.DateTime] = pa.Field(nullable=True, metadata=DATE, description="Last day of the interval the event lies in.")
    date_precision: Series[pd.StringDtype] = pa.Field(isin=DATE_PRECISIONS, description="day | week | month | year | unknown.")
    event_type: Series[pd.StringDtype] = pa.Field(isin=EVENT_TYPES, description="ACLED event type.")
    sub_event_type: Series[pd.StringDtype] = pa.Field(nullable=True, isin=SUB_EVENT_TYPES, description="ACLED sub-event type.")
    perpetrator_actor_id: Series[pd.StringDtype] = pa.Field(nullable=True, description="Actor who carried out the event (FK → actors).")
    target_actor_id: Series[pd.StringDtype] = pa.Field(nullable=True, description="Actor the event was directed at (FK → actors).")
    country_iso3: Series[pd.StringDtype] = pa.Field(nullable=True, str_matches=ISO3, description="ISO 3166-1 alpha-3 country code.")
    admin1: Series[pd.StringDtype] = pa.Field(nullable=True, description="First-level administrative unit (province, state, governorate, department), canonical spelling.")
    admin2: Series[pd.StringDtype] = pa.Field(nullable=True, description="Second-level unit (district, LGA, municipality) where known.")
    location: Series[pd.StringDtype] = pa.Field(nullable=True, description="Most specific named place (city, village, site); a named neighbourhood as 'City - Neighbourhood' at the city's coordinates, as ACLED writes it.")
    latitude: Series[float] = pa.Field(nullable=True, ge=-90, le=90, description="WGS84 latitude of the place (GeoNames or unit centroid).")
    longitude: Series[float] = pa.Field(nullable=True, ge=-180, le=180, description="WGS84 longitude of the place.")
    geo_precision: Series[pd.StringDtype] = pa.Field(isin=GEO_PRECISIONS, description=(
        "point | admin2 | admin1 | country | unknown: the finest level the source supports. An event a local report "
        "places nowhere else is coded to the dateline city with admin1 precision (ACLED geo-precision 3)."))
    fatalities_low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="Lowest reported number killed (UCDP low).")
    fatalities_best: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="Best estimate of people killed, ACLED rules for vague numbers (dozens → 12).")
    fatalities_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="Highest reported number killed (UCDP high).")
    injured_best: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="Best estimate of people injured.")
    detained_best: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="Best estimate of people detained, captured or abducted.")
    summary: Series[pd.StringDtype] = pa.Field(nullable=True, description="The evidence sentence of the first source (null when quotes are off).")
    n_sources: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Number of articles reporting the incident.")
    confidence: Series[float] = pa.Field(ge=0, le=1, description="Extractor confidence, 0–1.")

    @pa.dataframe_check
    def fatalities_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return _bounded(df, "fatalities_low", "fatalities_best") & _bounded(df, "fatalities_best", "fatalities_high")

    @pa.dataframe_check
    def dates_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return _bounded(df, "date_start", "date_end")

    class Config:
        strict = True
        coerce = True


class IncidentSources(pa.DataFrameModel):
    """The evidence: one row per (incident, article) report, with the span it came from."""

    incident_id: Series[pd.StringDtype] = pa.Field(description="FK → incidents.")
    article_id: Series[pd.StringDtype] = pa.Field(description="FK → articles.")
    char_start: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Start offset of the evidence span in the article body.")
    char_end: Series[pd.Int64Dtype] = pa.Field(ge=0, description="End offset (exclusive) of the evidence span.")
    quote: Series[pd.StringDtype] = pa.Field(nullable=True, description="The evidence text (null in releases built without quotes).")
    fatalities_text: Series[pd.StringDtype] = pa.Field(nullable=True, description="The phrase the fatality count came from, e.g. 'at least nine'.")
    extractor_version: Series[pd.StringDtype] = pa.Field(description="Version of the extractor that produced the row.")

    @pa.dataframe_check
    def span_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["char_start"] < df["char_end"]

    class Config:
        strict = True
        coerce = True


class Actors(pa.DataFrameModel):
    """Canonical actors: registry entries, ACLED-style generic actors and actors discovered in the text."""

    actor_id: Series[pd.StringDtype] = pa.Field(unique=True, str_matches=SLUG, description="Primary key: stable readable slug, e.g. `isis-k`.")
    name: Series[pd.StringDtype] = pa.Field(description="Canonical name.")
    aliases: Series[object] = pa.Field(metadata=STR_LIST, description="Other names, including every surface form seen in this release.")
    actor_type: Series[pd.StringDtype] = pa.Field(isin=ACTOR_TYPES, description="ACLED-style actor type.")
    country_iso3: Series[pd.StringDtype] = pa.Field(nullable=True, str_matches=ISO3, description="Home country (ISO 3166-1 alpha-3).")
    parent_actor_id: Series[pd.StringDtype] = pa.Field(nullable=True, description="Parent organisation (FK → actors).")
    wikidata_id: Series[pd.StringDtype] = pa.Field(nullable=True, str_matches=r"^Q[0-9]+$", description="Wikidata QID where known.")
    n_mentions: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Mentions in this release's articles.")
    first_seen: Series[pa.DateTime] = pa.Field(nullable=True, metadata=DATE, description="Earliest publication date of an article naming the actor.")
    last_seen: Series[pa.DateTime] = pa.Field(nullable=True, metadata=DATE, description="Latest publication date of an article naming the actor.")

    @pa.dataframe_check
    def seen_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return _bounded(df, "first_seen", "last_seen")

    class Config:
        strict = True
        coerce = True


class ActorMentions(pa.DataFrameModel):
    """Where each actor is named: the trace behind aliases, counts and first/last seen."""

    article_id: Series[pd.StringDtype] = pa.Field(description="FK → articles.")
    actor_id: Series[pd.StringDtype] = pa.Field(description="FK → actors.")
    char_start: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Start offset in the article body.")
    char_end: Series[pd.Int64Dtype] = pa.Field(ge=0, description="End offset (exclusive).")
    text: Series[pd.StringDtype] = pa.Field(description="The surface form as written.")

    @pa.dataframe_check
    def span_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["char_start"] < df["char_end"]

    class Config:
        strict = True
        coerce = True


class Relations(pa.DataFrameModel):
    """Typed actor–actor links, one row per relation per article, each with its evidence span."""

    relation_id: Series[pd.StringDtype] = pa.Field(unique=True, description="Primary key: hash of subject, type, object and article.")
    subject_actor_id: Series[pd.StringDtype] = pa.Field(description="FK → actors.")
    relation_type: Series[pd.StringDtype] = pa.Field(isin=RELATION_TYPES, description="Relation type; allied_with, met_with and linked_to are symmetric and stored once.")
    object_actor_id: Series[pd.StringDtype] = pa.Field(description="FK → actors.")
    article_id: Series[pd.StringDtype] = pa.Field(description="FK → articles.")
    char_start: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Start offset of the evidence span.")
    char_end: Series[pd.Int64Dtype] = pa.Field(ge=0, description="End offset (exclusive) of the evidence span.")
    quote: Series[pd.StringDtype] = pa.Field(nullable=True, description="The evidence sentence, from the \"X said:\" line above it when the relation is a quoted speaker's (null in releases built without quotes).")
    observed_date: Series[pa.DateTime] = pa.Field(nullable=True, metadata=DATE, description="Publication date of the article stating the relation.")
    confidence: Series[float] = pa.Field(ge=0, le=1, description="Extractor confidence, 0–1.")
    extractor_version: Series[pd.StringDtype] = pa.Field(description="Version of the extractor that produced the row.")

    @pa.dataframe_check
    def span_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["char_start"] < df["char_end"]

    @pa.dataframe_check
    def no_self_relation(cls, df: pd.DataFrame) -> pd.Series:
        return df["subject_actor_id"] != df["object_actor_id"]

    class Config:
        strict = True
        coerce = True


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """A published table: its model plus the keys and order pandera has no slot for."""

    name: str
    model: type[pa.DataFrameModel]
    primary_key: tuple[str, ...]
    sort_by: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def description(self) -> str:
        return (self.model.__doc__ or "").strip()

    @property
    def columns(self) -> list[str]:
        return list(self.model.to_schema().columns)


def _fk(column: str, table: str, reference: str) -> ForeignKey:
    return ForeignKey((column,), table, (reference,))


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("articles", Articles, ("article_id",), ("article_id",),
                  (_fk("duplicate_of", "articles", "article_id"),)),
        TableSpec("actors", Actors, ("actor_id",), ("actor_id",),
                  (_fk("parent_actor_id", "actors", "actor_id"),)),
        TableSpec("incidents", Incidents, ("incident_id",), ("incident_id",),
                  (_fk("perpetrator_actor_id", "actors", "actor_id"),
                   _fk("target_actor_id", "actors", "actor_id"))),
        TableSpec("incident_sources", IncidentSources, ("incident_id", "article_id"), ("incident_id", "article_id"),
                  (_fk("incident_id", "incidents", "incident_id"), _fk("article_id", "articles", "article_id"))),
        TableSpec("actor_mentions", ActorMentions, ("article_id", "char_start", "char_end", "actor_id"),
                  ("article_id", "char_start", "char_end", "actor_id"),
                  (_fk("article_id", "articles", "article_id"), _fk("actor_id", "actors", "actor_id"))),
        TableSpec("relations", Relations, ("relation_id",), ("relation_id",),
                  (_fk("subject_actor_id", "actors", "actor_id"), _fk("object_actor_id", "actors", "actor_id"),
                   _fk("article_id", "articles", "article_id"))),
    )
}
