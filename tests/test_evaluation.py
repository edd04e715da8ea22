"""`sitrep evaluate` must give the reference scorer's figures on the same release."""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from pipeline.evaluation import dates_overlap, match_incidents, names_agree, score_release

pytestmark = pytest.mark.slow


def test_place_names_agree_across_spelling_variants():
    assert names_agree("Mazar-e-Sharif", "Mazar-i-Sharif")
    assert names_agree("Paktya province", "Paktia")
    assert not names_agree("Kabul", "Kunar")


def test_one_day_of_slack_on_dates():
    gold = {"date": "2022-04-29"}
    assert dates_overlap(gold, {"event_date": "2022-04-28"})
    assert not dates_overlap(gold, {"event_date": "2022-04-26"})


def test_matching_is_one_to_one_best_pair_first():
    gold = [{"admin1": "Kabul", "date": "2022-04-29", "fatalities_best": 50}]
    preds = [{"admin1": "Kabul", "event_date": "2022-04-29", "fatalities_best": 3},
             {"admin1": "Kabul", "event_date": "2022-04-29", "fatalities_best": 50}]
    assert match_incidents(gold, preds) == [(0, 1)]


def test_figures_equal_the_reference_scorer_on_the_seed(eval_dir, tmp_path):
    from pipeline.cli import run_build

    set_dir = eval_dir / "dev" / "seed"
    raw = tmp_path / "raw"
    shutil.copytree(set_dir / "raw", raw)
    ok, info = run_build(raw, tmp_path / "w", include_quotes=True, workers=1, quiet=True)
    assert ok, info
    spec = importlib.util.spec_from_file_location("reference_score", eval_dir / "score.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    ours = score_release(set_dir, tmp_path / "w" / "latest")
    theirs = reference.score(set_dir, tmp_path / "w" / "latest")
    for key in theirs:
        assert ours[key] == theirs[key], key


def _write_release(folder, tables: dict[str, list[dict]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    for name, rows in tables.items():
        pq.write_table(pa.Table.from_pylist(rows), folder / f"{name}.parquet")


def test_duplicate_and_cross_article_figures_equal_the_reference_scorer(eval_dir, tmp_path):
    """Two outlets tell event E1 (one merged incident), one also codes it twice; E2 and E3 share an incident."""
    set_dir = tmp_path / "set"
    set_dir.mkdir()
    e1 = {"required": True, "date": "2024-03-02", "country_iso3": "NGA", "admin1": "Borno", "location": "Damboa",
          "fatalities_min": 12, "event_type": "battles", "event_id": "E1"}
    e2 = dict(e1, location="Bama", date="2024-03-05", event_id="E2")
    e3 = dict(e1, location="Bama", date="2024-03-06", event_id="E3")
    docs = [{"doc": "a", "file": "raw/a.md", "complete": True, "incidents": [e1]},
            {"doc": "b", "file": "raw/b.md", "complete": True, "incidents": [e1, e2, e3]}]
    (set_dir / "gold.jsonl").write_text("\n".join(json.dumps(d) for d in docs))

    def incident(incident_id, location, day, deaths):
        return {"incident_id": incident_id, "event_date": day, "date_start": day, "date_end": day,
                "country_iso3": "NGA", "admin1": "Borno", "admin2": None, "location": location,
                "fatalities_best": deaths, "event_type": "battles", "perpetrator_actor_id": None}

    release = tmp_path / "release"
    _write_release(release, {
        "articles": [{"article_id": "A", "source_path": "raw/a.md"}, {"article_id": "B", "source_path": "raw/b.md"}],
        "incidents": [incident("I1", "Damboa", "2024-03-02", 12), incident("I1b", "Damboa", "2024-03-02", 3),
                      incident("I2", "Bama", "2024-03-05", 1)],
        "incident_sources": [{"incident_id": "I1", "article_id": "A"}, {"incident_id": "I1", "article_id": "B"},
                             {"incident_id": "I1b", "article_id": "B"}, {"incident_id": "I2", "article_id": "B"}],
        "actors": [{"actor_id": "X", "name": "x", "aliases": []}],
        "relations": [{"article_id": "A", "subject_actor_id": "X", "object_actor_id": "X"}],
        "actor_mentions": [{"article_id": "A", "actor_id": "X"}],
    })
    spec = importlib.util.spec_from_file_location("reference_score", eval_dir / "score.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    ours, theirs = score_release(set_dir, release), reference.score(set_dir, release)
    assert (ours["duplicate_rate"], ours["cross_article_merge"]) == (0.25, 1.0)
    for key in theirs:
        assert ours[key] == theirs[key], key
