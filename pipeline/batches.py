"""Ingestion batches: which raw files arrived together, recorded once, so extraction is incremental.

What belongs here: the listing of the raw folder as plain records, its fingerprint (the sensor's
cursor), deciding which files are new against the batch ledger, and the batch manifest itself
(key, files, sizes, mtimes, content hashes). What does not: where listings and manifests are
stored (``pipeline.resources``) or any Dagster object. Pure and cheap: only files whose size or
mtime changed are hashed.

A batch key is ``<UTC date YYYYMMDD>-<first 10 hex of sha256 over the batch's "path|sha256" lines>``,
so recording the same new files twice on one day yields the same key (idempotent), and one key is
one partition of ``article_extractions``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

BATCH_MAX_FILES = 1000
"""Files per batch: a large drop is split so each partition stays retryable and runs in parallel."""


@dataclass(frozen=True)
class RawFile:
    """One entry under the raw folder as listed (no content read).

    ``problem`` is set for an entry that must never be opened (a symlink out of the folder, a FIFO,
    a file over the size limit, ...): it is listed so that it gets its ``articles`` row (rejected,
    with this reason), but it is neither hashed, nor recorded in a batch, nor read.
    """

    path: str  # relative to the raw folder, POSIX separators
    size: int
    mtime_ns: int
    problem: str | None = None


@dataclass(frozen=True)
class BatchFile:
    """A file as recorded in a batch: its listing facts plus the SHA-256 of its bytes."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Batch:
    """The manifest of one ingestion batch (one partition of ``article_extractions``)."""

    key: str
    created: str  # ISO 8601 UTC
    files: tuple[BatchFile, ...]

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "created": self.created, "files": [asdict(f) for f in self.files]},
                          indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Batch:
        data = json.loads(text)
        return cls(data["key"], data["created"], tuple(BatchFile(**f) for f in data["files"]))

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]


def is_hidden(relative_path: str) -> bool:
    """Editor and OS artefacts (any path part starting with '.') are never articles."""
    return any(part.startswith(".") for part in relative_path.split("/"))


def listing_fingerprint(files: Iterable[RawFile]) -> str:
    """Changes whenever a raw file is added, removed or modified (path, size, mtime)."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path):
        refused = f"|{f.problem}" if f.problem else ""
        digest.update(f"{f.path}|{f.size}|{f.mtime_ns}{refused}\n".encode())
    return digest.hexdigest()


def batch_key(files: Iterable[BatchFile], day: dt.date) -> str:
    """``YYYYMMDD-<hash>``: deterministic for the same files on the same UTC day."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path):
        digest.update(f"{f.path}|{f.sha256}\n".encode())
    return f"{day:%Y%m%d}-{digest.hexdigest()[:10]}"


def unrecorded_files(listing: Iterable[RawFile], ledger: Iterable[Batch],
                     sha256_of: Callable[[str], str]) -> list[BatchFile]:
    """Files whose current content no batch has recorded: new files and changed ones.

    A file whose path, size and mtime match a recorded entry is known without reading it; one
    whose stat changed is hashed and is new only if no batch recorded that path with that hash
    (a touched or reverted file costs nothing downstream). Entries with a ``problem`` are never
    read, so never recorded: ingest rejects them with that reason.
    """
    recorded: dict[str, list[BatchFile]] = {}
    for batch in ledger:
        for f in batch.files:
            recorded.setdefault(f.path, []).append(f)
    new = []
    for rf in sorted(listing, key=lambda f: f.path):
        if rf.problem is not None:
            continue
        known = recorded.get(rf.path, [])
        if any(k.size == rf.size and k.mtime_ns == rf.mtime_ns for k in known):
            continue
        digest = sha256_of(rf.path)
        if any(k.sha256 == digest for k in known):
            continue
        new.append(BatchFile(rf.path, rf.size, rf.mtime_ns, digest))
    return new


def plan_batches(new_files: list[BatchFile], now: dt.datetime, max_files: int = BATCH_MAX_FILES) -> list[Batch]:
    """The new files as batches of at most ``max_files`` (in path order), keyed by day and content."""
    now = now.astimezone(dt.UTC) if now.tzinfo else now.replace(tzinfo=dt.UTC)
    created = now.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    files = sorted(new_files, key=lambda f: f.path)
    chunks = [files[i:i + max_files] for i in range(0, len(files), max_files)]
    return [Batch(batch_key(chunk, now.date()), created, tuple(chunk)) for chunk in chunks]


def recorded_hashes(ledger: Iterable[Batch]) -> dict[tuple[str, int, int], str]:
    """(path, size, mtime) → SHA-256 as the batches recorded them: what a file held when last read."""
    return {(f.path, f.size, f.mtime_ns): f.sha256 for batch in ledger for f in batch.files}


def source_file(source_path: str) -> str:
    """The raw file an article came from (``batch.jsonl#L3`` → ``batch.jsonl``)."""
    return source_path.split("#", 1)[0]
