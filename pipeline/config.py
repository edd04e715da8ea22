"""Where things live: the raw folder, the warehouse and the extractor version.

Paths come from ``SITREP_RAW_DIR`` and ``SITREP_WAREHOUSE_DIR`` (defaults: ``raw/`` and
``warehouse/`` at the repository root), never from the current working directory, so the same
code runs on any folder of articles. No Dagster import.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"

# Bump when extraction output can change for the same text: it keys the per-article cache
# and is recorded on every evidence row.
EXTRACTOR_VERSION = "0.1.0"


def raw_dir() -> Path:
    return Path(os.environ.get("SITREP_RAW_DIR") or REPO_ROOT / "raw").expanduser().resolve()


def warehouse_dir() -> Path:
    return Path(os.environ.get("SITREP_WAREHOUSE_DIR") or REPO_ROOT / "warehouse").expanduser().resolve()


def include_quotes() -> bool:
    """Verbatim quotes ship by default for local builds; SITREP_INCLUDE_QUOTES=0 turns them off."""
    return os.environ.get("SITREP_INCLUDE_QUOTES", "1").strip().lower() not in ("0", "false", "no", "off")
