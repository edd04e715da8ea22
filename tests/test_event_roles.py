"""Who did it to whom, and the ACLED type that follows: phrases written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extraction.actors import load_registry
from pipeline.extraction.article import extract_article


def _incidents(text: str, published: date = date(2023, 5, 12)):
    return extract_article("t", text, published).incidents


def _only(text: str, published: date = date(2023, 5, 12)):
    (inc,) = _incidents(text, published)
    return inc


# ----------------------------------------------------------------------------------- event type

@pytest.mark.parametrize("sentence", [
    "An armed group attacked the Niafunke post in Timbuktu region, Mali, on Sunday.",
    "Gunmen stormed a police station in Lamu, Kenya, on Sunday.",
])
def test_an_attack_on_a_post_or_station_is_a_battle(sentence):
    inc = _only(sentence)
    assert (inc.event_type, inc.sub_event_type) == ("battles", "Armed clash")


def test_an_attack_on_a_bus_station_stays_an_attack():
    inc = _only("Gunmen attacked a bus station in Lamu, Kenya, on Sunday, killing three passengers.")
    assert inc.event_type == "violence_against_civilians"


def test_the_weapon_of_an_ambush_on_a_police_patrol_does_not_retype_it():
    text = ("Three police officers were killed when militants ambushed their patrol near Garissa, Kenya, on "
            "Monday. The vehicle was hit by a rocket-propelled grenade, police said.")
    inc = _only(text)
    assert inc.event_type == "battles"


def test_a_roadside_bomb_that_killed_soldiers_stays_an_explosion():
    inc = _only("A roadside bomb killed five soldiers in Kunar province, Afghanistan, on Sunday.")
    assert inc.event_type == "explosions_remote_violence"


@pytest.mark.parametrize("sentence", [
    "On Friday the militants captured two districts in Kunduz province, Afghanistan.",
    "On Friday the militants captured the Imam Sahib district in Kunduz province, Afghanistan.",
    "On Friday Imam Sahib district in Kunduz province, Afghanistan, fell to the Taliban.",
])
def test_a_district_taken_is_a_battle_over_territory_not_an_arrest(sentence):
    inc = _only(sentence)
    assert (inc.event_type, inc.sub_event_type) == ("battles", "Non-state actor overtakes territory")


def test_deaths_in_a_protest_are_a_riot_by_the_rioters_of_the_country():
    inc = _only("At least six people were killed on Friday in Cali, Colombia, during anti-government protests.")
    assert inc.event_type == "riots"
    assert inc.perpetrator_actor_id == "rioters-colombia"


def test_clashes_between_police_and_protesters_are_a_riot_not_a_battle():
    inc = _only("Clashes between police and protesters broke out on Friday in Medellin, Colombia.")
    assert inc.event_type == "riots"


def test_police_shooting_protesters_dead_is_excessive_force_not_a_riot():
    inc = _only("Police shot and killed three protesters on Friday in Cali, Colombia.")
    assert (inc.event_type, inc.perpetrator_actor_id) != ("riots", "rioters-colombia")


def test_a_massacre_told_beside_a_protest_stays_violence_against_civilians():
    inc = _only("Gunmen massacred 12 villagers in Djugu, Ituri, Democratic Republic of Congo, on Sunday, "
                "sparking protests.")
    assert inc.event_type == "violence_against_civilians"


def test_an_armed_group_burning_shelters_is_property_destruction_not_a_riot():
    incs = _incidents("CODECO militiamen set fire to dozens of shelters at a camp in Djugu, Ituri, on Sunday.")
    assert incs and all(i.event_type != "riots" for i in incs)


def test_a_strike_that_killed_people_is_an_air_strike():
    inc = _only("Nineteen people were killed in the strike near Bounti, Mali, on Sunday, residents said.")
    assert inc.sub_event_type == "Air/drone strike"


def test_a_general_strike_is_no_air_strike():
    assert _incidents("Unions called a general strike against the government in Bamako, Mali, on Monday.") == []


# ----------------------------------------------------------------------------------- perpetrator

def test_the_force_named_as_agent_of_a_participle_flew_the_air_strike():
    text = ("Fourteen Taliban fighters were killed in airstrikes conducted by the Afghan special forces in "
            "Musa Qala district, Helmand province, on Sunday.")
    inc = _only(text)
    assert inc.perpetrator_actor_id == "afghan-special-forces"


def test_a_group_associated_with_detainees_is_not_the_author_of_the_air_strike():
    text = ("An airstrike killed 12 civilians in Musa Qala district, Helmand province, overnight, officials "
            "said. In the course of the operation several foreigners associated with al-Qaeda were detained.")
    incs = _incidents(text)
    assert incs and all(i.perpetrator_actor_id != "al-qaeda" for i in incs)


def test_an_air_strike_without_a_named_force_is_the_military_of_the_country():
    inc = _only("Air strikes killed 20 people at a wedding in Bounti, Mopti region, Mali, on Sunday.")
    assert inc.perpetrator_actor_id == "military-forces-mali"


def test_a_group_that_calls_the_drone_strike_its_own_keeps_it():
    inc = _only("Houthi drone strikes hit an oil facility in Jizan, Saudi Arabia, on Sunday, killing two guards.")
    assert inc.perpetrator_actor_id == "houthis"


def test_the_mission_that_reports_an_attack_is_not_its_perpetrator():
    text = ("More than 40 civilians were killed in a militia attack on a camp for displaced people in Djugu, "
            "Ituri province, on Monday, the United Nations peacekeeping mission said.")
    inc = _only(text)
    assert inc.perpetrator_actor_id not in ("united-nations", "monusco")


def test_the_agency_that_says_who_killed_is_not_the_killer():
    text = ("The UN refugee agency said armed assailants killed 12 people with machetes in Djugu, Ituri "
            "province, on Monday.")
    inc = _only(text)
    assert inc.perpetrator_actor_id not in ("unhcr", "united-nations")


def test_soldiers_killed_in_a_jihadist_attack_are_the_target_and_make_it_a_battle():
    inc = _only("Two soldiers were killed in a jihadist attack on Sunday in Niafunke, Timbuktu region, Mali.")
    assert inc.event_type == "battles"


# ----------------------------------------------------------------------------------- registry

def test_a_described_registry_group_is_the_group_not_a_new_actor():
    reg = load_registry()
    assert reg.lookup_described("Suspected CODECO militia group").actor_id == "codeco"
    assert reg.lookup_described("the ADF rebels").actor_id == "allied-democratic-forces"
    assert reg.lookup_described("Islamic Relief Group") is None


def test_every_generic_actor_id_resolves_in_the_registry():
    reg = load_registry()
    assert reg.get("rioters-colombia").name == "Rioters (Colombia)"
    assert reg.get("protesters-mali").actor_type == "other"
    assert reg.get("police-forces-kenya").actor_type == "state_forces"
    assert reg.get("no-such-actor") is None


def test_paramilitaries_named_in_colombia_are_the_perpetrator():
    inc = _only("Paramilitaries killed two students on 9 August in Leiva, Narino, Colombia.", date(2020, 8, 20))
    assert inc.perpetrator_actor_id == "paramilitaries-colombia"


def test_police_opening_fire_on_protesters_is_excessive_force_gunmen_doing_so_an_attack():
    (inc,) = extract_article("t", "Police opened fire on protesters in Dhaka on Saturday, killing three people.",
                             date(2024, 3, 20), "front_matter").incidents
    assert (inc.event_type, inc.sub_event_type) == ("protests", "Excessive force against protesters")
    (inc,) = extract_article("t", "Gunmen opened fire on protesters in Dhaka on Saturday, killing three people.",
                             date(2024, 3, 20), "front_matter").incidents
    assert inc.event_type == "violence_against_civilians"


def test_arrests_made_in_raids_are_arrests_unless_someone_was_killed():
    text = "Security forces arrested 45 suspected members of the Islamic State in raids across Khyber Pakhtunkhwa province on Monday."
    (inc,) = extract_article("t", text, date(2024, 3, 20), "front_matter").incidents
    assert (inc.event_type, inc.sub_event_type) == ("strategic_developments", "Arrests")
    text = ("Security forces killed two militants and arrested 45 suspected members of the Islamic State in raids "
            "across Khyber Pakhtunkhwa province on Monday.")
    (inc,) = extract_article("t", text, date(2024, 3, 20), "front_matter").incidents
    assert inc.event_type == "battles"


def test_a_group_that_launched_a_drone_attack_flew_it():
    text = "Houthi forces launched a drone attack on an oil terminal in Hodeidah on Tuesday."
    (inc,) = extract_article("t", text, date(2024, 3, 20), "front_matter").incidents
    assert inc.perpetrator_actor_id == "houthis"


def test_gangs_that_burn_houses_and_kill_residents_attack_civilians_no_riot():
    text = ("Gang members set fire to houses and killed 12 residents in the Solino neighbourhood of Port-au-Prince "
            "overnight, the UN said.")
    (inc,) = extract_article("t", text, date(2024, 3, 20), "front_matter").incidents
    assert (inc.event_type, inc.perpetrator_actor_id) == ("violence_against_civilians", "unidentified-armed-group-haiti")
