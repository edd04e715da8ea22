"""Behaviour of the gazetteer and place matching (pipeline.extraction.places)."""

from __future__ import annotations

import pytest

from pipeline.extraction.places import _cache_path, country_of_demonym, load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def names(gaz, text, hint=None, **kw):
    return [m.text for m in gaz.find_place_mentions(text, country_hint=hint, **kw)]


def best(gaz, text, hint=None):
    hint = hint or gaz.country_context(text)
    return gaz.most_specific(gaz.find_place_mentions(text, country_hint=hint), hint)


def test_gazetteer_is_built_once_per_process_and_cached_on_disk():
    # Speed is the benchmark's business (pipeline.benchmark), not a timed unit test's.
    load_gazetteer.cache_clear()
    g = load_gazetteer()
    assert load_gazetteer() is g
    assert _cache_path().exists()


def test_injil_district_of_herat_gives_admin2_and_admin1(gaz):
    p = best(gaz, "A patrol was struck in Injil district of Herat province on Monday.")
    assert (p.name, p.admin2, p.admin1, p.country_iso3, p.precision) == ("Injil", "Injil", "Herat", "AFG", "admin2")


def test_mazar_i_sharif_variant_resolves_to_balkh(gaz):
    p = best(gaz, "Gunmen opened fire in the northern city of Mazar-i-Sharif late on Friday.")
    assert p.admin1 == "Balkh" and p.precision == "point" and p.latitude is not None
    assert p.location and p.location.startswith("Mazar")


@pytest.mark.parametrize("spelling", ["Mazar-e-Sharif", "Mazar-e Sharif", "Mazar-i-Sharif", "Mazar"])
def test_mazar_spellings_all_resolve(gaz, spelling):
    assert gaz.resolve(spelling, "AFG").admin1 == "Balkh"


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("Paktiya", "Paktia"),
        ("Paktya", "Paktia"),
        ("Ningarhar", "Nangarhar"),
        ("Konar", "Kunar"),
        ("Khowst", "Khost"),
        ("Oruzgan", "Uruzgan"),
        ("Hilmand", "Helmand"),
        ("Qandahar", "Kandahar"),
        ("Kondoz", "Kunduz"),
        ("Wardag", "Wardak"),
        ("Maidan Wardak", "Wardak"),
        ("Jawzjan", "Jowzjan"),
        ("Sar-e Pul", "Sar-e Pol"),
        ("Sari Pul", "Sar-e Pol"),
    ],
)
def test_afghan_province_variants_share_one_canonical_spelling(gaz, variant, canonical):
    p = gaz.resolve(variant, "AFG")
    assert p is not None and p.admin1 == canonical and p.country_iso3 == "AFG"


def test_gardez_district_comma_paktiya_province(gaz):
    p = best(gaz, "Forces detained two suspects in Gardez district, Paktiya province, yesterday.")
    assert (p.admin2, p.admin1) == ("Gardez", "Paktia")


def test_possessive_province_then_district(gaz):
    p = best(gaz, "The raid took place in Helmand province's Nad-e Ali district.")
    assert (p.admin2, p.admin1, p.precision) == ("Nad-e Ali", "Helmand", "admin2")


def test_nad_ali_without_connector_is_same_district(gaz):
    assert gaz.resolve("Nad Ali", "AFG").admin2 == "Nad-e Ali"


def test_unknown_district_takes_province_from_sentence(gaz):
    p = best(gaz, "A cache was found in the Sorkh Dara district of Logar province.", "AFG")
    assert p.admin2 == "Sorkh Dara" and p.admin1 == "Logar" and p.precision == "admin2"


def test_stated_province_wins_over_gazetteer_parent(gaz):
    p = best(gaz, "The strike hit Kunar province's Dara Noor district overnight.", "AFG")
    assert p.admin1 == "Kunar"


def test_district_told_with_one_province_is_in_it(gaz):
    text = "In Paktika province, a security force captured a Haqqani leader in Sarobi district, yesterday."
    districts = [m.place for m in gaz.find_place_mentions(text, country_hint="AFG") if m.place.precision == "admin2"]
    assert [(p.admin2, p.admin1) for p in districts] == [("Sarobi", "Paktika")]
    text = "Forces cleared Surobi district, Kabul province."
    districts = [m.place for m in gaz.find_place_mentions(text, country_hint="AFG") if m.place.precision == "admin2"]
    assert [(p.admin2, p.admin1) for p in districts] == [("Surobi", "Kabul")]


def test_arghandab_disambiguated_by_zabul_next_to_it(gaz):
    p = best(gaz, "Clashes broke out in Arghandab district, Zabul province.", "AFG")
    assert p.admin1 == "Zabul"


def test_arghandab_defaults_to_kandahar_next_to_kandahar(gaz):
    p = best(gaz, "Clashes broke out in Arghandab district, Kandahar province.", "AFG")
    assert p.admin1 == "Kandahar"


def test_bare_province_name_is_admin1(gaz):
    p = best(gaz, "Security forces killed three insurgents in Logar province.")
    assert (p.admin1, p.precision, p.location) == ("Logar", "admin1", None)


def test_afghan_forces_is_not_a_place(gaz):
    assert names(gaz, "Afghan forces and Pakistani officials met Syrian army officers.") == []


def test_country_names_are_country_places(gaz):
    ms = gaz.find_place_mentions("Talks between Afghanistan and Pakistan resumed.")
    assert [(m.text, m.place.country_iso3, m.place.precision) for m in ms] == [
        ("Afghanistan", "AFG", "country"),
        ("Pakistan", "PAK", "country"),
    ]


def test_all_caps_country_found(gaz):
    ms = gaz.find_place_mentions("SYRIA: SHELLING REPORTED NEAR THE BORDER")
    assert [m.place.country_iso3 for m in ms] == ["SYR"]


def test_taliban_pakistan_org_name_excluded(gaz):
    assert names(gaz, "Tehreek-i-Taliban Pakistan claimed responsibility for the bombing.") == []


def test_islamic_state_khorasan_province_not_a_place(gaz):
    assert names(gaz, "Islamic State Khorasan Province said it carried out the attack.") == []


def test_exclude_spans_skip_overlapping_matches(gaz):
    text = "The Afghanistan Relief Council sent aid to Kabul."
    got = names(gaz, text, exclude_spans=[(4, 30)])
    assert got == ["Kabul"]


def test_exclude_spans_respect_offset(gaz):
    ms = gaz.find_place_mentions("Fighting in Ghazni.", offset=100, exclude_spans=[(112, 118)])
    assert ms == []


def test_offset_added_to_spans(gaz):
    ms = gaz.find_place_mentions("Fighting in Ghazni.", offset=100)
    assert (ms[0].start, ms[0].end, ms[0].text) == (112, 118, "Ghazni")


def test_person_name_ahmad_massoud_is_not_a_place(gaz):
    assert names(gaz, "Ahmad Massoud called for talks.") == []


def test_common_words_are_not_places(gaz):
    text = "Police guard the mosque near the Union center; Most of the Security staff had hope."
    assert names(gaz, text) == []


def test_lowercase_words_never_match_in_mixed_case(gaz):
    assert names(gaz, "the guard said the mosque and the police station were hit") == []


def test_all_caps_san_salvador_found(gaz):
    ms = gaz.find_place_mentions("THE BOMB EXPLODED IN SAN SALVADOR LAST NIGHT.")
    assert [(m.text, m.place.admin1, m.place.country_iso3) for m in ms] == [("SAN SALVADOR", "San Salvador", "SLV")]


def test_all_caps_department_cue(gaz):
    p = best(gaz, "CLASHES WERE REPORTED IN USULUTAN DEPARTMENT, EL SALVADOR.")
    assert p.admin1 == "Usulutan" and p.country_iso3 == "SLV"


def test_santa_tecla_near_san_salvador_in_la_libertad(gaz):
    p = gaz.resolve("Santa Tecla", "SLV")
    assert p.admin1 == "La Libertad" and p.precision == "point"


def test_country_hint_picks_salvadoran_san_miguel(gaz):
    assert gaz.resolve("San Miguel", "SLV").country_iso3 == "SLV"


def test_maiduguri_borno_state(gaz):
    p = best(gaz, "Insurgents attacked a market in Maiduguri, Borno state, on Sunday.")
    assert (p.location, p.admin1, p.country_iso3) == ("Maiduguri", "Borno", "NGA")


def test_plateau_needs_state_cue(gaz):
    assert gaz.find_place_mentions("Gunmen killed 12 in Plateau State.")[0].place.admin1 == "Plateau"
    assert names(gaz, "PRICES REACHED A PLATEAU IN MARCH") == []


def test_borno_village_is_admin1_borno(gaz):
    ms = gaz.find_place_mentions("Troops Repel Attack On Borno Village")
    assert ms[0].place.admin1 == "Borno"


def test_syrian_governorate_spellings(gaz):
    for spelling in ("Deir ez-Zor", "Deir al-Zour", "Dayr az Zawr", "Deir Ezzor"):
        assert gaz.resolve(spelling, "SYR").admin1 == "Deir ez-Zor", spelling
    assert gaz.resolve("Damascus Countryside", "SYR").admin1 == "Rif Dimashq"
    assert gaz.resolve("Raqqa", "SYR").admin1 == "Raqqa"


def test_idlib_governorate_cue(gaz):
    p = best(gaz, "Air raids struck villages in Idlib governorate overnight.")
    assert (p.admin1, p.precision) == ("Idlib", "admin1")


def test_hit_and_run_is_not_the_iraqi_town(gaz):
    assert names(gaz, "Hit-and-run attacks continued overnight.") == []


def test_department_of_cue_latin_america(gaz):
    p = best(gaz, "Rebels attacked a post in the department of Antioquia.")
    assert (p.admin1, p.country_iso3) == ("Antioquia", "COL")


def test_country_context_counts_places_and_demonyms(gaz):
    text = "Afghan officials said the blast in Kandahar killed four. Herat was calm."
    assert gaz.country_context(text) == "AFG"
    assert gaz.country_context("Nigerian troops repelled an attack near Bama.") == "NGA"
    assert gaz.country_context("Nothing to see here.") is None


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("Afghan", "AFG"),
        ("Pakistani", "PAK"),
        ("Syrian", "SYR"),
        ("Nigerian", "NGA"),
        ("Salvadoran", "SLV"),
        ("Peruvian", "PER"),
        ("Colombian", "COL"),
        ("Iraqi", "IRQ"),
        ("Russian", "RUS"),
        ("Israeli", "ISR"),
        ("Palestinian", "PSE"),
        ("American", "USA"),
        ("US", "USA"),
    ],
)
def test_country_of_demonym(word, iso3):
    assert country_of_demonym(word) == iso3


def test_unknown_word_has_no_demonym():
    assert country_of_demonym("Martian") is None


def test_longest_match_wins_and_no_overlap(gaz):
    ms = gaz.find_place_mentions("Clashes in Valle del Cauca and Norte de Santander.", country_hint="COL")
    assert [m.place.admin1 for m in ms] == ["Valle del Cauca", "Norte de Santander"]


def test_mentions_in_text_order(gaz):
    ms = gaz.find_place_mentions("From Kabul to Jalalabad and on to Khost.", country_hint="AFG")
    assert [m.text for m in ms] == ["Kabul", "Jalalabad", "Khost"]


def test_most_specific_empty_is_none(gaz):
    assert gaz.most_specific([]) is None


def test_resolve_unknown_name_is_none(gaz):
    assert gaz.resolve("Qwertyuiopville") is None


def test_dateline_city_outweighs_villages_named_like_words_in_all_caps_text():
    from pipeline.extraction.places import load_gazetteer

    text = ("SAN SALVADOR, 30 MAR 89 -- [TEXT] ONE PERSON WAS KILLED TONIGHT IN A BOMB EXPLOSION IN DOWNTOWN "
            "SAN SALVADOR.  THE BLAST TOOK PLACE NEAR THE VICAS STORE.  NO LIVES WERE LOST AMONG SILVIA'S "
            "FAMILY, WHOSE LIVES WERE SPARED; THEIR LIVES GO ON.")
    assert load_gazetteer().country_context(text) == "SLV"


def test_all_caps_small_towns_need_a_locative_word_and_foreign_alternate_names_are_not_kept():
    from pipeline.extraction.article import plausible_places
    from pipeline.extraction.places import load_gazetteer

    g = load_gazetteer()
    text = "NO LIVES WERE LOST, THE SPOKESMAN SAID.  THE ATTACK TOOK PLACE IN APOPA."
    names = [pm.place.name for pm in g.find_place_mentions(text, country_hint="SLV")]
    assert "Apopa" in names and "Lives" not in names
    mentions = g.find_place_mentions("THE DAMAS OF THE CHURCH PRAYED IN SAN SALVADOR.", country_hint="COL")
    kept = [pm.place.name for pm in plausible_places(mentions, "COL", g)]
    assert "Damascus" not in kept and "San Salvador" in kept


def test_surnames_in_an_all_caps_wire_are_not_towns():
    from datetime import date

    from pipeline.extraction.article import extract_article
    text = ("LIMA, 28 MAR 89 (EFE) -- THE FOLLOWING POLICEMEN DIED IN COMBAT IN UCHIZA: MAJOR CARLOS "
            "FARFAN CORREA, CAPTAIN WALTER CORDOBA AND LIEUTENANT JUAN MADRID. HIS WIFE AND COMRADES "
            "SOTELO AND SOTOMAYOR ALSO DIED IN THE ATTACK.")
    places = {i.place.name for i in extract_article("t", text, date(1989, 3, 28)).incidents}
    assert places == {"Uchiza"}


def test_every_name_the_text_calls_a_town_is_a_place(gaz):
    text = "THE ATTACKS TOOK PLACE AT DAWN IN THE TOWNS OF SANTO TOMAS DE PATA, PULLUHUAMAN, ANTA, AND ROSASPATA."
    names = [m.place.location for m in gaz.find_place_mentions(text, country_hint="PER")]
    assert names[1:3] == ["Pulluhuaman", "Anta"] and len(names) == 4
    assert gaz.find_place_mentions("The towns of the north were quiet.", country_hint="PER") == []


def test_a_province_name_is_the_province_not_a_town_known_by_it_as_an_alias(gaz):
    (m,) = gaz.find_place_mentions("A magistrate in Antioquia was assassinated.", country_hint="COL")
    assert (m.place.precision, m.place.admin1) == ("admin1", "Antioquia")  # not Santa Fe de Antioquia
    (k,) = gaz.find_place_mentions("A rocket hit Kandahar yesterday.", country_hint="AFG")
    assert (k.place.location, k.place.admin1) == ("Kandahar", "Kandahar")  # the city of the same name stays


def test_a_day_after_a_listed_town_is_not_part_of_its_name(gaz):
    text = "Soldiers executed ground attacks on the towns of Bachancha and Badmuk Monday."
    assert names(gaz, text, "AFG") == ["Bachancha", "Badmuk"]


@pytest.mark.parametrize(
    ("text", "hint", "location"),
    [
        ("QUITO, 3 MAR 90 -- A BOMB DAMAGED A SHOP IN THE SAN ROQUE NEIGHBORHOOD OF THE CITY OF GUAYAQUIL.",
         "ECU", "Guayaquil - San Roque"),
        ("Gunmen shot a judge outside his home in Lima's San Isidro neighbourhood on Monday.", "PER",
         "Lima - San Isidro"),
        ("The car bomb went off in the Karrada neighbourhood of Baghdad.", "IRQ", "Baghdad - Karrada"),
        ("CALI, 2 MAY 90 -- TWO MEN WERE KILLED IN THE EXCLUSIVE EL PEÑON NEIGHBORHOOD.", "COL", "Cali - El Peñon"),
        ("MANAGUA, 4 JUN 89 -- A GRENADE WAS THROWN AT A HOUSE IN COLONIA CENTROAMERICA.", "NIC",
         "Managua - Colonia Centroamerica"),
    ],
)
def test_a_named_neighbourhood_is_the_place_within_its_city(gaz, text, hint, location):
    place = best(gaz, text, hint)
    assert place.location == location and place.city_part and place.precision == "point"


def test_neighbourhoods_listed_together_are_each_a_place_and_a_suburb_of_a_city_names_the_city(gaz):
    text = "SAN SALVADOR, 6 FEB 89 -- POWER CUTS HIT THE ESCALON AND SAN BENITO NEIGHBORHOODS."
    assert [m.place.location for m in gaz.find_place_mentions(text, country_hint="SLV") if m.place.city_part] == [
        "San Salvador - Escalon", "San Salvador - San Benito"]
    mentions = gaz.find_place_mentions("Gunmen attacked a market in a suburb of Bogota.", country_hint="COL")
    assert [(m.text, m.place.city_part) for m in mentions] == [("Bogota", False)]
    # without an opening word the name is the one word before "neighborhood", not a verb before it
    text = "BOGOTA, 6 FEB 89 -- THE BLASTS SHOOK TEUSAQUILLO NEIGHBORHOOD."
    assert [m.place.location for m in gaz.find_place_mentions(text, country_hint="COL") if m.place.city_part] == [
        "Bogota - Teusaquillo"]


def test_a_single_name_the_text_calls_a_village_is_a_place(gaz):
    text = "SENDERO TERRORISTS ENTERED THE VILLAGE OF HUAYLLAPAMPA, 40 KM FROM HUANTA, AND KILLED TWO PEASANTS."
    assert [m.place.location for m in gaz.find_place_mentions(text, country_hint="PER")][0] == "Huayllapampa"
    # one name only: what follows the comma is not another village
    assert "Approximately" not in [m.text.title() for m in gaz.find_place_mentions(
        "THE TOWN OF PUCARANI, APPROXIMATELY 10 KM AWAY.", country_hint="BOL")]


@pytest.mark.parametrize(
    ("text", "hint", "location"),
    [
        ("THE ATTACK TOOK PLACE IN CHURUYACU, A VILLAGE IN TURBO MUNICIPALITY.", "COL", "Churuyacu"),
        ("SOLDIERS CLASHED WITH REBELS IN LAS TUNITAS VILLAGE, CHALATENANGO DEPARTMENT.", "SLV", "Las Tunitas"),
        ("REBELS BURNED A BUS IN CHAPARRITO, SANTA LUCIA CANTON, ON MONDAY.", "SLV", "Chaparrito"),
        ("REBELS BLEW UP A PYLON IN PUERTO BELLO, A SMALL VILLAGE ON THE COAST.", "COL", "Puerto Bello"),
    ],
)
def test_a_name_the_text_calls_a_village_is_one_even_when_the_gazetteer_knows_part_of_it(gaz, text, hint, location):
    assert location in [m.place.location for m in gaz.find_place_mentions(text, country_hint=hint)]


def test_canton_as_a_cue_word_is_not_the_chinese_city(gaz):
    places = gaz.find_place_mentions("TROOPS ENTERED EL ZAPOTAL, SAN JOSE CANTON, AT DAWN.", country_hint="SLV")
    assert "Guangzhou" not in [m.place.location for m in places]


def test_a_village_in_a_named_district_takes_the_district_and_its_province(gaz):
    place = best(gaz, "GUERRILLAS KIDNAPPED 12 PEOPLE IN CHURUYACU, A VILLAGE IN TURBO MUNICIPALITY.", "COL")
    assert (place.location, place.admin2, place.admin1) == ("Churuyacu", "Turbo", "Antioquia")


# ----- the whole world's places (GeoNames admin1/admin2 of every country, cities500) -------------


@pytest.mark.parametrize(
    ("text", "iso3", "admin1"),
    [
        ("Al-Shabaab fighters attacked an army base in Lower Shabelle region on Tuesday.", "SOM", "Lower Shabelle"),
        ("CODECO militiamen raided a camp for displaced people in Ituri province.", "COD", "Ituri"),
        ("Fighting between M23 rebels and the army spread across North Kivu.", "COD", "Nord Kivu"),
        ("Fighting between M23 rebels and the army spread across Nord-Kivu.", "COD", "Nord Kivu"),
        ("The junta's jets bombed a village in Sagaing Region, Myanmar.", "MMR", "Sagaing"),
        ("Militants stormed a police post in Khyber Pakhtunkhwa, Pakistan.", "PAK", "Khyber Pakhtunkhwa"),
        ("Jihadists ambushed soldiers in the Menaka region of Mali.", "MLI", "Menaka"),
        ("Jihadists ambushed soldiers in the Mopti region of Mali.", "MLI", "Mopti"),
        ("Gunmen attacked a convoy in the Sahel region of Burkina Faso.", "BFA", "Sahel"),
        ("Gangs torched houses in Haiti's Artibonite department.", "HTI", "Artibonite"),
        ("Maoist rebels ambushed a police patrol in Chhattisgarh, India.", "IND", "Chhattisgarh"),
        ("Clashes were reported in Kharkiv oblast, Ukraine.", "UKR", "Kharkiv"),
        ("Police shot two men in Saint Catherine Parish, Jamaica.", "JAM", "Saint Catherine"),
    ],
)
def test_every_countrys_first_level_units_have_one_canonical_name(gaz, text, iso3, admin1):
    place = best(gaz, text)
    assert (place.country_iso3, place.admin1) == (iso3, admin1)


@pytest.mark.parametrize(
    ("text", "iso3", "location", "admin1"),
    [
        ("Gunmen killed three traders in Djibo, Burkina Faso, on Monday.", "BFA", "Djibo", "Sahel"),
        ("A roadside bomb hit a bus near Quetta on Sunday.", "PAK", "Quetta", "Balochistan"),
        ("Gang members opened fire in Croix-des-Bouquets, Haiti.", "HTI", "Croix-des-Bouquets", "Ouest"),
        ("Rebels attacked a military camp near Kidal, Mali.", "MLI", "Kidal", "Kidal"),
        ("Militants fired on a checkpoint in Imphal, Manipur.", "IND", "Imphal", "Manipur"),
        ("Soldiers clashed with rebels near Ouallam, Niger.", "NER", "Ouallam", "Tillaberi"),
        ("A grenade was thrown at a market in Bujumbura, Burundi.", "BDI", "Bujumbura", "Bujumbura Mairie"),
    ],
)
def test_populated_places_of_every_country_carry_their_province_and_a_point(gaz, text, iso3, location, admin1):
    place = best(gaz, text)
    assert (place.country_iso3, place.location, place.admin1) == (iso3, location, admin1)
    assert place.precision == "point" and place.latitude is not None and place.geonameid is not None


def test_a_unit_word_is_not_part_of_the_canonical_name(gaz):
    # GeoNames writes "Borno State", "Sagaing Region", "Maidan Wardak Province": one spelling each
    for text, admin1 in [("Gunmen struck in Zamfara State.", "Zamfara"), ("Troops moved into Shan State.", "Shan"),
                         ("Rebels attacked a post in Kachin State, Myanmar.", "Kachin")]:
        assert best(gaz, text).admin1 == admin1


def test_a_unit_named_after_its_capital_takes_the_capitals_english_spelling(gaz):
    assert best(gaz, "Fighters attacked an army post in the Timbuktu region of Mali.").admin1 == "Timbuktu"
    assert best(gaz, "Fighters attacked an army post in Tombouctou region, Mali.").admin1 == "Timbuktu"


def test_a_unit_named_like_a_common_word_needs_a_cue(gaz):
    # "Centre" and "Plateau" are first-level units (Burkina Faso, Nigeria) and ordinary words
    assert "Centre" not in names(gaz, "Victims were taken to a health Centre in Kaya.", "BFA")
    assert best(gaz, "Gunmen killed 12 villagers in Bokkos, Plateau State.", "NGA").admin1 == "Plateau"
    assert best(gaz, "Gunmen attacked travellers in Burkina Faso's Centre-Nord region.", "BFA").admin1 == "Centre-Nord"


def test_second_level_units_of_every_country_are_found_with_a_cue(gaz):
    place = best(gaz, "Bandits abducted 20 farmers in Bungudu Local Government Area, Zamfara State.", "NGA")
    assert (place.admin2, place.admin1) == ("Bungudu", "Zamfara")
    place = best(gaz, "Police killed four Maoists in Bijapur district of Chhattisgarh.", "IND")
    assert (place.admin2, place.admin1, place.precision) == ("Bijapur", "Chhattisgarh", "admin2")


def test_a_village_the_gazetteer_lacks_keeps_the_texts_name_and_units(gaz):
    place = best(gaz, "Gunmen killed five people in Sabon-Gida community of Bungudu LGA, Zamfara State.", "NGA")
    assert (place.location, place.admin2, place.admin1, place.country_iso3) == (
        "Sabon-Gida", "Bungudu", "Zamfara", "NGA")
    place = best(gaz, "Insurgents razed the hamlet of Kuda near Damboa on Monday.", "NGA")
    assert (place.location, place.admin1, place.country_iso3) == ("Kuda", "Borno", "NGA")
    place = best(gaz, "Police were ambushed at a home in El Aguaje, a town in the municipality of Aguililla.", "MEX")
    assert (place.location, place.admin2, place.admin1) == ("El Aguaje", "Aguililla", "Michoacan")


def test_a_big_town_of_another_province_is_a_landmark_not_the_place(gaz):
    place = best(gaz, "A drone strike killed nine civilians in Nangarhar province east of Kabul.", "AFG")
    assert (place.admin1, place.location) == ("Nangarhar", None)


@pytest.mark.parametrize(
    ("text", "hint", "not_a_place"),
    [
        ("President Juan Manuel Santos said the rebels staged the attack.", "COL", "Manuel"),
        ("Four police officers were ambushed and killed on Friday.", "KEN", "Four"),
        ("Said the governor: the attack was cowardly.", "NGA", "Said"),
        ("Mali's army said the attack killed 20 soldiers.", "MLI", "Mali"),
        ("ISIL fighters raided a predominantly Shia village in Diyala province.", "IRQ", "Shia"),
    ],
)
def test_ordinary_words_and_name_parts_are_not_towns(gaz, text, hint, not_a_place):
    mentions = gaz.find_place_mentions(text, country_hint=hint)
    assert not any(m.text == not_a_place and m.place.precision != "country" for m in mentions)


def test_the_article_country_is_where_places_are_not_whose_forces_act(gaz):
    text = ("More than 20 people were killed in air strikes in central Mali on Sunday. A French army source "
            "said French forces had carried out an air strike. France has 5,100 troops in the region. Five "
            "French soldiers have been killed in Mali in recent days.")
    assert gaz.country_context(text) == "MLI"


def test_democratic_republic_of_the_congo_is_not_the_republic_of_the_congo(gaz):
    places = gaz.find_place_mentions("Rebels killed 41 people in the eastern Democratic Republic of the Congo.")
    assert [m.place.country_iso3 for m in places] == ["COD"]
    assert best(gaz, "CODECO militia attacked a camp in Ituri, Congo.", "COD").country_iso3 == "COD"


def test_every_country_has_first_level_units_and_cities500_is_loaded(gaz):
    countries = {iso3 for iso3, _ in gaz.admin1_by_key}
    assert len(countries) >= 220
    assert len(gaz.index.cities) >= 200_000


def test_headline_words_before_village_are_not_a_village(gaz):
    assert names(gaz, "Gunmen Kill Dozens In Raid On Remote Village In Northwest Nigeria", "NGA") == ["Nigeria"]


def test_a_dateline_city_is_where_the_report_was_filed_not_the_event_place():
    from datetime import date

    from pipeline.extraction.article import extract_article

    body = ("MAIDUGURI, Nigeria (AP) — Boko Haram insurgents killed 12 people in an attack on Damboa town "
            "on Saturday, residents said.\n")
    places = [i.place for i in extract_article("dateline-test", body, date(2024, 3, 4), "front_matter").incidents]
    assert [(p.location, p.admin1) for p in places] == [("Damboa", "Borno")]


def test_a_small_or_plain_worded_unit_counts_with_any_unit_cue(gaz):
    # Kenya's counties are its first-level units; "Free State" keeps its unit word
    place = best(gaz, "The attack took place in Lamu County, where a curfew was declared.", "KEN")
    assert (place.admin1, place.precision) == ("Lamu", "admin1")
    assert best(gaz, "Police clashed with miners in the Free State province.", "ZAF").admin1 == "Free State"
    assert "Capital" not in names(gaz, "Troops entered the Capital city on Monday.", "DNK")


def test_in_capitals_small_towns_abroad_and_world_units_need_a_cue(gaz):
    text = "THE GUERRILLAS ATTACKED A POST NEAR THE WHITE HOUSE IN SONORA, SAID CAROLINA PONCE."
    # not Tennessee's White House, Mexico's Sonora state, Puerto Rico's Carolina and Ponce
    found = gaz.find_place_mentions(text, country_hint="SLV")
    assert not any(m.place.country_iso3 in ("USA", "MEX", "PRI") for m in found)


# ----- an article's places read together (place_named_villages) ---------------------------------

def settled(gaz, text):
    from pipeline.extraction.places import place_named_villages

    country = gaz.country_context(text)
    return place_named_villages(gaz.find_place_mentions(text, country_hint=country), text, country, gaz)


def test_a_village_the_text_puts_in_a_district_and_state_keeps_them_in_every_sentence(gaz):
    text = ("Gunmen on Sunday killed 12 people in Sabon-Gida community of Bungudu LGA, Zamfara State. "
            "The attackers stormed Sabon-Gida at about 2 am, residents said.")
    villages = [m.place for m in settled(gaz, text) if m.text == "Sabon-Gida"]
    assert len(villages) == 2 and villages[0] == villages[1]
    assert (villages[0].location, villages[0].admin2, villages[0].admin1, villages[0].precision) == \
        ("Sabon-Gida", "Bungudu", "Zamfara", "admin2")


def test_a_gazetteer_town_in_the_province_the_text_names_stays_that_town(gaz):
    (town, province) = settled(gaz, "The ambush took place near the town of Guicán, Boyacá, on Monday.")
    assert town.place.geonameid is not None and town.place.admin1 == "Boyaca" == province.place.admin1


def test_an_unknown_village_near_a_town_takes_the_towns_province(gaz):
    p = next(m.place for m in settled(gaz, "Militants raided the hamlet of Kudaru near Damboa in Nigeria.")
             if m.text == "Kudaru")
    assert (p.location, p.admin1, p.country_iso3) == ("Kudaru", "Borno", "NGA")
    assert p.latitude is not None


def test_an_unknown_village_takes_the_one_province_its_article_names(gaz):
    text = ("The incident on Sunday in central Mali's remote Douentza area drew protests. The strike hit "
            "men on the edge of the village of Bounti, officials in Mali said.")
    p = next(m.place for m in settled(gaz, text) if m.text == "Bounti")
    assert (p.location, p.admin1, p.country_iso3) == ("Bounti", "Mopti", "MLI")


def test_an_article_naming_two_provinces_lends_none_unless_one_is_named_as_the_area(gaz):
    two = ("Troops in Mopti and in Segou were on alert in Mali. Gunmen attacked the village of Bounti, "
           "residents said.")
    assert next(m.place for m in settled(gaz, two) if m.text == "Bounti").admin1 is None
    area = ("Troops in Segou were on alert in Mali. In the Mopti region, gunmen attacked the village of "
            "Bounti, residents said.")
    assert next(m.place for m in settled(gaz, area) if m.text == "Bounti").admin1 == "Mopti"


def test_a_town_a_village_is_measured_from_lends_no_province(gaz):
    text = "Terrorists attacked the village of Quishuarcancha, 90 km northeast of Huanta, in Peru."
    assert next(m.place for m in settled(gaz, text) if m.text == "Quishuarcancha").admin1 is None


def test_congo_in_an_article_about_ituri_is_the_drc(gaz):
    text = ("Militiamen killed 14 people at a displacement camp in Congo on Sunday. Congo's army said the "
            "attackers came from the hills near Djugu in Ituri. Congo has seen years of violence.")
    assert gaz.country_context(text) == "COD"
    assert gaz.country_context("Congo's president met officials in Brazzaville.") == "COG"


@pytest.mark.parametrize(("phrase", "unit"), [("Bungudu LGA", True), ("Zamfara State", True),
                                              ("Musa Qala district", True), ("Islamic State", False),
                                              ("Allied Democratic Forces", False)])
def test_a_known_place_with_its_unit_word_is_a_unit_phrase(gaz, phrase, unit):
    assert gaz.is_unit_phrase(phrase) is unit


def test_an_lga_is_a_place_not_an_actor_and_its_village_one_incident():
    from datetime import date

    from pipeline.extraction.article import extract_article

    text = ("Gunmen kill 12 in Zamfara village\n\nGunmen on Sunday killed 12 people in Sabon-Gida community "
            "of Bungudu LGA, Zamfara State, police said.\n\nThe attackers stormed Sabon-Gida at about 2 am "
            "and set houses ablaze, residents said.\n")
    ex = extract_article("t", text, date(2021, 5, 3), "front_matter")
    assert not any("bungudu" in m.actor_id for m in ex.actor_mentions)
    assert [(i.place.location, i.place.admin2, i.place.admin1) for i in ex.incidents] == \
        [("Sabon-Gida", "Bungudu", "Zamfara")]


def test_a_town_listed_before_another_province_keeps_its_own(gaz):
    text = "Fighting raged in Sangin, Zabul and Kabul on Sunday, officials in Afghanistan said."
    sangin, zabul = (m.place for m in settled(gaz, text)[:2])
    assert (zabul.precision, zabul.admin1) == ("admin1", "Zabul")
    assert sangin.admin1 == "Helmand" and sangin.geonameid is not None


def test_two_named_villages_of_one_province_are_two_places():
    from pipeline.extraction.event_places import nested
    from pipeline.extraction.records import Place

    a = Place(name="Bounti", country_iso3="MLI", admin1="Mopti", location="Bounti", precision="admin1")
    b = Place(name="Kikara", country_iso3="MLI", admin1="Mopti", location="Kikara", precision="admin1")
    mopti = Place(name="Mopti", country_iso3="MLI", admin1="Mopti", precision="admin1")
    assert not nested(a, b) and nested(a, mopti)


@pytest.mark.parametrize("text", [
    "Soldiers raided the village of Kikara, in the Mopti region of Mali, on Sunday.",
    "Soldiers raided Kikara village of Douentza cercle in Mali on Sunday.",
    "Soldiers raided the village of Kikara in the Douentza area of Mali on Sunday.",
])
def test_a_village_the_gazetteer_lacks_takes_the_unit_the_text_gives(gaz, text):
    text = "Troops from the Segou region, Mali's army said, moved north. " + text  # no single province
    p = next(m.place for m in settled(gaz, text) if m.text == "Kikara")
    assert (p.location, p.admin1, p.country_iso3) == ("Kikara", "Mopti", "MLI") and p.latitude is not None


def test_a_dateline_city_is_where_the_report_was_filed_not_the_event_the_body_places():
    from datetime import date

    from pipeline.extraction.article import extract_article

    text = ("MAIDUGURI, Nigeria (AP) — Islamic extremists killed 30 people in an attack on Monday, officials "
            "said.\n\nThe militants stormed the town of Damboa at dawn and burned houses, residents said.\n")
    ex = extract_article("t", text, date(2021, 5, 3), "front_matter")
    assert [(i.place.location, i.place.admin1) for i in ex.incidents] == [("Damboa", "Borno")]


def test_a_district_the_gazetteer_lacks_takes_the_province_told_after_it(gaz):
    text = "Gunmen attacked barracks in al-Azim district, in Diyala province, and in Kirkuk, officials in Iraq said."
    p = next(m.place for m in settled(gaz, text) if m.text == "Azim")
    assert (p.admin2, p.admin1, p.precision) == ("Azim", "Diyala", "admin2") and p.latitude is not None


def test_the_capital_an_event_is_measured_from_is_not_its_place():
    from datetime import date

    from pipeline.extraction.article import extract_article

    text = ("Gunmen killed 11 soldiers early on Friday in the al-Azim district, a mountainous area more than "
            "120km (75 miles) north of the capital, Baghdad, officials in Iraq said.\n")
    ex = extract_article("t", text, date(2022, 1, 22), "front_matter")
    assert [(i.place.admin2, i.place.admin1) for i in ex.incidents] == [("Azim", None)]


@pytest.mark.parametrize(("town", "hint", "province"), [("Madrid", "COL", "Cundinamarca"),
                                                        ("Soacha", "COL", "Cundinamarca"),
                                                        ("Huacho", "PER", "Lima")])
def test_towns_of_a_curated_province_whose_capital_lies_in_another_unit_have_their_province(gaz, town, hint, province):
    assert gaz.resolve(town, hint).admin1 == province


def test_villages_listed_after_including_are_places_and_so_is_each_later_mention(gaz):
    text = ("Gunmen raided several villages in the Mbokani sector, including Tukoro, Malenga and Sibiri, in Nord "
            "Kivu province. Later a trader was shot dead in Sibiri.")
    found = [(m.place.location, text[m.start:m.end]) for m in gaz.find_place_mentions(text, country_hint="COD")
             if m.place.location in ("Tukoro", "Malenga", "Sibiri")]
    assert [loc for loc, _ in found] == ["Tukoro", "Malenga", "Sibiri", "Sibiri"]
    # "including" after anything but a settlement word lists no places
    assert [m.place.location for m in gaz.find_place_mentions(
        "Several officials, including Tukoro and Malenga, resigned.", country_hint="COD")] == []


def test_a_small_town_of_a_country_the_text_never_names_is_no_place(gaz):
    # "Bule" (a Swiss town's alternate spelling), "Hema" (a people; a Chinese town) in a Congolese report
    text = ("Rebels attacked a camp in Ituri province. Residents fled to Bule. The Lendu and Hema communities "
            "have clashed for decades.")
    found = {text[m.start:m.end]: m.place for m in gaz.find_place_mentions(text, country_hint="COD")}
    assert "Hema" not in found
    assert "Bule" not in found or found["Bule"].country_iso3 == "COD"


def test_a_settlement_word_after_a_foreign_towns_name_makes_it_a_village_of_the_article(gaz):
    text = "Militiamen attacked Lala camp in Ituri province overnight."
    (lala,) = [m.place for m in gaz.find_place_mentions(text, country_hint="COD") if m.place.location == "Lala"]
    assert lala.country_iso3 == "COD" and lala.geonameid is None


def test_a_name_the_text_calls_the_area_is_a_place_unless_it_names_an_actor(gaz):
    text = "Six people were killed at the Widhu Majembeni area in Lamu county."
    assert "Widhu Majembeni" in [m.place.location for m in gaz.find_place_mentions(text, country_hint="KEN")]
    text = "Fighters regrouped in a Shabaab area near Lamu."
    assert [m.place.location for m in gaz.find_place_mentions(text, country_hint="KEN")
            if m.place.location and "Shabaab" in m.place.location] == []


def test_a_word_opening_the_first_sentence_is_no_dateline_place(gaz):
    text = "Gang members killed 12 residents in the Solino neighbourhood of Port-au-Prince overnight, the UN said."
    assert gaz.country_context(text) == "HTI"
    assert gaz.country_context("KABUL, Afghanistan (AP) — Gunmen killed two people in Herat.") == "AFG"


def test_a_listed_village_keeps_its_arabic_article(gaz):
    text = "Fighters attacked the village of Wad al-Noura in central Sudan on Wednesday."
    assert "Wad al-Noura" in [m.place.location for m in gaz.find_place_mentions(text, country_hint="SDN")]
