"""Dagster definitions: assets, checks, jobs, the sensor, the schedule, resources and the executor.

Orchestration only. `raw_files` (external) → `raw_articles` (ingest) and `article_extractions`
(extract, one partition per ingestion batch) → the six contract tables (normalise, blocking contract
checks) → `release` (publish, blocking Frictionless check).

- `raw_folder_sensor` records new or changed raw files as an ingestion batch, adds it as a
  partition and launches `extraction_job` for that partition only.
- `daily_release` runs `release_job` (ingest → normalise → publish) when the raw folder or the
  code changed since the last release, and skips otherwise.
- `sitrep_job` is the whole graph for one batch: extract it, re-normalise, publish (what
  `sitrep build` runs).

The executor comes from ``SITREP_EXECUTOR`` (multiprocess by default, ``in_process``, or ``dask``
with ``SITREP_DASK_ADDRESS`` for an existing cluster); assets, jobs and resources do not change.
"""

from collections.abc import Callable

import dagster as dg

from pipeline.assets.extract import article_extractions, ingest_batches
from pipeline.assets.ingest import raw_articles, raw_files
from pipeline.assets.normalise import normalised_tables
from pipeline.assets.publish import release
from pipeline.batches import Batch, listing_fingerprint
from pipeline.build_state import release_inputs_fingerprint
from pipeline.checks import contract_checks, release_datapackage
from pipeline.executors import executor_named
from pipeline.resources import SitrepStorage, resources_for, storage_from_env

ALL_ASSETS = [raw_files, raw_articles, article_extractions, normalised_tables, release]
ALL_CHECKS = [contract_checks, release_datapackage]

sitrep_job = dg.define_asset_job(
    "sitrep_job", selection=dg.AssetSelection.all(),
    description="One ingestion batch end to end: extract its articles, re-normalise everything, publish a "
                "release when anything changed. Run it with the batch key as partition.",
)
extraction_job = dg.define_asset_job(
    "extraction_job", selection=dg.AssetSelection.assets(article_extractions),
    description="Extract one ingestion batch into the extraction store (launched by raw_folder_sensor).",
)
release_job = dg.define_asset_job(
    "release_job", selection=dg.AssetSelection.all() - dg.AssetSelection.assets(article_extractions),
    description="Ingest, normalise and publish from the extraction store (launched by daily_release).",
)


def last_release_inputs(instance: dg.DagsterInstance) -> str | None:
    """The inputs fingerprint `raw_articles` recorded in the run that last materialised `release`."""
    event = instance.get_latest_materialization_event(release.key)
    if event is None:
        return None
    records = instance.get_records_for_run(event.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    for record in records:
        mat = record.event_log_entry.asset_materialization
        if mat is not None and mat.asset_key == raw_articles.key and "inputs_fingerprint" in mat.metadata:
            return str(mat.metadata["inputs_fingerprint"].value)
    return None


@dg.schedule(job=release_job, cron_schedule="0 3 * * *", execution_timezone="UTC",
             default_status=dg.DefaultScheduleStatus.RUNNING)
def daily_release(context: dg.ScheduleEvaluationContext, storage: SitrepStorage):
    """Publish once a day if the raw folder or the code changed since the last release; skip otherwise.

    Publication itself also skips unchanged content, so a run that finds nothing new leaves the
    warehouse untouched; this check only saves the run.
    """
    try:
        current = release_inputs_fingerprint(storage.list_raw_files(), storage.include_quotes)
    except FileNotFoundError as exc:
        return dg.SkipReason(str(exc))
    if current == last_release_inputs(context.instance):
        return dg.SkipReason("nothing changed since the last release (raw folder, code and settings)")
    return dg.RunRequest(tags={"sitrep/inputs_fingerprint": current[:16]})


@dg.sensor(job=extraction_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, storage: SitrepStorage):
    """Record new or changed raw files as an ingestion batch and extract only that batch.

    The cursor is the fingerprint of the folder listing (paths, sizes, mtimes), so an unchanged
    folder costs one listing. The batch manifest is written before the partition is added, and
    any recorded batch this instance has no partition for yet is requested again, so a crash
    between the two loses nothing; run keys are batch keys, so no batch is extracted twice.
    """
    try:
        listing = storage.list_raw_files()
    except FileNotFoundError as exc:
        return dg.SkipReason(str(exc))
    fingerprint = listing_fingerprint(listing)
    if fingerprint == context.cursor:
        return dg.SkipReason("raw folder unchanged")
    new = storage.record_new_batches(listing)
    known = set(context.instance.get_dynamic_partitions(ingest_batches.name))
    pending = [b for b in storage.batches() if b.key not in known]
    if not pending:
        return dg.SensorResult(skip_reason="raw folder changed but holds no new file (removals and touched "
                                           "files are published by daily_release)", cursor=fingerprint)
    if new:
        context.log.info("recorded " + "; ".join(f"batch {b.key}: {len(b.files)} file(s)" for b in new))
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=b.key, partition_key=b.key, tags={"sitrep/batch_files": str(len(b.files))})
                      for b in pending],
        dynamic_partitions_requests=[ingest_batches.build_add_request([b.key for b in pending])],
        cursor=fingerprint,
    )


def build_definitions(executor: dg.ExecutorDefinition | None = None,
                      resources: dict[str, object] | None = None) -> dg.Definitions:
    """The one set of definitions; only the executor and the storage vary between deployments."""
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_CHECKS,
        jobs=[sitrep_job, extraction_job, release_job],
        schedules=[daily_release],
        sensors=[raw_folder_sensor],
        resources=resources if resources is not None else resources_for(storage_from_env()),
        executor=executor if executor is not None else executor_named(),
    )


def job_for_executor(job_name: str = "sitrep_job", executor: str | None = None,
                     dask_cluster: dict | None = None) -> dg.JobDefinition:
    """A job of these definitions on a named executor: the entry point for ``dg.build_reconstructable_job``
    (``execute_job`` and remote executors rebuild the job from it in each process)."""
    return build_definitions(executor_named(executor, dask_cluster)).resolve_job_def(job_name)


def materialize_raw_folder(storage: SitrepStorage, instance: dg.DagsterInstance, run_config: dict | None = None,
                           on_batches: Callable[[list[Batch]], None] | None = None,
                           ) -> tuple[list[Batch], list[dg.ExecuteInProcessResult]]:
    """What `sitrep build` does, in-process: record new raw files as batches, extract each, publish.

    Every batch but the last runs ``extraction_job``; the last runs ``sitrep_job`` (extract,
    normalise, check, publish); with no new file, ``release_job`` alone. Stops at the first run
    that fails. ``on_batches`` hears of the batches before any run starts. Returns the batches
    recorded and the results of the runs made.
    """
    batches = storage.record_new_batches()
    if on_batches is not None:
        on_batches(batches)
    if batches:
        instance.add_dynamic_partitions(ingest_batches.name, [b.key for b in batches])
    plan = [("extraction_job", b.key) for b in batches[:-1]]
    plan.append(("sitrep_job", batches[-1].key) if batches else ("release_job", None))
    local = build_definitions(executor=dg.in_process_executor, resources=resources_for(storage))
    results = []
    for job_name, partition in plan:
        result = local.resolve_job_def(job_name).execute_in_process(
            instance=instance, partition_key=partition, raise_on_error=False, run_config=run_config)
        results.append(result)
        if not result.success:
            break
    return batches, results


defs = build_definitions()
