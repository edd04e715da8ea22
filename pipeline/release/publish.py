"""Publishing an immutable, versioned release folder atomically, and finding releases again.

What belongs here: the release lifecycle — conform and check the tables, skip unchanged content
(fingerprint), pick the version, write every file into a hidden temporary folder, rename it into
``warehouse/releases/<version>/`` and repoint ``warehouse/latest``; listing and loading releases.
What does not: file formats (``writers``), descriptors and checksums (``manifest``), the diff
itself (``diff``), the HTML report (``report``), or any orchestration (Dagster assets call
``publish_release``).

Crash safety rests on two POSIX guarantees: ``rename`` of a directory and ``replace`` of a
symlink are atomic. Until the rename, the release lives under ``.tmp-<version>-<pid>`` which is
never listed as a release; until the symlink swap, ``latest`` names the previous release.

One publisher at a time: ``publish_release`` holds the warehouse's lock (``flock`` on
``.publish.lock``, released by the kernel when its holder dies) from reading the latest release to
repointing ``latest``, so two builds never both publish nor claim the same previous version; the
second waits (saying so) up to ``SITREP_LOCK_TIMEOUT`` seconds, then fails naming the holder.
Holding the lock proves no other publisher is alive, so every ``.tmp-*`` folder left by a crash is
removed then. Object storage has no ``flock``: ``lease_lock`` is the same contract over a lease
object that its holder renews (see ``SitrepStorage.publish``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import contract
from pipeline.release.diff import (
    canonical_value,
    diff_releases,
    render_changes_markdown,
    table_entries,
)
from pipeline.release.manifest import (
    CHANGES_JSON,
    CHANGES_MD,
    DATAPACKAGE,
    DEFAULT_LICENCE,
    DUCKDB_FILE,
    read_datapackage,
    validate_datapackage,
    write_datapackage,
    write_sha256sums,
)
from pipeline.release.report import ReportInfo, write_release_report
from pipeline.release.writers import write_duckdb, write_parquet
from pipeline.schemas import CONTRACT_VERSION, TABLES

RELEASES_DIR = "releases"
LATEST_LINK = "latest"
TEMP_PREFIX = ".tmp-"
LOCK_FILE = ".publish.lock"
CHART_CACHE_DIR = "cache/charts"
"""The report's charts by input (``report.write_release_report``): not part of any release."""
LOCK_TIMEOUT_SECONDS = 600.0
"""How long a publish waits for another build's lock by default (``SITREP_LOCK_TIMEOUT`` overrides)."""
LEASE_SECONDS = 120.0
"""An object-store lock whose holder has not renewed it for this long is taken over (holder presumed dead)."""
VERSION_FORMAT = "%Y%m%dT%H%M%SZ"
VERSION_RE = re.compile(r"^\d{8}T\d{6}Z$")
QUOTE_COLUMNS = ("quote", "summary")
"""Columns holding verbatim article text, nulled when a release is built without quotes."""


class ReleaseContractError(ValueError):
    """The tables break the contract's keys or foreign keys; nothing was written."""


class WarehouseLocked(RuntimeError):
    """Another build held the warehouse's publish lock for longer than this one would wait."""


_log = logging.getLogger(__name__)


def lock_timeout() -> float:
    """Seconds a publish waits for the lock: ``SITREP_LOCK_TIMEOUT``, else ``LOCK_TIMEOUT_SECONDS``."""
    value = os.environ.get("SITREP_LOCK_TIMEOUT", "").strip()
    return float(value) if value else LOCK_TIMEOUT_SECONDS


def _holder_record(**extra: object) -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "since": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **extra}


def _describe_holder(data: bytes | None) -> str:
    try:
        holder = json.loads(data or b"")
        return f"pid {holder['pid']} on {holder['host']}, since {holder['since']}"
    except (ValueError, KeyError, TypeError):
        return "holder unknown"


def _flock_holder(path: Path) -> str:
    """Who holds the ``flock`` on ``path``, from ``/proc/locks`` (Linux); the lock file is never written."""
    try:
        st = os.stat(path)
        with open("/proc/locks", encoding="ascii") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 6 and parts[1] == "FLOCK":
                    major, minor, inode = parts[5].split(":")
                    if (int(inode), int(major, 16), int(minor, 16)) == (st.st_ino, os.major(st.st_dev),
                                                                        os.minor(st.st_dev)):
                        return f"pid {parts[4]} on {socket.gethostname()}"
    except (OSError, ValueError):
        pass
    return "holder unknown"


@contextlib.contextmanager
def warehouse_lock(warehouse: Path, timeout: float | None = None,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the local warehouse's publish lock; wait for it at most ``timeout`` seconds.

    ``flock`` on ``<warehouse>/.publish.lock``: the kernel releases it when the holder exits or is
    killed, so a crash never leaves the warehouse locked. The file is created once and never
    written (a publish that finds nothing new changes no file); the message another build shows
    while it waits or when it gives up names the holder's pid from ``/proc/locks``.
    """
    timeout = lock_timeout() if timeout is None else timeout
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / LOCK_FILE
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _flock_holder(path)
                if time.monotonic() >= deadline:
                    raise WarehouseLocked(f"{warehouse}: another build holds the publish lock ({holder}); gave up "
                                          f"after {timeout:g} s (SITREP_LOCK_TIMEOUT): try again when it has "
                                          "finished") from None
                if not told:
                    (on_wait or _log.warning)(f"{warehouse}: another build is publishing ({holder}); waiting up to "
                                              f"{timeout:g} s for its lock")
                    told = True
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # releases the flock


class LeaseStore(Protocol):
    """Objects by key, as ``resources.Location`` offers them: enough for a lease lock."""

    def read(self, key: str) -> bytes | None: ...

    def write(self, key: str, data: bytes) -> None: ...

    def delete(self, key: str) -> None: ...


@contextlib.contextmanager
def lease_lock(store: LeaseStore, key: str, where: str, timeout: float | None = None,
               on_wait: Callable[[str], None] | None = None, lease: float = LEASE_SECONDS,
               settle: float = 1.0) -> Iterator[None]:
    """Hold a lock kept as one object (for object storage, which has no ``flock``).

    The object names its holder and an expiry that a background thread renews every third of
    ``lease``; a lock past its expiry belongs to a dead holder and is taken over. Taking it is
    write-then-confirm: after writing its token, a taker waits ``settle`` seconds and reads the
    object back, and only the writer whose token is still there holds the lock (two takers must
    both read "free" and write more than ``settle`` apart to collide; stores reachable through
    ``pyarrow.fs`` offer no compare-and-swap to close that gap).
    """
    timeout = lock_timeout() if timeout is None else timeout
    token = uuid.uuid4().hex
    deadline = time.monotonic() + timeout
    told = False

    def record() -> bytes:
        return json.dumps(_holder_record(token=token, expires=time.time() + lease)).encode()

    def current() -> dict | None:
        try:
            return json.loads(store.read(key) or b"null")
        except ValueError:
            return None

    while True:
        held = current()
        if held is None or float(held.get("expires", 0)) < time.time():
            store.write(key, record())
            time.sleep(settle)
            mine = current()
            if mine is not None and mine.get("token") == token:
                break
            held = mine
        if time.monotonic() >= deadline:
            raise WarehouseLocked(f"{where}: another build holds the publish lock "
                                  f"({_describe_holder(json.dumps(held).encode())}); gave up after {timeout:g} s "
                                  "(SITREP_LOCK_TIMEOUT): try again when it has finished")
        if not told:
            (on_wait or _log.warning)(f"{where}: another build is publishing "
                                      f"({_describe_holder(json.dumps(held).encode())}); waiting up to "
                                      f"{timeout:g} s for its lock")
            told = True
        time.sleep(min(2.0, settle + 0.5))
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease / 3):
            held = current()
            if held is None or held.get("token") != token:
                return
            store.write(key, record())

    renewer = threading.Thread(target=renew, name="sitrep-lease", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        held = current()
        if held is not None and held.get("token") == token:
            store.delete(key)


@dataclass(frozen=True)
class PublishResult:
    """What ``publish_release`` did: the release now current, and whether this call created it."""

    version: str
    path: Path
    created: bool
    previous_version: str | None
    changes: dict = field(default_factory=dict)


def list_releases(warehouse: Path) -> list[str]:
    """Published release versions, oldest first; temporary and foreign folders are ignored."""
    root = Path(warehouse) / RELEASES_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if VERSION_RE.match(p.name) and p.is_dir() and not p.is_symlink())


def latest_release(warehouse: Path) -> Path | None:
    """The release ``warehouse/latest`` points to, else the newest release folder, else None."""
    warehouse = Path(warehouse)
    link = warehouse / LATEST_LINK
    if link.is_symlink():
        name = Path(os.readlink(link)).name
        if VERSION_RE.match(name) and (warehouse / RELEASES_DIR / name).is_dir():
            return warehouse / RELEASES_DIR / name
    versions = list_releases(warehouse)
    return warehouse / RELEASES_DIR / versions[-1] if versions else None


def load_release_tables(release_dir: Path) -> dict[str, pd.DataFrame]:
    """A release's Parquet tables as frames shaped like ``contract.conform`` output (for diffs)."""
    release_dir = Path(release_dir)
    out: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        path = release_dir / f"{table}.parquet"
        if not path.is_file():
            continue
        data = pq.read_table(path)
        columns = {}
        for name, column in zip(data.column_names, data.columns, strict=True):
            arrow_type = column.type
            if pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type):
                columns[name] = pd.to_datetime(pd.Series(column.to_pylist(), dtype=object)).astype("datetime64[ns]")
            elif pa.types.is_list(arrow_type):
                columns[name] = pd.Series(column.to_pylist(), dtype=object)
            elif pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
                columns[name] = pd.Series(column.to_pylist(), dtype=pd.StringDtype())
            elif pa.types.is_integer(arrow_type):
                columns[name] = pd.Series(column.to_pylist(), dtype=pd.Int64Dtype())
            elif pa.types.is_floating(arrow_type):
                columns[name] = pd.Series(column.to_pylist(), dtype="float64")
            else:
                columns[name] = column.to_pandas()
        out[table] = pd.DataFrame(columns, index=pd.RangeIndex(data.num_rows))
    return out


def content_fingerprint(tables: dict[str, pd.DataFrame]) -> str:
    """SHA-256 over the tables' canonical contents: contract row order, one JSON line per row.

    Independent of time, row order given, pandas dtypes and DuckDB file bytes, so unchanged
    content is recognised however it was produced.
    """
    digest = hashlib.sha256()
    for table in sorted(tables):
        df = tables[table]
        spec = TABLES.get(table)
        sort_by = [c for c in (spec.sort_by if spec else ()) if c in df.columns]
        if sort_by:
            df = df.sort_values(sort_by, kind="stable")
        columns = list(df.columns)
        digest.update(json.dumps({"table": table, "columns": columns}).encode())
        digest.update(b"\n")
        values = [[_json_ready(v) for v in df[c].astype(object).tolist()] for c in columns]
        for row in zip(*values, strict=True):
            digest.update(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _json_ready(value: object) -> object:
    cell = canonical_value(value)
    return list(cell) if isinstance(cell, tuple) else cell


def _conformed(tables: dict[str, pd.DataFrame], include_quotes: bool) -> dict[str, pd.DataFrame]:
    missing = sorted(set(TABLES) - set(tables))
    extra = sorted(set(tables) - set(TABLES))
    if missing or extra:
        raise ReleaseContractError(f"a release needs exactly the contract tables (missing {missing}, extra {extra})")
    out = {name: contract.conform(name, tables[name]) for name in TABLES}
    # conform validated each schema just now; the keys and foreign keys across tables remain
    failures = [contract.validation_report(name, df, out, schema=False) for name, df in out.items()]
    failures = [r for r in failures if not r.passed]
    if failures:
        raise ReleaseContractError("\n".join(r.summary() for r in failures))
    if not include_quotes:
        for df in out.values():
            for col in QUOTE_COLUMNS:
                if col in df.columns:
                    df[col] = pd.Series(pd.NA, index=df.index, dtype=pd.StringDtype())
    return out


def _utc(now: dt.datetime | None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(dt.UTC).replace(microsecond=0)


def _next_version(now: dt.datetime, existing: list[str]) -> str:
    """``YYYYMMDDTHHMMSSZ`` of ``now``, or one second after the newest release if that is not earlier.

    Keeps versions unique, sortable as text and in one format even for two releases in a second
    (or a clock that went backwards).
    """
    candidate = now.strftime(VERSION_FORMAT)
    if existing and candidate <= existing[-1]:
        newest = dt.datetime.strptime(existing[-1], VERSION_FORMAT)
        candidate = (newest + dt.timedelta(seconds=1)).strftime(VERSION_FORMAT)
    return candidate


def _recorded_fingerprint(release: Path) -> str | None:
    try:
        return read_datapackage(release).get("sitrep:content_fingerprint")
    except (OSError, ValueError):
        return None


def _read_changes(release: Path | None) -> dict | None:
    if release is None or not (release / CHANGES_JSON).is_file():
        return None
    return json.loads((release / CHANGES_JSON).read_text(encoding="utf-8"))


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_temps(warehouse: Path) -> None:
    """Delete temporary folders and links left by crashed publishes; call it holding the lock.

    Under the lock no other publisher is alive, so every temporary folder is a crash's leftover,
    however recent.
    """
    candidates = [p for p in (warehouse / RELEASES_DIR).glob(f"{TEMP_PREFIX}*")]
    candidates += [p for p in warehouse.glob(f".{LATEST_LINK}{TEMP_PREFIX}*")]
    for path in candidates:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue


def _point_latest(warehouse: Path, version: str) -> None:
    """Atomically make ``warehouse/latest`` a relative symlink to ``releases/<version>``."""
    link = warehouse / LATEST_LINK
    tmp = warehouse / f".{LATEST_LINK}{TEMP_PREFIX}{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.join(RELEASES_DIR, version), tmp)
    try:
        os.replace(tmp, link)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_path(warehouse)


def _latest_is(warehouse: Path, version: str) -> bool:
    link = warehouse / LATEST_LINK
    return link.is_symlink() and os.readlink(link) == os.path.join(RELEASES_DIR, version)


def _unchanged(tables: dict[str, pd.DataFrame], previous_changes: dict | None) -> dict:
    """The diff of a publish that found nothing new: empty lists, the latest release's tombstones."""
    stones = table_entries(previous_changes or {})
    return {
        name: {"rows_previous": len(df), "rows_current": len(df), "added": [], "changed": [], "withdrawn": [],
               "columns_added": [], "columns_removed": [], "reinstated": [],
               "tombstones": stones.get(name, {}).get("tombstones", [])}
        for name, df in tables.items()
    }


def _write_release(folder: Path, tables: dict[str, pd.DataFrame], *, version: str, created: str,
                   previous: Path | None, include_quotes: bool, evaluation: dict | None,
                   sources: list[dict], licence: dict, fingerprint: str, chart_cache: Path | None = None) -> dict:
    """Every file of a release into ``folder``; returns the changes. ``SHA256SUMS`` comes last.

    ``chart_cache``: where the report keeps its charts by input (the warehouse's ``cache/charts``)."""
    previous_version = previous.name if previous else None
    parquet_meta = {
        "sitrep.release_version": version,
        "sitrep.contract_version": CONTRACT_VERSION,
        "sitrep.include_quotes": str(include_quotes).lower(),
        "sitrep.licence": licence.get("name", ""),
    }
    for name, df in tables.items():
        write_parquet(df, name, folder / f"{name}.parquet", parquet_meta)
    write_duckdb(tables, folder / DUCKDB_FILE, {
        **parquet_meta,
        "created_at": created,
        "previous_version": previous_version or "",
        "content_fingerprint": fingerprint,
        "licence_path": licence.get("path", ""),
    })
    previous_changes = _read_changes(previous)
    previous_tables = load_release_tables(previous) if previous else None
    changes = {
        "version": version,
        "previous_version": previous_version,
        "contract_version": CONTRACT_VERSION,
        **diff_releases(previous_tables, tables, previous_changes=previous_changes, version=version),
    }
    (folder / CHANGES_JSON).write_text(json.dumps(changes, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / CHANGES_MD).write_text(render_changes_markdown(changes, version, previous_version), encoding="utf-8")
    write_release_report(folder, tables, ReportInfo(
        version=version, contract_version=CONTRACT_VERSION, created=created, previous_version=previous_version,
        evaluation=evaluation, changes=changes, include_quotes=include_quotes, licence=licence),
        chart_cache=chart_cache)
    write_datapackage(
        folder, version=version, contract_version=CONTRACT_VERSION,
        row_counts={name: len(df) for name, df in tables.items()}, evaluation=evaluation, sources=sources,
        licence=licence, include_quotes=include_quotes, created=created, content_fingerprint=fingerprint,
        previous_version=previous_version,
    )
    write_sha256sums(folder)
    return changes


def _seal(folder: Path) -> None:
    """Make every file read-only and flush files and folder to disk before the rename."""
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(0o444)
            _fsync_path(path)
    _fsync_path(folder)


def publish_release(
    tables: dict[str, pd.DataFrame],
    warehouse: Path,
    *,
    include_quotes: bool = True,
    evaluation: dict | None = None,
    sources: list[dict] | None = None,
    now: dt.datetime | None = None,
    licence: dict | None = None,
    lock_timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> PublishResult:
    """Publish the tables as a new immutable release, unless their content equals the latest one.

    Tables are conformed and key-checked first, so bad frames fail before anything is written.
    Unchanged content returns ``created=False`` and touches nothing (except re-pointing a
    ``latest`` left stale by a crash between rename and link swap). Everything after the checks
    happens under the warehouse lock (``warehouse_lock``; ``on_wait`` hears that it waits).
    """
    warehouse = Path(warehouse)
    conformed = _conformed(tables, include_quotes)
    fingerprint = content_fingerprint(conformed)
    with warehouse_lock(warehouse, lock_timeout, on_wait):
        return _publish_locked(conformed, warehouse, fingerprint, include_quotes=include_quotes,
                               evaluation=evaluation, sources=sources, now=now, licence=licence)


def _publish_locked(conformed: dict[str, pd.DataFrame], warehouse: Path, fingerprint: str, *,
                    include_quotes: bool, evaluation: dict | None, sources: list[dict] | None,
                    now: dt.datetime | None, licence: dict | None) -> PublishResult:
    _remove_stale_temps(warehouse)
    versions = list_releases(warehouse)
    previous = warehouse / RELEASES_DIR / versions[-1] if versions else None

    if previous is not None and _recorded_fingerprint(previous) == fingerprint:
        if not _latest_is(warehouse, previous.name):
            _point_latest(warehouse, previous.name)
        prior = read_datapackage(previous).get("sitrep:previous_version")
        return PublishResult(previous.name, previous, False, prior, _unchanged(conformed, _read_changes(previous)))

    releases = warehouse / RELEASES_DIR
    releases.mkdir(parents=True, exist_ok=True)
    stamp = _utc(now)
    version = _next_version(stamp, versions)
    created = dt.datetime.strptime(version, VERSION_FORMAT).strftime("%Y-%m-%dT%H:%M:%SZ")
    tmp = releases / f"{TEMP_PREFIX}{version}-{os.getpid()}"
    final = releases / version
    if final.exists():
        raise FileExistsError(f"release {version} already exists; is another publish running?")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        changes = _write_release(
            tmp, conformed, version=version, created=created, previous=previous, include_quotes=include_quotes,
            evaluation=evaluation, sources=list(sources or []), licence=dict(licence or DEFAULT_LICENCE),
            fingerprint=fingerprint, chart_cache=warehouse / CHART_CACHE_DIR,
        )
        # ops: blocking Frictionless validation, before the release can become visible.
        valid, errors = validate_datapackage(tmp / DATAPACKAGE, check_content=False)
        if not valid:
            raise ReleaseContractError("datapackage.json does not validate (frictionless):\n" + "\n".join(errors[:20]))
        # end ops
        _seal(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_path(releases)
    _point_latest(warehouse, version)
    return PublishResult(version, final, True, previous.name if previous else None, changes)
