"""Shared fixtures: paths to the fixture articles and the optional evaluation sets."""

from __future__ import annotations

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
