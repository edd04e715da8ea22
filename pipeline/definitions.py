"""Dagster definitions: assets, checks, job, schedule, sensor and resources — orchestration only.

ingest (`raw_articles`) → extract (`article_extractions`) → normalise (the six contract tables,
with blocking contract checks) → publish (`release`). A sensor watches the raw folder and a daily
schedule publishes, so new articles are materialised without anyone typing a command.
"""

import hashlib

import dagster as dg

from pipeline.assets.extract import article_extractions
from pipeline.assets.ingest import raw_articles
from pipeline.assets.normalise import normalised_tables
from pipeline.assets.publish import release
from pipeline.checks import contract_checks
from pipeline.resources import SitrepStorage, storage_from_env

ALL_ASSETS = [raw_articles, article_extractions, normalised_tables, release]

sitrep_job = dg.define_asset_job(
    "sitrep_job", selection=dg.AssetSelection.all(),
    description="The whole pipeline over the raw folder, publishing a release when anything changed.",
)

daily_release = dg.ScheduleDefinition(
    name="daily_release", job=sitrep_job, cron_schedule="0 3 * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


def raw_folder_fingerprint(storage: SitrepStorage) -> str:
    """Changes whenever a raw file is added, removed or modified (path, size, mtime)."""
    root = storage.raw_path()
    digest = hashlib.sha256()
    if root.is_dir():
        for p in sorted(root.rglob("*")):
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts):
                st = p.stat()
                digest.update(f"{p.relative_to(root).as_posix()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=sitrep_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, storage: SitrepStorage):
    """Launch the pipeline when the raw folder changes; the extraction cache makes it incremental."""
    fingerprint = raw_folder_fingerprint(storage)
    if fingerprint == context.cursor:
        return dg.SkipReason("raw folder unchanged")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=[contract_checks],
    jobs=[sitrep_job],
    schedules=[daily_release],
    sensors=[raw_folder_sensor],
    resources={"storage": storage_from_env()},
    executor=dg.multiprocess_executor.configured({"max_concurrent": 2}),
)
