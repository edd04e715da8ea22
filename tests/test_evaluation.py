"""`sitrep evaluate` must give the reference scorer's figures on the same release."""

from __future__ import annotations

import importlib.util
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
