"""The same definitions on a multiprocess executor and on a Dask cluster publish the same release as in-process."""

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipeline.assets.extract import ingest_batches
from pipeline.cli import run_build
from pipeline.release.manifest import read_datapackage
from pipeline.resources import storage_from_env

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def in_process_fingerprint(tmp_path_factory) -> str:
    """Content fingerprint of the release an in-process build makes from the fixture articles."""
    tmp = tmp_path_factory.mktemp("in-process")
    ok, info = run_build(Path(__file__).parent / "fixtures" / "raw", tmp / "warehouse", True, 1, quiet=True)
    assert ok, info
    return read_datapackage(tmp / "warehouse" / "latest")["sitrep:content_fingerprint"]


def _run_on(executor: str, tmp_path: Path, fixture_raw: Path, monkeypatch, **kwargs) -> tuple:
    """Run `sitrep_job` for one fresh batch with a real instance; steps run in other processes or
    on Dask workers, which build the resources from the environment like a deployment does."""
    shutil.copytree(fixture_raw, tmp_path / "raw")
    monkeypatch.setenv("SITREP_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("SITREP_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    [batch] = storage_from_env().record_new_batches()
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        instance.add_dynamic_partitions(ingest_batches.name, [batch.key])
        job = dg.build_reconstructable_job("pipeline.definitions", "job_for_executor",
                                           reconstructable_kwargs={"executor": executor, **kwargs})
        result = dg.execute_job(job, instance, tags={"dagster/partition": batch.key})
        events = list(result.all_events)
        checks = [e for e in events if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION]
        check_results = {e.event_specific_data.check_name: e.event_specific_data.passed for e in checks}
    fingerprint = read_datapackage(tmp_path / "warehouse" / "latest")["sitrep:content_fingerprint"]
    return result.success, events, check_results, fingerprint


def test_multiprocess_executor_runs_the_main_job_in_separate_processes(tmp_path, fixture_raw, monkeypatch,
                                                                       in_process_fingerprint):
    ok, events, checks, fingerprint = _run_on("multiprocess", tmp_path, fixture_raw, monkeypatch)
    assert ok
    assert len({e.pid for e in events if e.event_type == dg.DagsterEventType.STEP_START}) > 1
    assert checks["release_datapackage"] and all(checks.values())
    assert fingerprint == in_process_fingerprint


def test_dask_executor_runs_the_same_job_and_publishes_the_same_release(tmp_path, fixture_raw, monkeypatch,
                                                                        in_process_fingerprint):
    cluster = {"local": {"n_workers": 1, "threads_per_worker": 1, "processes": True}}
    ok, events, checks, fingerprint = _run_on("dask", tmp_path, fixture_raw, monkeypatch, dask_cluster=cluster)
    assert ok, [e.message for e in events if e.is_failure]
    assert {e.step_key for e in events if e.is_step_success} >= {"raw_articles", "article_extractions", "release"}
    assert os.getpid() not in {e.pid for e in events if e.event_type == dg.DagsterEventType.STEP_START}  # on workers
    assert checks["release_datapackage"] and all(checks.values())
    assert fingerprint == in_process_fingerprint
