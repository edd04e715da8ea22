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


BOUNTI = Place("Bounti", "MLI", "Mopti", None, "Bounti", 14.93, -2.89, "point")
BOUNTY = Place("Bounty", "MLI", "Mopti", None, "Bounty", 14.93, -2.89, "point")
MALI = Place("Mali", "MLI", None, None, None, 17.57, -4.0, "country")
MOPTI = Place("Mopti", "MLI", "Mopti", None, None, 14.5, -4.2, "admin1")
WEDDING_A = ("More than 20 people, including children, were killed in air strikes during a wedding ceremony "
             "in the remote village of Bounty in central Mali on Sunday, a health worker said.")
WEDDING_B = ("Villagers said at least 19 guests were killed when French jets bombed a wedding ceremony near "
             "Bounti in central Mali; the French army said it had struck militants.")


def test_an_undated_report_stays_apart_even_in_the_same_town_with_agreeing_words():
    """Nothing bounds an undated report in time: formulaic reports of one town years apart read alike,
    so while the town has two such events the undated report joins neither; with one, it joins it."""
    dated = _report("wire-a", WEDDING_A, BOUNTY, date(2021, 1, 3), 20, perpetrator="military-forces-france")
    year_after = _report("wire-c", WEDDING_A, BOUNTY, date(2022, 1, 2), 20, perpetrator="military-forces-france")
    undated = _report("web-b", WEDDING_B, BOUNTI, None, 19, perpetrator="military-forces-france")
    published = {"wire-a": date(2021, 1, 5), "wire-c": date(2022, 1, 4)}
    assert len(_tables(dated, year_after, undated, published=published).incidents) == 3
    assert len(_tables(dated, undated, published={"wire-a": date(2021, 1, 5)}).incidents) == 1


def test_a_report_dated_only_by_its_month_joins_the_dated_report_of_its_named_town():
    dated = _report("wire-a", WEDDING_A, BOUNTY, date(2021, 1, 3), 20, perpetrator="military-forces-france")
    monthly = _report("web-b", WEDDING_B, BOUNTI, None, 19, start=date(2021, 1, 1), end=date(2021, 1, 31),
                      perpetrator="military-forces-france")
    monthly.date_precision = "month"
    tables = _tables(dated, monthly, published={"wire-a": date(2021, 1, 5), "web-b": date(2021, 2, 10)})
    (row,) = tables.incidents.to_dict("records")
    assert row["n_sources"] == 2 and row["event_date"] == pd.Timestamp("2021-01-03")


def test_a_report_dated_only_by_its_month_and_placed_only_in_its_country_stays_apart():
    dated = _report("wire-a", WEDDING_A, BOUNTY, date(2021, 1, 3), 20, perpetrator="military-forces-france")
    monthly = _report("web-b", WEDDING_B, MALI, None, 19, start=date(2021, 1, 1), end=date(2021, 1, 31),
                      perpetrator="military-forces-france")
    monthly.date_precision = "month"
    tables = _tables(dated, monthly, published={"wire-a": date(2021, 1, 5), "web-b": date(2021, 2, 10)})
    assert len(tables.incidents) == 2


CAMP_RAID = ("At least 41 people, including women and children, were killed when armed rebels attacked a camp "
             "for displaced people in Ituri province on Monday, an official said. The attackers used knives and "
             "firearms and set fire to shelters before troops stationed nearby intervened.")
OLD_MASSACRE = "The militia killed about 60 people at another camp for displaced people near Bule last year."


def test_a_background_mention_dated_only_by_its_year_does_not_absorb_a_dated_event_of_that_year():
    ituri = Place("Ituri", "COD", "Ituri", None, None, 1.5, 29.5, "admin1")
    raid = _report("wire-a", CAMP_RAID, ituri, date(2022, 1, 31), 41, event_type="violence_against_civilians",
                   perpetrator=None)
    background = _report("web-b", OLD_MASSACRE, ituri, None, 60, start=date(2022, 1, 1), end=date(2022, 12, 31),
                         event_type="violence_against_civilians", perpetrator=None)
    background.date_precision = "year"
    tables = _tables(raid, background, published={"wire-a": date(2022, 2, 1), "web-b": date(2023, 6, 12)})
    assert len(tables.incidents) == 2


AMBUSH_EARLY = ("Two police officers were killed when gunmen ambushed a police convoy near the market in "
                "Kismayo on Sunday, officials said.")
AMBUSH_LATE = ("The toll from Sunday's ambush of a police convoy near the market in Kismayo has risen to 18 "
               "police officers killed, officials said on Tuesday.")


def test_a_toll_that_rose_in_a_later_report_of_the_same_event_does_not_split_it():
    lower_juba = Place("Lower Juba", "SOM", "Lower Juba", None, None, -0.5, 42.0, "admin1")
    early = _report("outlet-a", AMBUSH_EARLY, KISMAYO, date(2022, 10, 2), 2, event_type="battles")
    late = _report("outlet-b", AMBUSH_LATE, lower_juba, date(2022, 10, 2), 18, event_type="battles")
    tables = _tables(early, late, published={"outlet-a": date(2022, 10, 2), "outlet-b": date(2022, 10, 4)})
    (row,) = tables.incidents.to_dict("records")
    assert (row["n_sources"], row["fatalities_best"], row["incident_id"]) == (2, 18, incident_id(early))
    assert row["location"] == "Kismayo"


def test_a_far_larger_toll_in_an_earlier_report_is_still_two_events():
    lower_juba = Place("Lower Juba", "SOM", "Lower Juba", None, None, -0.5, 42.0, "admin1")
    big = _report("outlet-a", AMBUSH_LATE, lower_juba, date(2022, 10, 2), 18, event_type="battles")
    small = _report("outlet-b", AMBUSH_EARLY, KISMAYO, date(2022, 10, 2), 2, event_type="battles")
    tables = _tables(big, small, published={"outlet-a": date(2022, 10, 2), "outlet-b": date(2022, 10, 4)})
    assert len(tables.incidents) == 2


CALI = Place("Cali", "COL", "Valle del Cauca", None, "Cali", 3.44, -76.52, "point")


def _told(article_id: str, lead: str, background: tuple[str, ...], **kw) -> IncidentCandidate:
    report = _report(article_id, lead, CALI, event_type=kw.pop("event_type"), perpetrator=None, **kw)
    report.evidence = (lead, *background)
    return report


def test_two_leads_that_tell_one_day_in_one_city_are_one_event_though_the_stories_go_on_apart():
    first = _told("outlet-a", "At least 10 people were killed in Cali in a day of anti-government protests, as "
                  "Colombia enters its second month of demonstrations.",
                  ("President Duque announced he was deploying military troops to the city.",
                   "The national strike committee suspended talks with the government negotiators.",
                   "Prosecutors opened an inquiry into a judicial investigator who opened fire on marchers."),
                  event_type="battles", day=date(2021, 5, 29), killed=10)
    second = _told("outlet-b", "Four people have died in Cali on Friday as tens of thousands of protesters marked a "
                   "month of demonstrations across Colombia.",
                   ("Human rights groups accuse the police of abuses since the unrest began in April.",
                    "Bogota and Medellin saw mostly peaceful marches and concerts."),
                   event_type="violence_against_civilians", day=date(2021, 5, 28), killed=4)
    tables = _tables(first, second, published={"outlet-a": date(2021, 5, 29), "outlet-b": date(2021, 5, 29)})
    assert len(tables.incidents) == 1


def test_two_leads_of_one_city_and_day_that_tell_different_things_stay_apart():
    first = _told("outlet-a", "Four people have died in Cali on Friday as tens of thousands of protesters marked a "
                  "month of demonstrations across Colombia.", (), event_type="riots", day=date(2021, 5, 28), killed=4)
    second = _told("outlet-b", "A grenade thrown at a police station in Cali on Friday wounded two officers, the "
                   "mayor said.", (), event_type="explosions_remote_violence", day=date(2021, 5, 28), killed=None)
    assert len(_tables(first, second, published={"outlet-a": date(2021, 5, 29)}).incidents) == 2


CAMP_DATED = ("At least 46 displaced people were killed on Monday when CODECO militiamen attacked the Lala camp "
              "for displaced people in Djugu territory, Ituri province, with machetes and guns.")
CAMP_UNDATED = ("At least 41 people were killed by armed rebels in an attack on the Lala camp for displaced "
                "people in Ituri province; CODECO militiamen used machetes and guns.")
MARKET_DATED = ("Eleven traders were killed when gunmen opened fire at the Bunia central market, Ituri "
                "province, on Friday.")
ITURI = Place("Ituri", "COD", "Ituri", None, None, 1.5, 29.5, "admin1")
LALA = Place("Lala", "COD", "Ituri", None, "Lala", 1.5, 29.5, "admin1")
BUNIA = Place("Bunia", "COD", "Ituri", None, "Bunia", 1.56, 30.25, "point")


def test_an_undated_report_joins_the_one_event_of_its_province_it_tells():
    dated = _report("outlet-a", CAMP_DATED, ITURI, date(2023, 6, 12), 46, event_type="violence_against_civilians",
                    perpetrator="codeco")
    market = _report("outlet-a", MARKET_DATED, BUNIA, date(2023, 6, 9), 11, event_type="violence_against_civilians",
                     perpetrator=None)
    undated = _report("outlet-b", CAMP_UNDATED, LALA, None, 41, event_type="violence_against_civilians",
                      perpetrator="codeco")
    tables = _tables(dated, market, undated, published={"outlet-a": date(2023, 6, 13)})
    rows = {r["incident_id"]: r for r in tables.incidents.to_dict("records")}
    assert sorted(r["n_sources"] for r in rows.values()) == [1, 2]
    assert incident_id(dated) in rows and rows[incident_id(dated)]["n_sources"] == 2  # the dated report keeps its ID


def test_an_undated_report_that_two_events_could_be_joins_neither():
    first = _report("outlet-a", CAMP_DATED, ITURI, date(2023, 6, 12), 46, event_type="violence_against_civilians",
                    perpetrator="codeco")
    year_before = _report("outlet-c", CAMP_DATED.replace("46", "44"), ITURI, date(2022, 6, 12), 44,
                          event_type="violence_against_civilians", perpetrator="codeco")
    undated = _report("outlet-b", CAMP_UNDATED, LALA, None, 41, event_type="violence_against_civilians",
                      perpetrator="codeco")
    tables = _tables(first, year_before, undated,
                     published={"outlet-a": date(2023, 6, 13), "outlet-c": date(2022, 6, 13)})
    assert list(tables.incidents.n_sources) == [1, 1, 1]


def test_an_undated_report_with_no_stated_toll_joins_nothing():
    dated = _report("outlet-a", CAMP_DATED, ITURI, date(2023, 6, 12), 46, event_type="violence_against_civilians",
                    perpetrator="codeco")
    undated = _report("outlet-b", CAMP_UNDATED.replace("At least 41 people were", "People were"), LALA, None, None,
                      event_type="violence_against_civilians", perpetrator="codeco")
    tables = _tables(dated, undated, published={"outlet-a": date(2023, 6, 13)})
    assert list(tables.incidents.n_sources) == [1, 1]


def test_reports_of_two_nearby_places_join_only_when_their_texts_tell_much_the_same():
    lamu = Place("Lamu", "KEN", "Lamu", None, "Lamu", -2.27, 40.9, "point")
    widhu = Place("Widhu", "KEN", "Lamu", None, "Widhu", -2.3, 40.8, "point")
    seven = _report("outlet-a", "Al-Shabaab fighters killed seven villagers in two raids in Lamu county on Monday, "
                    "officials said, and a curfew was declared.", lamu, date(2022, 1, 3), 7, perpetrator="al-shabaab",
                    event_type="violence_against_civilians")
    six = _report("outlet-b", "Barely a week ago, at least six people were killed following a suspected "
                  "al-Shabaab attack at Widhu.", widhu, None, 6, start=date(2021, 12, 28), end=date(2022, 1, 3),
                  perpetrator="al-shabaab", event_type="violence_against_civilians")
    tables = _tables(seven, six, published={"outlet-a": date(2022, 1, 4), "outlet-b": date(2022, 1, 4)})
    assert len(tables.incidents) == 2  # tolls, authors and type agree, but the texts share little


def test_the_merged_toll_is_the_figure_most_sources_give_and_the_range_keeps_the_others():
    market = Place("Marib", "YEM", "Ma'rib", None, "Marib", 15.46, 45.32, "point")
    text = "Houthi rebels fired Katyusha rockets at a crowded market in Marib on Sunday, killing {} civilians."
    day = date(2018, 5, 6)
    reports = [_report(f"outlet-{i}", text.format(n), market, day, n, event_type="explosions_remote_violence",
                       perpetrator="houthis") for i, n in enumerate((5, 7, 5))]
    tables = _tables(*reports, published={f"outlet-{i}": date(2018, 5, 7) for i in range(3)})
    (row,) = tables.incidents.to_dict("records")
    assert (row["n_sources"], row["fatalities_low"], row["fatalities_best"], row["fatalities_high"]) == (3, 5, 5, 7)


def test_an_undated_report_joins_with_a_toll_not_far_from_the_dated_ones():
    dated = _report("outlet-a", CAMP_DATED, ITURI, date(2023, 6, 12), 46, event_type="violence_against_civilians",
                    perpetrator="codeco")
    undated = _report("outlet-b", CAMP_UNDATED.replace("41", "30"), LALA, None, 30,
                      event_type="violence_against_civilians", perpetrator="codeco")
    far = _report("outlet-c", CAMP_UNDATED.replace("41", "4"), LALA, None, 4,
                  event_type="violence_against_civilians", perpetrator="codeco")
    assert len(_tables(dated, undated, published={"outlet-a": date(2023, 6, 13)}).incidents) == 1
    assert len(_tables(dated, far, published={"outlet-a": date(2023, 6, 13)}).incidents) == 2


def test_a_first_count_and_the_evenings_toll_of_one_strike_published_the_same_day_are_one_incident():
    town = Place("Kremenchuk", "UKR", "Poltava", None, "Kremenchuk", 49.07, 33.42, "point")
    day = date(2022, 6, 27)
    early = _report("outlet-a", "A Russian missile strike hit a crowded shopping mall in Kremenchuk on Monday, "
                    "killing at least two people, the regional governor said.",
                    Place("Poltava", "UKR", "Poltava", None, None, 49.6, 34.5, "admin1"), day, 2,
                    perpetrator="military-forces-russia")
    later = _report("outlet-b", "A Russian missile strike hit a crowded shopping mall in Kremenchuk on Monday, "
                    "killing at least 18 people, the regional governor said.", town, day, 18,
                    perpetrator="military-forces-russia")
    tables = _tables(early, later, published={"outlet-a": day, "outlet-b": day})
    (row,) = tables.incidents.to_dict("records")
    assert row["n_sources"] == 2


def test_an_undated_report_joins_the_report_of_the_same_town_named_without_a_province():
    unplaced = Place("Bounty", "MLI", None, None, "Bounty", None, None, "admin1")
    dated = _report("wire-a", WEDDING_A, unplaced, date(2021, 1, 3), 21, perpetrator="military-forces-france")
    undated = _report("web-b", WEDDING_B, BOUNTI, None, 19, perpetrator="military-forces-france")
    (row,) = _tables(dated, undated, published={"wire-a": date(2021, 1, 5)}).incidents.to_dict("records")
    assert (row["n_sources"], row["admin1"]) == (2, "Mopti")
