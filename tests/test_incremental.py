"""Incremental builds: a new article costs one article's work, and IDs survive other articles coming and going."""

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline.cli import run_build
from pipeline.definitions import materialize_raw_folder
from pipeline.release.manifest import read_datapackage
from pipeline.resources import SitrepStorage

pytestmark = pytest.mark.slow

EXTRA = Path(__file__).parent / "fixtures" / "extra"
NEW_FILE, NEW_ID = "mogadishu-bombing.md", "fixture-mogadishu-bombing"
REMOVED_FILE, REMOVED_ID = "kunduz-clash.md", "fixture-kunduz-clash"
ID_TABLES = {"incidents": "incident_id", "actors": "actor_id", "relations": "relation_id"}


def _build(raw: Path, warehouse: Path) -> dict:
    ok, info = run_build(raw, warehouse, include_quotes=True, workers=1, quiet=True)
    assert ok, info
    return info


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "latest" / "sitrep.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _ids_by_content(warehouse: Path) -> dict[str, dict[str, str]]:
    """Each table's IDs keyed by the content they are derived from, to compare releases row for row."""
    return {
        "incidents": dict(_query(warehouse, "SELECT concat_ws('|', event_type, country_iso3, admin1, location, "
                                            "event_date, date_start, date_end), incident_id FROM incidents")),
        "actors": dict(_query(warehouse, "SELECT name, actor_id FROM actors")),
        "relations": dict(_query(warehouse, "SELECT concat_ws('|', subject_actor_id, relation_type, object_actor_id, "
                                            "article_id), relation_id FROM relations")),
    }


def _ids(warehouse: Path) -> dict[str, set[str]]:
    return {t: {r[0] for r in _query(warehouse, f"SELECT {col} FROM {t}")} for t, col in ID_TABLES.items()}


def _changes(warehouse: Path) -> dict:
    return json.loads((warehouse / "latest" / "changes.json").read_text())


def _brought_by(warehouse: Path, article_id: str) -> dict[str, set[str]]:
    """IDs an article is evidence for: its incidents, relations, and the actors it names or involves."""
    incidents = {r[0] for r in _query(warehouse, f"SELECT incident_id FROM incident_sources WHERE article_id = '{article_id}'")}
    relations = {r[0] for r in _query(warehouse, f"SELECT relation_id FROM relations WHERE article_id = '{article_id}'")}
    actors = {r[0] for r in _query(warehouse, f"""
        SELECT actor_id FROM actor_mentions WHERE article_id = '{article_id}'
        UNION SELECT unnest([perpetrator_actor_id, target_actor_id]) FROM incidents
              WHERE incident_id IN (SELECT incident_id FROM incident_sources WHERE article_id = '{article_id}')
        UNION SELECT unnest([subject_actor_id, object_actor_id]) FROM relations WHERE article_id = '{article_id}'
    """) if r[0]}
    parent = dict(_query(warehouse, "SELECT actor_id, parent_actor_id FROM actors WHERE parent_actor_id IS NOT NULL"))
    pending = list(actors)
    while pending:  # parents come along (foreign key)
        up = parent.get(pending.pop())
        if up and up not in actors:
            actors.add(up)
            pending.append(up)
    return {"incidents": incidents, "relations": relations, "actors": actors}


@pytest.fixture
def raw(tmp_path, fixture_raw) -> Path:
    shutil.copytree(fixture_raw, tmp_path / "raw")
    return tmp_path / "raw"


def test_adding_one_article_extracts_only_it_and_lists_only_what_it_brought(raw, tmp_path):
    warehouse = tmp_path / "warehouse"
    first = _build(raw, warehouse)
    before = _ids(warehouse)

    shutil.copy(EXTRA / NEW_FILE, raw / NEW_FILE)
    storage = SitrepStorage(raw_dir=str(raw), warehouse_dir=str(warehouse))
    with dg.DagsterInstance.ephemeral() as instance:
        [batch], [result] = materialize_raw_folder(storage, instance)
        assert result.success and batch.paths == [NEW_FILE]
        assert result.dagster_run.tags["dagster/partition"] == batch.key
        mats = {m.asset_key.to_user_string(): m.materialization.metadata for m in result.get_asset_materialization_events()}
        logs = [e.user_message for e in instance.all_logs(result.run_id) if e.user_message]
    assert mats["article_extractions"]["extracted_ids"].value == [NEW_ID]
    assert mats["article_extractions"]["articles_from_store"].value == 0
    assert mats["articles"]["extracted_here"].value == 0  # nothing else was extracted anywhere in the run
    assert any(f"extracted 1 article(s): {NEW_ID}" in line for line in logs)
    assert mats["release"]["created"].value and mats["release"]["previous_version"].value == first["version"]

    after, changes = _ids(warehouse), _changes(warehouse)
    brought = _brought_by(warehouse, NEW_ID)
    assert changes["articles"]["added"] == [NEW_ID] and changes["articles"]["changed"] == []
    assert brought["incidents"], "the new article should report at least one incident"
    for table in ID_TABLES:
        entry = changes[table]
        assert entry["withdrawn"] == [] and before[table] <= after[table]
        assert set(entry["added"]) == after[table] - before[table]
        assert set(entry["added"]) <= brought[table], table
        assert {c["id"] for c in entry["changed"]} <= brought[table], table
    assert set(changes["incidents"]["added"]) == brought["incidents"] - before["incidents"]
    assert set(changes["relations"]["added"]) == brought["relations"]
    for table in ("incident_sources", "actor_mentions"):
        assert {tuple(i)[1 if table == "incident_sources" else 0] for i in changes[table]["added"]} == {NEW_ID}
        assert changes[table]["withdrawn"] == [] and changes[table]["changed"] == []


def test_ids_are_stable_when_other_articles_are_added_or_removed(raw, tmp_path):
    """Build A, then A + one article, then A + it − another: every row still there keeps its ID,
    and the incremental release equals a fresh build of the same articles."""
    warehouse = tmp_path / "warehouse"
    _build(raw, warehouse)
    ids_a = _ids(warehouse)
    rows_a = _ids_by_content(warehouse)

    shutil.copy(EXTRA / NEW_FILE, raw / NEW_FILE)
    _build(raw, warehouse)
    ids_b = _ids(warehouse)
    removed = _brought_by(warehouse, REMOVED_ID)
    assert all(ids_a[t] <= ids_b[t] for t in ID_TABLES)

    (raw / REMOVED_FILE).unlink()
    info = _build(raw, warehouse)
    assert info["extracted_ids"] == [] and info["extracted_outside_batches"] == []  # a removal extracts nothing
    ids_c, changes = _ids(warehouse), _changes(warehouse)
    for table in ID_TABLES:
        assert ids_c[table] <= ids_b[table]
        withdrawn = set(changes[table]["withdrawn"])
        assert withdrawn == ids_b[table] - ids_c[table]
        assert withdrawn <= removed[table], table  # only what the removed article brought
        assert changes[table]["added"] == []
    assert changes["articles"]["withdrawn"] == [REMOVED_ID]

    # Matched on content, every surviving row of A has the ID it had in A.
    rows_c = _ids_by_content(warehouse)
    for table, rows in rows_c.items():
        survivors = set(rows) & set(rows_a[table])
        assert survivors, table
        assert {k: rows[k] for k in survivors} == {k: rows_a[table][k] for k in survivors}, table
    assert ids_a["incidents"] - removed["incidents"] <= ids_c["incidents"]

    fresh = tmp_path / "fresh"
    _build(raw, fresh)
    assert _ids(fresh) == ids_c
    assert (read_datapackage(fresh / "latest")["sitrep:content_fingerprint"]
            == read_datapackage(warehouse / "latest")["sitrep:content_fingerprint"])
