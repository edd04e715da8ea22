"""Where an event took place, from the place mentions of its sentence.

What belongs here: choosing the event's place(s) among a sentence's place mentions (coordinated
leaves, places of origin and landmarks left out, a village lent the province of the town it is
measured from), separate events packed in one line, and how two places relate (one inside the
other, one finer). What does not: finding place mentions (``places``) or merging events
(``document_events``).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pycountry

from pipeline.extraction.records import (
    Place,
    PlaceMention,
)

# "a person from Hama", "a sub-commander operating in Mata Khan district": where someone comes from or
# works, not where the event happened.
_ORIGIN_BEFORE = re.compile(r"\b(?:(?:person|people|man|men|woman|women|family|families|civilians?|natives?|"
                            r"residents?|displaced|fled|originally|hails?|came|coming)\s+from|native of|"
                            r"(?:operating|operates|operated|based|active|who\s+lives|living)\s+(?:in|out\s+of|throughout))"
                            r"\s+(?:the\s+)?$",
                            re.I)
# "Chinchipe, 460 km east of Lima", "the town of Zaragoza, 10 km from San Salvador", "120km north of the
# capital, Baghdad", "in Chalatenango department, to the north of San Salvador": a landmark that measures
# where the event was, not its place.
# ("in the north of Helmand" is inside Helmand: no "the" before the compass word.)
_COMPASS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?P<dist>\d[\d.,]*|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|few|several)\s*-?\s*(?P<unit>km|kms|kilometers?|kilometres?|miles?)\b\.?"
    r"\s+(?:\([^()]{1,20}\)\s+)?(?:(?:to\s+the\s+)?" + _COMPASS + r"\s+)?(?:of|from)"
    r"|(?:[,;(]|\b(?:to\s+the|just|located|situated|lies|lying|slightly|far))\s*" + _COMPASS + r"\s+of)"
    r"\s+(?:the\s+(?:(?:city|town|capital|village|port)\s+of\s+|(?:provincial\s+|regional\s+)?capital,?\s+))?"
    r"(?:the\s+)?$",
    re.I)
_COORDINATION = re.compile(r"\s*(?:,|and|or|&|,\s*and|as well as)\s*", re.I)  # "in Khost and Kunar"
_GEO_ORDER = {"point": 0, "admin2": 1, "admin1": 2, "country": 3, "unknown": 4}


def is_city_part_of(part: Place, city: Place) -> bool:
    """"Bogota - Olaya" lies in Bogota. Not a reason to merge two incidents of one day (wire reports
    list each blast of a city apart), only to refine one a later sentence locates."""
    return part.city_part and not city.city_part and city.location is not None \
        and part.location is not None and part.location.startswith(city.location + " - ")


def nested(a: Place | None, b: Place | None) -> bool:
    """One place lies inside the other (same country and admin1, one of them coarser)."""
    if a is None or b is None or a.country_iso3 != b.country_iso3 or a == b:
        return False
    if a.precision == "country" or b.precision == "country":
        return True
    if a.admin1 != b.admin1 or a.admin1 is None:
        return False
    if a.admin2 is not None and a.admin2 == b.admin2 and (a.location is None) != (b.location is None):
        return True  # "the village of Sharageh in Musa Qal'ah district" lies in the district
    # A village the text names is a point wherever the coordinates come from (a village the gazetteer
    # lacks is placed at its unit's): two named villages of one province are two places.
    pa, pb = ("point" if p.location is not None else p.precision for p in (a, b))
    return pa == "admin1" or pb == "admin1" or (
        {pa, pb} == {"admin2", "point"} and (a.admin2 is None or b.admin2 is None or a.admin2 == b.admin2))


NEAR_LANDMARK_KM = 30  # a village this close to the town it is measured from lies in that town's province


def _near_landmark(mention: PlaceMention, sentence_text: str, sent_start: int) -> bool:
    """"Calluchaca village, 7 km northeast of Huanta": Huanta is close enough to lend its province."""
    before = sentence_text[max(0, mention.start - sent_start - 60): mention.start - sent_start]
    m = _REFERENCE_BEFORE.search(before)
    if m is None or not m.group("dist") or not m.group("dist")[0].isdigit():
        return False
    km = float(m.group("dist").replace(",", "")) * (1.6 if m.group("unit").lower().startswith("mile") else 1)
    return km <= NEAR_LANDMARK_KM


def _in_landmark_province(place: Place, landmarks: list[PlaceMention], gazetteer) -> Place:
    """A village the gazetteer does not know takes the province of the town it is measured from."""
    if place.admin1 is not None or place.location is None:
        return place
    near = next((lm.place for lm in landmarks if lm.place.admin1 is not None
                 and (place.country_iso3 is None or lm.place.country_iso3 == place.country_iso3)), None)
    if near is None:
        return place
    lat, lon = (place.latitude, place.longitude) if place.latitude is not None else \
        gazetteer.province_point(near.country_iso3, near.admin1)
    return replace(place, admin1=near.admin1, country_iso3=place.country_iso3 or near.country_iso3,
                   latitude=lat, longitude=lon)


def _is_origin(mention: PlaceMention, sentence_text: str, sent_start: int) -> bool:
    """"a person from Hama", "operating in Mata Khan", "10 km from San Salvador": a place someone comes
    from or works in, or a landmark the event's place is measured from."""
    before = sentence_text[max(0, mention.start - sent_start - 60): mention.start - sent_start]
    return _ORIGIN_BEFORE.search(before[-20:]) is not None or _REFERENCE_BEFORE.search(before) is not None


def unknown_district_of(place: Place, known: Place | None) -> bool:
    """A district or village the gazetteer does not know (no province; often a variant spelling, "Now
    Zand" for "Now Zad") told right after an incident in a known district of the same country: the
    same scene."""
    unknown = place.precision == "admin2" or place.location is not None and place.latitude is None  # or a village
    return (known is not None and unknown and place.admin1 is None
            and known.precision in ("admin1", "admin2", "point") and known.admin1 is not None
            and known.country_iso3 == place.country_iso3)


def is_finer(a: Place, b: Place) -> bool:
    """A lower level, or a named town, village or neighbourhood within the same-level unit."""
    return _GEO_ORDER.get(a.precision, 4) < _GEO_ORDER.get(b.precision, 4) or is_city_part_of(a, b) or (
        a.precision == b.precision and a.location is not None and b.location is None)



def place_key(p: Place | None) -> tuple:
    if p is None:
        return ()
    return (p.country_iso3, p.admin1, p.admin2, p.location)


def event_places(places: list[PlaceMention], sentence_text: str, sent_start: int, gazetteer, country_hint: str | None
                 ) -> list[Place]:
    """The place(s) an event sentence is about: one per coordinated leaf ("Khost and Kunar"), else one."""
    landmarks = [p for p in places if _near_landmark(p, sentence_text, sent_start)]
    found = _event_places(places, sentence_text, sent_start, gazetteer, country_hint)
    return [_in_landmark_province(p, landmarks, gazetteer) for p in found] if landmarks else found


def _event_places(places: list[PlaceMention], sentence_text: str, sent_start: int, gazetteer, country_hint: str | None
                  ) -> list[Place]:
    if not places:
        return []
    # "a person from Hama ... casualties in Daraa": a place of origin is not where it happened.
    located = [p for p in places if not _is_origin(p, sentence_text, sent_start)]
    places = located or places
    order = {"point": 0, "admin2": 1, "admin1": 2, "country": 3, "unknown": 4}
    finer = [p for p in places if p.place.precision != "country"]
    if not finer:
        best = gazetteer.most_specific(places, country_hint=country_hint)
        return [best] if best else []
    leaves = []
    for p in finer:
        parent_of_other = any(
            q is not p and order[q.place.precision] < order[p.place.precision]
            and q.place.country_iso3 == p.place.country_iso3
            and (q.place.admin1 == p.place.admin1 if p.place.precision == "admin1" else q.place.admin2 == p.place.admin2)
            for q in finer)
        if not parent_of_other:
            leaves.append(p)
    # "Soacha, Cundinamarca": a province right after a town names the town's province (the
    # gazetteer may not know it), it is not a second place.
    leaves = [p for i, p in enumerate(leaves) if not (
        i > 0 and p.place.precision == "admin1" and leaves[i - 1].place.precision in ("point", "admin2")
        and leaves[i - 1].place.country_iso3 == p.place.country_iso3
        and leaves[i - 1].place.admin1 in (None, p.place.admin1)
        and re.fullmatch(r"\s*,\s*", sentence_text[leaves[i - 1].end - sent_start: p.start - sent_start]))]
    if len(leaves) > 1:
        coordinated = all(
            _COORDINATION.fullmatch(sentence_text[a.end - sent_start: b.start - sent_start])
            for a, b in zip(leaves, leaves[1:], strict=False))
        if coordinated and len({place_key(p.place) for p in leaves}) == len(leaves):
            resolved = []
            for leaf in leaves:
                group = [leaf] + [q for q in places if q not in leaves and q.place.precision in ("admin1", "country")
                                  and q.place.country_iso3 == leaf.place.country_iso3
                                  and (q.place.precision == "country" or q.place.admin1 == leaf.place.admin1)]
                best = gazetteer.most_specific(group, country_hint=country_hint)
                if best:
                    resolved.append(best)
            return resolved
    best = gazetteer.most_specific(places, country_hint=country_hint)
    return [best] if best else []


def separate_event_places(places: list[PlaceMention], sentence_text: str, sent_start: int, gazetteer,
                          country_hint: str | None, count_starts: list[int] = ()) -> list[tuple[Place, int, int]] | None:
    """Places of separate events told in one sentence, with the part of the sentence each owns.

    Monitoring-group headlines pack several events into one line ("Clashes in the countryside of
    Al-Hasakah and a casualty in Daraa city"): places in different provinces, one after another,
    joined by "and" or ";" (not a coordinated list, which `event_places` splits), are one event
    each. Places of one province are separate events when each part owns its own toll ("At
    Kazarahoyo, the attackers killed five civilians while in Bulongo, two people were killed"):
    ``count_starts`` are the offsets of the sentence's death counts. Returns None when the
    sentence is about one place.
    """
    located = [p for p in places if p.place.precision != "country" and p.place.admin1 is not None
               and not _is_origin(p, sentence_text, sent_start)]
    if len({p.place.country_iso3 for p in located}) != 1:
        return None
    found = _owned_parts(_runs(located, lambda p: p.place.admin1), sentence_text, sent_start, _JOINT)
    if found is None and count_starts:
        found = _owned_parts(_runs(located, lambda p: p.place.location or p.place.name), sentence_text, sent_start,
                             _TOLL_JOINT)
        if found is not None and not all(any(start <= c < end for c in count_starts) for _, start, end in found):
            found = None  # a list of places sharing one toll is one event, placed by ``event_places``
    if found is None:
        return None
    out = []
    for group, start, end in found:
        best = gazetteer.most_specific(group, country_hint=country_hint)
        if best is None:
            return None
        out.append((best, start, end))
    return out


_JOINT = re.compile(r"\band\b|;")
# "…killed five civilians while in Bulongo, two people were killed": parts that each tell a toll
_TOLL_JOINT = re.compile(r"\b(?:and|while|whilst|whereas)\b|;")


def _runs(located: list[PlaceMention], key) -> list[list[PlaceMention]] | None:
    """The mentions in runs of one key, in text order; None when a key comes back (A … B … A: one
    story moving between places)."""
    groups: list[list[PlaceMention]] = []
    for p in located:
        if groups and key(groups[-1][0]) == key(p):
            groups[-1].append(p)
        elif any(key(g[0]) == key(p) for g in groups):
            return None
        else:
            groups.append([p])
    return groups


def _owned_parts(groups: list[list[PlaceMention]] | None, sentence_text: str, sent_start: int,
                 joint_re: re.Pattern) -> list[tuple[list[PlaceMention], int, int]] | None:
    """Each run of places with the part of the sentence it owns, cut at the joint between runs."""
    if groups is None or len(groups) < 2:
        return None
    cuts = [sent_start]
    for a, b in zip(groups, groups[1:], strict=False):
        gap = sentence_text[a[-1].end - sent_start: b[0].start - sent_start]
        joint = joint_re.search(gap)
        if joint is None or _COORDINATION.fullmatch(gap):
            return None  # no joint, or a coordinated list ("in Khost and Kunar")
        cuts.append(a[-1].end + joint.start())
    cuts.append(sent_start + len(sentence_text))
    return [(group, start, end) for group, start, end in zip(groups, cuts, cuts[1:], strict=False)]




def country_place(gazetteer, country_iso3: str | None) -> list[Place]:
    """The article's country as a country-precision place (no place named in the text)."""
    if country_iso3 is None:
        return []
    country = pycountry.countries.get(alpha_3=country_iso3)
    place = gazetteer.resolve(country.name, country_hint=country_iso3) if country else None
    if place is None or place.precision != "country" or place.country_iso3 != country_iso3:
        return [Place(name=country.name if country else country_iso3, country_iso3=country_iso3, precision="country")]
    return [place]


