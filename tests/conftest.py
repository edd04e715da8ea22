"""Shared fixtures: paths to the fixture articles and the optional evaluation sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import eval_dir

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = eval_dir()


@pytest.fixture
def fixture_raw() -> Path:
    return FIXTURES / "raw"


@pytest.fixture
def eval_dir() -> Path:
    """The third-party evaluation material; tests that need it skip cleanly when it is absent."""
    if not (EVAL_DIR / "dev").is_dir():
        pytest.skip(f"evaluation sets not found at {EVAL_DIR}")
    return EVAL_DIR


@pytest.fixture(autouse=True, scope="session")
def _own_dagster_home(tmp_path_factory):
    """Tests that run `sitrep build` record their runs in a throw-away instance, never the project's."""
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(tmp_path_factory.mktemp("dagster_home"))
    yield
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous
