"""Dagster resources: where articles come from and where releases go.

Storage sits behind one resource so a deployment can point it at other folders (or a mounted
object store) without touching asset code. Values default to the environment
(``SITREP_RAW_DIR``, ``SITREP_WAREHOUSE_DIR``, ``SITREP_INCLUDE_QUOTES``, ``SITREP_WORKERS``).
"""

import os
from pathlib import Path

import dagster as dg

from pipeline import config


class SitrepStorage(dg.ConfigurableResource):
    """The raw folder read by ingest and the warehouse folder written by publish."""

    raw_dir: str = ""
    warehouse_dir: str = ""
    include_quotes: bool = True
    workers: int = 1

    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve() if self.raw_dir else config.raw_dir()

    def warehouse_path(self) -> Path:
        return Path(self.warehouse_dir).resolve() if self.warehouse_dir else config.warehouse_dir()

    def cache_path(self) -> Path:
        return self.warehouse_path() / "cache" / "extractions"


def storage_from_env() -> SitrepStorage:
    return SitrepStorage(
        raw_dir=str(config.raw_dir()),
        warehouse_dir=str(config.warehouse_dir()),
        include_quotes=config.include_quotes(),
        workers=int(os.environ.get("SITREP_WORKERS", "1") or 1),
    )
