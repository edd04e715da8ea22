"""Score a release against a gold set (``raw/`` + ``gold.jsonl``), as the evaluation's METRICS define.

Matching: within a document, a gold and a predicted incident are compatible when their countries
do not differ, a gold place names a predicted admin1/admin2/location (accent-, case- and
punctuation-insensitive, containment or close spelling), and their date intervals overlap with
one day of slack; compatible pairs are matched one-to-one, best first. Figures: incident recall
over required gold incidents, precision over violent predictions in complete documents, then
field agreement over matched pairs, and actor/relation recall and precision per document.
The figures must equal those of the evaluation's reference scorer; a test checks it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from pathlib import Path

import duckdb

from pipeline.schemas import VIOLENT_EVENT_TYPES

_GENERIC_PLACE_WORDS = re.compile(r"\b(province|district|governorate|state|city|region|department|the)\b")
RELEASE_TABLES = ("articles", "incidents", "incident_sources", "actors", "relations", "actor_mentions")


def normalise_name(value) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "", _GENERIC_PLACE_WORDS.sub(" ", text))


def names_agree(a, b, threshold: float = 0.8) -> bool:
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return False
    if a == b or (len(a) >= 4 and a in b) or (len(b) >= 4 and b in a):
        return True
    return SequenceMatcher(None, a, b).ratio() >= threshold


def any_names_agree(left, right) -> bool:
    return any(names_agree(a, b) for a in left if a for b in right if b)


def _day(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _gold_interval(g: dict):
    d = _day(g.get("date"))
    if d:
        return d, d
    lo, hi = _day(g.get("date_min")), _day(g.get("date_max"))
    return (lo or date.min, hi or date.max) if (lo or hi) else None


def _pred_interval(p: dict):
    d = _day(p.get("event_date"))
    lo, hi = _day(p.get("date_start")), _day(p.get("date_end"))
    if lo or hi:
        return lo or d or date.min, hi or d or date.max
    return (d, d) if d else None


def dates_overlap(g: dict, p: dict, slack_days: int = 1) -> bool:
    gi, pi = _gold_interval(g), _pred_interval(p)
    if gi is None or pi is None:
        return True
    slack = timedelta(days=slack_days)
    lo = gi[0] - slack if gi[0] > date.min + slack else gi[0]
    hi = gi[1] + slack if gi[1] < date.max - slack else gi[1]
    return pi[0] <= hi and pi[1] >= lo


def places_agree(g: dict, p: dict) -> bool:
    gc, pc = g.get("country_iso3"), p.get("country_iso3")
    if gc and pc and gc != pc:
        return False
    gold_places = [g.get("admin1"), g.get("location")]
    if not any(gold_places):
        return gc == pc if gc else True
    return any_names_agree(gold_places, [p.get("admin1"), p.get("admin2"), p.get("location")])


def gold_fatalities(g: dict):
    return g["fatalities_best"] if g.get("fatalities_best") is not None else g.get("fatalities_min")


def _pair_score(g: dict, p: dict) -> float:
    score = 1.0
    score += names_agree(g.get("admin1"), p.get("admin1"))
    score += names_agree(g.get("location"), p.get("location"))
    gd, pd_ = _day(g.get("date")), _day(p.get("event_date"))
    score += bool(gd and pd_ and gd == pd_)
    gf = gold_fatalities(g)
    score += gf is not None and p.get("fatalities_best") == gf
    score += 0.5 * bool(g.get("event_type") and g.get("event_type") == p.get("event_type"))
    return score


def match_incidents(gold: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of compatible pairs, best pair first."""
    pairs = sorted(
        ((-_pair_score(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(preds)
         if places_agree(g, p) and dates_overlap(g, p)))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def load_release(release_dir: Path) -> dict[str, list[dict]]:
    con = duckdb.connect()
    out = {}
    for table in RELEASE_TABLES:
        path = release_dir / f"{table}.parquet"
        if not path.exists():
            out[table] = []
            continue
        cur = con.execute("SELECT * FROM read_parquet(?)", [path.as_posix()])
        cols = [c[0] for c in cur.description]
        out[table] = [dict(zip(cols, row, strict=False)) for row in cur.fetchall()]
    return out


COUNT_KEYS = ("req", "req_matched", "pred_violent", "pred_violent_matched", "docs", "docs_complete", "date_n",
              "date_ok", "fat0_n", "fat0_bad", "place_n", "place_ok", "fat_n", "fat_ok", "det_n", "det_ok", "type_n",
              "type_ok", "perp_n", "perp_ok", "act_gold", "act_pred", "act_ok_g", "act_ok_p", "rel_gold", "rel_ok",
              "dup", "cross_events", "cross_merged", "overmerged")


@dataclass
class _Tally:
    n: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))

    def add(self, key: str, value: int | bool = 1) -> None:
        self.n[key] = self.n.get(key, 0) + int(value)

    def __getitem__(self, key: str) -> int:
        return self.n.get(key, 0)


def _ratio(a: int, b: int):
    return round(a / b, 3) if b else None


def score_release(set_dir: Path, release_dir: Path) -> dict:
    """The evaluation figures for one gold set and one release folder."""
    gold_docs = [json.loads(line) for line in (set_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    rel = load_release(release_dir)
    doc_of = {a["article_id"]: Path(str(a.get("source_path") or a["article_id"])).stem.lower()
              for a in rel["articles"]}
    incidents = {i["incident_id"]: i for i in rel["incidents"]}
    actors = {a["actor_id"]: a for a in rel["actors"]}

    def actor_names(actor_id) -> list:
        a = actors.get(actor_id)
        return [a.get("name")] + list(a.get("aliases") or []) if a else []

    preds_by_doc: dict[str, dict] = {}
    for s in rel["incident_sources"]:
        doc, inc = doc_of.get(s["article_id"]), incidents.get(s["incident_id"])
        if doc and inc:
            preds_by_doc.setdefault(doc, {})[inc["incident_id"]] = inc
    t = _Tally()
    misses = []
    event_docs: dict[str, set] = {}  # gold event_id -> the documents that report it
    event_preds: dict[str, list] = {}  # gold event_id -> [(document, matched predicted incident_id)]
    for gd in gold_docs:
        for g in gd.get("incidents", []):
            if g.get("event_id"):
                event_docs.setdefault(g["event_id"], set()).add(Path(gd["file"]).stem.lower())
    for gd in gold_docs:
        doc = Path(gd["file"]).stem.lower()
        t.add("docs")
        gold = gd.get("incidents", [])
        preds = list(preds_by_doc.get(doc, {}).values())
        pairs = match_incidents(gold, preds)
        matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for gi, g in enumerate(gold):
            if g.get("required"):
                t.add("req")
                if gi in matched_g:
                    t.add("req_matched")
                else:
                    misses.append({"doc": doc, "gold": {k: g.get(k) for k in
                                                        ("date", "admin1", "location", "fatalities_min", "event_type")}})
        if gd.get("complete"):
            t.add("docs_complete")
            for pi, p in enumerate(preds):
                if p.get("event_type") in VIOLENT_EVENT_TYPES:
                    t.add("pred_violent")
                    t.add("pred_violent_matched", pi in matched_p)
                    # Unmatched, yet compatible with a gold event another prediction matched: coded twice.
                    t.add("dup", pi not in matched_p and any(
                        places_agree(gold[gi], p) and dates_overlap(gold[gi], p) for gi in matched_g))
        for gi, pi in pairs:
            g, p = gold[gi], preds[pi]
            if g.get("event_id"):
                event_preds.setdefault(g["event_id"], []).append((doc, p["incident_id"]))
            if _day(g.get("date")):
                t.add("date_n")
                t.add("date_ok", _day(p.get("event_date")) == _day(g.get("date")))
            if g.get("admin1"):
                t.add("place_n")
                t.add("place_ok", names_agree(g.get("admin1"), p.get("admin1")))
            gf = gold_fatalities(g)
            if gf is not None and gf > 0:
                t.add("fat_n")
                t.add("fat_ok", (p.get("fatalities_best") or 0) == gf)
            elif gf == 0:
                t.add("fat0_n")
                t.add("fat0_bad", (p.get("fatalities_best") or 0) > 0)
            if g.get("detained_min") is not None and "detained_best" in p:
                t.add("det_n")
                t.add("det_ok", (p.get("detained_best") or 0) == g["detained_min"])
            if g.get("event_type"):
                t.add("type_n")
                t.add("type_ok", p.get("event_type") == g["event_type"])
            if g.get("perpetrator"):
                t.add("perp_n")
                t.add("perp_ok", any_names_agree([g["perpetrator"]] + g.get("perpetrator_aliases", []),
                                                 actor_names(p.get("perpetrator_actor_id"))))
        gold_actors = gd.get("actors", [])
        if gold_actors:
            ids = set()
            for r in rel["relations"]:
                if doc_of.get(r["article_id"]) == doc:
                    ids.update([r["subject_actor_id"], r["object_actor_id"]])
            for p in preds:
                ids.update([p.get("perpetrator_actor_id"), p.get("target_actor_id")])
            for m in rel["actor_mentions"]:
                if doc_of.get(m["article_id"]) == doc:
                    ids.add(m["actor_id"])
            pred_names = [actor_names(a) for a in ids if a]
            gold_names = [[a["name"]] + a.get("aliases", []) for a in gold_actors]
            t.add("act_gold", len(gold_names))
            t.add("act_pred", len(pred_names))
            t.add("act_ok_g", sum(any(any_names_agree(g, p) for p in pred_names) for g in gold_names))
            t.add("act_ok_p", sum(any(any_names_agree(p, g) for g in gold_names) for p in pred_names))
        gold_rels = gd.get("relations", [])
        if gold_rels:
            doc_rels = [r for r in rel["relations"] if doc_of.get(r["article_id"]) == doc]
            for gr in gold_rels:
                t.add("rel_gold")
                t.add("rel_ok", any(any_names_agree([gr["subject"]], actor_names(r["subject_actor_id"]))
                                    and any_names_agree([gr["object"]], actor_names(r["object_actor_id"]))
                                    for r in doc_rels))
    # Across documents: an event several articles report, found in each, should be one incident.
    owners: dict[str, set] = {}
    for event_id, docs in event_docs.items():
        found = event_preds.get(event_id, [])
        for _, incident_id in found:
            owners.setdefault(incident_id, set()).add(event_id)
        if len(docs) >= 2 and {d for d, _ in found} == docs:
            t.add("cross_events")
            t.add("cross_merged", len({i for _, i in found}) == 1)
    t.add("overmerged", sum(len(events) > 1 for events in owners.values()))
    rec, prec = _ratio(t["req_matched"], t["req"]), _ratio(t["pred_violent_matched"], t["pred_violent"])
    return {
        "set": set_dir.name, "docs": t["docs"], "required_incidents": t["req"],
        "incident_recall": rec, "incident_precision": prec,
        "incident_f1": round(2 * rec * prec / (rec + prec), 3) if rec and prec else None,
        "date_exact": _ratio(t["date_ok"], t["date_n"]), "admin1": _ratio(t["place_ok"], t["place_n"]),
        "fatalities_exact": _ratio(t["fat_ok"], t["fat_n"]), "fatalities_spurious": _ratio(t["fat0_bad"], t["fat0_n"]),
        "detained_exact": _ratio(t["det_ok"], t["det_n"]), "event_type": _ratio(t["type_ok"], t["type_n"]),
        "perpetrator": _ratio(t["perp_ok"], t["perp_n"]),
        "actor_recall": _ratio(t["act_ok_g"], t["act_gold"]), "actor_precision": _ratio(t["act_ok_p"], t["act_pred"]),
        "relation_recall": _ratio(t["rel_ok"], t["rel_gold"]),
        "duplicate_rate": _ratio(t["dup"], t["pred_violent"]),
        "cross_article_merge": _ratio(t["cross_merged"], t["cross_events"]),
        "overmerged_incidents": t["overmerged"] if event_docs else None,
        "counts": dict(t.n), "missed_required": misses[:20],
    }


FIGURES = ("incident_recall", "incident_precision", "incident_f1", "date_exact", "admin1", "fatalities_exact",
           "fatalities_spurious", "detained_exact", "event_type", "perpetrator", "actor_recall", "actor_precision",
           "relation_recall", "duplicate_rate", "cross_article_merge", "overmerged_incidents")


def format_figures(result: dict) -> str:
    lines = [f"{'set':22} {result['set']}", f"{'docs':22} {result['docs']}",
             f"{'required_incidents':22} {result['required_incidents']}"]
    lines += [f"{k:22} {result[k]}" for k in FIGURES]
    return "\n".join(lines)
