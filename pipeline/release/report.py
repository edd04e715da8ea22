"""The release report: one self-contained HTML page per release, with its charts as SVG files.

What belongs here: turning a release's conformed tables and what the release says about itself
(version, contract, changes, measured accuracy and speed) into ``report.html`` and the chart files
beside it. What does not: deciding where or when a release is written (``publish`` calls
``write_release_report`` inside the temporary folder, before checksums) or any orchestration.

The page works offline: no script, no web font, no network; charts are matplotlib SVGs with text
as paths. Output is byte-identical for identical input (fixed hash salt, no date in the SVG
metadata, default style whatever the user's matplotlibrc says, a layout with no randomness), so
a report never differs between two runs over the same release content.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from pipeline.docs import ACCURACY_COLUMNS
from pipeline.local_cache import read_pickle, write_pickle
from pipeline.release.diff import diff_counts
from pipeline.release.manifest import (
    ADMIN1_CHART,
    CHANGES_MD,
    DATAPACKAGE,
    DUCKDB_FILE,
    MONTHLY_CHART,
    NETWORK_CHART,
    REPORT_HTML,
    SHA256SUMS,
)
from pipeline.schemas import EVENT_TYPES, SYMMETRIC_RELATION_TYPES, TABLES

TOP_ADMIN1 = 15
MAX_NETWORK_ACTORS = 40
MAX_MONTHS = 120
"""Beyond this many months the timeline is drawn per year, so bars stay readable."""
MIN_BAR_SLOTS = 12
"""A timeline with fewer periods is padded to this many bar widths, so one month is not one wide slab."""
MAX_INTERVAL_DAYS = 31
"""Incidents dated only to an interval are placed in a month when the interval is no longer than this."""
SVG_HASH_SALT = "sitrep-release-report"
LAYOUT_ITERATIONS = 300

EVENT_TYPE_LABELS = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
}
EVENT_TYPE_COLOURS = {  # Okabe–Ito, distinguishable with the common colour-vision deficiencies
    "battles": "#0072B2",
    "explosions_remote_violence": "#D55E00",
    "violence_against_civilians": "#CC79A7",
    "protests": "#009E73",
    "riots": "#E69F00",
    "strategic_developments": "#56B4E9",
}
RELATION_STYLES = {  # colour, line style: hostile solid warm, cooperative solid cool, structure dashed
    "attacks": ("#D55E00", "-"),
    "opposes": ("#E69F00", "-"),
    "allied_with": ("#009E73", "-"),
    "supports": ("#56B4E9", "-"),
    "leads": ("#000000", "--"),
    "member_of": ("#0072B2", "--"),
    "part_of": ("#CC79A7", "--"),
    "met_with": ("#7F7F7F", ":"),
    "linked_to": ("#B0B0B0", ":"),
}
ACTOR_TYPE_COLOURS = {
    "state_forces": "#9ecae1",
    "government": "#c6dbef",
    "external_state": "#dadaeb",
    "rebel_group": "#fdae6b",
    "political_militia": "#fdd0a2",
    "identity_militia": "#fee6ce",
    "civilians": "#c7e9c0",
    "international_org": "#bcbddc",
    "person": "#f0f0f0",
    "other": "#d9d9d9",
}
BENCHMARK_LABELS = (
    ("extraction_words_per_s", "Extraction speed (words/s, one core)"),
    ("spacy_words_per_s", "Bare spaCy, same model and texts (words/s)"),
    ("extraction_over_spacy", "Extraction time relative to bare spaCy (×)"),
    ("peak_rss_mb", "Peak memory (MB)"),
    ("load_seconds", "Model and gazetteer load time (s)"),
    ("articles", "Articles measured"),
    ("words", "Words measured"),
    ("measured_on", "Measured on"),
    ("commit", "Commit"),
    ("texts", "Texts measured"),
)

_STYLE = {
    "svg.hashsalt": SVG_HASH_SALT,
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.frameon": False,
}


@dataclass(frozen=True)
class ReportInfo:
    """What the report states about the release besides its tables."""

    version: str
    contract_version: str
    created: str | None = None
    previous_version: str | None = None
    evaluation: Mapping | None = None
    """``{"accuracy": {set: figures}, "benchmark": figures}`` as ``datapackage.json`` carries it."""
    changes: Mapping | None = None
    include_quotes: bool = True
    licence: Mapping | None = None


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG bytes, file name, size in CSS pixels and alt text."""

    filename: str
    svg: bytes
    width: int
    height: int
    alt: str


# --------------------------------------------------------------------------- data


def _frame(tables: Mapping[str, pd.DataFrame], name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """The table, or an empty frame when it is absent or lacks a needed column."""
    df = tables.get(name)
    if df is None or any(c not in df.columns for c in columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return df


def incident_months(incidents: pd.DataFrame) -> pd.Series:
    """Each incident's month: of ``event_date``, else of the midpoint of a date interval of 31 days or less.

    "In the past month" gives an interval across two calendar months; its midpoint falls in the
    month holding most of it. Incidents dated only to a longer interval (a year, a season) get
    ``NaT``: placing them in any one month would invent a spike.
    """
    if incidents.empty:
        return pd.Series(pd.PeriodIndex([], freq="M"), index=incidents.index)
    event = pd.to_datetime(incidents["event_date"], errors="coerce")
    start = pd.to_datetime(incidents["date_start"], errors="coerce")
    end = pd.to_datetime(incidents["date_end"], errors="coerce")
    length = end - start
    midpoint = (start + length / 2).where(length <= pd.Timedelta(days=MAX_INTERVAL_DAYS))
    return event.where(event.notna(), midpoint).dt.to_period("M")


def incidents_per_period(incidents: pd.DataFrame) -> tuple[pd.DataFrame, str, int]:
    """Incident counts per month (per year beyond ``MAX_MONTHS``) and event type, every period present.

    Returns the counts (index: period labels, columns: event types in contract order), the period
    name (``"month"`` or ``"year"``) and how many incidents could not be placed in a month.
    """
    months = incident_months(incidents)
    dated = months.notna()
    unplaced = int((~dated).sum())
    if not dated.any():
        return pd.DataFrame(columns=list(EVENT_TYPES)), "month", unplaced
    first, last = months[dated].min(), months[dated].max()
    period = "month" if (last - first).n < MAX_MONTHS else "year"
    keys = months[dated] if period == "month" else months[dated].map(lambda p: p.asfreq("Y"))
    full = pd.period_range(keys.min(), keys.max(), freq=keys.iloc[0].freq)
    counts = pd.crosstab(keys, incidents.loc[dated, "event_type"].astype(str))
    present = [t for t in EVENT_TYPES if t in counts.columns] + sorted(set(counts.columns) - set(EVENT_TYPES))
    counts = counts.reindex(index=full, columns=present, fill_value=0)
    counts.index = [str(p) for p in counts.index]
    return counts, period, unplaced


def fatalities_by_admin1(incidents: pd.DataFrame, top: int = TOP_ADMIN1) -> tuple[pd.DataFrame, int]:
    """Total best-estimate fatalities and incident count per (country, admin1), largest first.

    Returns the ``top`` rows (columns ``country_iso3, admin1, fatalities, incidents, label``) and how
    many places with fatalities were left out. Incidents with an unknown toll add nothing.
    """
    columns = ["country_iso3", "admin1", "fatalities", "incidents", "label"]
    known = incidents[pd.to_numeric(incidents["fatalities_best"], errors="coerce").notna()] if len(incidents) else incidents
    if known.empty:
        return pd.DataFrame(columns=columns), 0
    frame = pd.DataFrame({
        "country_iso3": known["country_iso3"].astype(object).where(known["country_iso3"].notna(), ""),
        "admin1": known["admin1"].astype(object).where(known["admin1"].notna(), ""),
        "fatalities": pd.to_numeric(known["fatalities_best"]).astype("int64"),
    })
    grouped = (frame.groupby(["country_iso3", "admin1"], sort=True)
               .agg(fatalities=("fatalities", "sum"), incidents=("fatalities", "size")).reset_index())
    grouped = grouped[grouped["fatalities"] > 0]
    grouped = grouped.sort_values(["fatalities", "country_iso3", "admin1"], ascending=[False, True, True], kind="stable")
    grouped["label"] = [_place_label(c, a) for c, a in zip(grouped["country_iso3"], grouped["admin1"], strict=True)]
    return grouped.head(top).reset_index(drop=True)[columns], max(len(grouped) - top, 0)


def _place_label(country: str, admin1: str) -> str:
    if admin1 and country:
        return f"{admin1}, {country}"
    if country:
        return f"province unknown, {country}"
    return admin1 or "place unknown"


@dataclass(frozen=True)
class Network:
    """The actor graph as drawn: nodes (actor ids, names, types), aggregated edges, what was left out."""

    actor_ids: list[str]
    names: list[str]
    actor_types: list[str]
    edges: pd.DataFrame
    """``subject, relation_type, object, n`` (symmetric types stored once, subject < object)."""
    omitted_actors: int
    omitted_edges: int


def actor_network(actors: pd.DataFrame, relations: pd.DataFrame, max_actors: int = MAX_NETWORK_ACTORS) -> Network:
    """Actors that take part in a relation and the relations among them, one edge per (subject, type, object).

    Beyond ``max_actors`` only the best-connected actors are kept (ties broken by mentions, then id).
    """
    if relations.empty:
        return Network([], [], [], pd.DataFrame(columns=["subject", "relation_type", "object", "n"]), 0, 0)
    subject = relations["subject_actor_id"].astype(str)
    obj = relations["object_actor_id"].astype(str)
    rtype = relations["relation_type"].astype(str)
    symmetric = rtype.isin(SYMMETRIC_RELATION_TYPES) & (subject > obj)
    pairs = pd.DataFrame({"subject": subject.where(~symmetric, obj), "relation_type": rtype,
                          "object": obj.where(~symmetric, subject)})
    edges = pairs.groupby(["subject", "relation_type", "object"], sort=True).size().rename("n").reset_index()

    links = pd.concat([edges[["subject", "object"]].set_axis(["a", "b"], axis=1),
                       edges[["object", "subject"]].set_axis(["a", "b"], axis=1)]).drop_duplicates()
    degree = links.groupby("a").size()
    info = actors.set_index(actors["actor_id"].astype(str)) if not actors.empty else pd.DataFrame()
    mentions = pd.to_numeric(info["n_mentions"], errors="coerce").fillna(0) if "n_mentions" in info else pd.Series(dtype=float)
    ranked = sorted(degree.index, key=lambda a: (-int(degree[a]), -float(mentions.get(a, 0)), a))
    kept = sorted(ranked[:max_actors])
    keep = set(kept)
    inside = edges["subject"].isin(keep) & edges["object"].isin(keep)
    names = [str(info.at[a, "name"]) if a in info.index and "name" in info else a for a in kept]
    types = [str(info.at[a, "actor_type"]) if a in info.index and "actor_type" in info else "other" for a in kept]
    return Network(kept, names, types, edges[inside].reset_index(drop=True),
                   len(ranked) - len(kept), int((~inside).sum()))


def _components(n_nodes: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected components as sorted node lists, largest first (ties: smallest node first)."""
    parent = list(range(n_nodes))

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in edges:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for v in range(n_nodes):
        groups.setdefault(root(v), []).append(v)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _component_layout(n_nodes: int, edges: list[tuple[int, int]], iterations: int) -> np.ndarray:
    """Stress majorization (SMACOF) of one connected component, in hops, centred, long axis horizontal.

    Classical MDS start with fixed eigenvector signs, then plain iterations: no randomness.
    """
    if n_nodes == 1:
        return np.zeros((1, 2))
    target = np.full((n_nodes, n_nodes), np.inf)
    np.fill_diagonal(target, 0.0)
    for a, b in edges:
        target[a, b] = target[b, a] = 1.0
    for via in range(n_nodes):  # Floyd–Warshall: a few dozen nodes at most
        target = np.minimum(target, target[:, via, None] + target[None, via, :])

    centring = np.eye(n_nodes) - 1.0 / n_nodes
    values, vectors = np.linalg.eigh(-0.5 * centring @ target**2 @ centring)
    top = vectors[:, ::-1][:, :2] * np.sqrt(np.maximum(values[::-1][:2], 1e-9))
    signs = np.sign(top[np.abs(top).argmax(axis=0), [0, 1]])
    pos = top * np.where(signs == 0, 1.0, signs)
    pos = pos + 1e-3 * np.column_stack([np.cos(np.arange(n_nodes)), np.sin(np.arange(n_nodes))])

    weights = np.zeros_like(target)
    off = ~np.eye(n_nodes, dtype=bool)
    weights[off] = target[off] ** -2.0
    laplacian = -weights
    np.fill_diagonal(laplacian, weights.sum(axis=1))
    inverse = np.linalg.pinv(laplacian)
    for _ in range(iterations):
        distance = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=-1)
        ratio = np.where(distance > 1e-9, weights * target / np.maximum(distance, 1e-9), 0.0)
        majorizer = -ratio
        np.fill_diagonal(majorizer, ratio.sum(axis=1))
        pos = inverse @ majorizer @ pos

    pos = pos - pos.mean(axis=0)
    _, _, axes = np.linalg.svd(pos, full_matrices=False)
    axes = axes * np.where(axes[np.arange(2), np.abs(axes).argmax(axis=1)] < 0, -1.0, 1.0)[:, None]
    return pos @ axes.T


def stress_layout(n_nodes: int, edges: list[tuple[int, int]], iterations: int = LAYOUT_ITERATIONS) -> np.ndarray:
    """Node positions in [-1, 1]² whose distances follow graph distances; same input → same output.

    Each connected component is laid out alone (``_component_layout``); components are then packed
    in rows, largest first, one hop apart, so a stray pair does not squeeze the main network.
    """
    if n_nodes == 0:
        return np.zeros((0, 2))
    pieces = []
    for nodes in _components(n_nodes, edges):
        local = {v: i for i, v in enumerate(nodes)}
        inside = [(local[a], local[b]) for a, b in edges if a in local and a != b]
        piece = _component_layout(len(nodes), inside, iterations)
        pieces.append((nodes, piece - piece.min(axis=0), np.ptp(piece, axis=0) + 1.0))
    area = sum(float(size[0] * size[1]) for _, _, size in pieces)
    row_width = max(max(float(size[0]) for _, _, size in pieces), 1.5 * math.sqrt(area))
    pos = np.zeros((n_nodes, 2))
    x = y = row_height = 0.0
    for nodes, piece, size in pieces:
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        pos[nodes] = piece * [1.0, -1.0] + [x, y]
        x += float(size[0])
        row_height = max(row_height, float(size[1]))
    low, high = pos.min(axis=0), pos.max(axis=0)
    span = high - low
    return np.where(span > 1e-9, 2.0 * (pos - low) / np.where(span > 1e-9, span, 1.0) - 1.0, 0.0)


@dataclass(frozen=True)
class ReportData:
    """What the charts and their captions are drawn from, computed once per report."""

    incidents: pd.DataFrame
    counts: pd.DataFrame
    period: str
    unplaced: int
    places: pd.DataFrame
    more_places: int
    network: Network


def report_data(tables: Mapping[str, pd.DataFrame]) -> ReportData:
    """The chart data of a release: incidents per period, fatalities per admin1, the actor network."""
    incidents = _frame(tables, "incidents", ("event_date", "date_start", "date_end", "event_type",
                                             "country_iso3", "admin1", "fatalities_best"))
    counts, period, unplaced = incidents_per_period(incidents)
    places, more_places = fatalities_by_admin1(incidents)
    network = actor_network(_frame(tables, "actors", ("actor_id", "name", "actor_type")),
                            _frame(tables, "relations", ("subject_actor_id", "relation_type", "object_actor_id")))
    return ReportData(incidents, counts, period, unplaced, places, more_places, network)


# --------------------------------------------------------------------------- charts


def _svg_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=96, layout="constrained")


def _pixels(fig: Figure) -> tuple[int, int]:
    width, height = fig.get_size_inches()
    return round(width * 96), round(height * 96)


def _event_label(event_type: str) -> str:
    return EVENT_TYPE_LABELS.get(event_type, event_type.replace("_", " ").capitalize())


def monthly_chart(counts: pd.DataFrame, period: str) -> Chart | None:
    """Stacked bars of incidents per period by event type; None when no incident is dated."""
    if counts.empty or int(counts.to_numpy().sum()) == 0:
        return None
    with matplotlib.style.context("default"), matplotlib.rc_context(_STYLE):
        fig = _figure(10, 4.2)
        ax = fig.subplots()
        x = np.arange(len(counts))
        bottom = np.zeros(len(counts))
        for event_type in counts.columns:
            values = counts[event_type].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, width=0.8, label=_event_label(event_type),
                   color=EVENT_TYPE_COLOURS.get(event_type, "#999999"), edgecolor="white", linewidth=0.5)
            bottom += values
        step = max(1, math.ceil(len(counts) / 24))
        ax.set_xticks(x[::step], list(counts.index)[::step], rotation=45 if len(counts) > 8 else 0,
                      ha="right" if len(counts) > 8 else "center")
        pad = max(MIN_BAR_SLOTS - len(counts), 0) / 2
        ax.set_xlim(-0.6 - pad, len(counts) - 0.4 + pad)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_ylabel("incidents")
        ax.set_title(f"Incidents per {period}, by event type")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="event type", alignment="left")
        svg = _svg_bytes(fig)
        width, height = _pixels(fig)
    total = int(counts.to_numpy().sum())
    alt = (f"Stacked bar chart: {total} dated incidents per {period} from {counts.index[0]} to "
           f"{counts.index[-1]}, coloured by event type ("
           + ", ".join(f"{_event_label(t)} {int(counts[t].sum())}" for t in counts.columns) + ").")
    return Chart(MONTHLY_CHART, svg, width, height, alt)


def admin1_chart(places: pd.DataFrame) -> Chart | None:
    """Horizontal bars of total fatalities per admin1 (with country), largest on top; None when none."""
    if places.empty:
        return None
    with matplotlib.style.context("default"), matplotlib.rc_context(_STYLE):
        fig = _figure(10, 1.2 + 0.32 * len(places))
        ax = fig.subplots()
        y = np.arange(len(places))[::-1]
        values = places["fatalities"].to_numpy(dtype=float)
        colours = ["#999999" if a == "" else "#B2182B" for a in places["admin1"]]
        ax.barh(y, values, height=0.7, color=colours)
        ax.set_yticks(y, list(places["label"]))
        for yi, value, n in zip(y, values, places["incidents"], strict=True):
            ax.annotate(f"{int(value):,}  ({n} incident{'s' if n != 1 else ''})", (value, yi),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8, color="#333333")
        ax.set_xlim(0, values.max() * 1.25)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_xlabel("people killed (sum of fatalities_best)")
        ax.set_title("Fatalities by first-level administrative unit")
        svg = _svg_bytes(fig)
        width, height = _pixels(fig)
    alt = ("Horizontal bar chart of fatalities by admin1: "
           + "; ".join(f"{label} {int(f):,}" for label, f in zip(places["label"], places["fatalities"], strict=True))
           + ".")
    return Chart(ADMIN1_CHART, svg, width, height, alt)


LABEL_SPOTS = (
    (0.0, 1.0, "center", "bottom"), (0.0, -1.0, "center", "top"), (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"), (0.7, 0.7, "left", "bottom"), (-0.7, 0.7, "right", "bottom"),
    (0.7, -0.7, "left", "top"), (-0.7, -0.7, "right", "top"),
)
"""Where a node label may sit, tried in this order: (x, y) direction from the node, alignment."""


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _place_labels(fig: Figure, ax, labels: list, pos: np.ndarray, radii: np.ndarray, order: np.ndarray) -> int:
    """Put each node label (best-connected first) at the first spot that hides no placed label or other node.

    A label that collides wherever it goes is not drawn: with hundreds of actors a tangle of
    overlapping names is unreadable, while the best-connected actors stay named and every actor is
    in the table under the chart. Works in display units after a layout pass, so it is exact for
    the fonts used; nothing random. Returns how many labels were left out.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering()
    points = fig.dpi / 72.0
    centres = ax.transData.transform(pos)
    nodes = [(x - r * points, y - r * points, x + r * points, y + r * points)
             for (x, y), r in zip(centres, radii, strict=True)]
    frame = ax.bbox.extents
    placed: list[tuple[float, float, float, float]] = []
    hidden = 0
    for i in order:
        label = labels[i]
        spot = None
        for dx, dy, ha, va in LABEL_SPOTS:
            label.xyann = (dx * (radii[i] + 1.5), dy * (radii[i] + 1.5))
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            box = tuple(label.get_window_extent(renderer).extents)
            inside = box[0] >= frame[0] and box[2] <= frame[2] and box[1] >= frame[1] and box[3] <= frame[3]
            if inside and not any(_overlap(box, other) for other in placed) and not any(
                    _overlap(box, node) for j, node in enumerate(nodes) if j != i):
                spot = (dx, dy, ha, va, box)
                break
        if spot is None:
            label.set_visible(False)
            hidden += 1
            continue
        dx, dy, ha, va, box = spot
        label.xyann = (dx * (radii[i] + 1.5), dy * (radii[i] + 1.5))
        label.set_horizontalalignment(ha)
        label.set_verticalalignment(va)
        placed.append(box)
    return hidden


def network_chart(network: Network) -> Chart | None:
    """Actors as nodes (coloured by actor type), relations as edges coloured by type; None without relations."""
    if not network.actor_ids:
        return None
    index = {a: i for i, a in enumerate(network.actor_ids)}
    pairs = [(index[s], index[o]) for s, o in zip(network.edges["subject"], network.edges["object"], strict=True)]
    pos = stress_layout(len(network.actor_ids), pairs) * min(1.0, 0.35 + 0.065 * len(network.actor_ids))
    degree = np.zeros(len(network.actor_ids))
    for a, b in set(tuple(sorted(p)) for p in pairs):
        degree[a] += 1
        degree[b] += 1
    sizes = 60 + 40 * np.sqrt(degree)
    with matplotlib.style.context("default"), matplotlib.rc_context(_STYLE):
        fig = _figure(10, min(8.5, 3.5 + 0.25 * len(network.actor_ids)))
        ax = fig.subplots()
        ax.set_axis_off()
        ax.set_xlim(-1.18, 1.18)
        ax.set_ylim(-1.06, 1.1)
        parallel: dict[tuple[int, int], int] = {}
        for (a, b), rtype, n in zip(pairs, network.edges["relation_type"], network.edges["n"], strict=True):
            key = (min(a, b), max(a, b))
            nth = parallel.get(key, 0)
            parallel[key] = nth + 1
            rad = 0.0 if nth == 0 else 0.2 * ((nth + 1) // 2) * (1 if nth % 2 else -1)
            if a > b:
                rad = -rad
            colour, style = RELATION_STYLES.get(rtype, ("#999999", "-"))
            arrow = "-" if rtype in SYMMETRIC_RELATION_TYPES else "-|>"
            ax.add_patch(FancyArrowPatch(
                tuple(pos[a]), tuple(pos[b]), arrowstyle=arrow, mutation_scale=12,
                connectionstyle=f"arc3,rad={rad}", color=colour, linestyle=style,
                linewidth=1.2 + 0.7 * math.log2(n), shrinkA=math.sqrt(sizes[a]) / 2 + 1,
                shrinkB=math.sqrt(sizes[b]) / 2 + 2, zorder=1))
        colours = [ACTOR_TYPE_COLOURS.get(t, "#d9d9d9") for t in network.actor_types]
        ax.scatter(pos[:, 0], pos[:, 1], s=sizes, c=colours, edgecolors="#404040", linewidths=0.8, zorder=2)
        labels = [ax.annotate(name if len(name) <= 32 else name[:31] + "…", (x, y), xytext=(0, 0),
                              textcoords="offset points", fontsize=8, color="#202020", zorder=3, annotation_clip=False,
                              bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
                  for (x, y), name in zip(pos, network.names, strict=True)]
        for label in labels:
            label.set_in_layout(False)
        present = [t for t in RELATION_STYLES if t in set(network.edges["relation_type"])]
        edge_handles = [Line2D([], [], color=RELATION_STYLES[t][0], linestyle=RELATION_STYLES[t][1], linewidth=1.8,
                               label=t.replace("_", " ") + ("" if t in SYMMETRIC_RELATION_TYPES else " →"))
                        for t in present]
        kinds = [t for t in ACTOR_TYPE_COLOURS if t in set(network.actor_types)]
        node_handles = [Line2D([], [], linestyle="", marker="o", markersize=9,
                               markerfacecolor=ACTOR_TYPE_COLOURS[t], markeredgecolor="#404040",
                               label=t.replace("_", " ")) for t in kinds]
        fig.legend(handles=edge_handles, title="relation (subject → object)", loc="outside lower left",
                   ncols=min(len(edge_handles), 5), alignment="left", fontsize=8)
        fig.legend(handles=node_handles, title="actor type", loc="outside lower right",
                   ncols=min(len(node_handles), 3), alignment="left", fontsize=8)
        ax.set_title("Actor network")
        unlabelled = _place_labels(fig, ax, labels, pos, np.sqrt(sizes) / 2, np.argsort(-degree, kind="stable"))
        svg = _svg_bytes(fig)
        width, height = _pixels(fig)
    counts = network.edges.groupby("relation_type")["n"].sum()
    alt = (f"Network diagram of {len(network.actor_ids)} actors linked by {len(network.edges)} relations ("
           + ", ".join(f"{t.replace('_', ' ')} {int(counts[t])}" for t in present) + ")"
           + (f"; {unlabelled} actors drawn without a name where it would overlap another." if unlabelled else "."))
    return Chart(NETWORK_CHART, svg, width, height, alt)


# --------------------------------------------------------------------------- page


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _table(headers: list[str], rows: list[list[str]], *, numeric_from: int = 1, compact: bool = False) -> str:
    """An HTML table of already-escaped cells; columns from ``numeric_from`` are right-aligned."""
    head = "".join(f'<th scope="col"{" class=num" if i >= numeric_from else ""}>{h}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(
            (f'<th scope="row">{cell}</th>' if i == 0 else f'<td{" class=num" if i >= numeric_from else ""}>{cell}</td>')
            for i, cell in enumerate(row)) + "</tr>\n"
        for row in rows)
    css = ' class="compact"' if compact else ""
    return f'<div class="scroll"><table{css}><thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table></div>'


def _figure_html(chart: Chart | None, empty: str, caption: str, data: str = "") -> str:
    if chart is None:
        return f'<p class="empty">{_e(empty)}</p>'
    details = f"<details><summary>The numbers behind this chart</summary>{data}</details>" if data else ""
    return (f'<figure><img src="{_e(chart.filename)}" width="{chart.width}" height="{chart.height}" '
            f'alt="{_e(chart.alt)}" title="{_e(chart.alt)}"><figcaption>{caption}</figcaption></figure>{details}')


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _summary_items(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, str]]:
    incidents = _frame(tables, "incidents", ("date_start", "date_end", "fatalities_best", "country_iso3", "admin1"))
    articles = _frame(tables, "articles", ("status",))
    items = []
    statuses = articles["status"].astype(str).value_counts()
    items.append(("Articles", f"{len(articles):,} ({', '.join(f'{int(statuses.get(s, 0)):,} {s}' for s in ('ok', 'duplicate', 'rejected'))})"))
    items.append(("Incidents", f"{len(incidents):,}"))
    if len(incidents):
        best = pd.to_numeric(incidents["fatalities_best"], errors="coerce")
        items.append(("People killed (best estimate)",
                      f"{int(best.sum()):,} in {int(best.notna().sum()):,} incidents with a reported toll"))
        start = pd.to_datetime(incidents["date_start"], errors="coerce").min()
        end = pd.to_datetime(incidents["date_end"], errors="coerce").max()
        if pd.notna(start) and pd.notna(end):
            items.append(("Dates covered", f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"))
        countries = sorted(incidents["country_iso3"].dropna().astype(str).unique())
        items.append(("Countries", ", ".join(countries) if countries else "none coded"))
        items.append(("First-level units (admin1)", f"{incidents['admin1'].dropna().nunique():,}"))
    items.append(("Actors", f"{len(_frame(tables, 'actors', ())):,}"))
    items.append(("Relations", f"{len(_frame(tables, 'relations', ())):,}"))
    return items


def _counts_table(tables: Mapping[str, pd.DataFrame], info: ReportInfo) -> str:
    counts = diff_counts(dict(info.changes)) if info.changes else {}
    names = [n for n in TABLES if n in tables] + sorted(set(tables) - set(TABLES))
    rows = []
    for name in names:
        change = counts.get(name)
        cells = [f"<code>{_e(name)}</code>", _e(f"{len(tables[name]):,}")]
        cells += [_e(f"{change[k]:,}") if change else "–" for k in ("added", "changed", "withdrawn")]
        rows.append(cells)
    return _table(["table", "rows", "added", "changed", "withdrawn"], rows)


def _accuracy_html(evaluation: Mapping | None) -> str:
    accuracy = evaluation.get("accuracy") if isinstance(evaluation, Mapping) else None
    if not isinstance(accuracy, Mapping) or not any(isinstance(v, Mapping) for v in accuracy.values()):
        return '<p class="empty">No accuracy figures were recorded for this code (<code>sitrep evaluate SET_DIR --record</code>).</p>'
    headers = ["set", "docs", *(_e(c).replace("_", "_<wbr>") for c in ACCURACY_COLUMNS), "measured", "commit"]
    rows = []
    for name in sorted(accuracy):
        figures = accuracy[name]
        if not isinstance(figures, Mapping):
            continue
        cells = [_e(name), _e(_number(figures.get("docs")))]
        for column in ACCURACY_COLUMNS:
            value = figures.get(column)
            cells.append("–" if value is None else _e(f"{value:.3f}" if isinstance(value, (int, float)) else value))
        cells += [_e(figures.get("measured_on", "")), f"<code>{_e(figures.get('commit') or '')}</code>"]
        rows.append(cells)
    return (_table(headers, rows, compact=True)
            + "<p class=note>Scores of the extractor that built this release on the development evaluation sets "
              "(<code>pipeline/accuracy.json</code>); – means the set's gold cannot measure that figure.</p>")


def _benchmark_html(evaluation: Mapping | None) -> str:
    benchmark = evaluation.get("benchmark") if isinstance(evaluation, Mapping) else None
    if not isinstance(benchmark, Mapping) or not benchmark:
        return '<p class="empty">No speed figures were recorded (<code>python -m pipeline.benchmark DIR --record</code>).</p>'
    labels = dict(BENCHMARK_LABELS)
    keys = [k for k, _ in BENCHMARK_LABELS if k in benchmark] + sorted(k for k in benchmark if k not in labels)
    rows = [[_e(labels.get(k, k)), _e(_number(benchmark[k]))] for k in keys]
    return _table(["figure", "value"], rows)


def _monthly_data(counts: pd.DataFrame, period: str) -> str:
    headers = [period, *(_e(_event_label(t)) for t in counts.columns), "total"]
    rows = [[_e(label), *(_e(f"{int(v):,}") for v in row), _e(f"{int(sum(row)):,}")]
            for label, row in zip(counts.index, counts.to_numpy(), strict=True) if sum(row)]
    return _table(headers, rows)


def _admin1_data(places: pd.DataFrame) -> str:
    rows = [[_e(a or "–"), _e(c or "–"), _e(f"{int(f):,}"), _e(f"{int(n):,}")]
            for c, a, f, n in zip(places["country_iso3"], places["admin1"], places["fatalities"], places["incidents"],
                                  strict=True)]
    return _table(["admin1", "country", "killed", "incidents"], rows, numeric_from=2)


def _network_data(network: Network) -> str:
    totals = network.edges.groupby("relation_type")["n"].sum()
    rows = [[_e(t.replace("_", " ")), _e(f"{int(totals[t]):,}")] for t in RELATION_STYLES if t in totals.index]
    return _table(["relation type", "relations drawn"], rows)


_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1b1b;
       max-width: 1080px; margin: 2rem auto; padding: 0 1.25rem; line-height: 1.45; background: #fff; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
.meta { color: #555; margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.25rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0; }
table.compact { font-size: .8rem; } table.compact th, table.compact td { padding: .25rem .35rem; }
table.compact td { white-space: nowrap; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
thead th { background: #f4f4f4; border-bottom: 2px solid #ccc; }
tbody tr:nth-child(even) { background: #fafafa; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; display: block; }
figcaption, .note { color: #555; font-size: .88rem; }
.empty { background: #f7f7f7; border-left: 4px solid #bbb; padding: .6rem .9rem; }
details { margin: .3rem 0 1rem; } summary { cursor: pointer; color: #0b5394; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; border-top: 1px solid #ddd; padding-top: .6rem; }
code { font-size: .92em; }
"""


def render_report_html(tables: Mapping[str, pd.DataFrame], info: ReportInfo, data: ReportData,
                       charts: Mapping[str, Chart | None]) -> str:
    """The report page: what the release holds, its charts (by file name) and the measured quality."""
    incidents, counts, period, places, network = data.incidents, data.counts, data.period, data.places, data.network
    unplaced, more_places = data.unplaced, data.more_places
    licence = info.licence or {}
    previous = (f"Previous release <code>{_e(info.previous_version)}</code>." if info.previous_version
                else "First release.")
    meta = [f"Contract version <strong>{_e(info.contract_version)}</strong>"]
    if info.created:
        meta.append(f"created {_e(info.created)}")
    if licence.get("name"):
        meta.append(f"licence {_e(licence['name'])}")
    meta.append("verbatim quotes included" if info.include_quotes else "verbatim quotes withheld")
    facts = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in _summary_items(tables))

    monthly_caption = ("Month of each incident's <code>event_date</code>; an incident dated only to an interval of "
                       f"{MAX_INTERVAL_DAYS} days or less counts in the month holding the interval's midpoint.")
    if unplaced:
        monthly_caption += (f" {_count(unplaced, 'incident')} dated only to a longer interval "
                            f"{'is' if unplaced == 1 else 'are'} not shown.")
    if period == "year":
        monthly_caption += f" Drawn per year because the release spans more than {MAX_MONTHS} months."
    unknown_toll = int(pd.to_numeric(incidents["fatalities_best"], errors="coerce").isna().sum())
    admin1_caption = (f"Sum of <code>fatalities_best</code> per first-level unit, top {TOP_ADMIN1}"
                      + (f" ({more_places:,} more not shown)" if more_places else "") + ".")
    if unknown_toll:
        admin1_caption += (f" {_count(unknown_toll, 'incident')} with no reported toll "
                           f"add{'s' if unknown_toll == 1 else ''} nothing.")
    if (places["admin1"] == "").any():
        admin1_caption += " Grey bars are incidents placed only in a country."
    network_caption = ("Actors that take part in at least one relation; arrows run from subject to object, "
                       "lines without arrows are symmetric relations; thicker lines are relations stated in more "
                       "articles. Positions come from the links alone and carry no geographic meaning.")
    if network.omitted_actors:
        network_caption += (f" Only the {len(network.actor_ids)} best-connected actors are drawn "
                            f"({network.omitted_actors:,} more actors and {network.omitted_edges:,} relations involving "
                            f"them are in <code>relations.parquet</code>).")
    no_incidents = "This release has no incidents." if incidents.empty else None
    files = " · ".join(f'<a href="{_e(name)}">{_e(name)}</a>' for name in (DATAPACKAGE, DUCKDB_FILE, CHANGES_MD, SHA256SUMS))

    sections = [
        f"<h1>Sitrep release {_e(info.version)}</h1>",
        f'<p class="meta">{"; ".join(meta)}. {previous}</p>',
        "<h2 id=contents>What this release holds</h2>",
        f'<dl class="facts">{facts}</dl>',
        _counts_table(tables, info),
        "<p class=note>Added, changed and withdrawn rows are counted against the previous release "
        f'(<a href="{_e(CHANGES_MD)}">{_e(CHANGES_MD)}</a> lists them).</p>',
        "<h2 id=timeline>Incidents over time, by event type</h2>",
        _figure_html(charts.get(MONTHLY_CHART), no_incidents or "No incident is dated to a month or more precisely.",
                     monthly_caption, _monthly_data(counts, period) if not counts.empty else ""),
        "<h2 id=fatalities>Fatalities by admin1</h2>",
        _figure_html(charts.get(ADMIN1_CHART), no_incidents or "No incident reports a fatality.",
                     admin1_caption, _admin1_data(places) if not places.empty else ""),
        "<h2 id=network>Actor network</h2>",
        _figure_html(charts.get(NETWORK_CHART), "This release has no relations between actors.",
                     network_caption, _network_data(network) if network.actor_ids else ""),
        "<h2 id=accuracy>Measured accuracy</h2>",
        _accuracy_html(info.evaluation),
        "<h2 id=speed>Speed and memory</h2>",
        _benchmark_html(info.evaluation),
        f"<footer>Files of this release: {files}. Generated by Sitrep from the release's own tables; "
        "the page needs no network.</footer>",
    ]
    body = "\n".join(sections)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>Sitrep release {_e(info.version)}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


CHART_CACHE_KEEP = 24
"""Charts kept in a chart cache (the most recently used): a release needs three."""


def _canonical(value: object) -> bytes:
    """The bytes a chart's input is keyed by: a frame's columns, types, index and every value."""
    if isinstance(value, pd.DataFrame):
        head = f"{list(value.columns)}|{[str(t) for t in value.dtypes]}|{value.index.name}|{value.index.dtype}\n"
        return (head + value.to_csv()).encode("utf-8")
    if isinstance(value, Network):
        return b"|".join([repr((value.actor_ids, value.names, value.actor_types, value.omitted_actors,
                                value.omitted_edges)).encode("utf-8"), _canonical(value.edges)])
    return repr(value).encode("utf-8")


@functools.lru_cache(maxsize=1)
def _chart_code() -> bytes:
    """What a chart's drawing depends on besides its input: this module's code and matplotlib's version."""
    return Path(__file__).read_bytes() + f"|matplotlib {version('matplotlib')}".encode()


def _cached_chart(cache: Path | None, name: str, draw, *inputs) -> Chart | None:
    """``draw(*inputs)``, or the chart an earlier release drew from the same input with the same code.

    Charts are byte-identical for identical input (see the module docstring), so a stored chart is
    the one drawing would give; a +1-article release whose counts, places or network did not move
    reuses those charts instead of drawing them (~0.2-0.3 CPU s each). No cache, or an unreadable
    or unwritable one, only costs the drawing.
    """
    if cache is None:
        return draw(*inputs)
    digest = hashlib.sha256(_chart_code())
    digest.update(name.encode())
    for value in inputs:
        digest.update(b"\0")
        digest.update(_canonical(value))
    path = Path(cache) / f"{digest.hexdigest()}.pickle"
    chart = read_pickle(path, Chart)
    if chart is not None:
        try:
            os.utime(path)
        except OSError:
            pass
        return chart
    chart = draw(*inputs)
    if chart is None:
        return None
    try:
        write_pickle(path, chart)
        kept = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CHART_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    return chart


def build_charts(data: ReportData, cache: Path | None = None) -> dict[str, Chart | None]:
    """The three charts by file name (None where there is nothing to draw), from ``cache`` where it
    holds a chart drawn from the same input."""
    return {MONTHLY_CHART: _cached_chart(cache, MONTHLY_CHART, monthly_chart, data.counts, data.period),
            ADMIN1_CHART: _cached_chart(cache, ADMIN1_CHART, admin1_chart, data.places),
            NETWORK_CHART: _cached_chart(cache, NETWORK_CHART, network_chart, data.network)}


def write_release_report(folder: Path, tables: Mapping[str, pd.DataFrame], info: ReportInfo,
                         chart_cache: Path | None = None) -> list[Path]:
    """Write ``report.html`` and its chart SVGs into ``folder``; returns the paths written.

    ``chart_cache``: a folder where charts are kept by their input (``publish`` passes the
    warehouse's ``cache/charts``), so a chart whose input did not change is not drawn again."""
    folder = Path(folder)
    data = report_data(tables)
    charts = build_charts(data, chart_cache)
    written = []
    for chart in charts.values():
        if chart is not None:
            (folder / chart.filename).write_bytes(chart.svg)
            written.append(folder / chart.filename)
    page = folder / REPORT_HTML
    page.write_text(render_report_html(tables, info, data, charts), encoding="utf-8", newline="\n")
    return [page, *written]
