"""Event detection on real-looking phrases: what opens an incident, and what must not."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extraction.article import extract_article


def _incidents(text: str, published: date = date(2023, 5, 12)):
    return extract_article("t", text, published).incidents


def test_threat_opens_no_incident():
    assert _incidents("The Taliban threatened to attack checkpoints in Kandahar province next week.") == []


def test_a_threat_the_force_answered_is_no_threat_statement():
    text = ("An Afghan and coalition security force searched a compound in Khanabad district, Kunduz "
            "province, today. The security force positively identified the lethal threat and engaged, "
            "killing two armed insurgents.")
    (inc,) = _incidents(text)
    assert inc.fatalities.best == 2


def test_a_role_told_with_a_gerund_is_no_event():
    text = ("Afghan and coalition forces captured a Taliban leader and several associates in Panjwa'i "
            "district, Kandahar province, yesterday. The leader was responsible for coordinating and "
            "conducting roadside bomb attacks in Kandahar and Arghandab.")
    (inc,) = _incidents(text)
    assert (inc.sub_event_type, inc.detained.best) == ("Arrests", 4)


def test_a_toll_restated_with_its_make_up_is_not_added_again():
    text = ("Afghan and coalition forces detained an improvised explosive device cell leader and two "
            "additional suspects in the Arghandab district of Kandahar province last night. The joint team "
            "peacefully detained the targeted individual and two additional suspects based on initial "
            "questioning at the scene. An additional suspected insurgent was detained later.")
    (inc,) = _incidents(text)
    assert inc.detained.best == 4


def test_what_a_wanted_man_organized_is_no_event():
    text = ("In Qalat district, Zabul province, an Afghan and coalition security force detained a senior "
            "Taliban leader during an operation today. The leader organized attacks against Afghan and "
            "coalition security forces in Kabul, Kandahar and Herat provinces. The security force "
            "detained one additional insurgent as a result of this operation.")
    (inc,) = _incidents(text)
    assert (inc.place.admin1, inc.sub_event_type, inc.detained.best) == ("Zabul", "Arrests", 2)


def test_one_of_his_associates_is_another_person():
    text = ("During a search in Nahr-e Saraj district, Helmand province, an Afghan and coalition security "
            "force captured a Taliban leader and detained one of his associates.")
    (inc,) = _incidents(text)
    assert inc.detained.best == 2


def test_an_unknown_district_after_a_province_is_in_it():
    text = ("Afghan and coalition forces captured a Haqqani Network facilitator during an operation in Khost "
            "province yesterday. After initial questioning at the scene in Terayzai district, the security "
            "force detained the facilitator and one of his associates.")
    (inc,) = _incidents(text)
    assert (inc.place.admin1, inc.place.admin2, inc.detained.best) == ("Khost", "Terayzai", 2)


def test_where_a_leader_habitually_acts_is_not_the_scene():
    text = ("In Musa Khel district, Khost province, a security force detained two insurgents during an "
            "operation yesterday. The leader directs insurgents in Qalandar and Musa Khel districts. "
            "Based on the information provided, two suspected insurgents were detained.")
    (inc,) = _incidents(text)
    assert (inc.place.admin2, inc.detained.best) == ("Musa Khel", 2)


def test_the_detained_leader_refers_back_and_his_role_is_no_event():
    text = ("An Afghan-led security force apprehended a Taliban leader in Maiwand district, Kandahar "
            "province, today. The detained Taliban leader was responsible for directing the use of "
            "improvised explosive device attacks against coalition forces in Kandahar and Helmand. "
            "The security force detained an additional suspected insurgent as a result of this operation.")
    (inc,) = _incidents(text)
    assert (inc.place.admin2, inc.sub_event_type, inc.detained.best) == ("Maiwand", "Arrests", 2)


def test_denial_opens_no_incident():
    assert _incidents("The army denied that its jets bombed a market in Idlib on Tuesday.") == []


def test_anaphoric_reference_without_count_opens_no_incident():
    assert _incidents("These strikes point to growing tension between Islamabad and Kabul.") == []


def test_vague_generality_opens_no_incident():
    assert _incidents("The group has carried out several attacks on the army in the recent past.") == []


def test_found_ied_is_not_an_explosion():
    found = _incidents("Afghan police found an improvised explosive device near a school in Ghazni city on Monday.")
    assert all(i.event_type != "explosions_remote_violence" for i in found)


def test_roadside_bomb_that_kills_is_an_ied_event_with_count_and_date():
    (inc,) = _incidents("A roadside bomb killed four soldiers in Nad-e Ali district of Helmand province on Thursday.")
    assert (inc.event_type, inc.sub_event_type) == ("explosions_remote_violence", "Remote explosive/landmine/IED")
    assert inc.fatalities.best == 4 and inc.event_date == date(2023, 5, 11)
    assert inc.place.admin1 == "Helmand"


def test_airstrikes_in_two_provinces_split_into_two_incidents_sharing_the_toll():
    incs = _incidents("Pakistani airstrikes killed at least 20 people in Khost and Kunar provinces on Sunday.")
    assert sorted(i.place.admin1 for i in incs) == ["Khost", "Kunar"]
    assert sum(i.fatalities.best for i in incs) == 20
    assert all(i.sub_event_type == "Air/drone strike" for i in incs)


def test_detail_sentence_without_place_enriches_the_incident_before_it():
    (inc,) = _incidents("An Afghan and coalition security force detained a Taliban leader in Zhari district, "
                        "Kandahar province, yesterday. The security force also detained two additional suspects.")
    assert inc.detained.best == 3 and inc.event_date == date(2023, 5, 11)


def test_press_release_scene_gives_the_place_of_a_later_count():
    (inc,) = _incidents("A combined force conducted an operation in Nerkh district, Wardak province, today. "
                        "Several suspected insurgents were detained.")
    assert inc.place.admin1 == "Wardak" and inc.detained.best == 3


@pytest.mark.parametrize("text", [
    "THE GUERRILLAS KILLED THREE SOLDIERS IN AN AMBUSH IN SAN MIGUEL DEPARTMENT ON 6 JANUARY.",
])
def test_all_caps_wire_text_still_yields_an_incident(text):
    incs = extract_article("t", text, date(1990, 1, 8)).incidents
    assert incs and incs[0].fatalities.best == 3 and incs[0].event_date == date(1990, 1, 6)


def test_headline_present_tense_kill_is_an_event():
    (inc,) = _incidents("Suspected Boko Haram gunmen kill 38 in Nigeria's Borno State")
    assert inc.place.admin1 == "Borno" and inc.fatalities.best == 38


def test_feared_killed_is_an_uncertain_toll_not_a_fear():
    (inc,) = _incidents("Some 91 feared killed by suspected Boko Haram in Nigeria's Borno State")
    assert inc.fatalities.best == 91


def test_fear_of_an_attack_still_opens_nothing():
    assert _incidents("Residents of Maiduguri in Borno State feared an attack on the market.") == []


def test_event_without_any_place_is_coded_at_the_local_dateline_else_at_country_level():
    text = ("LIMA, 9 JAN 90 -- [TEXT] AT 0945 THIS MORNING, A GROUP OF SUBVERSIVES CONDUCTED AN ARMED "
            "TERRORIST ATTACK AGAINST FORMER DEFENSE MINISTER ENRIQUE LOPEZ ALBUJAR.  THE VICTIM WAS TAKEN "
            "TO THE AIR FORCE HOSPITAL WHERE HE PASSED AWAY.")
    (inc,) = _incidents(text, published=date(1990, 1, 9))
    # A local report: coded to its dateline city, with only the province certain (admin1 precision).
    assert (inc.place.country_iso3, inc.place.location, inc.place.precision) == ("PER", "Lima", "admin1")
    assert inc.event_date == date(1990, 1, 9) and inc.fatalities.best == 1
    (undated,) = _incidents("A group of subversives attacked former defense minister Enrique Lopez Albujar in Peru "
                            "this morning.", published=date(1990, 1, 9))
    assert (undated.place.country_iso3, undated.place.precision) == ("PER", "country")


def test_all_caps_sentence_cut_by_the_model_is_mended_and_a_later_day_dates_the_incident():
    text = ("SAN SALVADOR, 3 JAN 90 -- [TEXT] THE BATTALION COMMAND HAS REPORTED THAT ABOUT 50 PEASANTS HAVE "
            "BEEN KIDNAPPED BY TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN] IN SAN MIGUEL "
            "DEPARTMENT.  ACCORDING TO THAT GARRISON, THE MASS KIDNAPPING TOOK PLACE ON 30 DECEMBER.")
    (inc,) = _incidents(text, published=date(1990, 1, 3))
    assert inc.place.admin1 == "San Miguel" and inc.sub_event_type == "Abduction/forced disappearance"
    assert inc.event_date == date(1989, 12, 30) and inc.perpetrator_actor_id == "fmln"


def test_the_one_armed_group_of_a_sentence_without_role_cues_is_the_perpetrator():
    (inc,) = _incidents("Two policemen died in an ELN ambush near Saravena in Arauca department on Sunday.")
    assert inc.perpetrator_actor_id == "eln"


def test_a_singular_passive_killing_counts_one_victim():
    (inc,) = _incidents("Senator Luis Carlos Galan was assassinated in Soacha, Cundinamarca, on Friday.")
    assert inc.fatalities.best == 1


def test_headline_blast_that_rocks_a_city_is_an_explosion():
    (inc,) = _incidents("Blast rocks bus station in north Nigerian city of Kano: witnesses")
    assert inc.event_type == "explosions_remote_violence" and inc.place.location == "Kano"


def test_a_major_city_abroad_is_kept_as_the_place():
    text = ("CARACAS, 30 NOV 89 -- [TEXT] VENEZUELAN PRESIDENT CARLOS ANDRES PEREZ TODAY CONDEMNED THE "
            "GOVERNMENT.  SIX JESUITS AND TWO WOMEN WERE MURDERED IN SAN SALVADOR ON 16 NOVEMBER.")
    found = _incidents(text, published=date(1989, 11, 30))
    assert [(i.place.country_iso3, i.place.location) for i in found] == [("SLV", "San Salvador")]


def test_a_district_spelt_unknown_right_after_a_known_one_is_the_same_scene():
    text = ("KABUL, Afghanistan (Oct. 16, 2010) - An Afghan and coalition security force captured a Taliban "
            "weapons facilitator in Now Zad district of Helmand province during an overnight operation. "
            "The security force targeted a compound north of the village of Anarak in Now Zand district. "
            "The security force detained the facilitator and several of his associates.")
    (inc,) = _incidents(text, published=date(2010, 10, 16))
    assert inc.place.admin1 == "Helmand" and inc.detained.best == 4


def test_headlines_joined_by_a_semicolon_keep_their_own_words():
    text = ("House, Mark Condemn Atagu Killings as Death Toll Hits 100;Suspected Fulani herdsmen reportedly "
            "kill 300 people in Nigeria's Benue State")
    (inc,) = _incidents(text)
    assert inc.place.admin1 == "Benue" and inc.fatalities.best == 300


def test_versus_headline_is_a_clash_only_between_two_armed_parties():
    (inc,) = _incidents("Soldiers vs Boko Haram , Borno")
    assert (inc.event_type, inc.place.admin1) == ("battles", "Borno")
    assert _incidents("Kano Pillars vs Enyimba, Kano") == []


def test_a_place_of_origin_is_not_where_the_event_happened():
    (inc,) = _incidents("Turkish border guards kill a person from Hama and wound several people in Daraa on Tuesday.")
    assert inc.place.admin1 != "Hama"


@pytest.mark.parametrize(
    "text",
    [
        "QUITO, 5 MAY 90 -- GUERRILLAS ATTACKED A POLICE POST IN THE TOWN OF MACHACHI, 35 KM SOUTH OF QUITO.",
        "Gunmen attacked a police post in Machachi, some 35 kilometres (22 miles) from the capital Quito, on Friday.",
        "Gunmen attacked a police post in Machachi, south of Quito, on Friday.",
    ],
)
def test_a_landmark_the_place_is_measured_from_is_not_where_the_event_happened(text):
    (inc,) = _incidents(text, published=date(1990, 5, 5))
    assert inc.place.location == "Machachi"


def test_inside_a_region_named_by_its_compass_part_is_still_that_region():
    (inc,) = _incidents("Fighting killed five soldiers in the north of Helmand province on Friday.")
    assert inc.place.admin1 == "Helmand"


def test_a_present_perfect_record_without_date_or_figure_is_not_an_event():
    assert _incidents("Police in Guatemala City said the group has killed several people in Guatemala.") == []
    (inc,) = _incidents("Police in Guatemala City said the group has killed four people in Mixco on Tuesday.")
    assert inc.fatalities.best == 4


def test_unnamed_perpetrators_of_wire_reports_are_an_unidentified_armed_group():
    text = ("SAN SALVADOR, 29 MAR 89 -- [TEXT] URBAN GUERRILLAS TONIGHT BOMBED A PUBLIC BUS IN SOYAPANGO, "
            "KILLING TWO PASSENGERS.")
    (inc,) = _incidents(text, published=date(1989, 3, 29))
    assert inc.perpetrator_actor_id == "unidentified-armed-group-el-salvador"


def test_a_headline_packing_events_in_two_provinces_gives_one_incident_each_with_its_own_toll():
    found = _incidents("Mines of ISIS kill 25 displaced citizens in Raqqa and 3 killed by shelling on Daraa city")
    assert sorted((i.place.admin1, i.fatalities.best) for i in found) == [("Daraa", 3), ("Raqqa", 25)]


def test_a_town_and_a_distant_border_in_one_event_sentence_stay_one_incident():
    found = _incidents("A roadside bomb killed four soldiers near Spin Boldak, close to the border with Helmand, "
                       "on Thursday.")
    assert len(found) == 1


def test_casualties_and_human_losses_are_events_but_avoiding_casualties_is_not():
    (inc,) = _incidents("Human losses in shelling on Douma in Reef Dimashq")
    assert inc.place.admin1 == "Rif Dimashq"
    assert _incidents("The force withdrew to minimize the chance of civilian casualties in Kandahar.") == []


def test_a_first_event_with_the_is_not_a_reference_back():
    (inc,) = _incidents("The clashes renew in the southern countryside of Aleppo province")
    assert inc.event_type == "battles" and inc.place.admin1 == "Aleppo"


def test_a_since_far_from_the_trigger_does_not_silence_it():
    text = ("The renewed aerial bombardment kills about 10 people east of Deir Ezzor and raises to at least 230 "
            "the number of people killed since the start of the battle")
    (inc,) = _incidents(text)
    assert inc.fatalities.best == 10


def test_where_a_wanted_man_operates_is_not_where_the_arrest_happened():
    text = ("KABUL, Afghanistan (Sept. 24, 2010) - Afghan and coalition security forces detained several suspected "
            "insurgents in Paktiya province Thursday while in pursuit of a Taliban sub-commander operating in Mata "
            "Khan district.")
    (inc,) = _incidents(text, published=date(2010, 9, 24))
    assert inc.place.admin1 == "Paktia" and inc.place.admin2 is None and inc.detained.best == 3


def test_detaining_in_a_participle_clause_is_an_arrest():
    (inc,) = _incidents("In Sayyidabad district, Wardak province, Afghan and coalition forces targeted a Taliban "
                        "facilitator, detaining two suspected insurgents during a security operation yesterday.")
    assert (inc.event_type, inc.detained.best) == ("strategic_developments", 2)


def test_relative_words_count_from_their_part_of_a_compilation():
    text = ("July 7: Afghan, ISAF Operations in Nangarhar\n"
            "ISAF Joint Command - Afghanistan\n2010-07-CA-035\nFor Immediate Release\n\n"
            "A security force detained several suspected insurgents in Khugyani district, "
            "Nangarhar province, last night.\n"
            "-----\n"
            "July 9: ISAF Operations in Helmand\n"
            "ISAF Joint Command - Afghanistan\n2010-07-CA-051\nFor Immediate Release\n\n"
            "Forces captured a Taliban commander in Nad Ali district, Helmand province, today.\n")
    days = sorted((i.place.admin1, i.event_date) for i in extract_article("t", text, date(2010, 7, 9)).incidents)
    assert days == [("Helmand", date(2010, 7, 9)), ("Nangarhar", date(2010, 7, 6))]


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Syrian government forces recaptured the town of Maarat al-Numan in Idlib province on Tuesday.",
         "Government regains territory"),
        ("Factions of Euphrates Shield continue advancing toward al-Bab city northeast of Aleppo province",
         "Non-state actor overtakes territory"),
        ("The SDF take the control of an important town east of the Euphrates in Deir ez Zor",
         "Non-state actor overtakes territory"),
        ("Regime forces advance in the mountains of Latakia and monitor roads", "Government regains territory"),
        ("ISIS attacks SDF sites east of Euphrates and seizes 10 military points in Deir ez Zor",
         "Non-state actor overtakes territory"),
    ],
)
def test_territory_changing_hands_is_a_battle(text, sub_event_type):
    (inc,) = _incidents(text)
    assert (inc.event_type, inc.sub_event_type) == ("battles", sub_event_type)


def test_headline_fight_with_an_unnamed_army():
    (fight,) = _incidents("Army vs Boko Haram , Borno")
    assert (fight.event_type, fight.place.admin1) == ("battles", "Borno")
    assert _incidents("Fulani Herdsmen vs Farmers, Benue") == []


def test_the_one_group_an_article_blames_authors_its_unattributed_attacks():
    text = ("BOGOTA, 3 MAR 90 (EFE) -- The army blamed ELN rebels for the wave "
            "of sabotage in Norte de Santander. A bomb exploded on the Cano Limon pipeline near El Zulia "
            "on Friday, causing a large spill.")
    incs = _incidents(text, date(1990, 3, 3))
    assert [i.perpetrator_actor_id for i in incs if i.event_type == "explosions_remote_violence"] == ["eln"]
    unblamed = ("BOGOTA, 3 MAR 90 (EFE) -- The army patrolled Norte de Santander, where ELN rebels "
                "are active. A bomb exploded on the Cano Limon pipeline near El Zulia "
                "on Friday, causing a large spill.")
    assert all(i.perpetrator_actor_id is None for i in _incidents(unblamed, date(1990, 3, 3)))


def test_a_running_total_is_no_incident_and_the_detail_joins_the_dated_capture():
    text = ("KABUL, Afghanistan (Nov. 28, 2010) - ISAF confirmed the capture of a Haqqani leader during an "
            "operation in Khost province Nov 25. The deliberate campaign in Khost province has resulted in "
            "20 Haqqani senior leaders being captured or killed during operations this month. The security "
            "force detained the targeted individual along with two of his associates in Sabari district.")
    (inc,) = _incidents(text, date(2010, 11, 28))
    assert (inc.event_date, inc.place.admin2, inc.detained.best) == (date(2010, 11, 25), "Sabari", 3)


def test_the_second_of_two_facilitators_is_not_a_third():
    text = ("In Kandahar City, Afghan and coalition forces detained two Taliban facilitators along with two "
            "suspected insurgents, yesterday. The second Taliban facilitator and two suspected insurgents "
            "were detained after initial questioning at the scene.")
    (inc,) = _incidents(text)
    assert inc.detained.best == 4


def test_events_told_between_semicolons_on_their_own_days():
    text = ("MEDELLIN, 5 DEC 89 (EFE) -- JUDGE MARIA HELENA DIAZ WAS ASSASSINATED ON 28 JULY; MEDELLIN HIGHER "
            "COURT MAGISTRATE HECTOR JIMENEZ WAS KILLED ON 17 OCTOBER; AND MAGISTRATE MARIELA ESPINOZA WAS "
            "KILLED ON 1 NOVEMBER.")
    days = [(i.event_date, i.place.name) for i in _incidents(text, date(1989, 12, 5))]
    assert days == [(date(1989, 7, 28), "Medellin"), (date(1989, 10, 17), "Medellin"), (date(1989, 11, 1), "Medellin")]


def test_the_date_nearest_the_event_wins():
    text = ("SAN SALVADOR, 28 DEC 89 -- THE NEWSPAPER, ON 21 DECEMBER 1989, PUBLISHED TWO ARTICLES ON THE SIX "
            "JESUIT PRIESTS THAT WERE MURDERED ON 16 NOVEMBER IN SAN SALVADOR.")
    assert [i.event_date for i in _incidents(text, date(1989, 12, 28))] == [date(1989, 11, 16)]


def test_unnamed_terrorists_in_an_article_blaming_one_group_are_that_group():
    text = ("LIMA, 30 OCT 89 (EFE) -- POLICE SOURCES BLAMED THE SHINING PATH FOR THE WAVE OF ATTACKS. "
            "TERRORISTS KILLED A POLICEMAN TODAY IN AYACUCHO.")
    incs = _incidents(text, date(1989, 10, 30))
    assert [i.perpetrator_actor_id for i in incs] == ["shining-path"]


@pytest.mark.parametrize(
    "text",
    [
        "LIMA, 14 MAY 90 (EFE) -- IN ANOTHER INCIDENT IN LIMA TODAY, POLICE CORPORAL OSWALDO PALOMINO, WHO "
        "SERVED IN AYACUCHO UNTIL A SHORT TIME AGO, WAS SHOT TO DEATH.",
        "BOGOTA, 14 MAY 90 (EFE) -- SUPERIOR CRIMINAL COURT JUDGE CARLOS VALENCIA GARCIA DIED AFTER HE WAS SHOT "
        "TODAY NEAR DOWNTOWN BOGOTA BY TWO MEN TRAVELING ON MOTORCYCLES.",
    ],
)
def test_a_named_person_shot_to_death_is_one_death(text):
    (inc,) = _incidents(text, date(1990, 5, 14))
    assert inc.fatalities.best == 1


@pytest.mark.parametrize("headline, sub_event_type", [
    ("Army Attacks Boko Haram Stronghold in Yobe", "Attack"),
    ("Boko Haram Attack Gashala in Adamawa", "Attack"),
    ("Troops Battle Boko Haram Near Maiduguri", "Armed clash"),
])
def test_a_title_case_headline_verb_read_as_a_compound_is_still_the_event(headline, sub_event_type):
    (inc,) = _incidents(headline, date(2014, 10, 6))
    assert inc.sub_event_type == sub_event_type


@pytest.mark.parametrize("text", [
    "Afghan and coalition forces detained an attack cell leader in Khost province yesterday.",
    "Afghan forces found IED components in Nad-e Ali district, Helmand province, yesterday.",
])
def test_a_trigger_word_qualifying_a_role_or_material_is_no_event(text):
    assert all(i.sub_event_type != "Remote explosive/landmine/IED" and i.sub_event_type != "Attack"
               for i in _incidents(text))


def test_a_headline_present_tense_is_an_event_but_a_sentence_one_is_a_habit():
    headline = "The Islamic State organization carries out a new attack near Raqqa"
    (inc,) = _incidents(headline, date(2017, 3, 2))
    assert inc.place.admin1 == "Raqqa"
    habit = "The commander directs roadside bomb attacks against convoys in Kandahar province."
    assert _incidents(habit) == []


def test_a_new_event_told_with_a_running_total_keeps_its_place_but_not_the_total():
    text = ("Intensive shelling targets Harasta city with the continuation of the violent fighting near it "
            "and raises the number of those who have been killed since the start of the attack to 110 persons")
    (inc,) = _incidents(text, date(2018, 1, 2))
    assert (inc.place.location, inc.event_type, inc.fatalities) == ("Harasta", "explosions_remote_violence", None)


@pytest.mark.parametrize("headline, event_type, killed", [
    ("Nigerian troops neutralise 20 Boko Haram insurgents in Gwoza", "battles", 20),
    ("A man and a woman stoned to death in Sheikh Yassin neighborhood at Deir Ezzor", "violence_against_civilians", 2),
    ("The Islamic State executes four men in Deir Ezzor", "violence_against_civilians", 4),
    ("Nasarawa Bloodbath - the Inside Story", "violence_against_civilians", None),
    ("Warplanes raid on Jisr al-Shughur", "explosions_remote_violence", None),
    ("Regime forces shell Harasta", "explosions_remote_violence", None),
])
def test_monitoring_headline_wordings_open_an_incident(headline, event_type, killed):
    (inc,) = _incidents(headline, date(2016, 5, 5))
    assert (inc.event_type, inc.fatalities.best if inc.fatalities else None) == (event_type, killed)


def test_a_semicolon_glued_between_headlines_does_not_fuse_words():
    from pipeline.extraction.nlp import parse

    doc = parse("Shelling targets Daraa city;The death toll of Zamalka raises to 5")
    assert ["city", ";", "The"] == [t.text for t in doc[3:6]]


@pytest.mark.parametrize("headline, event_type, admin1", [
    ("Losses in rebels in Harasta", "violence_against_civilians", "Rif Dimashq"),
    ("rebels advance over IS in Aleppo countryside", "battles", "Aleppo"),
    ("How Boko Haram sacked Yobe village", "violence_against_civilians", "Yobe"),
])
def test_losses_advances_and_sackings_in_headlines(headline, event_type, admin1):
    (inc,) = _incidents(headline, date(2016, 5, 5))
    assert (inc.event_type, inc.place.admin1) == (event_type, admin1)


def test_the_subjects_own_raids_open_an_article():
    text = "Despite talk of a ceasefire the Russian warplanes continue their raids on Idlib, Hama and Aleppo"
    assert {i.place.admin1 for i in _incidents(text, date(2017, 9, 29))} == {"Idlib", "Hama", "Aleppo"}


def test_a_named_person_killed_by_an_active_verb_is_one_death():
    (inc,) = _incidents("Gunmen today killed Angela de Guerrero, wife of Colonel Carlos Guerrero, in Bogota.",
                        date(1990, 3, 3))
    assert inc.fatalities.best == 1
    (two,) = _incidents("Gunmen today killed Angela de Guerrero and Carlos Guerrero in Bogota.", date(1990, 3, 3))
    assert two.fatalities is None or two.fatalities.best != 1  # a list is not one person


def test_an_air_crash_is_no_conflict_event():
    text = ("TEGUCIGALPA, 21 OCT 89 -- ABOUT 130 PASSENGERS WERE KILLED IN TODAY'S CRASH OF A HONDURAN "
            "AIRLINE BOEING 727 WHICH OCCURRED IN SOUTHERN TEGUCIGALPA.")
    assert _incidents(text, date(1989, 10, 21)) == []


def test_a_transcribers_note_inside_a_sentence_does_not_hide_its_subject():
    from pipeline.extraction.nlp import model_view

    text = ("SAN SALVADOR, 3 MAR 90 -- THE NATIONAL GUARD [WORD INDISTINCT] MURDERED UNIVERSITY STUDENT "
            "MARIO FLORES NEAR THE PORT OF ACAJUTLA.")
    assert len(model_view(text)) == len(text) and "indistinct" not in model_view(text).lower()
    (inc,) = _incidents(text, date(1990, 3, 3))
    assert inc.perpetrator_actor_id == "national-guard-el-salvador"


@pytest.mark.parametrize("text", [
    "A shooting at a wedding in Kano left guests wounded yesterday.",
    "Gunmen opened fire at a wedding party in Kano yesterday.",
])
def test_shootings_and_opening_fire_are_attacks(text):
    (inc,) = _incidents(text, date(2019, 3, 20))
    assert (inc.event_type, inc.place.admin1) == ("violence_against_civilians", "Kano")


@pytest.mark.parametrize("text", [
    "An Afghan and coalition security force detained a Taliban commander and two suspects in Nad-e Ali "
    "district, Helmand province, yesterday.",
    "In Baraki Barak district, Logar province, a combined Afghan and coalition security force detained "
    "several suspected insurgents during a security operation targeting a Taliban leader yesterday.",
])
def test_the_group_man_sought_or_caught_is_not_the_author(text):
    (inc,) = _incidents(text, date(2011, 5, 18))
    assert inc.perpetrator_actor_id != "taliban"


def test_a_group_man_who_acts_is_still_the_author():
    (inc,) = _incidents("Taliban fighters attacked a checkpoint in Kunduz province yesterday.", date(2011, 5, 18))
    assert inc.perpetrator_actor_id == "taliban"


@pytest.mark.parametrize("text", [
    "In Nahr-e Saraj district, Helmand province, an Afghan and coalition security force captured a "
    "Taliban leader during an operation yesterday.",
    "In Kajaki district, Helmand province, an Afghan and coalition security force patrol killed two "
    "insurgents during a security operation yesterday.",
])
def test_a_force_the_parser_joined_to_the_place_list_is_still_the_subject(text):
    (inc,) = _incidents(text, date(2012, 3, 8))
    assert inc.perpetrator_actor_id == "military-forces-afghanistan"


def test_a_later_sentence_saying_where_the_event_happened_moves_it_to_that_neighbourhood():
    text = ("QUITO, 12 MAY 90 -- A BOMB EXPLODED IN GUAYAQUIL TODAY, KILLING TWO PERSONS. THE EXPLOSION TOOK PLACE "
            "IN THE CENTENARIO NEIGHBORHOOD, POLICE SAID.")
    (inc,) = _incidents(text, published=date(1990, 5, 12))
    assert inc.place.location == "Guayaquil - Centenario" and inc.fatalities.best == 2
    text = ("Gunmen attacked the home of a judge in Lima on Monday. The house is located in the Surquillo "
            "neighbourhood.")
    (inc,) = _incidents(text, published=date(1990, 5, 12))
    assert inc.place.location == "Lima - Surquillo"


def test_a_place_elsewhere_in_a_later_sentence_does_not_move_the_event():
    text = ("Gunmen attacked the home of a judge in Lima on Monday. The judge was born in the Belen "
            "neighbourhood of Cajamarca.")
    (inc,) = _incidents(text, published=date(1990, 5, 12))
    assert inc.place.location == "Lima"


def test_where_the_report_says_the_incident_took_place_replaces_the_dateline_guess():
    text = ("BOGOTA, 15 JAN 90 (EFE) -- UNIDENTIFIED GUNMEN KIDNAPPED 14 PEASANTS TODAY. THE INCIDENT TOOK PLACE "
            "IN CHURUYACU, A VILLAGE IN TURBO MUNICIPALITY, 460 KM NORTHWEST OF BOGOTA.")
    (inc,) = _incidents(text, published=date(1990, 1, 15))
    assert (inc.place.location, inc.place.admin1) == ("Churuyacu", "Antioquia")


def test_a_village_measured_from_a_nearby_town_lies_in_that_towns_province_but_not_one_far_away():
    near = "LIMA, 5 OCT 89 -- ON 3 OCTOBER TERRORISTS ATTACKED QUISHUARCANCHA VILLAGE, 7 KM NORTHEAST OF HUANTA."
    (inc,) = _incidents(near, published=date(1989, 10, 5))
    assert (inc.place.location, inc.place.admin1) == ("Quishuarcancha", "Ayacucho")
    far = "LIMA, 5 OCT 89 -- ON 3 OCTOBER TERRORISTS ATTACKED QUISHUARCANCHA VILLAGE, 90 KM NORTHEAST OF HUANTA."
    (inc,) = _incidents(far, published=date(1989, 10, 5))
    assert inc.place.location == "Quishuarcancha" and inc.place.admin1 != "Ayacucho"


def test_what_a_wanted_man_supplies_weapons_for_is_no_event():
    text = ("KABUL, Afghanistan (April 24, 2012) - In Dand district, Kandahar province, an Afghan and coalition "
            "security force conducted an operation to detain a Taliban facilitator today. The facilitator "
            "distributes weapons to insurgents in Arghandab district for attacks against Afghan forces. The "
            "security force detained two suspected insurgents.")
    (inc,) = _incidents(text, published=date(2012, 4, 24))
    assert inc.place.admin2 == "Dand" and inc.detained.best == 2


def test_a_dated_sentence_sets_the_scene_even_when_it_says_what_the_wanted_man_is_responsible_for():
    text = ("KABUL, Afghanistan (Dec. 20, 2012) - In Alingar district, Laghman province, yesterday, an Afghan and "
            "coalition security force conducted an operation in search of a Taliban leader who is responsible for "
            "attacks against Afghan officials. During the operation, the combined force killed one insurgent.")
    (inc,) = _incidents(text, published=date(2012, 12, 20))
    assert (inc.place.admin2, inc.event_date) == ("Alingar", date(2012, 12, 19))


@pytest.mark.parametrize(
    ("second", "perpetrator"),
    [
        ("THE ATTACK WAS CARRIED OUT BY FMLN URBAN COMMANDOS, POLICE SAID.", "fmln"),
        ("POLICE ATTRIBUTED THE ATTACK TO THE FMLN.", "fmln"),
        ("THE ATTACK WAS BLAMED ON THE FMLN.", "fmln"),
        ("THE GOVERNMENT CONDEMNED THE ATTACK.", None),
        ("THE ARMY REPORTED THE ATTACK.", None),
    ],
)
def test_a_later_sentence_naming_who_did_the_incident_just_told_gives_its_perpetrator_not_its_reporter(
        second, perpetrator):
    text = "SAN SALVADOR, 19 MAR 89 -- A BOMB DESTROYED A POWER TOWER IN SOYAPANGO TODAY. " + second
    (inc,) = _incidents(text, published=date(1989, 3, 19))
    assert inc.perpetrator_actor_id == perpetrator


# --- later sentences of one article: detail, scene, another incident, repeats ------------------
# (how two event mentions become one event: test_document_events.py; their dates: test_event_dates.py)


def _reported(text: str, published: date = date(2022, 3, 8)):
    return extract_article("t", text, published, "front_matter").incidents


def test_both_sides_counted_are_added_for_a_battle():
    (inc,) = _reported("Three soldiers and seven militants were killed in a clash in Kunduz province on Monday.")
    assert (inc.event_type, inc.fatalities.best) == ("battles", 10)


def test_a_sentence_telling_another_incident_opens_its_own_event_where_the_last_was():
    text = ("Gunmen killed four farmers in Maiduguri, Borno State, on Tuesday, residents said. "
            "In another incident, a trader was shot dead at his shop, residents added.")
    incs = _incidents(text)
    assert len(incs) == 2
    assert {i.place.admin1 for i in incs} == {incs[0].place.admin1}
    assert sorted(i.fatalities.best for i in incs) == [1, 4]


def test_where_and_when_the_told_event_took_place_refines_it_instead_of_opening_another():
    text = ("Five soldiers died when their convoy was ambushed near the border with Niger, officials said. "
            "The ambush took place on Wednesday in Borno State, where troops have fought insurgents for years.")
    (inc,) = _incidents(text)
    assert inc.place.admin1 == "Borno"
    assert (inc.event_date, inc.date_precision) == (date(2023, 5, 10), "day")
    assert inc.fatalities.best == 5


def test_bombs_told_one_at_each_site_are_one_event_each():
    text = ("SAN PEDRO SULA, 20 JUL 89 -- TWO BOMBS WENT OFF IN TEGUCIGALPA TODAY, ONE AT THE CENTRAL MARKET "
            "AND ANOTHER AT THE OFFICES OF A NEWSPAPER.")
    incs = _incidents(text, published=date(1989, 7, 20))
    assert len(incs) == 2
    assert {i.place.name for i in incs} == {"Tegucigalpa"}


def test_a_town_bombed_by_commandos_is_an_event():
    text = "Urban commandos bombed a power station in Soyapango on Tuesday."
    (inc,) = _incidents(text)
    assert inc.event_type == "explosions_remote_violence"


def test_clashes_that_continued_are_the_fight_already_told():
    text = ("Taliban fighters attacked the police headquarters in Qaisar district of Faryab province overnight, "
            "killing 14 policemen, officials said on June 6. Heavy clashes continued near Maimana "
            "on June 6.")
    (inc,) = _reported(text, published=date(2021, 6, 6))
    assert (inc.place.name, inc.fatalities.best) == ("Qaysar", 14)


def test_hostages_taken_in_a_battle_keep_it_a_battle():
    text = ("At least 20 soldiers have been killed after their check post came under attack by Taliban "
            "insurgents on Sunday night in Ghormach district, Faryab province, officials said.\n\n"
            "15 other soldiers had been taken hostage by the insurgents, an official said.")
    (inc,) = _incidents(text)
    assert inc.event_type == "battles"
    assert inc.fatalities.best == 20


def test_places_of_one_province_each_with_its_own_toll_are_separate_events():
    text = ("Gunmen raided several villages in the Mbokani sector, including Tukoro, Malenga and Sibiri, in Nord "
            "Kivu province overnight, an official said on Saturday. At Tukoro, the attackers killed four civilians "
            "while in Malenga, three people were killed.")
    got = sorted((i.place.location, i.fatalities.best if i.fatalities else None)
                 for i in extract_article("t", text, date(2021, 10, 30), "front_matter").incidents)
    assert ("Tukoro", 4) in got and ("Malenga", 3) in got
    # one toll shared by two places of one province stays one event
    text = "Gunmen killed four civilians in Tukoro and Malenga, villages of the Mbokani sector, Nord Kivu province."
    incs = extract_article("t", text, date(2021, 10, 30), "front_matter").incidents
    assert sum(i.fatalities.best for i in incs if i.fatalities) == 4


def test_a_sentence_a_web_page_repeats_tells_its_event_once():
    text = ("Bandits ambushed a police patrol escorting vehicles in Lamu county on Friday.\n\n"
            "It was established that the front vehicle came under attack and all the four officers on board died.\n\n"
            "Officers commanding the GSU camp at Mokowe rushed to the scene.\n\n"
            "It was established that the front vehicle came under attack and all the four officers on board died.")
    incs = extract_article("t", text, date(2022, 1, 8), "front_matter").incidents
    assert [(i.fatalities.best, i.place.location) for i in incs] == [(4, None)]


def test_a_sentence_on_events_in_general_does_not_type_the_incident():
    text = ("Fifteen soldiers were killed on Friday in an attack on a military post in Indelimane, Menaka region, "
            "the army said. But the jihadists have widened their hit-and-run raids and landmine attacks to "
            "central and southern Mali.")
    (inc,) = extract_article("t", text, date(2019, 11, 1), "front_matter").incidents
    assert inc.event_type == "battles"


def test_counted_or_definite_plurals_still_type_the_incident():
    text = ("Guerrillas attacked the armed forces' headquarters in San Salvador on Wednesday. "
            "The attack, carried out with two bombs, destroyed a wall.")
    (inc,) = extract_article("t", text, date(1989, 5, 19), "front_matter").incidents
    assert inc.event_type == "explosions_remote_violence"
