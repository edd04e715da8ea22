"""Operations: ingestion batches, the raw-folder sensor, the daily schedule and the storage resource."""

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import dagster as dg
import pyarrow.fs as pafs
import pytest

from pipeline.batches import Batch, BatchFile, RawFile, batch_key, plan_batches, unrecorded_files
from pipeline.cli import run_build
from pipeline.definitions import build_definitions, daily_release, materialize_raw_folder, raw_folder_sensor
from pipeline.resources import SitrepStorage, resources_for
from pipeline.schemas import TABLES

EXTRA = Path(__file__).parent / "fixtures" / "extra"
NEW_ARTICLE = "mogadishu-bombing.md"
DAY = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def storage(tmp_path, fixture_raw) -> SitrepStorage:
    shutil.copytree(fixture_raw, tmp_path / "raw")
    return SitrepStorage(raw_dir=str(tmp_path / "raw"), warehouse_dir=str(tmp_path / "warehouse"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# -- batches (pure)

def test_batch_key_is_the_day_and_a_hash_of_the_files_whatever_their_order():
    files = [BatchFile("b.md", 3, 1, _sha("b")), BatchFile("a.md", 3, 1, _sha("a"))]
    key = batch_key(files, DAY.date())
    assert key == batch_key(list(reversed(files)), DAY.date())
    assert key.startswith("20261124-") and len(key) == len("20261124-") + 10
    assert key != batch_key(files[:1], DAY.date()) != batch_key(files, DAY.date() + dt.timedelta(days=1))


def test_unrecorded_files_are_new_or_changed_ones_and_stat_matches_are_not_read():
    ledger = [Batch("20261123-aaaaaaaaaa", "2026-11-23T00:00:00Z", (
        BatchFile("same.md", 4, 10, _sha("same")), BatchFile("touched.md", 5, 10, _sha("touch")),
        BatchFile("edited.md", 3, 10, _sha("old"))))]
    listing = [RawFile("same.md", 4, 10), RawFile("touched.md", 5, 99), RawFile("edited.md", 3, 99),
               RawFile("new.md", 3, 99)]
    contents = {"touched.md": "touch", "edited.md": "new", "new.md": "new"}
    read = []

    def sha256_of(path: str) -> str:
        read.append(path)
        return _sha(contents[path])

    new = unrecorded_files(listing, ledger, sha256_of)
    assert [f.path for f in new] == ["edited.md", "new.md"]
    assert sorted(read) == ["edited.md", "new.md", "touched.md"]  # same.md never read


def test_a_large_drop_is_split_into_batches_of_bounded_size():
    files = [BatchFile(f"{i:04d}.md", 1, 1, _sha(str(i))) for i in range(25)]
    batches = plan_batches(files, DAY, max_files=10)
    assert [len(b.files) for b in batches] == [10, 10, 5]
    assert len({b.key for b in batches}) == 3 and all(b.created == "2026-11-24T09:30:00Z" for b in batches)
    assert Batch.from_json(batches[0].to_json()) == batches[0]


# -- storage resource

def test_local_storage_lists_reads_and_records_batches_once(storage, tmp_path):
    raw = Path(storage.raw_dir)
    (raw / ".DS_Store").write_text("x")
    (raw / "sub" / ".git").mkdir(parents=True)
    (raw / "sub" / ".git" / "HEAD").write_text("x")
    listing = storage.list_raw_files()
    assert [f.path for f in listing] == sorted(p.name for p in raw.iterdir() if p.is_file() and p.name != ".DS_Store")
    assert storage.read_raw("kunduz-clash.md") == (raw / "kunduz-clash.md").read_bytes()

    [first] = storage.record_new_batches(now=DAY)
    assert first.paths == [f.path for f in listing] and storage.batch(first.key) == first
    assert storage.record_new_batches(now=DAY) == []
    os.utime(raw / "herat-blast.txt", ns=(1, 1))  # touched, same bytes: nothing new
    assert storage.record_new_batches(now=DAY) == []
    (raw / "kunduz-clash.md").write_text((raw / "kunduz-clash.md").read_text() + "\nUpdated.\n")
    [edited] = storage.record_new_batches(now=DAY)
    assert edited.paths == ["kunduz-clash.md"] and [b.key for b in storage.batches()] == [first.key, edited.key]

    store = storage.extraction_store()
    store.put("ab" * 32, "extraction failed: boom")
    assert store.get("ab" * 32) == "extraction failed: boom" and store.get("cd" * 32) is None
    leftovers = [p for p in (tmp_path / "warehouse").rglob("*") if ".tmp-" in p.name]
    assert leftovers == []


def test_missing_raw_folder_is_reported_with_the_variable_to_set(tmp_path):
    storage = SitrepStorage(raw_dir=str(tmp_path / "nope"), warehouse_dir=str(tmp_path / "w"))
    with pytest.raises(FileNotFoundError, match="SITREP_RAW_DIR"):
        storage.list_raw_files()


def test_s3_compatible_uri_selects_pyarrow_s3_without_touching_the_network():
    query = "?endpoint_override=minio.internal:9000&scheme=http&region=us-east-1"
    storage = SitrepStorage(raw_dir=f"s3://sitrep/raw{query}", warehouse_dir=f"s3://sitrep/warehouse{query}")
    raw, warehouse = storage.raw_location(), storage.warehouse_location()
    assert isinstance(raw.fs, pafs.S3FileSystem) and raw.root == "sitrep/raw"
    assert warehouse.root == "sitrep/warehouse" and warehouse.display == "s3://sitrep/warehouse"
    assert storage.warehouse_is_object_store
    assert storage.release_location("20261124T093000Z") == "s3://sitrep/warehouse/releases/20261124T093000Z"
    assert storage.warehouse_path().name.startswith("sitrep-staging-")  # releases are assembled locally


@pytest.mark.slow
def test_object_store_warehouse_publishes_behind_a_latest_pointer(storage, tmp_path):
    bucket = tmp_path / "bucket"
    remote = storage.replaced(warehouse_dir=f"file://{bucket}", staging_dir=str(tmp_path / "stage"))
    (Path(storage.raw_dir) / "kunduz-clash.md").unlink()
    ok, first = run_build("", "", True, 1, quiet=True, storage=remote)
    assert ok, first
    version = (bucket / "LATEST").read_text().strip()
    assert version == first["version"] and first["path"] == f"file://{bucket}/releases/{version}"
    release = bucket / "releases" / version
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((release / name.lstrip("*")).read_bytes()).hexdigest() == digest
    assert not (bucket / "latest").exists()  # object stores have no symlinks

    ok, again = run_build("", "", True, 1, quiet=True, storage=remote)
    assert ok and not again["created"] and again["version"] == version

    shutil.rmtree(tmp_path / "stage")  # a new machine: staging starts empty, the current release is fetched
    shutil.copy(EXTRA / NEW_ARTICLE, Path(storage.raw_dir) / NEW_ARTICLE)
    ok, second = run_build("", "", True, 1, quiet=True, storage=remote)
    assert ok and second["created"] and second["previous_version"] == version
    assert (bucket / "LATEST").read_text().strip() == second["version"]
    assert second["changes"]["articles"]["added"] == 1
    assert all(counts["withdrawn"] == 0 for counts in second["changes"].values())


def test_a_build_on_a_persistent_instance_leaves_runs_materialisations_and_checks_for_the_ui(storage, tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(Path(__file__).parent.parent / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    ok, info = run_build("", "", True, 1, quiet=True, storage=storage, dagster_home=home)
    assert ok, info
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert [r.run_id for r in instance.get_runs()] == info["run_ids"]
        release_event = instance.get_latest_materialization_event(dg.AssetKey("release"))
        assert release_event.asset_materialization.metadata["version"].value == info["version"]
        incidents = instance.get_latest_materialization_event(dg.AssetKey("incidents"))
        assert incidents.asset_materialization.metadata["dagster/row_count"].value == info["rows_incidents"]
        check = instance.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey("incidents"), "incidents_contract"), limit=1)
        assert check and check[0].status.value == "SUCCEEDED"


# -- sensor

def _sensor(instance, storage, cursor=None):
    return raw_folder_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources={"storage": storage}))


def test_sensor_requests_one_run_for_new_files_only_and_nothing_when_unchanged(storage):
    raw = Path(storage.raw_dir)
    with dg.DagsterInstance.ephemeral() as instance:
        first = _sensor(instance, storage)
        [request] = first.run_requests
        [add] = first.dynamic_partitions_requests
        assert add.partitions_def_name == "ingest_batches" and add.partition_keys == [request.partition_key]
        assert request.run_key == request.partition_key
        assert storage.batch(request.partition_key).paths == sorted(p.name for p in raw.iterdir())
        instance.add_dynamic_partitions("ingest_batches", add.partition_keys)

        unchanged = _sensor(instance, storage, first.cursor)
        assert isinstance(unchanged, dg.SkipReason) and "unchanged" in unchanged.skip_message

        shutil.copy(EXTRA / NEW_ARTICLE, raw / NEW_ARTICLE)
        second = _sensor(instance, storage, first.cursor)
        [request2] = second.run_requests
        assert request2.partition_key != request.partition_key
        assert storage.batch(request2.partition_key).paths == [NEW_ARTICLE]
        instance.add_dynamic_partitions("ingest_batches", [request2.partition_key])

        (raw / "report.pdf").unlink()
        os.utime(raw / "herat-blast.txt", ns=(1, 1))
        third = _sensor(instance, storage, second.cursor)
        assert third.run_requests == [] and third.cursor != second.cursor
        assert "no new file" in third.skip_reason.skip_message


def test_sensor_requests_again_a_recorded_batch_the_instance_never_got(storage):
    [batch] = storage.record_new_batches()  # e.g. recorded, then the sensor crashed before adding the partition
    with dg.DagsterInstance.ephemeral() as instance:
        result = _sensor(instance, storage)
    assert [r.partition_key for r in result.run_requests] == [batch.key]


# -- schedule

@pytest.mark.slow
def test_daily_schedule_publishes_only_when_something_changed_since_the_last_release(storage, tmp_path):
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        context = dg.build_schedule_context(instance=instance, resources={"storage": storage})
        assert isinstance(daily_release(context), dg.RunRequest)  # no release yet
        _, results = materialize_raw_folder(storage, instance)
        assert results[-1].success
        skipped = daily_release(dg.build_schedule_context(instance=instance, resources={"storage": storage}))
        assert isinstance(skipped, dg.SkipReason) and "nothing changed" in skipped.skip_message

        (Path(storage.raw_dir) / "report.pdf").unlink()  # a removal: nothing to extract, but a new release
        request = daily_release(dg.build_schedule_context(instance=instance, resources={"storage": storage}))
        assert isinstance(request, dg.RunRequest)
        job = build_definitions(dg.in_process_executor, resources_for(storage)).resolve_job_def("release_job")
        result = job.execute_in_process(instance=instance, tags=request.tags)
        assert result.success
        release = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey("release")][0]
        assert release.materialization.metadata["created"].value is True
        skipped = daily_release(dg.build_schedule_context(instance=instance, resources={"storage": storage}))
        assert isinstance(skipped, dg.SkipReason)


def test_every_contract_table_is_published_by_the_release_job():
    from pipeline.definitions import defs

    keys = {k.to_user_string() for k in defs.resolve_job_def("release_job").asset_layer.executable_asset_keys}
    assert set(TABLES) | {"raw_articles", "release"} == keys
    assert defs.resolve_job_def("extraction_job").partitions_def.name == "ingest_batches"


# -- Frictionless validation of releases

@pytest.mark.slow
def test_a_release_whose_descriptor_does_not_validate_is_never_published(storage, monkeypatch):
    import json

    import pipeline.release.publish as publish

    real = publish.write_datapackage

    def wrong_bytes(folder, **kwargs):
        path = real(folder, **kwargs)
        descriptor = json.loads(path.read_text())
        descriptor["resources"][0]["bytes"] += 1
        path.write_text(json.dumps(descriptor))
        return path

    monkeypatch.setattr(publish, "write_datapackage", wrong_bytes)
    ok, message = run_build("", "", True, 1, quiet=True, storage=storage)
    assert not ok and "does not validate" in message
    warehouse = Path(storage.warehouse_dir)
    assert not (warehouse / "latest").exists()
    assert [p.name for p in (warehouse / "releases").iterdir()] == []  # not even a hidden temporary folder


@pytest.mark.slow
def test_release_check_fails_when_a_published_file_was_altered(storage):
    ok, info = run_build("", "", True, 1, quiet=True, storage=storage)
    assert ok, info
    changes = Path(storage.warehouse_dir) / "latest" / "CHANGES.md"
    changes.chmod(0o644)
    changes.write_text(changes.read_text() + "tampered\n")
    ok, message = run_build("", "", True, 1, quiet=True, storage=storage)
    assert not ok and "release (release_datapackage)" in message and "hash" in message.lower()


def test_the_instance_settings_retry_a_failed_run(tmp_path, monkeypatch):
    # the sensor requests each batch once (its run key), so a run that crashes must be retried by the instance
    shutil.copy(Path(__file__).parent.parent / "dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2


def test_two_builds_opening_a_fresh_instance_at_once_both_find_its_storage(tmp_path):
    """Creating the SQLite storages of a new instance is serialised (alembic raced without it)."""
    import multiprocessing

    home = tmp_path / "dagster_home"
    home.mkdir()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.map(_runs_on_fresh_instance, [str(home)] * 2)
    assert counts == [0, 0]


def _runs_on_fresh_instance(home: str) -> int:
    from pipeline.cli import _open_instance

    with _open_instance(Path(home)) as instance:
        return len(instance.get_runs())
