"""End to end through Dagster: fixture articles in a temp raw folder → a published release."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipeline.definitions import defs, materialize_raw_folder
from pipeline.resources import SitrepStorage

pytestmark = pytest.mark.slow


def _materialize(raw: Path, warehouse: Path):
    """The run that publishes, as `sitrep build` makes it (new files → one batch → sitrep_job)."""
    storage = SitrepStorage(raw_dir=str(raw), warehouse_dir=str(warehouse))
    with dg.DagsterInstance.ephemeral() as instance:
        return materialize_raw_folder(storage, instance)[1][-1]


def _tree_state(root: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and "cache" not in p.parts}


@pytest.fixture
def workspace(tmp_path, fixture_raw):
    raw = tmp_path / "raw"
    shutil.copytree(fixture_raw, raw)
    return raw, tmp_path / "warehouse"


def test_definitions_load_with_job_schedule_and_sensor():
    assert defs.resolve_job_def("sitrep_job") is not None
    assert defs.resolve_schedule_def("daily_release").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def("raw_folder_sensor") is not None
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw_articles", "article_extractions", "incidents", "actors", "relations", "release"} <= keys


def test_fixture_articles_publish_a_verifiable_release(workspace):
    raw, warehouse = workspace
    result = _materialize(raw, warehouse)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    latest = warehouse / "latest"
    assert latest.is_dir()
    for line in (latest / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((latest / name.lstrip("*")).read_bytes()).hexdigest() == digest
    con = duckdb.connect(str(latest / "sitrep.duckdb"), read_only=True)
    statuses = dict(con.execute("SELECT source_path, status FROM articles").fetchall())
    assert statuses["report.pdf"] == "rejected" and statuses["herat-repost.txt"] == "duplicate"
    assert len(statuses) == 8  # 6 files, one of them a .jsonl of 3 lines
    incidents = con.execute("SELECT admin1, event_date, fatalities_best FROM incidents ORDER BY admin1").df()
    assert {"Kunduz", "Herat", "Borno"} <= set(incidents["admin1"])
    herat = incidents[incidents["admin1"] == "Herat"].iloc[0]
    assert str(herat["event_date"])[:10] == "2023-03-02" and herat["fatalities_best"] == 4


def test_second_build_with_unchanged_input_changes_nothing(workspace):
    raw, warehouse = workspace
    assert _materialize(raw, warehouse).success
    before = _tree_state(warehouse)
    assert _materialize(raw, warehouse).success
    assert _tree_state(warehouse) == before
    assert len([p for p in (warehouse / "releases").iterdir() if not p.name.startswith(".")]) == 1


def test_blocking_contract_check_stops_publication(workspace, monkeypatch):
    raw, warehouse = workspace
    import pipeline.assets.normalise as normalise_asset

    real_build = normalise_asset.build_tables

    def corrupt(*args, **kwargs):
        tables = real_build(*args, **kwargs)
        tables.incidents = pd.concat([tables.incidents, tables.incidents.head(1)])  # duplicate primary key
        return tables

    monkeypatch.setattr(normalise_asset, "build_tables", corrupt)
    result = _materialize(raw, warehouse)
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [e.asset_key.to_user_string() for e in failed] == ["incidents"]
    assert not (warehouse / "latest").exists()
    assert dg.AssetKey("release") not in {m.asset_key for m in result.get_asset_materialization_events()}
