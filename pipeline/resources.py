"""Dagster resources: where articles come from, where Sitrep keeps its state, where releases go.

What belongs here: ``SitrepStorage`` — the raw folder and the warehouse as locations on local disk
or in object storage (through ``pyarrow.fs``: any S3-compatible store, GCS, HDFS), the layout of
what Sitrep keeps under the warehouse, and getting a release there; ``SitrepIOManager``, which keeps
step outputs in that same storage so a step may run in another process or on another machine.
What does not: file formats and the release lifecycle (``pipeline.release``), or asset logic.

Warehouse layout (the same keys on disk and in a bucket)::

    batches/<batch key>.json            ingestion batch manifests (the ledger of recorded raw files)
    cache/extractions/<aa>/<key>.pkl    per-article extraction store, keyed by ``extract.cache_key``
    cache/dagster/<asset>[/<partition>].pkl   step outputs between steps (``SitrepIOManager``)
    cache/ingest/<aa>/<key>.pkl         article records of unchanged raw files (``ingest.IngestCache``)
    cache/build_state.json              local disk: the inputs of the current release (``build_state``)
    cache/charts/<key>.pickle           local disk (or staging): the report's charts by input (``publish.CHART_CACHE_DIR``)
    releases/<version>/                 immutable releases
    latest -> releases/<version>        local disk: a symlink swapped atomically
    LATEST                              object storage: a one-line object naming the current release
    .publish.lock                       local disk: the publish lock (``flock``)
    LOCK                                object storage: the publish lock (a lease, ``publish.lease_lock``)

A plain path is a local warehouse: releases are published in place (atomic rename, symlink). A URI
(``s3://bucket/prefix?endpoint_override=host:9000&scheme=http``, ``gs://…``, ``file:///…``) is an
object-store warehouse: a release is assembled and validated in a local staging folder, uploaded,
and becomes visible only when ``LATEST`` is rewritten — a single-object PUT, atomic on S3.
Credentials come from the store's usual environment (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``).
"""

import datetime as dt
import hashlib
import os
import pickle
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.fs as pafs

from pipeline import config, limits
from pipeline.batches import Batch, RawFile, is_hidden, plan_batches, unrecorded_files
from pipeline.extraction.records import ArticleExtraction
from pipeline.rawfolder import RefusedEntry, list_local_raw_folder, oversize_reason, read_local_raw

BATCHES_PREFIX = "batches"
EXTRACTIONS_PREFIX = "cache/extractions"
INGEST_PREFIX = "cache/ingest"
IO_PREFIX = "cache/dagster"
RELEASES_PREFIX = "releases"
LATEST_OBJECT = "LATEST"
LOCK_OBJECT = "LOCK"


@dataclass(frozen=True)
class Location:
    """A folder on some ``pyarrow`` filesystem: local disk, or a bucket prefix."""

    fs: pafs.FileSystem
    root: str
    display: str

    @property
    def is_local_disk(self) -> bool:
        return isinstance(self.fs, pafs.LocalFileSystem)

    def path(self, key: str) -> str:
        return f"{self.root}/{key}" if key else self.root

    def read(self, key: str) -> bytes | None:
        """The object's bytes, or None when it does not exist."""
        try:
            with self.fs.open_input_stream(self.path(key)) as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    def write(self, key: str, data: bytes) -> None:
        """Write an object whole: readers see the old bytes or the new ones, never a part.

        On local disk through a temporary sibling and a rename; on object storage one PUT is
        already atomic.
        """
        target = self.path(key)
        if not self.is_local_disk:
            with self.fs.open_output_stream(target) as fh:
                fh.write(data)
            return
        self.fs.create_dir(target.rsplit("/", 1)[0], recursive=True)
        tmp = f"{target}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            with self.fs.open_output_stream(tmp) as fh:
                fh.write(data)
            self.fs.move(tmp, target)
        finally:
            if self.fs.get_file_info(tmp).type == pafs.FileType.File:
                self.fs.delete_file(tmp)

    def delete(self, key: str) -> None:
        """Remove an object; nothing happens when it does not exist."""
        try:
            self.fs.delete_file(self.path(key))
        except FileNotFoundError:
            pass

    def files(self, prefix: str = "") -> list[pafs.FileInfo]:
        """Every file under ``prefix`` (recursively), in path order; empty when the prefix is absent."""
        selector = pafs.FileSelector(self.path(prefix), recursive=True, allow_not_found=True)
        infos = [i for i in self.fs.get_file_info(selector) if i.type == pafs.FileType.File]
        return sorted(infos, key=lambda i: i.path)

    def relative(self, info: pafs.FileInfo) -> str:
        return info.path[len(self.root) + 1:] if info.path.startswith(self.root + "/") else info.path


def is_uri(target: str) -> bool:
    return "://" in target


@lru_cache(maxsize=16)
def location_for(target: str) -> Location:
    """A local path (resolved) or a filesystem URI; ``s3://`` URIs take ``endpoint_override``,
    ``scheme``, ``region`` and the other ``pyarrow.fs.S3FileSystem`` options as query parameters."""
    if not is_uri(target):
        path = Path(target).expanduser().resolve()
        return Location(pafs.LocalFileSystem(), path.as_posix(), str(path))
    fs, root = pafs.FileSystem.from_uri(target)
    return Location(fs, root.rstrip("/"), target.split("?", 1)[0])


class PickleStore:
    """Extractions pickled one object per key under a prefix: ``extract.ExtractionStore`` on any storage."""

    def __init__(self, location: Location, prefix: str):
        self.location = location
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key[:2]}/{key}.pkl"

    def get(self, key: str) -> ArticleExtraction | str | None:
        data = self.location.read(self._key(key))
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # written by other code: extracted again and overwritten

    def put(self, key: str, value: ArticleExtraction | str) -> None:
        self.location.write(self._key(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


class SitrepStorage(dg.ConfigurableResource):
    """The raw folder read by ingest and the warehouse where batches, extractions and releases live.

    ``raw_dir`` and ``warehouse_dir`` are local paths or filesystem URIs (see the module docstring);
    empty means ``SITREP_RAW_DIR`` / ``SITREP_WAREHOUSE_DIR`` (defaults ``raw/`` and ``warehouse/``).
    ``staging_dir`` is the local folder where releases for an object-store warehouse are assembled
    (default: a folder per warehouse under the system temp dir; the latest release is fetched into
    it when missing).
    """

    raw_dir: str = ""
    warehouse_dir: str = ""
    staging_dir: str = ""
    include_quotes: bool = True
    workers: int = 0
    """Extraction processes; 0 means the machine's cores (``pipeline.extract.default_workers``)."""

    def replaced(self, **changes: object) -> "SitrepStorage":
        """A copy with some fields changed (``model_copy`` would not reach Dagster's resource config)."""
        return SitrepStorage(**{**self.model_dump(), **changes})

    # -- locations
    def _raw_target(self) -> str:
        return self.raw_dir or _env_target("SITREP_RAW_DIR", config.raw_dir)

    def _warehouse_target(self) -> str:
        return self.warehouse_dir or _env_target("SITREP_WAREHOUSE_DIR", config.warehouse_dir)

    def raw_location(self) -> Location:
        return location_for(self._raw_target())

    def warehouse_location(self) -> Location:
        return location_for(self._warehouse_target())

    @property
    def warehouse_is_object_store(self) -> bool:
        return is_uri(self._warehouse_target())

    def warehouse_path(self) -> Path:
        """The local folder releases are published into: the warehouse itself, or its staging copy."""
        if not self.warehouse_is_object_store:
            return Path(self.warehouse_location().root)
        if self.staging_dir:
            return Path(self.staging_dir).expanduser().resolve()
        digest = hashlib.sha256(self._warehouse_target().encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"sitrep-staging-{digest}"

    def describe(self) -> str:
        return f"raw {self.raw_location().display} → warehouse {self.warehouse_location().display}"

    # -- the raw folder
    def list_raw_files(self) -> list[RawFile]:
        """Every non-hidden entry under the raw folder with its size and mtime, in path order.

        Entries that must not be read (``RawFile.problem``: symlinks out of a local folder, special
        files, files over the size limit) are listed too, so ingest gives each its row.
        """
        loc = self.raw_location()
        if loc.is_local_disk:
            return list_local_raw_folder(loc.root)
        if loc.fs.get_file_info(loc.root).type != pafs.FileType.Directory:
            raise FileNotFoundError(f"raw folder {loc.display} does not exist (set SITREP_RAW_DIR)")
        out = []
        for info in loc.files():
            rel = loc.relative(info)
            if not is_hidden(rel):
                out.append(RawFile(rel, int(info.size or 0), int(info.mtime_ns or 0), oversize_reason(int(info.size or 0))))
        return out

    def read_raw(self, relative_path: str) -> bytes:
        """A raw file's bytes, at most ``limits.MAX_FILE_BYTES``; raises ``RefusedEntry`` beyond, or for
        a local entry that is no regular file inside the folder (``rawfolder.read_local_raw``)."""
        loc = self.raw_location()
        if loc.is_local_disk:
            return read_local_raw(loc.root, relative_path)
        try:
            with loc.fs.open_input_stream(loc.path(relative_path)) as fh:
                data = fh.read(limits.MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise FileNotFoundError(f"{relative_path}: no longer in the raw folder") from None
        if len(data) > limits.MAX_FILE_BYTES:
            raise RefusedEntry(relative_path, oversize_reason(len(data)) or "over the size limit")
        return data

    def raw_sha256(self, relative_path: str) -> str:
        return hashlib.sha256(self.read_raw(relative_path)).hexdigest()

    def existing_raw_files(self, relative_paths: list[str]) -> list[str]:
        loc = self.raw_location()
        infos = loc.fs.get_file_info([loc.path(p) for p in relative_paths]) if relative_paths else []
        return [p for p, i in zip(relative_paths, infos, strict=True) if i.type == pafs.FileType.File]

    # -- the batch ledger
    def batches(self) -> list[Batch]:
        """Every recorded ingestion batch, oldest first."""
        loc = self.warehouse_location()
        out = []
        for info in loc.files(BATCHES_PREFIX):
            if info.path.endswith(".json"):
                out.append(Batch.from_json(loc.read(loc.relative(info)).decode("utf-8")))
        return sorted(out, key=lambda b: (b.created, b.key))

    def batch(self, key: str) -> Batch | None:
        data = self.warehouse_location().read(f"{BATCHES_PREFIX}/{key}.json")
        return Batch.from_json(data.decode("utf-8")) if data is not None else None

    def record_new_batches(self, listing: list[RawFile] | None = None,
                           now: dt.datetime | None = None) -> list[Batch]:
        """Record the raw files no batch holds yet as new batches (manifests first, then partitions)."""
        listing = self.list_raw_files() if listing is None else listing
        new = unrecorded_files(listing, self.batches(), self.raw_sha256)
        batches = plan_batches(new, now or dt.datetime.now(dt.UTC))
        for batch in batches:
            self.warehouse_location().write(f"{BATCHES_PREFIX}/{batch.key}.json", batch.to_json().encode("utf-8"))
        return batches

    # -- extractions and step outputs
    def extraction_store(self) -> PickleStore:
        return PickleStore(self.warehouse_location(), EXTRACTIONS_PREFIX)

    def ingest_store(self) -> PickleStore:
        """Article records of raw files by path, size and mtime (``ingest.IngestCache``)."""
        return PickleStore(self.warehouse_location(), INGEST_PREFIX)

    # -- releases
    def publish(self, tables: dict[str, pd.DataFrame], **kwargs):
        """Publish the tables as a release (``publish_release``); on object storage, also upload it.

        Returns the ``PublishResult``; its ``path`` is the local copy. ``release_location`` names
        where users find it.
        """
        from pipeline.release.publish import lease_lock, publish_release

        if not self.warehouse_is_object_store:
            return publish_release(tables, self.warehouse_path(), include_quotes=self.include_quotes, **kwargs)
        loc = self.warehouse_location()
        with lease_lock(loc, LOCK_OBJECT, loc.display, kwargs.get("lock_timeout"), kwargs.get("on_wait")):
            staging = self.warehouse_path()
            self._sync_staging(staging)
            result = publish_release(tables, staging, include_quotes=self.include_quotes, **kwargs)
            if self.current_release() != result.version:
                self._upload_release(staging / RELEASES_PREFIX / result.version)
        return result

    def release_location(self, version: str) -> str:
        if not self.warehouse_is_object_store:
            return str(self.warehouse_path() / RELEASES_PREFIX / version)
        return f"{self.warehouse_location().display.rstrip('/')}/{RELEASES_PREFIX}/{version}"

    def current_release(self) -> str | None:
        """The version users see as latest (``latest`` symlink on disk, ``LATEST`` object in a bucket)."""
        if not self.warehouse_is_object_store:
            from pipeline.release.publish import latest_release

            latest = latest_release(self.warehouse_path())
            return latest.name if latest else None
        data = self.warehouse_location().read(LATEST_OBJECT)
        return (data.decode("utf-8").strip() or None) if data else None

    def current_release_path(self) -> Path | None:
        """A local folder holding the current release (on object storage, fetched when missing)."""
        if not self.warehouse_is_object_store:
            from pipeline.release.publish import latest_release

            return latest_release(self.warehouse_path())
        version = self.current_release()
        return self._fetch_release(self.warehouse_path(), version) if version else None

    def _upload_release(self, folder: Path) -> None:
        loc = self.warehouse_location()
        for path in sorted(folder.iterdir()):
            if path.is_file():
                loc.write(f"{RELEASES_PREFIX}/{folder.name}/{path.name}", path.read_bytes())
        loc.write(LATEST_OBJECT, f"{folder.name}\n".encode())

    def _fetch_release(self, staging: Path, version: str) -> Path:
        """The bucket's release ``version`` under ``staging/releases/`` (downloaded unless already there)."""
        target = staging / RELEASES_PREFIX / version
        if (target / "SHA256SUMS").is_file():
            return target
        loc = self.warehouse_location()
        tmp = staging / RELEASES_PREFIX / f".fetch-{version}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for info in loc.files(f"{RELEASES_PREFIX}/{version}"):
            (tmp / info.path.rsplit("/", 1)[1]).write_bytes(loc.read(loc.relative(info)))
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
        return target

    def _sync_staging(self, staging: Path) -> None:
        """Make the staging copy end at the bucket's current release before publishing against it.

        A release left in staging by an upload that crashed is uploaded first, if it is newer than
        the bucket's; the bucket's current release is fetched when staging lacks it, so the diff and
        the unchanged-content test compare against what users actually have.
        """
        from pipeline.release.publish import list_releases

        current = self.current_release()
        for version in list_releases(staging):
            if current is None or version > current:
                self._upload_release(staging / RELEASES_PREFIX / version)
                current = version
        if current is not None:
            self._fetch_release(staging, current)


class SitrepIOManager(dg.ConfigurableIOManager):
    """Step outputs pickled under ``<warehouse>/cache/dagster/`` through ``SitrepStorage``.

    Unlike the default IO manager (files under ``DAGSTER_HOME``), this works when steps run on
    other machines (Dask, Kubernetes) as long as they share the warehouse: the same object-store
    URI or a shared disk.
    """

    storage: dg.ResourceDependency[SitrepStorage]

    @staticmethod
    def _key(context: dg.OutputContext | dg.InputContext) -> str:
        if context.has_asset_key:
            parts = list(context.asset_key.path)
        else:  # an op output outside any asset
            out = context if isinstance(context, dg.OutputContext) else context.upstream_output
            parts = [out.step_key, out.name]
        if context.has_asset_partitions:
            parts.append(context.asset_partition_key)
        return f"{IO_PREFIX}/{'/'.join(parts)}.pkl"

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        if obj is None:
            return
        self.storage.warehouse_location().write(self._key(context), pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def load_input(self, context: dg.InputContext) -> object:
        key = self._key(context)
        data = self.storage.warehouse_location().read(key)
        if data is None:
            raise FileNotFoundError(f"no stored value at {self.storage.warehouse_location().display}/{key}: "
                                    "materialise the upstream asset first")
        return pickle.loads(data)


def _env_target(variable: str, default) -> str:
    value = os.environ.get(variable, "")
    return value if is_uri(value) else str(default())


def storage_from_env() -> SitrepStorage:
    """Storage as the environment sets it: SITREP_RAW_DIR, SITREP_WAREHOUSE_DIR (paths or URIs),
    SITREP_STAGING_DIR, SITREP_INCLUDE_QUOTES, SITREP_WORKERS."""
    return SitrepStorage(
        raw_dir=_env_target("SITREP_RAW_DIR", config.raw_dir),
        warehouse_dir=_env_target("SITREP_WAREHOUSE_DIR", config.warehouse_dir),
        staging_dir=os.environ.get("SITREP_STAGING_DIR", ""),
        include_quotes=config.include_quotes(),
        workers=int(os.environ.get("SITREP_WORKERS", "0") or 0),
    )


def resources_for(storage: SitrepStorage) -> dict[str, object]:
    """The resources every job needs, all on one storage: ``storage`` and the ``io_manager``."""
    return {"storage": storage, "io_manager": SitrepIOManager(storage=storage)}
