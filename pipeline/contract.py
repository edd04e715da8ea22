"""Everything derived from the data contract in ``pipeline.schemas``.

Arrow schemas for Parquet, Frictionless table schemas, DuckDB column types and comments,
Dagster column metadata inputs and the Markdown data dictionary all come from here, so a
column is described in exactly one place. Validation helpers that turn pandera errors into
structured, readable failure reports live here too. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.errors
import pyarrow as pa

from pipeline.schemas import TABLES, TableSpec


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    arrow_type: pa.DataType
    nullable: bool
    description: str
    enum: tuple[str, ...] | None
    unique: bool


def _arrow_type(column) -> pa.DataType:
    declared = (column.metadata or {}).get("arrow")
    if declared == "date32":
        return pa.date32()
    if declared == "list<string>":
        return pa.list_(pa.string())
    dtype = str(column.dtype)
    if dtype.startswith("string") or dtype == "str":
        return pa.string()
    if dtype in ("Int64", "int64"):
        return pa.int64()
    if dtype in ("float64", "float"):
        return pa.float64()
    if dtype == "bool":
        return pa.bool_()
    raise TypeError(f"column {column.name!r}: no Arrow type for pandera dtype {dtype!r}")


def _enum(column) -> tuple[str, ...] | None:
    for check in column.checks:
        allowed = check.statistics.get("allowed_values") if check.statistics else None
        if allowed is not None:
            return tuple(sorted(allowed))
    return None


def column_specs(table: str) -> list[ColumnSpec]:
    """The contract's columns of one table, in declaration order."""
    schema = TABLES[table].model.to_schema()
    return [
        ColumnSpec(name, _arrow_type(col), bool(col.nullable), col.description or "", _enum(col), bool(col.unique))
        for name, col in schema.columns.items()
    ]


def arrow_schema(table: str, metadata: dict[str, str] | None = None) -> pa.Schema:
    """The Parquet/Arrow schema, with column descriptions as field metadata."""
    fields = [
        pa.field(c.name, c.arrow_type, nullable=c.nullable, metadata={"description": c.description})
        for c in column_specs(table)
    ]
    meta = {"table": table, "description": TABLES[table].description}
    meta.update(metadata or {})
    return pa.schema(fields, metadata=meta)


_FRICTIONLESS = {"string": "string", "int64": "integer", "double": "number", "date32[day]": "date", "bool": "boolean"}


def frictionless_schema(table: str) -> dict:
    """A Frictionless Table Schema (fields, primary and foreign keys)."""
    spec: TableSpec = TABLES[table]
    fields = []
    for c in column_specs(table):
        ftype = "array" if pa.types.is_list(c.arrow_type) else _FRICTIONLESS[str(c.arrow_type)]
        field: dict = {"name": c.name, "type": ftype, "description": c.description}
        constraints: dict = {}
        if not c.nullable:
            constraints["required"] = True
        if c.unique:
            constraints["unique"] = True
        if c.enum:
            constraints["enum"] = list(c.enum)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict = {"fields": fields, "primaryKey": list(spec.primary_key)}
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.columns),
                "reference": {"resource": "" if fk.table == table else fk.table, "fields": list(fk.reference)},
            }
            for fk in spec.foreign_keys
        ]
    return schema


_DUCKDB = {"string": "VARCHAR", "int64": "BIGINT", "double": "DOUBLE", "date32[day]": "DATE", "bool": "BOOLEAN",
           "list<item: string>": "VARCHAR[]"}


def duckdb_type(arrow_type: pa.DataType) -> str:
    return _DUCKDB[str(arrow_type)]


def data_dictionary_markdown() -> str:
    """The README's data dictionary: one table per published table, generated from the schemas."""
    out = []
    for name, spec in TABLES.items():
        out.append(f"### `{name}`\n\n{spec.description}\n\nPrimary key: `{', '.join(spec.primary_key)}`.")
        if spec.foreign_keys:
            fks = "; ".join(f"`{', '.join(fk.columns)}` → `{fk.table}.{', '.join(fk.reference)}`" for fk in spec.foreign_keys)
            out.append(f"Foreign keys: {fks}.")
        out.append("\n| column | type | null | description |\n|---|---|---|---|")
        for c in column_specs(name):
            desc = c.description + (f" One of: {', '.join(c.enum)}." if c.enum and len(c.enum) <= 12 else "")
            out.append(f"| `{c.name}` | {duckdb_type(c.arrow_type)} | {'yes' if c.nullable else 'no'} | {desc} |")
        out.append("")
    return "\n".join(out)


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the contract's columns, so zero-row tables still validate and publish."""
    return pd.DataFrame({c.name: pd.Series([], dtype=object) for c in column_specs(table)})


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Coerce a frame to the contract (types, column order) and sort it deterministically."""
    spec = TABLES[table]
    validated = spec.model.validate(df, lazy=True)
    ordered = validated[spec.columns]
    return ordered.sort_values(list(spec.sort_by), kind="stable").reset_index(drop=True)


@dataclass
class ValidationReport:
    """A structured, readable account of why a table broke the contract."""

    table: str
    passed: bool
    n_rows: int
    failures: list[dict]

    def summary(self) -> str:
        if self.passed:
            return f"{self.table}: {self.n_rows} rows conform"
        lines = [f"{self.table}: {len(self.failures)} contract violation(s)"]
        for f in self.failures[:10]:
            lines.append(f"  - {f['check']} on {f['column']}: {f['failure_case']} (row {f['index']})")
        return "\n".join(lines)


def validation_report(table: str, df: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None,
                      *, schema: bool = True) -> ValidationReport:
    """Schema checks, primary-key uniqueness and (given the other tables) foreign keys.

    ``schema=False`` skips the pandera pass, for frames ``conform`` has just validated.
    """
    spec = TABLES[table]
    failures: list[dict] = []
    try:
        if schema:
            spec.model.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        for row in exc.failure_cases.head(200).to_dict("records"):
            failures.append({
                "check": str(row.get("check")), "column": str(row.get("column")),
                "failure_case": str(row.get("failure_case")), "index": str(row.get("index")),
            })
    pk = list(spec.primary_key)
    if set(pk) <= set(df.columns):
        dup = df[df.duplicated(pk, keep=False)]
        for idx, row in dup.head(50).iterrows():
            failures.append({"check": "primary_key_unique", "column": ",".join(pk),
                             "failure_case": "|".join(str(row[c]) for c in pk), "index": str(idx)})
    for fk in spec.foreign_keys:
        other = df if fk.table == table else (tables or {}).get(fk.table)
        if other is None or not set(fk.columns) <= set(df.columns):
            continue
        known = set(other[fk.reference[0]].dropna())
        values = df[fk.columns[0]]
        bad = values[values.notna() & ~values.isin(known)]
        for idx, value in bad.head(50).items():
            failures.append({"check": f"foreign_key→{fk.table}.{fk.reference[0]}", "column": fk.columns[0],
                             "failure_case": str(value), "index": str(idx)})
    return ValidationReport(table, not failures, len(df), failures)
