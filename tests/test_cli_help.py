"""What a user reads about the command: every variable it reads is documented where they look."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.cli import main, resolve_eval_set
from pipeline.config import ENVIRONMENT

REPO = Path(__file__).resolve().parent.parent


def test_build_help_lists_every_environment_variable_it_reads(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    assert [k for k in ENVIRONMENT if k not in text] == []


def test_every_sitrep_variable_the_code_reads_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    read = set()
    for path in (REPO / "pipeline").rglob("*.py"):
        read |= set(re.findall(r"\bSITREP_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    assert sorted(v for v in read if v not in readme) == []


def test_an_evaluation_set_is_a_folder_or_a_name_under_sitrep_eval_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_EVAL_DIR", str(tmp_path / "eval"))
    assert resolve_eval_set("news_world") == tmp_path / "eval" / "dev" / "news_world"
    (tmp_path / "mine").mkdir()
    monkeypatch.chdir(tmp_path)
    assert resolve_eval_set("mine") == tmp_path / "mine"
