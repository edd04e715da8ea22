"""File writers for a release: one Parquet file per table and one DuckDB database.

What belongs here: turning contract-conformed frames into bytes on disk, with every type,
description and comment taken from ``pipeline.contract`` (never restated). What does not:
deciding where a release lives, versions, manifests or diffs (``publish``, ``manifest``, ``diff``)
and validation (frames arrive already passed through ``contract.conform``).

Both writers write to a hidden temporary name beside the target and rename it into place, so a
reader never sees a half-written file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import contract
from pipeline.schemas import CONTRACT_VERSION, TABLES

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 9
PARQUET_ROW_GROUP_SIZE = 128 * 1024
"""Fixed so that the same rows always give the same bytes, whatever the writer's defaults."""

DUCKDB_STORAGE_VERSION = "v1.0.0"
"""Storage format pinned for readers on DuckDB >= 1.0 (DuckDB 2.x writes v2.0.0 by default,
which no 1.x release can open)."""


def _temp_sibling(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and np.isnan(value)


def _date_array(series: pd.Series) -> pa.Array:
    stamps = pd.to_datetime(series, errors="raise")
    values = [None if _is_missing(v) else v.date() for v in stamps.astype(object)]
    return pa.array(values, type=pa.date32())


def _list_array(series: pd.Series, value_type: pa.DataType) -> pa.Array:
    values = []
    for cell in series.astype(object):
        if cell is None or (not isinstance(cell, (list, tuple, np.ndarray)) and _is_missing(cell)):
            values.append(None)
        else:
            values.append([None if _is_missing(v) else str(v) for v in cell])
    return pa.array(values, type=pa.list_(value_type))


def _scalar_array(series: pd.Series, arrow_type: pa.DataType) -> pa.Array:
    values = series.astype(object).where(series.notna(), None)
    return pa.array(values.tolist(), type=arrow_type)


def arrow_table(df: pd.DataFrame, table: str, metadata: dict[str, str] | None = None) -> pa.Table:
    """The frame as an Arrow table with the contract's exact schema (date32, list<string>, nullable ints).

    Built column by column from plain Python values so no pandas index or pandas-version metadata
    leaks into the file, which keeps the bytes reproducible.
    """
    schema = contract.arrow_schema(table, metadata)
    missing = [f.name for f in schema if f.name not in df.columns]
    extra = [c for c in df.columns if c not in schema.names]
    if missing or extra:
        raise ValueError(f"{table}: columns differ from the contract (missing {missing}, extra {extra})")
    arrays = []
    for field in schema:
        series = df[field.name]
        if pa.types.is_date(field.type):
            arrays.append(_date_array(series))
        elif pa.types.is_list(field.type):
            arrays.append(_list_array(series, field.type.value_type))
        else:
            arrays.append(_scalar_array(series, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def parquet_metadata(metadata: dict[str, str], table: str) -> dict[str, str]:
    """File-level key-value metadata: the caller's keys plus contract version and table description."""
    meta = {"sitrep.contract_version": CONTRACT_VERSION, "sitrep.table": table,
            "sitrep.table_description": TABLES[table].description}
    meta.update({str(k): str(v) for k, v in metadata.items()})
    return meta


def write_parquet(df: pd.DataFrame, table: str, path: Path, metadata: dict[str, str]) -> None:
    """Write one contract table as zstd Parquet whose bytes depend only on rows and metadata.

    ``df`` should already be ``contract.conform``-ed (that fixes the row order). ``metadata``
    should carry ``sitrep.release_version``; ``sitrep.contract_version`` defaults to the contract's.
    """
    path = Path(path)
    data = arrow_table(df, table, parquet_metadata(metadata, table))
    tmp = _temp_sibling(path)
    try:
        pq.write_table(
            data, tmp,
            compression=PARQUET_COMPRESSION,
            compression_level=PARQUET_COMPRESSION_LEVEL,
            row_group_size=PARQUET_ROW_GROUP_SIZE,
            use_dictionary=True,
            write_statistics=True,
            version="2.6",
        )
        _fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_table_sql(table: str) -> str:
    """``CREATE TABLE`` from the contract: DuckDB types, NOT NULL and the primary key."""
    cols = [
        f"{_quote_ident(c.name)} {contract.duckdb_type(c.arrow_type)}{'' if c.nullable else ' NOT NULL'}"
        for c in contract.column_specs(table)
    ]
    pk = ", ".join(_quote_ident(c) for c in TABLES[table].primary_key)
    cols.append(f"PRIMARY KEY ({pk})")
    return f"CREATE TABLE {_quote_ident(table)} (\n  " + ",\n  ".join(cols) + "\n)"


def comment_sql(table: str) -> list[str]:
    """``COMMENT ON`` statements for a table and each of its columns, from the schema descriptions."""
    out = [f"COMMENT ON TABLE {_quote_ident(table)} IS {_quote_literal(TABLES[table].description)}"]
    for c in contract.column_specs(table):
        out.append(f"COMMENT ON COLUMN {_quote_ident(table)}.{_quote_ident(c.name)} IS {_quote_literal(c.description)}")
    return out


VIEWS: dict[str, tuple[str, str]] = {
    "incidents_with_actors": (
        "Incidents with the names and types of their perpetrator and target actors.",
        """
        SELECT i.*,
               p.name AS perpetrator_name, p.actor_type AS perpetrator_type,
               t.name AS target_name, t.actor_type AS target_type
        FROM incidents i
        LEFT JOIN actors p ON p.actor_id = i.perpetrator_actor_id
        LEFT JOIN actors t ON t.actor_id = i.target_actor_id
        """,
    ),
    "incident_evidence": (
        "One row per (incident, article) report: the event, the sentence it came from and where to find it.",
        """
        SELECT i.incident_id, i.event_date, i.date_start, i.date_end, i.event_type, i.sub_event_type,
               i.country_iso3, i.admin1, i.admin2, i.location, i.latitude, i.longitude,
               i.fatalities_low, i.fatalities_best, i.fatalities_high, i.injured_best, i.detained_best,
               s.quote, s.fatalities_text, s.char_start, s.char_end, s.extractor_version,
               a.article_id, a.title AS article_title, a.outlet AS article_outlet, a.url AS article_url,
               a.published_date AS article_published_date, a.source_path AS article_source_path
        FROM incidents i
        JOIN incident_sources s ON s.incident_id = i.incident_id
        LEFT JOIN articles a ON a.article_id = s.article_id
        """,
    ),
    "actor_network": (
        "Actor–actor relations with subject and object names and types, and the evidence quote.",
        """
        SELECT r.relation_id,
               r.subject_actor_id, sa.name AS subject_name, sa.actor_type AS subject_type,
               r.relation_type,
               r.object_actor_id, oa.name AS object_name, oa.actor_type AS object_type,
               r.observed_date, r.confidence, r.quote, r.article_id, r.char_start, r.char_end
        FROM relations r
        LEFT JOIN actors sa ON sa.actor_id = r.subject_actor_id
        LEFT JOIN actors oa ON oa.actor_id = r.object_actor_id
        """,
    ),
    "actor_mention_counts": (
        "Per actor: mentions, distinct articles and first/last publication date, recomputed from actor_mentions.",
        """
        SELECT ac.actor_id, ac.name, ac.actor_type,
               count(m.actor_id) AS n_mentions,
               count(DISTINCT m.article_id) AS n_articles,
               min(ar.published_date) AS first_seen,
               max(ar.published_date) AS last_seen
        FROM actors ac
        LEFT JOIN actor_mentions m ON m.actor_id = ac.actor_id
        LEFT JOIN articles ar ON ar.article_id = m.article_id
        GROUP BY ac.actor_id, ac.name, ac.actor_type
        """,
    ),
}
"""The handy views of the DuckDB file: name → (description, SQL). Unqualified table names, so they
resolve in whatever catalog the file is attached as."""


def _release_info_rows(metadata: dict[str, str]) -> list[tuple[str, str]]:
    info = {"contract_version": CONTRACT_VERSION, "duckdb_version": duckdb.__version__,
            "duckdb_storage_version": DUCKDB_STORAGE_VERSION}
    for key, value in metadata.items():
        info[key.removeprefix("sitrep.")] = str(value)
    info.setdefault("created_at", dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return sorted(info.items())


def write_duckdb(tables: dict[str, pd.DataFrame], path: Path, metadata: dict[str, str]) -> None:
    """Write every contract table, its comments, ``release_info`` and the views into one DuckDB file.

    The file is pinned to storage ``DUCKDB_STORAGE_VERSION`` so analysts on older DuckDB can open it.
    ``metadata`` keys land in ``release_info`` with any ``sitrep.`` prefix dropped.
    """
    path = Path(path)
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not contract tables: {unknown}")
    tmp = _temp_sibling(path)
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_quote_literal(str(tmp))} AS release (STORAGE_VERSION {_quote_literal(DUCKDB_STORAGE_VERSION)})")
        con.execute("USE release")
        for name in TABLES:
            if name not in tables:
                continue
            con.execute(create_table_sql(name))
            for statement in comment_sql(name):
                con.execute(statement)
            data = arrow_table(tables[name], name)
            con.register("_incoming", data)
            con.execute(f"INSERT INTO {_quote_ident(name)} SELECT * FROM _incoming")
            con.unregister("_incoming")
        con.execute("CREATE TABLE release_info (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.executemany("INSERT INTO release_info VALUES (?, ?)", _release_info_rows(metadata))
        con.execute(f"COMMENT ON TABLE release_info IS {_quote_literal('About this release: version, contract, licence, provenance.')}")
        if set(TABLES) <= set(tables):
            for view, (description, sql) in VIEWS.items():
                con.execute(f"CREATE VIEW {_quote_ident(view)} AS {sql.strip()}")
                con.execute(f"COMMENT ON VIEW {_quote_ident(view)} IS {_quote_literal(description)}")
        con.execute("CHECKPOINT release")
        con.execute("USE memory")
        con.execute("DETACH release")
        con.close()
        _fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        con.close()
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
