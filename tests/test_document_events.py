"""Two mentions of one article become one event (``document_events``): what joins them, what keeps them apart.

The first tests call ``same_event`` and ``one_per_event`` directly on mentions built by hand; the
rest tell whole articles and check the incidents that come out.
"""

from __future__ import annotations

from datetime import date

from pipeline.extraction.article import extract_article
from pipeline.extraction.document_events import OpenEvent, is_background, one_per_event, same_event
from pipeline.extraction.records import IncidentCandidate, Place, Quantity

KUNDUZ = Place("Kunduz", "AFG", admin1="Kunduz", precision="admin1")
KUNDUZ_CITY = Place("Kunduz", "AFG", admin1="Kunduz", location="Kunduz", precision="point")
KABUL_CITY = Place("Kabul", "AFG", admin1="Kabul", location="Kabul", precision="point")
AFGHANISTAN = Place("Afghanistan", "AFG", precision="country")
SUNDAY = date(2022, 3, 6)


def _mention(quote: str, start: int, place: Place | None = KUNDUZ_CITY, day: date | None = SUNDAY,
             killed: int | None = None, event_type: str = "explosions_remote_violence",
             precision: str = "day") -> OpenEvent:
    """One event mention as the sentence walk leaves it: a sentence's place, day and toll."""
    toll = Quantity(killed, killed, killed, str(killed)) if killed is not None else None
    span = (day, day) if precision == "day" else (date(day.year, 1, 1), date(day.year, 12, 31))
    candidate = IncidentCandidate(
        article_id="t", char_start=start, char_end=start + len(quote), quote=quote, event_type=event_type,
        sub_event_type=None, event_date=day if precision == "day" else None, date_start=span[0],
        date_end=span[1], date_precision=precision, place=place, fatalities=toll, evidence=(quote,))
    return OpenEvent(candidate, rank=50)


def test_a_toll_update_of_one_place_and_day_is_the_same_event_with_the_latest_toll():
    lead = _mention("A suicide bomber killed 12 people at a market in Kunduz on Sunday.", 0, killed=12)
    update = _mention("The death toll from the bombing in Kunduz has risen to 31.", 80, killed=31)
    assert same_event(lead, update)
    (event,) = one_per_event([lead, update])
    assert event.candidate.fatalities.best == 31
    assert event.candidate.evidence == (lead.candidate.quote, update.candidate.quote)


def test_a_mention_the_text_calls_another_blast_is_never_the_same_event():
    first = _mention("A bomb exploded at a bus station in Kunduz on Sunday.", 0)
    second = _mention("Another explosion went off outside a church in Kunduz on Sunday.", 60)
    assert not same_event(first, second)
    assert len(one_per_event([first, second])) == 2


def test_one_place_on_two_days_is_two_events():
    sunday = _mention("A bomb exploded in Kunduz on Sunday.", 0)
    monday = _mention("A bomb exploded in Kunduz on Monday.", 40, day=date(2022, 3, 7))
    assert not same_event(sunday, monday)


def test_a_city_told_after_its_province_the_same_day_is_that_event_and_its_finer_place():
    province = _mention("Air strikes hit Kunduz province on Sunday.", 0, place=KUNDUZ)
    city = _mention("A strike on Kunduz city destroyed a compound on Sunday.", 45)
    assert same_event(province, city)
    (event,) = one_per_event([province, city])
    assert event.candidate.place == KUNDUZ_CITY


def test_two_cities_of_one_day_are_two_events():
    kunduz = _mention("A bomb exploded in Kunduz on Sunday.", 0)
    kabul = _mention("A bomb exploded in Kabul on Sunday.", 40, place=KABUL_CITY)
    assert not same_event(kunduz, kabul)


def test_a_recalled_event_with_only_a_year_and_a_country_is_background_but_one_with_a_city_is_not():
    recalled = _mention("In 2018, more than 100 police were killed across the country.", 0,
                        place=AFGHANISTAN, precision="year", killed=101)
    assert is_background(recalled)
    assert not is_background(_mention("In 2018, a bomb killed 9 in Kabul.", 0, place=KABUL_CITY,
                                      precision="year", killed=9))


def _incidents(text: str, published: date = date(2023, 5, 12)):
    return extract_article("t", text, published).incidents


def _reported(text: str, published: date = date(2022, 3, 8)):
    return extract_article("t", text, published, "front_matter").incidents


def test_headline_lead_quote_and_toll_update_are_one_incident_with_the_latest_toll():
    text = ("Suicide bomber kills 12 at market in Kunduz\n\n"
            "A suicide bomber killed at least 12 people at a crowded market in Kunduz city on Sunday, officials "
            "said. \"I saw bodies everywhere,\" said a shopkeeper who was wounded in the blast. The death toll "
            "from the bombing has risen to 31, a provincial spokesman said on Monday.")
    (inc,) = _reported(text)
    assert (inc.fatalities.best, inc.event_date, inc.place.location) == (31, date(2022, 3, 6), "Kunduz")


def test_a_background_event_without_place_or_day_of_its_own_opens_nothing_and_adds_nothing():
    text = ("Gunmen killed four police officers at a checkpoint in Kunduz city on Sunday, officials said. "
            "In 2018, more than 100 police officers were killed in separate attacks across the country.")
    (inc,) = _reported(text)
    assert inc.fatalities.best == 4


def test_a_background_event_with_its_own_day_and_place_is_its_own_incident():
    text = ("Gunmen killed four police officers at a checkpoint in Kunduz city on Sunday, officials said. "
            "On 3 January, a bomb killed nine people in Kabul.")
    incidents = sorted(_reported(text), key=lambda c: c.event_date)
    assert [(c.place.location, c.event_date, c.fatalities.best) for c in incidents] == [
        ("Kabul", date(2022, 1, 3), 9), ("Kunduz", date(2022, 3, 6), 4)]


def test_a_headline_without_place_or_day_is_the_event_its_lead_tells():
    text = ("Police officers killed in ambush\n\n"
            "Gunmen ambushed a police patrol in Kunduz city on Sunday night and killed four officers.")
    (inc,) = _reported(text)
    assert (inc.place.location, inc.event_date, inc.fatalities.best) == ("Kunduz", date(2022, 3, 6), 4)


def test_an_undated_mention_joins_the_report_s_event_not_one_told_as_earlier():
    text = ("Four police officers were killed in an ambush in Kunduz city on Tuesday. "
            "Earlier this week, gunmen killed seven civilians in Kunduz city on Sunday. "
            "A police officer in Kunduz said the patrol vehicle was hit by a roadside bomb.")
    incidents = sorted(_reported(text), key=lambda c: c.event_date)
    assert [(c.event_date, c.fatalities.best) for c in incidents] == [(date(2022, 3, 6), 7), (date(2022, 3, 8), 4)]


def test_two_places_of_one_day_stay_two_events():
    text = "Air strikes hit Khost and Kunar provinces on Sunday, killing six militants."
    assert sorted(c.place.admin1 for c in _reported(text)) == ["Khost", "Kunar"]


def test_a_lead_summing_up_several_operations_does_not_give_one_operation_its_toll():
    text = ("KABUL, Afghanistan (Nov. 27, 2010) - Afghan and coalition forces detained more than 10 suspected "
            "insurgents during three operations in Khost province yesterday.\n\n"
            "In Sabari district, Khost province, the security force detained four suspected insurgents "
            "during a search of a compound yesterday.")
    detained = sorted(c.detained.best for c in _reported(text, date(2010, 11, 27)) if c.detained)
    assert detained == [4]


def test_soldiers_killed_in_a_militant_attack_told_twice_stay_a_battle():
    text = ("Taliban attack kills 14 Afghan security forces in Faryab\n\n"
            "At least 14 Afghan soldiers were killed by Taliban fighters in Qaisar district of Faryab province "
            "on Saturday, officials said.")
    (inc,) = _reported(text)
    assert (inc.event_type, inc.fatalities.best) == ("battles", 14)


def test_another_explosion_in_the_same_city_and_day_is_a_second_event():
    incidents = _incidents(
        "KANO, Nigeria, March 3, 2024 (AP) -- A bomb exploded at a bus station in Kano on Sunday, killing two "
        "people.\n\nAnother explosion went off at the same time outside a church in Kano, police said.\n",
        date(2024, 3, 3))
    blasts = [i for i in incidents if i.event_type == "explosions_remote_violence"]
    assert len(blasts) == 2 and {i.event_date for i in blasts} == {date(2024, 3, 3)}


def test_another_victim_of_the_same_blast_is_no_second_event():
    incidents = _incidents(
        "KANO, Nigeria, March 3, 2024 (AP) -- A bomb exploded at a bus station in Kano on Sunday, killing two "
        "people.\n\nAnother person died of wounds from the explosion in Kano on Sunday, police said.\n",
        date(2024, 3, 3))
    assert len([i for i in incidents if i.event_type == "explosions_remote_violence"]) == 1


def test_the_undated_title_names_the_event_the_body_dates_days_before_the_report():
    text = ("Niger: Three Soldiers Killed in Attack on Army Post\n\n12 May 2023\nSahel Radio\n\n"
            "Three soldiers were killed on Tuesday when gunmen attacked an army post in Tillaberi, the army said.")
    (inc,) = extract_article("t", text, date(2023, 5, 12), "front_matter").incidents
    assert inc.event_date == date(2023, 5, 9)


def test_deaths_at_a_protest_are_one_event_with_the_protest():
    text = ("Cali: Three Die in Protests Against the Government\n\n12 May 2023\nAndes Radio\n\n"
            "Three people were killed in Cali on Thursday during clashes between police and protesters.")
    (inc,) = extract_article("t", text, date(2023, 5, 12), "front_matter").incidents
    assert inc.event_type != "protests"
    assert inc.fatalities.best == 3


def test_two_events_of_one_article_at_one_place_and_day_stay_two_incidents_with_their_own_ids():
    import pandas as pd

    from pipeline.extraction.records import ArticleExtraction
    from pipeline.normalise import build_tables, incident_id

    text = ("SAN PEDRO SULA, 20 JUL 89 -- TWO BOMBS WENT OFF IN TEGUCIGALPA TODAY, ONE AT THE CENTRAL MARKET "
            "AND ANOTHER AT THE OFFICES OF A NEWSPAPER.")
    incs = extract_article("a", text, date(1989, 7, 20), "front_matter").incidents
    articles = pd.DataFrame({"article_id": ["a"], "published_date": pd.to_datetime([date(1989, 7, 20)])})
    tables = build_tables(articles, [ArticleExtraction("a", incidents=incs)], "test")
    assert len(tables.incidents) == 2
    assert incident_id(incs[0]) in set(tables.incidents.incident_id)


def test_shelters_burnt_in_an_attack_are_that_attack_not_a_second_event():
    text = ("Suspected CODECO militiamen also set fire to several shelters at Lala camp in Ituri province, says "
            "official\nKIGALI, Rwanda\nAt least 12 displaced people were killed by armed rebels in an attack on a "
            "camp in eastern Congo on Monday, an official said.\nIn May 2022, militiamen killed 20 people at the "
            "Plaine Savo site.")
    incs = extract_article("t", text, date(2022, 5, 1), "text", "month").incidents
    assert [(i.event_type, i.fatalities.best, i.place.location) for i in incs] == [
        ("violence_against_civilians", 12, "Lala")]
