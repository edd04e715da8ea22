"""Publish asset: validated tables → an immutable, versioned release under the warehouse.

Publication goes through ``SitrepStorage.publish``: in place on local disk, or staged locally and
uploaded to object storage. Every release's ``datapackage.json`` is validated before it becomes
visible; the ``release_datapackage`` check (``pipeline.checks``) records it for the UI.
"""

import json

import dagster as dg
import pandas as pd

from pipeline.config import REPO_ROOT, portable_path
from pipeline.resources import SitrepStorage
from pipeline.schemas import TABLES

ACCURACY_FILE = REPO_ROOT / "pipeline" / "accuracy.json"
BENCHMARK_FILE = REPO_ROOT / "pipeline" / "benchmark.json"
LISTED_IDS = 50
"""Added IDs per table shown in the materialisation metadata (the full list is in changes.json)."""


def _read_json(path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _without_machine_paths(value):
    """Recorded figures with every absolute path made portable (``pipeline.config.portable_path``)."""
    if isinstance(value, dict):
        return {k: _without_machine_paths(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_machine_paths(v) for v in value]
    if isinstance(value, str) and value.startswith(("/", "~")) and "\n" not in value:
        return portable_path(value)
    return value


def measured_accuracy() -> dict | None:
    """Quality and speed measured for this code (`sitrep evaluate --record`, `python -m pipeline.benchmark --record`)."""
    accuracy, benchmark = _read_json(ACCURACY_FILE), _read_json(BENCHMARK_FILE)
    if accuracy is None and benchmark is None:
        return None
    return _without_machine_paths({"accuracy": accuracy, "benchmark": benchmark})


def _sources(articles: pd.DataFrame) -> list[dict]:
    ok = articles[articles["status"] == "ok"]
    outlets = sorted({o for o in ok["outlet"].dropna()})
    return [{"title": f"{len(ok)} news articles" + (f" from {', '.join(outlets[:10])}" if outlets else ""),
             "path": "articles.parquet"}]


@dg.asset(group_name="publish", kinds={"parquet", "duckdb"}, deps=list(TABLES), pool="sitrep_publish")
def release(context: dg.AssetExecutionContext, storage: SitrepStorage, articles: pd.DataFrame,
            incidents: pd.DataFrame, incident_sources: pd.DataFrame, actors: pd.DataFrame,
            actor_mentions: pd.DataFrame, relations: pd.DataFrame) -> dg.MaterializeResult:
    """Parquet per table, a DuckDB file, datapackage.json, SHA256SUMS and a change list — published atomically."""
    tables = {"articles": articles, "incidents": incidents, "incident_sources": incident_sources,
              "actors": actors, "actor_mentions": actor_mentions, "relations": relations}
    result = storage.publish(tables, evaluation=measured_accuracy(), sources=_sources(articles))
    location = storage.release_location(result.version)
    if result.created:
        context.log.info(f"published release {result.version} at {location}")
    else:
        context.log.info(f"nothing changed since release {result.version}: no new release")
    counts = {name: len(tables[name]) for name in TABLES}  # the contract's order, as datapackage.json lists them
    return dg.MaterializeResult(metadata={
        "version": result.version, "path": location, "created": result.created,
        "previous_version": result.previous_version or "",
        **{f"rows_{k}": v for k, v in counts.items()},
        "changes": dg.MetadataValue.json(
            {t: {k: len(v) for k, v in d.items() if isinstance(v, list)} for t, d in (result.changes or {}).items()
             if isinstance(d, dict)}),
        "added_ids": dg.MetadataValue.json(
            {t: d["added"][:LISTED_IDS] for t, d in (result.changes or {}).items()
             if isinstance(d, dict) and d.get("added") and t != "actor_mentions"}),
    })
