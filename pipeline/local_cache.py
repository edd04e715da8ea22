"""Files a build keeps to save work next time: where the local cache is, and how a file goes in.

What belongs here: the local cache's root (``SITREP_CACHE_DIR``, default ``~/.cache/sitrep``) and
the one way a cached pickle is written (a temporary file renamed over the target, so a reader never
sees half a file and two writers never mix) and read (anything unreadable or of another type is
no hit). What a cache holds and how it is keyed stays with its owner: the gazetteer
(``extraction.places``), compiled count patterns (``extraction.pattern_cache``), release charts
(``release.report``, under the warehouse). A cache only ever saves or costs time.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path


def cache_root() -> Path:
    """The local cache: ``SITREP_CACHE_DIR``, else ``~/.cache/sitrep``."""
    return Path(os.environ.get("SITREP_CACHE_DIR") or Path.home() / ".cache" / "sitrep")


def read_pickle(path: Path, kind: type | tuple[type, ...]):
    """The object stored at ``path`` when it is a ``kind``, else None (no file, unreadable, foreign)."""
    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)  # noqa: S301 - our own cache file, written by write_pickle
    except (OSError, EOFError, ValueError, TypeError, RuntimeError, pickle.UnpicklingError, AttributeError,
            ImportError):
        return None
    return stored if isinstance(stored, kind) else None


def write_pickle(path: Path, value: object) -> None:
    """Store ``value`` at ``path`` atomically; raises ``OSError`` when the cache cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
