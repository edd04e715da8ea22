"""One incident per real event across articles: reports merged, distinct events kept apart, IDs stable."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipeline.extraction.records import ArticleExtraction, IncidentCandidate, Place, Quantity
from pipeline.incident_merge import place_relation, same_name
from pipeline.normalise import build_tables, incident_id

MOGADISHU = Place("Mogadishu", "SOM", "Banaadir", None, "Mogadishu", 2.04, 45.34, "point")
HODAN = Place("Mogadishu - Hodan", "SOM", "Banaadir", None, "Mogadishu - Hodan", 2.04, 45.34, "point", city_part=True)
KISMAYO = Place("Kismayo", "SOM", "Lower Juba", None, "Kismayo", -0.36, 42.55, "point")


def _report(article_id: str, quote: str, place: Place, day: date | None, killed: int | None,
            start: date | None = None, end: date | None = None, event_type: str = "explosions_remote_violence",
            perpetrator: str | None = "al-shabaab") -> IncidentCandidate:
    start, end = (start or day), (end or day)
    return IncidentCandidate(
        article_id=article_id, char_start=0, char_end=len(quote), quote=quote, event_type=event_type,
        sub_event_type=None, event_date=day, date_start=start, date_end=end,
        date_precision="day" if day and start == end else "week", place=place,
        fatalities=Quantity(killed, killed, killed, str(killed)) if killed is not None else None,
        perpetrator_actor_id=perpetrator, evidence=(quote,))


def _tables(*reports: IncidentCandidate, published: dict[str, date]):
    ids = sorted({r.article_id for r in reports} | set(published))
    articles = pd.DataFrame({"article_id": ids, "published_date": pd.to_datetime([published.get(i) for i in ids])})
    extractions = [ArticleExtraction(aid, incidents=[r for r in reports if r.article_id == aid]) for aid in ids]
    return build_tables(articles, extractions, "test")


CAR_BOMB_A = "A car bomb exploded near a checkpoint in Mogadishu's Hodan district on Sunday, killing 12 people."
CAR_BOMB_B = ("At least 14 people were killed when a car bomb exploded at a busy checkpoint in Mogadishu "
              "last week, al-Shabaab claimed the bombing.")


def test_two_outlets_at_different_precision_are_one_incident_with_two_sources():
    first = _report("outlet-a", CAR_BOMB_A, HODAN, date(2022, 10, 2), 12)
    second = _report("outlet-b", CAR_BOMB_B, MOGADISHU, None, 14, start=date(2022, 9, 26), end=date(2022, 10, 2))
    tables = _tables(first, second, published={"outlet-a": date(2022, 10, 3), "outlet-b": date(2022, 10, 6)})
    (row,) = tables.incidents.to_dict("records")
    assert (row["n_sources"], row["location"], row["fatalities_best"]) == (2, "Mogadishu - Hodan", 14)
    assert row["event_date"] == pd.Timestamp("2022-10-02")
    assert sorted(tables.incident_sources.article_id) == ["outlet-a", "outlet-b"]


def test_the_incident_keeps_its_id_when_a_second_source_arrives():
    first = _report("outlet-a", CAR_BOMB_A, HODAN, date(2022, 10, 2), 12)
    second = _report("outlet-b", CAR_BOMB_B, MOGADISHU, None, 14, start=date(2022, 9, 26), end=date(2022, 10, 2))
    alone = _tables(first, published={"outlet-a": date(2022, 10, 3)})
    both = _tables(first, second, published={"outlet-a": date(2022, 10, 3), "outlet-b": date(2022, 10, 6)})
    assert list(alone.incidents.incident_id) == list(both.incidents.incident_id) == [incident_id(first)]


def test_two_blasts_in_one_city_on_one_day_that_the_texts_tell_apart_stay_two():
    bomb = _report("outlet-a", CAR_BOMB_A, MOGADISHU, date(2022, 10, 2), 12)
    hotel = _report("outlet-b", "Gunmen stormed the Hayat hotel and held guests hostage for hours; three guards "
                                "died in the siege.", MOGADISHU, date(2022, 10, 2), 3, event_type="battles")
    tables = _tables(bomb, hotel, published={"outlet-a": date(2022, 10, 3), "outlet-b": date(2022, 10, 3)})
    assert sorted(tables.incidents.n_sources) == [1, 1]


def test_reports_of_other_cities_or_far_apart_days_are_not_merged():
    bomb = _report("outlet-a", CAR_BOMB_A, MOGADISHU, date(2022, 10, 2), 12)
    elsewhere = _report("outlet-b", CAR_BOMB_A.replace("Mogadishu's Hodan district", "Kismayo"), KISMAYO,
                        date(2022, 10, 2), 12)
    later = _report("outlet-c", CAR_BOMB_A, MOGADISHU, date(2022, 10, 9), 12)
    tables = _tables(bomb, elsewhere, later, published={"outlet-a": date(2022, 10, 3), "outlet-b": date(2022, 10, 3),
                                                        "outlet-c": date(2022, 10, 10)})
    assert len(tables.incidents) == 3


def test_two_events_of_one_article_are_never_merged_into_one():
    one = _report("outlet-a", CAR_BOMB_A, MOGADISHU, date(2022, 10, 2), 12)
    two = _report("outlet-a", "A second car bomb exploded near a checkpoint in Mogadishu on Sunday, killing 12.",
                  HODAN, date(2022, 10, 2), 12)
    two.char_start, two.char_end = 200, 280
    assert len(_tables(one, two, published={"outlet-a": date(2022, 10, 3)}).incidents) == 2


def test_place_relations():
    assert place_relation(MOGADISHU, HODAN) == "within"
    assert place_relation(MOGADISHU, KISMAYO) is None
    assert same_name("Bounti", "Bounty") and not same_name("Bounti", "Kikara")


def test_two_headlines_dated_only_by_their_reports_a_week_apart_are_two_events():
    borno = Place("Borno", "NGA", "Borno", None, None, 11.5, 13.0, "admin1")
    first = _report("wire-1", "Boko Haram kills 20 villagers in Borno", borno, date(2014, 7, 11), 20,
                    start=date(2014, 7, 5), end=date(2014, 7, 11), event_type="violence_against_civilians")
    second = _report("wire-2", "Boko Haram kills 20 villagers in Borno", borno, date(2014, 7, 17), 20,
                     start=date(2014, 7, 11), end=date(2014, 7, 17), event_type="violence_against_civilians")
    tables = _tables(first, second, published={"wire-1": date(2014, 7, 11), "wire-2": date(2014, 7, 17)})
    assert len(tables.incidents) == 2
