"""A build with nothing new answers from the listing: no run, no article read, no release reloaded."""

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline import build_state
from pipeline.batches import RawFile

FIXTURES = Path(__file__).parent / "fixtures" / "raw"


def _release(warehouse: Path, version: str = "20261201T000000Z") -> Path:
    """A minimal published release: one file, its descriptor and the ``latest`` link."""
    folder = warehouse / "releases" / version
    folder.mkdir(parents=True)
    data = b"article_id\nx\n"
    (folder / "articles.parquet").write_bytes(data)
    descriptor = {"resources": [{"name": "articles", "path": "articles.parquet", "bytes": len(data),
                                 "hash": f"sha256:{hashlib.sha256(data).hexdigest()}", "sitrep:row_count": 1}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    (warehouse / "latest").symlink_to(Path("releases") / version)
    return folder


def test_the_recorded_release_is_reused_only_for_the_same_inputs_and_intact_files(tmp_path):
    warehouse = tmp_path / "warehouse"
    release = _release(warehouse)
    listing = [RawFile("a.md", 10, 1)]
    inputs = build_state.release_inputs_fingerprint(listing, include_quotes=True)
    assert build_state.unchanged_release(warehouse, inputs) is None  # nothing recorded yet
    build_state.record_build(warehouse, inputs, release.name, day_sensitive=False)
    assert build_state.unchanged_release(warehouse, inputs) == release
    assert build_state.release_row_counts(release) == {"articles": 1}

    for changed in ([RawFile("a.md", 10, 2)], [RawFile("a.md", 11, 1)], [*listing, RawFile("b.md", 1, 1)], []):
        assert build_state.unchanged_release(
            warehouse, build_state.release_inputs_fingerprint(changed, include_quotes=True)) is None
    assert build_state.unchanged_release(
        warehouse, build_state.release_inputs_fingerprint(listing, include_quotes=False)) is None

    build_state.record_build(warehouse, inputs, release.name, day_sensitive=True)  # a future date refused today
    assert build_state.unchanged_release(warehouse, inputs) == release
    state = json.loads((warehouse / build_state.STATE_FILE).read_text())
    (warehouse / build_state.STATE_FILE).write_text(json.dumps({**state, "valid_on": "2000-01-01"}))
    assert build_state.unchanged_release(warehouse, inputs) is None  # another day may date it differently

    build_state.record_build(warehouse, inputs, "20261130T000000Z", day_sensitive=False)
    assert build_state.unchanged_release(warehouse, inputs) is None  # latest is not the recorded release

    build_state.record_build(warehouse, inputs, release.name, day_sensitive=False)
    (release / "articles.parquet").write_bytes(b"article_id\ny\n")  # same size, edited after publication
    assert build_state.unchanged_release(warehouse, inputs) is None


def test_settings_that_change_a_release_change_the_fingerprint(monkeypatch):
    listing = [RawFile("a.md", 10, 1)]
    before = build_state.release_inputs_fingerprint(listing, include_quotes=True)
    monkeypatch.setenv("SITREP_ARTICLE_TIMEOUT", "5")
    assert build_state.release_inputs_fingerprint(listing, include_quotes=True) != before
    monkeypatch.delenv("SITREP_ARTICLE_TIMEOUT")
    monkeypatch.setattr("pipeline.limits.MAX_ARTICLE_CHARS", 10)
    assert build_state.release_inputs_fingerprint(listing, include_quotes=True) != before


@pytest.mark.slow
def test_a_second_build_with_nothing_new_starts_no_run(tmp_path, monkeypatch, capsys):
    from pipeline import cli

    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    monkeypatch.setenv("SITREP_RAW_DIR", str(raw))
    monkeypatch.setenv("SITREP_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert cli.main(["build", "--quiet", "--workers", "1"]) == 0
    first = capsys.readouterr().out
    version = os.readlink(tmp_path / "warehouse" / "latest").rsplit("/", 1)[-1]
    assert f"published release {version}" in first

    def no_run(*args, **kwargs):
        raise AssertionError("a build with nothing new started a run")

    monkeypatch.setattr(cli, "run_build", no_run)
    assert cli.main(["build", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"no change since release {version}: nothing published" in out and "(articles 8, " in out

    os.utime(raw / "kunduz-clash.md", ns=(1, 1))  # touched: the listing differs, so the build runs
    monkeypatch.undo()
    monkeypatch.setenv("SITREP_RAW_DIR", str(raw))
    monkeypatch.setenv("SITREP_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert cli.main(["build", "--quiet", "--workers", "1"]) == 0
    assert f"no change since release {version}: nothing published" in capsys.readouterr().out
    assert json.loads((tmp_path / "warehouse" / build_state.STATE_FILE).read_text())["release"] == version
