"""Row-level differences between two releases, by primary key, and their human-readable summary.

What belongs here: deciding which ids were added, changed (and in which columns) or withdrawn,
keeping tombstones for ids withdrawn in earlier releases (an incident's tombstone names the
incident that now holds its reports, ``replaced_by``), and rendering ``CHANGES.md``. What does
not: reading or writing release folders (``publish``). Pure: frames in, plain JSON-ready dicts out.

The diff is ``{table: {added, changed, withdrawn, reinstated, tombstones, rows_previous,
rows_current, columns_added, columns_removed}}``. An id is the primary-key value for single-column
keys and a list of values in the contract's primary-key order for composite keys
(``incident_sources``, ``actor_mentions``), so ``changes.json`` stays plain JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from pipeline.schemas import TABLES

MAX_LISTED = 50
"""How many ids per list CHANGES.md shows before pointing to changes.json."""


_PLAIN = frozenset({str, int, bool})
"""Cell types that are their own canonical form (most cells: ids, names, counts)."""


def canonical_value(value: object) -> object:
    """A comparable, JSON-ready form of one cell: nulls → None, arrays → tuples, dates → ISO text."""
    if type(value) in _PLAIN:
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(canonical_value(v) for v in value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if pd.isna(value):
            return None
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _column(df: pd.DataFrame, name: str) -> list[object]:
    return [canonical_value(v) for v in df[name].astype(object).tolist()]


def _keys(df: pd.DataFrame, pk: tuple[str, ...]) -> list[tuple]:
    return list(zip(*(_column(df, c) for c in pk), strict=True)) if len(df) else []


def _public_id(key: tuple) -> object:
    return key[0] if len(key) == 1 else list(key)


def _key_of(public_id: object) -> tuple:
    return tuple(public_id) if isinstance(public_id, (list, tuple)) else (public_id,)


def _sort_key(key: tuple) -> tuple:
    return tuple((0, v) if isinstance(v, (int, float)) else (1, str(v)) for v in key)


def _sorted(keys: Iterable[tuple]) -> list[tuple]:
    return sorted(keys, key=_sort_key)


def _table_diff(table: str, previous: pd.DataFrame | None, current: pd.DataFrame) -> tuple[dict, list[tuple]]:
    spec = TABLES[table]
    pk = spec.primary_key
    cur_keys = _keys(current, pk)
    cur_index = {k: i for i, k in enumerate(cur_keys)}
    if previous is None:
        prev_index: dict[tuple, int] = {}
        common_cols: list[str] = []
        columns_added: list[str] = []
        columns_removed: list[str] = []
    else:
        prev_index = {k: i for i, k in enumerate(_keys(previous, pk))}
        common_cols = [c for c in current.columns if c in previous.columns and c not in pk]
        columns_added = [c for c in current.columns if c not in previous.columns]
        columns_removed = [c for c in previous.columns if c not in current.columns]
    added = _sorted(k for k in cur_index if k not in prev_index)
    withdrawn = _sorted(k for k in prev_index if k not in cur_index)
    common = _sorted(k for k in cur_index if k in prev_index)

    changed: list[dict] = []
    if common and common_cols:
        cur_vals = {c: _column(current, c) for c in common_cols}
        prev_vals = {c: _column(previous, c) for c in common_cols}
        for key in common:
            ci, pi = cur_index[key], prev_index[key]
            cols = [c for c in common_cols if cur_vals[c][ci] != prev_vals[c][pi]]
            if cols:
                changed.append({"id": _public_id(key), "columns": cols})
    result = {
        "rows_previous": None if previous is None else len(previous),
        "rows_current": len(current),
        "added": [_public_id(k) for k in added],
        "changed": changed,
        "withdrawn": [_public_id(k) for k in withdrawn],
        "columns_added": columns_added,
        "columns_removed": columns_removed,
    }
    return result, withdrawn


def _spans(sources: pd.DataFrame | None) -> dict[str, list[tuple[str, int, int]]]:
    """Per article: (incident_id, char_start, char_end) of each report, for finding successors."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    if sources is None or not len(sources):
        return out
    for iid, aid, start, end in zip(*(_column(sources, c) for c in ("incident_id", "article_id", "char_start",
                                                                    "char_end")), strict=True):
        out.setdefault(aid, []).append((iid, start, end))
    return out


def incident_successors(previous: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame],
                        withdrawn: Iterable[str]) -> dict[str, str | None]:
    """For each withdrawn incident, the current incident its reports now belong to (or None).

    A report is an (article, span) row of ``incident_sources``; the successor is the current
    incident holding most of the withdrawn one's reports — same article, overlapping span — so an
    incident merged into another (a second source published earlier) or re-dated by a better
    extractor points users to the row that replaced it. Ties go to the smallest id.
    """
    before, after = _spans(previous.get("incident_sources")), _spans(current.get("incident_sources"))
    gone = set(withdrawn)
    votes: dict[str, dict[str, int]] = {iid: {} for iid in gone}
    for aid, rows in before.items():
        for iid, start, end in rows:
            if iid not in gone:
                continue
            for new_id, new_start, new_end in after.get(aid, []):
                if new_start < end and start < new_end:
                    votes[iid][new_id] = votes[iid].get(new_id, 0) + 1
    return {iid: (min(v, key=lambda k: (-v[k], k)) if v else None) for iid, v in votes.items()}


def diff_releases(
    previous: dict[str, pd.DataFrame] | None,
    current: dict[str, pd.DataFrame],
    *,
    previous_changes: dict | None = None,
    version: str | None = None,
) -> dict:
    """Per table: ids added, changed (with columns) and withdrawn, and tombstones of every id ever withdrawn.

    ``previous_changes`` is the previous release's ``changes.json``; its per-table tombstones carry
    forward unless the id has come back (then it is listed as ``reinstated``). ``version`` stamps
    new tombstones' ``withdrawn_in``. An incident's tombstone also carries ``replaced_by``: the
    incident now holding its reports (``incident_successors``), or null.
    """
    tables: dict[str, dict] = {}
    successors: dict[str, str | None] = {}
    old_tombstones = {name: entry.get("tombstones", []) for name, entry in (previous_changes or {}).items()
                      if name in TABLES and isinstance(entry, dict)}
    for table in TABLES:
        if table not in current:
            continue
        cur = current[table]
        prev = None if previous is None else previous.get(table)
        result, withdrawn = _table_diff(table, prev, cur)
        present = set(_keys(cur, TABLES[table].primary_key))
        if table == "incidents" and previous is not None:
            successors = incident_successors(previous, current, [k[0] for k in withdrawn])
        stones: dict[tuple, dict] = {}
        for stone in old_tombstones.get(table, []):
            key = _key_of(stone["id"])
            if key not in present:
                stones[key] = {"id": _public_id(key), "withdrawn_in": stone.get("withdrawn_in")}
                if table == "incidents":
                    # follow a successor that was itself replaced now, so the stone names a live id
                    later = stone.get("replaced_by")
                    stones[key]["replaced_by"] = successors.get(later, later)
        result["reinstated"] = [
            _public_id(k) for k in _sorted(_key_of(s["id"]) for s in old_tombstones.get(table, []))
            if k in present
        ]
        for key in withdrawn:
            stones.setdefault(key, {"id": _public_id(key), "withdrawn_in": version})
            if table == "incidents":
                stones[key]["replaced_by"] = successors.get(key[0])
        result["tombstones"] = [stones[k] for k in _sorted(stones)]
        tables[table] = result
    return tables


def table_entries(diff: dict) -> dict[str, dict]:
    """The per-table part of a diff or of a ``changes.json`` (which adds version keys at top level)."""
    return {name: entry for name, entry in diff.items() if name in TABLES and isinstance(entry, dict)}


def diff_counts(diff: dict) -> dict[str, dict[str, int]]:
    """Per table: how many ids were added, changed and withdrawn (for metadata and logs)."""
    return {
        table: {"added": len(d["added"]), "changed": len(d["changed"]), "withdrawn": len(d["withdrawn"])}
        for table, d in table_entries(diff).items()
    }


def diff_is_empty(diff: dict) -> bool:
    """True when no row was added, changed or withdrawn in any table."""
    return not any(sum(c.values()) for c in diff_counts(diff).values())


def _fmt_id(public_id: object) -> str:
    if isinstance(public_id, list):
        return "`" + " | ".join(str(v) for v in public_id) + "`"
    return f"`{public_id}`"


def _listing(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    lines = [f"**{title}** ({len(items)})", ""]
    lines.extend(f"- {item}" for item in items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        lines.append(f"- … and {len(items) - MAX_LISTED} more (see `changes.json`)")
    lines.append("")
    return lines


def render_changes_markdown(diff: dict, version: str, previous_version: str | None) -> str:
    """``CHANGES.md``: a count table, then per table the ids added, changed (with columns) and withdrawn."""
    lines = [f"# Sitrep release {version}", ""]
    if previous_version:
        lines.append(f"Changes against the previous release `{previous_version}`.")
    else:
        lines.append("First release: every row is new.")
    lines += ["", "| table | rows | added | changed | withdrawn |", "|---|---:|---:|---:|---:|"]
    tables = table_entries(diff)
    for table, d in tables.items():
        rows = str(d["rows_current"])
        if d.get("rows_previous") is not None:
            rows += f" ({d['rows_current'] - d['rows_previous']:+d})"
        lines.append(f"| {table} | {rows} | {len(d['added'])} | {len(d['changed'])} | {len(d['withdrawn'])} |")
    lines.append("")
    if previous_version and diff_is_empty(diff):
        lines += ["No row was added, changed or withdrawn.", ""]
    for table, d in tables.items():
        section: list[str] = []
        if d.get("columns_added") or d.get("columns_removed"):
            section += [(f"Columns added: {', '.join(d['columns_added']) or 'none'}; "
                         f"removed: {', '.join(d['columns_removed']) or 'none'}."), ""]
        section += _listing("Added", [_fmt_id(i) for i in d["added"]])
        section += _listing("Changed", [f"{_fmt_id(c['id'])}: {', '.join(c['columns'])}" for c in d["changed"]])
        successor = {_key_of(s["id"]): s.get("replaced_by") for s in d.get("tombstones", []) if s.get("replaced_by")}
        section += _listing("Withdrawn", [_fmt_id(i) + (f" → {_fmt_id(successor[_key_of(i)])}"
                                                        if _key_of(i) in successor else "")
                                          for i in d["withdrawn"]])
        section += _listing("Reinstated", [_fmt_id(i) for i in d.get("reinstated", [])])
        if section:
            lines += [f"## {table}", "", *section]
    n_stones = sum(len(d.get("tombstones", [])) for d in tables.values())
    if n_stones:
        lines += [f"{n_stones} id(s) withdrawn in this or earlier releases are kept as tombstones in `changes.json`.", ""]
    return "\n".join(lines).rstrip() + "\n"
