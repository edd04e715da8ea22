"""Release publishing: Parquet/DuckDB writers, manifest, diff and the atomic publish."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import contract
from pipeline.release import publish as publish_module
from pipeline.release.diff import MAX_LISTED, diff_releases, render_changes_markdown
from pipeline.release.manifest import (
    REPORT_FILES,
    altered_file_errors,
    sha256_file,
    validate_datapackage,
    write_datapackage,
)
from pipeline.release.publish import (
    PublishResult,
    ReleaseContractError,
    content_fingerprint,
    latest_release,
    list_releases,
    load_release_tables,
    publish_release,
)
from pipeline.release.writers import write_duckdb, write_parquet
from pipeline.schemas import CONTRACT_VERSION, TABLES


def build_tables() -> dict[str, pd.DataFrame]:
    """Small, valid frames for all six contract tables, foreign keys resolving."""
    articles = pd.DataFrame({
        "article_id": ["art-001", "art-002", "art-003"],
        "source_path": ["2022/balkh.md", "2022/kabul.md", "2022/kabul-copy.md"],
        "title": ["Blast in Mazar-i-Sharif", "Clash near Kabul", None],
        "outlet": ["Example Times", "Example Post", "Example Post"],
        "url": ["https://example.org/a", "https://example.org/b", None],
        "published_date": pd.to_datetime(["2022-04-21", "2022-04-23", None]),
        "published_date_source": ["front_matter", "dateline", "unknown"],
        "published_date_precision": ["day", "day", "unknown"],
        "language": ["en", "en", "en"],
        "n_chars": [1200, 800, 800],
        "text_sha256": ["a" * 64, "b" * 64, "b" * 64],
        "status": ["ok", "ok", "duplicate"],
        "status_reason": [None, None, "same body as art-002"],
        "duplicate_of": [None, None, "art-002"],
    })
    actors = pd.DataFrame({
        "actor_id": ["civilians-afg", "isis-k", "taliban"],
        "name": ["Civilians (Afghanistan)", "Islamic State Khorasan Province", "Taliban"],
        "aliases": [[], ["ISKP", "IS-K"], ["Islamic Emirate of Afghanistan"]],
        "actor_type": ["civilians", "rebel_group", "government"],
        "country_iso3": ["AFG", None, "AFG"],
        "parent_actor_id": [None, None, None],
        "wikidata_id": [None, "Q19830731", "Q42834"],
        "n_mentions": [1, 2, 1],
        "first_seen": pd.to_datetime(["2022-04-21", "2022-04-21", "2022-04-23"]),
        "last_seen": pd.to_datetime(["2022-04-21", "2022-04-23", "2022-04-23"]),
    })
    incidents = pd.DataFrame({
        "incident_id": ["inc-0001", "inc-0002"],
        "event_date": pd.to_datetime(["2022-04-21", None]),
        "date_start": pd.to_datetime(["2022-04-21", "2022-04-01"]),
        "date_end": pd.to_datetime(["2022-04-21", "2022-04-30"]),
        "date_precision": ["day", "month"],
        "event_type": ["explosions_remote_violence", "battles"],
        "sub_event_type": ["Remote explosive/landmine/IED", "Armed clash"],
        "perpetrator_actor_id": ["isis-k", "taliban"],
        "target_actor_id": ["civilians-afg", None],
        "country_iso3": ["AFG", "AFG"],
        "admin1": ["Balkh", "Kabul"],
        "admin2": ["Mazar-i-Sharif", None],
        "location": ["Mazar-i-Sharif", None],
        "latitude": [36.709, None],
        "longitude": [67.11, None],
        "geo_precision": ["point", "admin1"],
        "fatalities_low": [9, None],
        "fatalities_best": [9, 3],
        "fatalities_high": [12, None],
        "injured_best": [15, None],
        "detained_best": [None, None],
        "summary": ["A bomb killed at least nine people at a mosque.", "Several fighters died in a clash."],
        "n_sources": [1, 1],
        "confidence": [0.9, 0.6],
    })
    incident_sources = pd.DataFrame({
        "incident_id": ["inc-0001", "inc-0002"],
        "article_id": ["art-001", "art-002"],
        "char_start": [10, 40],
        "char_end": [58, 74],
        "quote": ["A bomb killed at least nine people at a mosque.", "Several fighters died in a clash."],
        "fatalities_text": ["at least nine", "several"],
        "extractor_version": ["0.1.0", "0.1.0"],
    })
    actor_mentions = pd.DataFrame({
        "article_id": ["art-001", "art-001", "art-002", "art-002"],
        "actor_id": ["isis-k", "civilians-afg", "taliban", "isis-k"],
        "char_start": [100, 200, 5, 60],
        "char_end": [104, 210, 12, 64],
        "text": ["ISKP", "civilians", "Taliban", "IS-K"],
    })
    relations = pd.DataFrame({
        "relation_id": ["rel-0001"],
        "subject_actor_id": ["taliban"],
        "relation_type": ["opposes"],
        "object_actor_id": ["isis-k"],
        "article_id": ["art-002"],
        "char_start": [40],
        "char_end": [74],
        "quote": ["The Taliban vowed to crush IS-K."],
        "observed_date": pd.to_datetime(["2022-04-23"]),
        "confidence": [0.7],
        "extractor_version": ["0.1.0"],
    })
    return {
        "articles": articles, "actors": actors, "incidents": incidents,
        "incident_sources": incident_sources, "actor_mentions": actor_mentions, "relations": relations,
    }


# --------------------------------------------------------------------------- helpers

def conformed_tables() -> dict[str, pd.DataFrame]:
    return {name: contract.conform(name, df) for name, df in build_tables().items()}


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under ``root`` with its mtime and content hash (or link target): any write shows."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            if path.is_symlink():
                out[str(path)] = (st.st_mtime_ns, os.readlink(path))
            elif path.is_dir():
                out[str(path)] = (st.st_mtime_ns, "dir")
            else:
                out[str(path)] = (st.st_mtime_ns, sha256_file(path))
    out[str(root)] = (root.lstat().st_mtime_ns, "dir")
    return out


def publish(tables: dict[str, pd.DataFrame], warehouse: Path, second: int = 0, **kwargs) -> PublishResult:
    return publish_release(tables, warehouse, now=T0 + dt.timedelta(seconds=second), **kwargs)


T0 = dt.datetime(2024, 5, 1, 8, 30, 0, tzinfo=dt.UTC)
HAS_SHA256SUM = shutil.which("sha256sum") is not None
FRICTIONLESS_CLI = Path(sys.executable).with_name("frictionless")


# --------------------------------------------------------------------------- writers

def test_parquet_round_trip_keeps_date32_lists_nullable_ints_and_metadata(tmp_path: Path) -> None:
    tables = conformed_tables()
    for name in ("incidents", "actors"):
        write_parquet(tables[name], name, tmp_path / f"{name}.parquet", {"sitrep.release_version": "20240101T000000Z"})

    incidents = pq.read_table(tmp_path / "incidents.parquet")
    assert incidents.schema.field("event_date").type == pa.date32()
    assert incidents.schema.field("fatalities_low").type == pa.int64()
    assert incidents.column("fatalities_low").to_pylist() == [9, None]
    assert incidents.column("event_date").to_pylist() == [dt.date(2022, 4, 21), None]
    assert incidents.schema.field("incident_id").nullable is False
    actors = pq.read_table(tmp_path / "actors.parquet")
    assert actors.schema.field("aliases").type == pa.list_(pa.string())
    assert actors.column("aliases").to_pylist() == [[], ["ISKP", "IS-K"], ["Islamic Emirate of Afghanistan"]]

    meta = pq.read_metadata(tmp_path / "incidents.parquet").metadata
    assert meta[b"sitrep.release_version"] == b"20240101T000000Z"
    assert meta[b"sitrep.contract_version"] == CONTRACT_VERSION.encode()
    assert meta[b"description"].decode() == TABLES["incidents"].description
    assert b"pandas" not in meta
    field_meta = incidents.schema.field("fatalities_best").metadata
    assert b"ACLED" in field_meta[b"description"]
    assert pq.ParquetFile(tmp_path / "incidents.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_parquet_bytes_are_identical_for_identical_input(tmp_path: Path) -> None:
    df = conformed_tables()["incidents"]
    write_parquet(df, "incidents", tmp_path / "a.parquet", {"sitrep.release_version": "v"})
    write_parquet(df.copy(), "incidents", tmp_path / "b.parquet", {"sitrep.release_version": "v"})
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_load_release_tables_gives_back_the_conformed_frames(tmp_path: Path) -> None:
    tables = conformed_tables()
    for name, df in tables.items():
        write_parquet(df, name, tmp_path / f"{name}.parquet", {"sitrep.release_version": "v"})
    loaded = load_release_tables(tmp_path)
    assert set(loaded) == set(TABLES)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(loaded[name], df, check_dtype=True)


def test_duckdb_file_opens_read_only_with_tables_comments_views_and_old_storage(tmp_path: Path) -> None:
    path = tmp_path / "sitrep.duckdb"
    write_duckdb(conformed_tables(), path, {"sitrep.release_version": "20240101T000000Z", "licence": "CC-BY-4.0"})
    assert [p.name for p in tmp_path.iterdir()] == ["sitrep.duckdb"]

    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}
        assert counts == {name: len(df) for name, df in build_tables().items()}
        comments = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
        assert comments["incidents"] == TABLES["incidents"].description
        col_comments = dict(con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'incidents'").fetchall())
        assert all(col_comments[c.name] == c.description for c in contract.column_specs("incidents"))
        assert con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name='actors' AND column_name='aliases'"
                           ).fetchone()[0] == "VARCHAR[]"
        info = dict(con.execute("SELECT key, value FROM release_info").fetchall())
        assert info["release_version"] == "20240101T000000Z"
        assert info["contract_version"] == CONTRACT_VERSION
        assert info["licence"] == "CC-BY-4.0"
        assert "created_at" in info

        perp = con.execute("SELECT perpetrator_name, target_name FROM incidents_with_actors "
                           "WHERE incident_id = 'inc-0001'").fetchone()
        assert perp == ("Islamic State Khorasan Province", "Civilians (Afghanistan)")
        evidence = con.execute("SELECT event_date, admin1, event_type, fatalities_best, quote, fatalities_text, "
                               "article_title, article_url, article_source_path, char_start, char_end "
                               "FROM incident_evidence WHERE incident_id = 'inc-0001'").fetchone()
        assert evidence == (dt.date(2022, 4, 21), "Balkh", "explosions_remote_violence", 9,
                            "A bomb killed at least nine people at a mosque.", "at least nine",
                            "Blast in Mazar-i-Sharif", "https://example.org/a", "2022/balkh.md", 10, 58)
        network = con.execute("SELECT subject_name, relation_type, object_name, object_type, quote "
                              "FROM actor_network").fetchall()
        assert network == [("Taliban", "opposes", "Islamic State Khorasan Province", "rebel_group",
                            "The Taliban vowed to crush IS-K.")]
        mentions = dict(con.execute("SELECT actor_id, n_mentions FROM actor_mention_counts").fetchall())
        assert mentions == {"isis-k": 2, "civilians-afg": 1, "taliban": 1}
        view_comments = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
        assert set(view_comments) == {"incidents_with_actors", "incident_evidence", "actor_network",
                                      "actor_mention_counts"}
        assert all(view_comments.values())
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'sitrep'").fetchone()[0]
        assert tags["storage_version"].startswith("v1.0.0")
    finally:
        con.close()


# --------------------------------------------------------------------------- manifest

def test_sha256sums_lists_every_file_but_itself_and_verifies(tmp_path: Path) -> None:
    result = publish(build_tables(), tmp_path)
    lines = (result.path / "SHA256SUMS").read_text().splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == sorted(p.name for p in result.path.iterdir() if p.name != "SHA256SUMS")
    for line in lines:
        digest, name = line.split("  ", 1)
        assert digest == sha256_file(result.path / name)
    if HAS_SHA256SUM:
        check = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], check=False, cwd=result.path,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_datapackage_validates_with_frictionless_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = publish(build_tables(), tmp_path, evaluation={"incidents": {"precision": 0.8, "recall": 0.7}},
                     sources=[{"title": "Fixture articles", "path": "raw/"}])
    offline = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
               "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    for key, value in offline.items():
        monkeypatch.setenv(key, value)
    valid, errors = validate_datapackage(result.path / "datapackage.json")
    assert valid, errors
    if FRICTIONLESS_CLI.exists():
        cli = subprocess.run([str(FRICTIONLESS_CLI), "validate", "datapackage.json"], check=False, cwd=result.path,
                             capture_output=True, text=True, env={**os.environ, **offline})
        assert cli.returncode == 0, cli.stdout


def test_datapackage_describes_tables_files_licence_and_sitrep_keys(tmp_path: Path) -> None:
    evaluation = {"incidents": {"precision": 0.8, "recall": 0.7}}
    result = publish(build_tables(), tmp_path, evaluation=evaluation,
                     sources=[{"title": "Fixture articles", "path": "raw/"}])
    dp = json.loads((result.path / "datapackage.json").read_text())
    assert dp["name"] == "sitrep"
    assert dp["version"] == result.version == "20240501T083000Z"
    assert dp["created"] == "2024-05-01T08:30:00Z"
    assert dp["licenses"][0]["name"] == "CC-BY-4.0" and dp["licenses"][0]["path"].startswith("https://")
    assert dp["sources"][0] == {"title": "Fixture articles", "path": "raw/"}
    geonames = next(src for src in dp["sources"] if "GeoNames" in src["title"])
    assert geonames["licenses"][0]["name"] == "CC-BY-4.0"  # the place data's attribution ships
    assert dp["sitrep:contract_version"] == CONTRACT_VERSION
    assert dp["sitrep:evaluation"] == evaluation
    assert dp["sitrep:include_quotes"] is True
    by_path = {r["path"]: r for r in dp["resources"]}
    assert set(by_path) == {f"{t}.parquet" for t in TABLES} | {"sitrep.duckdb", "changes.json", "CHANGES.md",
                                                            *REPORT_FILES}
    assert by_path["report.html"]["mediatype"] == "text/html"
    for res in by_path.values():
        assert res["bytes"] == (result.path / res["path"]).stat().st_size
        assert res["hash"] == "sha256:" + sha256_file(result.path / res["path"])
    incidents = by_path["incidents.parquet"]
    assert incidents["format"] == "parquet"
    assert incidents["schema"] == contract.frictionless_schema("incidents")
    assert incidents["sitrep:row_count"] == 2


def test_datapackage_validation_fails_when_a_file_is_tampered_with(tmp_path: Path) -> None:
    result = publish(build_tables(), tmp_path)
    target = result.path / "CHANGES.md"
    target.chmod(0o644)
    target.write_text(target.read_text().replace("release", "relaese"))
    valid, errors = validate_datapackage(result.path / "datapackage.json")
    assert not valid
    assert any("hash" in e or "byte" in e for e in errors), errors


def test_datapackage_content_check_catches_a_broken_foreign_key(tmp_path: Path) -> None:
    tables = conformed_tables()
    tables["incidents"].loc[0, "perpetrator_actor_id"] = "nobody"
    for name, df in tables.items():
        write_parquet(df, name, tmp_path / f"{name}.parquet", {"sitrep.release_version": "v"})
    write_datapackage(tmp_path, version="20240101T000000Z", contract_version=CONTRACT_VERSION,
                      row_counts={n: len(d) for n, d in tables.items()}, evaluation=None, sources=[],
                      include_quotes=True)
    valid, errors = validate_datapackage(tmp_path / "datapackage.json")
    assert not valid
    assert any("foreign-key" in e and "nobody" in e for e in errors), errors


def test_datapackage_content_check_catches_enum_required_and_primary_key_breaks(tmp_path: Path) -> None:
    tables = conformed_tables()
    tables["incidents"].loc[0, "event_type"] = "picnic"
    tables["relations"] = pd.concat([tables["relations"], tables["relations"].head(1)], ignore_index=True)
    for name, df in tables.items():
        write_parquet(df, name, tmp_path / f"{name}.parquet", {"sitrep.release_version": "v"})
    incidents = pq.read_table(tmp_path / "incidents.parquet")  # a null the writer would refuse
    at = incidents.schema.get_field_index("date_precision")
    nulled = pa.array([None] * incidents.num_rows, type=pa.string())
    pq.write_table(incidents.set_column(at, pa.field("date_precision", pa.string()), nulled),
                   tmp_path / "incidents.parquet")
    write_datapackage(tmp_path, version="20240101T000000Z", contract_version=CONTRACT_VERSION,
                      row_counts={n: len(d) for n, d in tables.items()}, evaluation=None, sources=[],
                      include_quotes=True)
    valid, errors = validate_datapackage(tmp_path / "datapackage.json")
    assert not valid
    assert any("event_type" in e and "picnic" in e for e in errors), errors
    assert any("date_precision" in e and "required" in e for e in errors), errors
    assert any("relations: primary-key" in e for e in errors), errors


def test_an_unchanged_release_is_checked_for_alteration_by_size_and_hash(tmp_path: Path) -> None:
    result = publish(build_tables(), tmp_path)
    assert altered_file_errors(result.path) == []
    target = result.path / "CHANGES.md"
    target.chmod(0o644)
    target.write_text(target.read_text().replace("release", "relaese"))  # same size, newer mtime
    errors = altered_file_errors(result.path)
    assert len(errors) == 1 and "hash-count-error" in errors[0] and "CHANGES.md" in errors[0]


# --------------------------------------------------------------------------- publish

def test_publishing_same_tables_twice_creates_no_release_and_changes_no_file(tmp_path: Path) -> None:
    first = publish(build_tables(), tmp_path)
    before = snapshot(tmp_path)
    shuffled = {name: df.sample(frac=1, random_state=1) for name, df in build_tables().items()}
    second = publish(shuffled, tmp_path, second=5)
    assert second.created is False
    assert second.version == first.version and second.path == first.path
    assert list_releases(tmp_path) == [first.version]
    assert snapshot(tmp_path) == before


def test_content_fingerprint_ignores_row_order_and_depends_on_values() -> None:
    tables = conformed_tables()
    shuffled = {name: df.iloc[::-1].reset_index(drop=True) for name, df in tables.items()}
    assert content_fingerprint(tables) == content_fingerprint(shuffled)
    tables["actors"].at[1, "aliases"] = ["ISKP"]
    assert content_fingerprint(tables) != content_fingerprint(shuffled)


def test_a_change_gives_a_new_release_naming_exactly_the_changed_added_and_withdrawn_ids(tmp_path: Path) -> None:
    first = publish(build_tables(), tmp_path)
    tables = build_tables()
    tables["incidents"].loc[tables["incidents"].incident_id == "inc-0002", "fatalities_best"] = 4
    tables["relations"] = tables["relations"].iloc[0:0]
    tables["actor_mentions"] = pd.concat([tables["actor_mentions"], pd.DataFrame({
        "article_id": ["art-002"], "actor_id": ["taliban"], "char_start": [80], "char_end": [87], "text": ["Taliban"],
    })], ignore_index=True)
    second = publish(tables, tmp_path, second=60)

    assert second.created and second.previous_version == first.version
    assert second.version == "20240501T083100Z"
    changes = json.loads((second.path / "changes.json").read_text())
    assert changes == {**second.changes}
    summary = {t: (d["added"], d["changed"], d["withdrawn"]) for t, d in changes.items() if t in TABLES}
    assert summary == {
        "articles": ([], [], []),
        "actors": ([], [], []),
        "incidents": ([], [{"id": "inc-0002", "columns": ["fatalities_best"]}], []),
        "incident_sources": ([], [], []),
        "actor_mentions": ([["art-002", 80, 87, "taliban"]], [], []),
        "relations": ([], [], ["rel-0001"]),
    }
    assert changes["previous_version"] == first.version
    markdown = (second.path / "CHANGES.md").read_text()
    assert "`inc-0002`: fatalities_best" in markdown and "`rel-0001`" in markdown


def test_tombstones_carry_forward_to_later_releases(tmp_path: Path) -> None:
    publish(build_tables(), tmp_path)
    without_relation = build_tables()
    without_relation["relations"] = without_relation["relations"].iloc[0:0]
    second = publish(without_relation, tmp_path, second=1)
    later = build_tables()
    later["relations"] = later["relations"].iloc[0:0]
    later["incidents"].loc[0, "confidence"] = 0.95
    third = publish(later, tmp_path, second=2)

    assert third.changes["relations"]["withdrawn"] == []
    stones = json.loads((third.path / "changes.json").read_text())["relations"]["tombstones"]
    assert stones == [{"id": "rel-0001", "withdrawn_in": second.version}]


def test_latest_points_to_the_newest_release(tmp_path: Path) -> None:
    publish(build_tables(), tmp_path)
    changed = build_tables()
    changed["incidents"].loc[0, "admin2"] = "Dehdadi"
    newest = publish(changed, tmp_path, second=30)
    link = tmp_path / "latest"
    assert link.is_symlink()
    assert os.readlink(link) == f"releases/{newest.version}"
    assert latest_release(tmp_path) == newest.path
    assert (link / "datapackage.json").is_file()


def test_two_releases_in_the_same_second_get_distinct_sortable_versions(tmp_path: Path) -> None:
    first = publish(build_tables(), tmp_path)
    changed = build_tables()
    changed["incidents"].loc[0, "admin2"] = "Dehdadi"
    second = publish(changed, tmp_path)
    assert (first.version, second.version) == ("20240501T083000Z", "20240501T083001Z")
    assert list_releases(tmp_path) == [first.version, second.version]


def test_crash_mid_publish_leaves_no_visible_release_and_latest_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = publish(build_tables(), tmp_path)
    before = snapshot(tmp_path / "releases" / first.version)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    changed = build_tables()
    changed["incidents"].loc[0, "admin2"] = "Dehdadi"
    for target in ("write_duckdb", "write_sha256sums"):
        with monkeypatch.context() as patch:
            patch.setattr(publish_module, target, crash)
            with pytest.raises(OSError, match="disk full"):
                publish(changed, tmp_path, second=10)
        assert list_releases(tmp_path) == [first.version]
        assert os.readlink(tmp_path / "latest") == f"releases/{first.version}"
        assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == [first.version]
        assert snapshot(tmp_path / "releases" / first.version) == before


def test_crash_after_rename_is_repaired_by_the_next_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = publish(build_tables(), tmp_path)
    changed = build_tables()
    changed["incidents"].loc[0, "admin2"] = "Dehdadi"

    def crash(*args, **kwargs):
        raise OSError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(publish_module, "_point_latest", crash)
        with pytest.raises(OSError, match="power cut"):
            publish(changed, tmp_path, second=10)
    assert os.readlink(tmp_path / "latest") == f"releases/{first.version}"
    complete = list_releases(tmp_path)[-1]
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], check=False,
                          cwd=tmp_path / "releases" / complete).returncode == 0 or not HAS_SHA256SUM

    again = publish(changed, tmp_path, second=20)
    assert again.created is False and again.version == complete
    assert os.readlink(tmp_path / "latest") == f"releases/{complete}"


def test_empty_tables_publish_a_valid_release(tmp_path: Path) -> None:
    result = publish({name: contract.empty_frame(name) for name in TABLES}, tmp_path)
    assert result.created
    assert all(pq.read_metadata(result.path / f"{t}.parquet").num_rows == 0 for t in TABLES)
    valid, errors = validate_datapackage(result.path)
    assert valid, errors


def test_stale_temp_folders_are_ignored_and_cleaned_by_the_next_publish(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    stale = releases / ".tmp-20240101T000000Z-999"
    fresh = releases / ".tmp-20240101T000001Z-998"
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "incidents.parquet").write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    assert list_releases(tmp_path) == [] and latest_release(tmp_path) is None

    result = publish(build_tables(), tmp_path)
    # The publish holds the lock, so no other publisher is alive: a recent crash's folder goes too.
    assert not stale.exists()
    assert not fresh.exists()
    assert list_releases(tmp_path) == [result.version]


def test_release_files_are_read_only(tmp_path: Path) -> None:
    result = publish(build_tables(), tmp_path)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in result.path.iterdir()}
    assert modes and set(modes.values()) == {0o444}


def test_include_quotes_false_nulls_quotes_and_summaries(tmp_path: Path) -> None:
    result = publish(build_tables(), tmp_path, include_quotes=False)
    for table, column in (("incident_sources", "quote"), ("relations", "quote"), ("incidents", "summary")):
        values = pq.read_table(result.path / f"{table}.parquet", columns=[column]).column(column).to_pylist()
        assert values and all(v is None for v in values), (table, values)
    assert pq.read_table(result.path / "incident_sources.parquet").column("fatalities_text").to_pylist() == [
        "at least nine", "several"]
    con = duckdb.connect(str(result.path / "sitrep.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM incident_evidence WHERE quote IS NOT NULL").fetchone()[0] == 0
    finally:
        con.close()
    assert json.loads((result.path / "datapackage.json").read_text())["sitrep:include_quotes"] is False


def test_conform_failure_raises_before_anything_is_written(tmp_path: Path) -> None:
    tables = build_tables()
    tables["incidents"].loc[0, "event_type"] = "picnic"
    with pytest.raises(pandera.errors.SchemaErrors):
        publish(tables, tmp_path / "warehouse")
    assert not (tmp_path / "warehouse").exists()


def test_broken_foreign_key_raises_before_anything_is_written(tmp_path: Path) -> None:
    publish(build_tables(), tmp_path)
    before = snapshot(tmp_path)
    tables = build_tables()
    tables["incident_sources"].loc[0, "article_id"] = "art-404"
    with pytest.raises(ReleaseContractError, match="art-404"):
        publish(tables, tmp_path, second=1)
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- diff

def test_diff_treats_missing_values_as_equal_and_compares_lists_elementwise() -> None:
    previous = conformed_tables()
    current = {name: df.copy() for name, df in previous.items()}
    current["actors"]["aliases"] = [list(a) for a in current["actors"]["aliases"]]
    current["incidents"]["detained_best"] = pd.array([pd.NA, pd.NA], dtype="Int64")
    assert all(not (d["added"] or d["changed"] or d["withdrawn"])
               for d in diff_releases(previous, current).values())

    current["actors"].at[1, "aliases"] = ["IS-K", "ISKP"]
    changed = diff_releases(previous, current)["actors"]["changed"]
    assert changed == [{"id": "isis-k", "columns": ["aliases"]}]


def test_diff_against_no_previous_release_lists_every_row_as_added() -> None:
    current = conformed_tables()
    diff = diff_releases(None, current)
    assert diff["incidents"]["added"] == ["inc-0001", "inc-0002"]
    assert diff["incident_sources"]["added"] == [["inc-0001", "art-001"], ["inc-0002", "art-002"]]
    assert "First release" in render_changes_markdown(diff, "v1", None)


def test_reinstated_id_leaves_the_tombstones() -> None:
    current = conformed_tables()
    previous_changes = {"version": "v2", "relations": {"tombstones": [{"id": "rel-0001", "withdrawn_in": "v1"},
                                                                      {"id": "rel-0009", "withdrawn_in": "v1"}]}}
    previous = {**current, "relations": current["relations"].iloc[0:0]}
    diff = diff_releases(previous, current, previous_changes=previous_changes, version="v3")
    assert diff["relations"]["added"] == ["rel-0001"]
    assert diff["relations"]["reinstated"] == ["rel-0001"]
    assert diff["relations"]["tombstones"] == [{"id": "rel-0009", "withdrawn_in": "v1"}]


def test_changes_markdown_truncates_long_lists() -> None:
    ids = [f"inc-{i:04d}" for i in range(MAX_LISTED + 25)]
    diff = {"incidents": {"rows_current": len(ids), "rows_previous": 0, "added": ids, "changed": [],
                          "withdrawn": [], "reinstated": [], "tombstones": []}}
    markdown = render_changes_markdown(diff, "v2", "v1")
    assert f"`inc-{MAX_LISTED - 1:04d}`" in markdown
    assert f"`inc-{MAX_LISTED:04d}`" not in markdown
    assert "and 25 more" in markdown


def _incident_merged_into_another(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """inc-0002's report (art-002) now belongs to inc-0001, as when a merge or a re-dated first
    report changes which incident holds it."""
    merged = {name: df.copy() for name, df in tables.items()}
    merged["incidents"] = merged["incidents"].iloc[[0]].assign(n_sources=2)
    merged["incident_sources"] = merged["incident_sources"].assign(incident_id=["inc-0001", "inc-0001"])
    return merged


def test_a_withdrawn_incident_names_the_incident_that_now_holds_its_report() -> None:
    previous = conformed_tables()
    current = _incident_merged_into_another(previous)
    diff = diff_releases(previous, current, version="v2")
    assert diff["incidents"]["withdrawn"] == ["inc-0002"]
    assert diff["incidents"]["tombstones"] == [{"id": "inc-0002", "withdrawn_in": "v2", "replaced_by": "inc-0001"}]
    assert "`inc-0002` → `inc-0001`" in render_changes_markdown(diff, "v2", "v1")


def test_an_incident_whose_reports_are_gone_has_no_successor() -> None:
    previous = conformed_tables()
    current = {name: df.copy() for name, df in previous.items()}
    current["incidents"] = current["incidents"].iloc[[0]]
    current["incident_sources"] = current["incident_sources"].iloc[[0]]
    diff = diff_releases(previous, current, version="v2")
    assert diff["incidents"]["tombstones"] == [{"id": "inc-0002", "withdrawn_in": "v2", "replaced_by": None}]


def test_an_old_tombstone_follows_its_successor_when_that_is_replaced_too() -> None:
    previous = conformed_tables()
    current = _incident_merged_into_another(previous)
    previous_changes = {"version": "v1", "incidents": {"tombstones": [
        {"id": "inc-0000", "withdrawn_in": "v1", "replaced_by": "inc-0002"}]}}
    diff = diff_releases(previous, current, previous_changes=previous_changes, version="v2")
    stones = {s["id"]: s["replaced_by"] for s in diff["incidents"]["tombstones"]}
    assert stones == {"inc-0000": "inc-0001", "inc-0002": "inc-0001"}
