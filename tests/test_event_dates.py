"""When a mention happened (``event_dates``): the day told, not the day officials spoke or a
period begun, a day or year borrowed from the sentence before, else the report's window."""

from __future__ import annotations

from datetime import date

from pipeline.extraction.article import extract_article


def _incidents(text: str, published: date = date(2023, 5, 12)):
    return extract_article("t", text, published).incidents


def _reported(text: str, published: date = date(2022, 3, 8)):
    return extract_article("t", text, published, "front_matter").incidents


def test_an_earlier_event_in_a_relative_clause_keeps_its_date_to_itself():
    text = ("BOGOTA, 24 SEP 89 (EFE) -- Terrorists placed four bombs in Bogota this afternoon. The first bomb "
            "exploded at a building on 7th Street, the area where 50 kg of dynamite exploded 3 months ago in an "
            "attempt to kill General Maza.")
    assert {i.event_date for i in _incidents(text, date(1989, 9, 24))} == {date(1989, 9, 24)}
    told_with_itself = "The attack, which took place on 20 September, killed two policemen in Bogota."
    (inc,) = _incidents(told_with_itself, date(1989, 9, 24))
    assert inc.event_date == date(1989, 9, 20)


def test_the_day_officials_spoke_is_not_the_event_day():
    text = "Gunmen killed four police officers at a checkpoint in Kunduz city on Sunday, officials said on Monday."
    (inc,) = _reported(text)
    assert inc.event_date == date(2022, 3, 6)


def test_a_date_in_a_since_clause_is_not_the_events_date():
    text = ("Twelve police officers were killed in an ambush in the Mexican state of Michoacan, the deadliest "
            "attack since the president took office in December.")
    (inc,) = _incidents(text, published=date(2023, 5, 12))
    assert inc.date_start is None or inc.date_start >= date(2023, 4, 1)


def test_on_that_very_day_takes_the_day_told_just_before():
    text = ("The mayor of Medellin was shot dead on 11 September. He had chaired a peace meeting on 18 August "
            "in Medellin. On that very day, a police colonel was murdered in Medellin.")
    incs = _incidents(text, published=date(1989, 9, 12))
    assert sorted(i.event_date for i in incs) == [date(1989, 8, 18), date(1989, 9, 11)]


def test_the_day_a_curfew_began_does_not_date_the_killing_told_after_it():
    text = ("A former mayor was shot dead in Medellin today. He was driving from his home in the El Poblado "
            "neighborhood, where a curfew has been in effect since 30 August. His driver was also killed.")
    incs = _incidents(text, published=date(1989, 9, 11))
    assert all(i.event_date == date(1989, 9, 11) for i in incs)


def test_an_event_told_a_day_before_the_one_told_is_dated_the_day_before():
    text = ("Taliban fighters attacked the police headquarters in Qaisar district of Faryab province on June 6, "
            "killing 14 policemen. The attack came a day after the Taliban captured Doab district in Nuristan "
            "province.")
    incs = _reported(text, published=date(2021, 6, 7))
    assert sorted(i.event_date for i in incs) == [date(2021, 6, 5), date(2021, 6, 6)]


def test_an_undated_event_in_a_text_dated_only_by_inference_has_no_date_window():
    # The latest date the text names (March 2022) is only a floor for when it was written.
    text = ("At least 30 villagers were killed by gunmen in an attack on Lala camp in Ituri province. "
            "In March 2022, militiamen killed 12 people at the Plaine Savo site in the same province.")
    incs = extract_article("t", text, date(2022, 3, 1), "text", "month").incidents
    lead = next(i for i in incs if i.fatalities and i.fatalities.best == 30)
    assert (lead.date_start, lead.date_end, lead.date_precision) == (None, None, "unknown")


def test_that_year_is_the_year_told_just_before():
    text = ("Fourteen police were killed in an ambush in Michoacan state on Monday, officials said. The cartel was "
            "blamed in 2015 for a series of attacks on police in Jalisco state. Fifteen police were killed in a "
            "single ambush in Jalisco state that year.")
    incs = extract_article("t", text, date(2019, 10, 15), "front_matter").incidents
    jalisco = next(i for i in incs if i.place.admin1 == "Jalisco")
    assert (jalisco.date_start, jalisco.date_end, jalisco.date_precision) == (date(2015, 1, 1), date(2015, 12, 31), "year")
