"""Whether a build has anything to do, decided before any article is read or any heavy module imported.

What belongs here: the inputs a release depends on — the raw folder's listing (path, size, mtime of
every entry), the pipeline's code and data, the locked environment, the quotes switch, the input
limits and the article time budget — their fingerprint, and the record ``sitrep build`` keeps of
the inputs its last release was built from (``warehouse/cache/build_state.json``). When the
fingerprint equals that record, the release it names is still ``latest`` and its files are
unaltered (sizes against the descriptor, SHA-256 of any file modified since), the build has
nothing to do: it answers from a listing and a stat per release file, at any archive size.

What does not: reading articles, Dagster, pandas (a no-change build imports none of them). The
short-cut covers a local raw folder and warehouse; with an object store the build runs as usual
(its own no-change path still publishes nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline import config, limits
from pipeline.batches import RawFile, listing_fingerprint

STATE_FILE = Path("cache") / "build_state.json"
"""Under the warehouse: the inputs fingerprint of the last build and the release it left as latest."""


def code_fingerprint() -> str:
    """Hash of the pipeline's code and data: a release may change when any of it changes."""
    digest = hashlib.sha256()
    root = config.REPO_ROOT / "pipeline"
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".csv", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_fingerprint() -> str:
    """The settings that change what a release holds: input limits, the article time budget, the lock."""
    from pipeline.extract import article_timeout  # light: no model is loaded by importing it

    values = {name: getattr(limits, name) for name in sorted(vars(limits)) if name.startswith("MAX_")}
    values["article_timeout"] = article_timeout()
    lock = config.REPO_ROOT / "requirements.lock"
    values["lock"] = hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else ""
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def release_inputs_fingerprint(listing: list[RawFile], include_quotes: bool) -> str:
    """Everything a release depends on: the raw listing, the code, the settings and the quotes switch."""
    parts = [listing_fingerprint(listing), code_fingerprint(), settings_fingerprint(), f"quotes={include_quotes}"]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class LocalTargets:
    raw: Path
    warehouse: Path


def local_targets() -> LocalTargets | None:
    """The raw folder and warehouse as the environment sets them, when both are on local disk."""
    if any("://" in os.environ.get(v, "") for v in ("SITREP_RAW_DIR", "SITREP_WAREHOUSE_DIR")):
        return None
    return LocalTargets(config.raw_dir(), config.warehouse_dir())


def current_inputs(targets: LocalTargets, include_quotes: bool) -> str | None:
    """The inputs fingerprint of the folder as it is now (None when the raw folder cannot be listed)."""
    from pipeline.rawfolder import list_local_raw_folder

    try:
        listing = list_local_raw_folder(str(targets.raw))
    except OSError:
        return None
    return release_inputs_fingerprint(listing, include_quotes)


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def record_build(warehouse: Path, inputs: str, version: str, day_sensitive: bool) -> None:
    """Remember that ``version`` is what ``inputs`` give. ``day_sensitive``: some article's date was
    refused as lying in the future, so the same inputs may give another release on a later day."""
    path = Path(warehouse) / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"inputs": inputs, "release": version, "valid_on": _today() if day_sensitive else None}
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _latest_version(warehouse: Path) -> str | None:
    link = warehouse / "latest"
    if not link.is_symlink():
        return None
    name = Path(os.readlink(link)).name
    return name if (warehouse / "releases" / name).is_dir() else None


def unchanged_release(warehouse: Path, inputs: str | None) -> Path | None:
    """The current release, when the last build recorded it for exactly these inputs and it is intact.

    None whenever anything differs or cannot be read: the build then runs as usual.
    """
    if inputs is None:
        return None
    try:
        state = json.loads((Path(warehouse) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("inputs") != inputs:
        return None
    if state.get("valid_on") not in (None, _today()):
        return None
    version = _latest_version(Path(warehouse))
    if version is None or version != state.get("release"):
        return None
    from pipeline.release.manifest import altered_file_errors

    release = Path(warehouse) / "releases" / version
    return None if altered_file_errors(release) else release


def release_row_counts(release: Path) -> dict[str, int]:
    """Rows per table, as the release's ``datapackage.json`` records them."""
    descriptor = json.loads((Path(release) / "datapackage.json").read_text(encoding="utf-8"))
    return {res["name"]: int(res["sitrep:row_count"]) for res in descriptor.get("resources", [])
            if "sitrep:row_count" in res}
