"""Where things live: the raw folder, the warehouse, the Dagster instance and the extractor version.

Paths come from ``SITREP_RAW_DIR``, ``SITREP_WAREHOUSE_DIR`` and ``DAGSTER_HOME`` (defaults: ``raw/``,
``warehouse/`` and ``dagster_home/`` at the repository root), never from the current working
directory, so the same code runs on any folder of articles. No Dagster import.
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


def dagster_home() -> Path:
    """The persistent Dagster instance `sitrep build` records its runs in and the UI shows.

    ``dagster_home/`` in the repository holds the shipped ``dagster.yaml``, so the instance is
    configured without a copy step; ``DAGSTER_HOME`` points elsewhere (a shared deployment).
    """
    return Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / "dagster_home").expanduser().resolve()


ENVIRONMENT = {
    "SITREP_RAW_DIR": "the raw folder to read (default raw/; a local path or an object-store URI)",
    "SITREP_WAREHOUSE_DIR": "where releases are published (default warehouse/; a local path or an object-store URI)",
    "SITREP_INCLUDE_QUOTES": "0 publishes a release without verbatim quotes (default 1)",
    "SITREP_WORKERS": "extraction processes (default: the machine's cores; --workers sets it too)",
    "SITREP_ARTICLE_TIMEOUT": "seconds one article may take to extract before it is rejected (default 60, 0: none)",
    "SITREP_STAGING_DIR": "local folder where a release is staged before upload to an object store",
    "SITREP_CACHE_DIR": "where the gazetteer index and the compiled count patterns are cached (default ~/.cache/sitrep)",
    "SITREP_LOCK_TIMEOUT": "seconds a build waits for another build's publish lock before it fails",
    "SITREP_EVAL_DIR": "evaluation sets for `sitrep evaluate NAME` and the tests (default ../shared/eval)",
    "DAGSTER_HOME": "the Dagster instance that records runs, materialisations and checks (default dagster_home/)",
}
"""The environment variables ``sitrep`` reads, with what each sets: ``sitrep build --help`` lists them."""


def eval_dir() -> Path:
    """Where evaluation sets live (``dev/<set>/raw`` + ``gold.jsonl``): third-party data, never in the repository."""
    return Path(os.environ.get("SITREP_EVAL_DIR") or REPO_ROOT.parent / "shared" / "eval").expanduser().resolve()


def portable_path(path: str | Path) -> str:
    """A path as a release may show it: relative to the evaluation sets or the repository, never this machine's.

    Figures recorded here (which texts a benchmark measured) travel in every release; an absolute
    path would publish a user name or folder layout and mean nothing on the reader's machine.
    """
    p = Path(path).expanduser()
    if not p.is_absolute():
        return p.as_posix()
    p = p.resolve()
    for root, label in ((eval_dir(), "eval"), (REPO_ROOT, "")):
        if p.is_relative_to(root):
            rel = p.relative_to(root).as_posix()
            return f"{label}:{rel}" if label else rel
    return "/".join(p.parts[-2:])


def include_quotes() -> bool:
    """Verbatim quotes ship by default for local builds; SITREP_INCLUDE_QUOTES=0 turns them off."""
    return os.environ.get("SITREP_INCLUDE_QUOTES", "1").strip().lower() not in ("0", "false", "no", "off")
