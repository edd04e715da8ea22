"""Tests for pipeline.extraction.numbers: number phrases, count mentions, incident totals."""

from __future__ import annotations

import pytest

from pipeline.extraction.numbers import find_count_mentions, parse_quantity, total_count
from pipeline.extraction.records import CountMention, Quantity


def counts(text: str) -> list[tuple[str, int | None]]:
    return [(m.kind, m.quantity.best) for m in find_count_mentions(text)]


def q(low: int | None, best: int | None, high: int | None, phrase: str) -> Quantity:
    return Quantity(low, best, high, phrase)


# --------------------------------------------------------------------------- parse_quantity


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("nine", 9),
        ("4,000", 4000),
        ("twenty-three", 23),
        ("twenty three", 23),
        ("one hundred and twelve", 112),
        ("a hundred", 100),
        ("two thousand five hundred", 2500),
        ("a", 1),
        ("an", 1),
        ("one", 1),
        ("THREE", 3),
        ("Seventeen", 17),
    ],
)
def test_plain_number_phrases_are_exact(phrase: str, value: int) -> None:
    assert parse_quantity(phrase) == q(value, value, value, phrase)


def test_two_dozen_gives_24() -> None:
    assert parse_quantity("two dozen") == q(24, 24, 24, "two dozen")


def test_a_dozen_gives_12() -> None:
    assert parse_quantity("a dozen").best == 12


def test_at_least_nine_gives_low_9_and_open_high() -> None:
    assert parse_quantity("at least nine") == q(9, 9, None, "at least nine")


def test_more_than_100_codes_the_smallest_supported_figure() -> None:
    assert parse_quantity("more than 100") == q(101, 101, None, "more than 100")
    assert parse_quantity("over 100").best == 101
    assert parse_quantity("more than a dozen").best == 13
    assert parse_quantity("at least 100").best == 100


def test_about_50_is_an_estimate_with_best_50() -> None:
    assert parse_quantity("about 50") == q(50, 50, None, "about 50")
    assert parse_quantity("some 50").best == 50


def test_nearly_50_is_an_estimate_and_up_to_50_a_ceiling() -> None:
    assert parse_quantity("nearly 50") == q(50, 50, None, "nearly 50")
    assert parse_quantity("up to 50") == q(None, 50, 50, "up to 50")
    assert parse_quantity("as many as 30") == q(None, 30, 30, "as many as 30")


@pytest.mark.parametrize("phrase", ["between 10 and 15", "10 to 15", "10-15", "ten to fifteen"])
def test_ranges_give_low_and_high(phrase: str) -> None:
    assert parse_quantity(phrase) == q(10, 10, 15, phrase)


def test_dozens_gives_12_and_keeps_phrase() -> None:
    assert parse_quantity("Dozens") == q(12, 12, None, "Dozens")


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("several", 3),
        ("multiple", 3),
        ("a number of", 3),
        ("a few", 3),
        ("numerous", 4),
        ("hundreds", 100),
        ("thousands of", 1000),
        ("scores of", 20),
        ("tens of", 10),
        ("a couple of", 2),
    ],
)
def test_vague_words_give_their_lowest_supported_figure(phrase: str, value: int) -> None:
    assert parse_quantity(phrase) == q(value, value, None, phrase)


@pytest.mark.parametrize("phrase", ["", "insurgents", "two three", "the", "a group of"])
def test_non_numbers_give_none(phrase: str) -> None:
    assert parse_quantity(phrase) is None


# --------------------------------------------------------------------------- killed


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Gunmen killed at least nine people in the market on Sunday.", 9),
        ("The blast ripped through the bus, killing three.", 3),
        ("Bandits kill 18 in raid on village", 18),
        ("17 killed as bomb hits convoy", 17),
        ("Police said nine people were killed in the attack.", 9),
        ("Three civilians died when the shell hit their home.", 3),
        ("The death toll from the ambush climbed to 12 on Monday.", 12),
        ("Death toll rises to 36 after clashes", 36),
        ("The airstrike claimed the lives of 4 children.", 4),
        ("7 bodies were found near the river.", 7),
        ("The patrol engaged the fighters, killing multiple insurgents.", 3),
        ("The force killed an insurgent who opened fire.", 1),
        ("An insurgent was killed during the exchange.", 1),
        ("Troops shot dead four robbers at a checkpoint.", 4),
        ("The militia massacred 20 villagers.", 20),
        ("Officials reported 12 fatalities.", 12),
        ("GUERRILLAS KILLED TWO PEASANTS NEAR THE BRIDGE.", 2),
        ("A 25-year-old man was killed by a stray bullet.", 1),
    ],
)
def test_killed_counts_in_both_voices(text: str, best: int) -> None:
    assert counts(text) == [("killed", best)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TWO MASKED MEN SHOT AND KILLED THE JUDGE AS HE LEFT HIS OFFICE.", [("killed", 1)]),
        ("Three gunmen killed a farmer near Jos.", [("killed", 1)]),
        ("Four soldiers killed two bandits in a shootout.", [("killed", 2)]),
        ("4 Soldiers Killed In Ambush", [("killed", 4)]),
        ("Three soldiers killed, two wounded in Kaduna", [("killed", 3), ("injured", 2)]),
    ],
)
def test_the_count_before_an_active_verb_with_an_object_is_of_the_attackers(text: str, expected) -> None:
    assert counts(text) == expected


def test_left_5_dead_and_scores_injured_gives_both_kinds() -> None:
    assert counts("The explosion left 5 dead and scores injured.") == [
        ("killed", 5),
        ("injured", 20),
    ]


def test_killing_himself_and_4_others_gives_5() -> None:
    assert counts("The attacker detonated his vest, killing himself and 4 others.") == [("killed", 5)]


def test_bomber_who_blew_himself_up_counts_one() -> None:
    assert counts("A suicide bomber blew himself up at the gate.") == [("killed", 1)]


def test_the_bomber_was_killed_is_a_weak_count_of_one() -> None:
    (m,) = find_count_mentions("The bomber was killed by guards.")
    assert (m.kind, m.quantity.best) == ("killed", 1)
    assert m.quantity.phrase.lower().startswith("the ")


def test_list_object_is_summed() -> None:
    assert counts("The force killed a Taliban commander and two of his fighters.") == [("killed", 3)]


def test_killed_3_cows_is_not_a_count() -> None:
    assert counts("The raiders killed 3 cows and burned the barn.") == []


@pytest.mark.parametrize(
    "text",
    [
        "In 2013 killed insurgents were buried quickly.",
        "The 2nd battalion was attacked at 07:30.",
        "Forces destroyed 12 weapons and 3,000 cartridges.",
        "A 7.62-MM machine gun was found.",
        "The group demanded $500 for the hostages' release.",
    ],
)
def test_years_units_objects_and_money_are_not_counts(text: str) -> None:
    assert [c for c in counts(text) if c[1]] == []


def test_no_one_was_killed_gives_a_zero_count() -> None:
    assert counts("No one was killed in the blast.") == [("killed", 0)]


def test_no_civilians_were_harmed_gives_a_zero_count() -> None:
    assert counts("No civilians were harmed during the operation.") == [("killed", 0)]


def test_did_not_fire_gives_no_count() -> None:
    assert counts("The security force did not fire their weapons.") == []


def test_repeated_count_in_one_sentence_is_reported_once() -> None:
    text = "Gunmen killed at least nine people; nine people were killed, officials said."
    assert counts(text) == [("killed", 9)]


def test_operation_to_kill_is_a_goal_not_a_count() -> None:
    assert counts("The force launched an operation to kill a Taliban commander.") == []


def test_cumulative_campaign_figures_are_not_incident_counts() -> None:
    text = "Since December, forces have detained more than 40 suspected insurgents in the area."
    assert counts(text) == []


def test_day_month_date_is_not_a_count() -> None:
    assert counts("ON 10 MARCH ALLEGED REBELS MURDERED A JUDGE.") == [("killed", 1)]


# --------------------------------------------------------------------------- injured


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("The bomb exploded near the market, wounding four.", 4),
        ("The attackers injured 12 worshippers.", 12),
        ("12 wounded in grenade attack", 12),
        ("The crash left 20 injured.", 20),
        ("Rockets hit the camp, injuring scores.", 20),
    ],
)
def test_injured_counts(text: str, best: int) -> None:
    assert counts(text) == [("injured", best)]


def test_killed_and_wounded_in_one_sentence_are_two_kinds() -> None:
    text = "THREE SOLDIERS WERE KILLED AND SEVEN OTHERS WERE WOUNDED IN THE AMBUSH."
    assert counts(text) == [("killed", 3), ("injured", 7)]


# --------------------------------------------------------------------------- detained


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Soldiers captured a Taliban leader in the district.", 1),
        ("The patrol detained two suspected insurgents.", 2),
        ("Police arrested 15 protesters.", 15),
        ("Several insurgents were detained after the search.", 3),
        ("Gunmen took 3 people hostage at the hotel.", 3),
        ("Pirates kidnapped 2 sailors.", 2),
        ("Unknown gunmen abducted five schoolgirls.", 5),
        ("The force also detained one suspected insurgent.", 1),
        ("The unit captured a facilitator and multiple suspected insurgents.", 4),
    ],
)
def test_detained_counts(text: str, best: int) -> None:
    assert counts(text) == [("detained", best)]


def test_seized_weapons_is_not_a_detention() -> None:
    assert counts("The force seized 12 weapons and two rocket launchers.") == []


def test_seized_people_is_a_detention() -> None:
    assert counts("Militants seized four aid workers on the road.") == [("detained", 4)]


def test_captured_him_is_a_weak_count() -> None:
    (m,) = find_count_mentions("Troops later captured him near the border.")
    assert m.kind == "detained" and m.quantity.phrase.lower().startswith("the ")


def test_killed_and_detained_in_one_sentence() -> None:
    text = "The force killed two insurgents and detained three others."
    assert counts(text) == [("killed", 2), ("detained", 3)]


# --------------------------------------------------------------------------- spans & case


def test_offset_shifts_spans_to_body_offsets() -> None:
    text = "Rebels killed 4 soldiers."
    (m,) = find_count_mentions(text, offset=100)
    assert (m.start, m.end) == (107, 100 + len(text) - 1)
    assert text[m.start - 100 : m.end - 100] == m.text == "killed 4 soldiers"


def test_all_caps_wire_text_is_read() -> None:
    assert counts("TERRORISTS MURDERED FOURTEEN PEASANTS IN THE VILLAGE.") == [("killed", 14)]


def test_mentions_come_in_text_order_without_overlap() -> None:
    text = "Two civilians were wounded, 5 soldiers were killed and police arrested 3 men."
    ms = find_count_mentions(text)
    assert [m.kind for m in ms] == ["injured", "killed", "detained"]
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:], strict=False))


# --------------------------------------------------------------------------- total_count


def mention(kind: str, best: int, text: str, phrase: str | None = None) -> CountMention:
    return CountMention(0, len(text), text, kind, Quantity(best, best, best, phrase or str(best)))


def test_total_of_nothing_is_none() -> None:
    assert total_count([], "killed") is None


def test_repeated_toll_is_not_double_counted() -> None:
    ms = [mention("killed", 9, "killed 9 people"), mention("killed", 9, "nine were killed")]
    assert total_count(ms, "killed").best == 9


def test_distinct_counts_are_summed_and_phrases_joined() -> None:
    ms = [mention("killed", 2, "killed two insurgents"), mention("killed", 1, "an insurgent was killed", "an")]
    total = total_count(ms, "killed")
    assert total is not None and total.best == 3 and total.phrase == "2; an"


def test_another_marks_an_additional_count() -> None:
    ms = [mention("killed", 1, "killed one insurgent"), mention("killed", 1, "another insurgent was killed")]
    assert total_count(ms, "killed").best == 2


def test_death_toll_wins_over_partial_counts() -> None:
    ms = [mention("killed", 3, "three killed"), mention("killed", 12, "death toll rose to 12")]
    assert total_count(ms, "killed").best == 12


def test_vague_count_gives_way_to_a_larger_stated_one() -> None:
    several = CountMention(0, 5, "killed several insurgents", "killed", q(3, 3, None, "several"))
    four = mention("killed", 4, "four insurgents were killed", "four")
    assert total_count([several, four], "killed").best == 4


def test_definite_count_is_dropped_when_an_indefinite_one_exists() -> None:
    ms = [
        mention("detained", 2, "detained two suspects"),
        mention("detained", 1, "the leader was detained", "the leader"),
    ]
    assert total_count(ms, "detained").best == 2


def test_zero_only_gives_zero_total() -> None:
    ms = [CountMention(0, 5, "no one was killed", "killed", q(0, 0, 0, "no one was killed"))]
    assert total_count(ms, "killed") == q(0, 0, 0, "no one was killed")


def test_total_only_uses_the_requested_kind() -> None:
    ms = [mention("killed", 2, "killed two"), mention("injured", 5, "wounding five")]
    assert total_count(ms, "injured").best == 5


@pytest.mark.parametrize(
    ("text", "kind", "best"),
    [
        ("An Afghan and coalition security force killed Taliban leader Saifullah in Ghazni province.", "killed", 1),
        ("The force detained a Taliban commander, his deputy and several other suspected insurgents.", "detained", 5),
        ("The force killed Taliban leader, Mahjur, along with one other insurgent, in Nari district.", "killed", 2),
        ("Police arrested a Taliban commander, Mullah Karim, in Kandahar.", "detained", 1),
        ("Two men were ambushed and killed by gunmen near the market.", "killed", 2),
        ("A security force detained a Taliban facilitator and other militants in Nangarhar province.", "detained", 3),
        ("Police killed two gunmen and other attackers fled.", "killed", 2),
        ("The joint team detained the man, an explosives facilitator, and three additional suspects.", "detained", 4),
        ("Forces targeted two leaders, detaining one, a facilitator, and several suspected insurgents.", "detained", 4),
        ("The victim was taken to hospital where he passed away.", "killed", 1),
        ("The policeman later succumbed to his wounds.", "killed", 1),
    ],
)
def test_named_people_possessives_and_deaths_in_hospital_count(text, kind, best):
    (m,) = find_count_mentions(text)
    assert (m.kind, m.quantity.best) == (kind, best)


def test_all_caps_common_words_are_never_read_as_a_titled_name():
    assert find_count_mentions("THE ARMY KILLED INSURGENT LEADERS NEAR THE BORDER") == []


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("they were struck by precision air fire, killing all three.", 3),
        ("The gunmen killed both guards.", 2),
        ("The operation resulted in six Afghans being killed.", 6),
        ("The security force returned fire, killing the two attackers.", 2),
    ],
)
def test_quantifiers_articles_and_nationals_before_a_killing_count(text, best):
    (m,) = find_count_mentions(text)
    assert (m.kind, m.quantity.best) == ("killed", best)


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("The judge appointed to investigate the killings of the 12 judicial officials was threatened.", 12),
        ("He condemned the murder of six Jesuits and two maids.", 8),
        ("The massacre of 43 persons in the town of Segovia shocked the country.", 43),
    ],
)
def test_a_count_after_a_killing_noun_counts_its_victims(text, best):
    (m,) = find_count_mentions(text)
    assert (m.kind, m.quantity.best) == ("killed", best)


def test_a_planned_killing_and_a_year_are_not_counts():
    assert find_count_mentions("Police uncovered plans for the killing of the president.") == []
    assert find_count_mentions("The deaths of 1989 were remembered.") == []


@pytest.mark.parametrize(
    "text",
    [
        "OVER 7,000 PEOPLE HAVE DIED IN EL SALVADOR DURING 10 YEARS OF CIVIL WAR.",
        "DURING THIS 10-YEAR-LONG WAR, 70,000 PEOPLE HAVE DIED.",
        "THEIR 1-MONTH-LONG FIERCE BATTLE HAS LEFT 3,000 PEOPLE DEAD.",
    ],
)
def test_totals_over_years_of_war_are_no_incident_count(text):
    assert find_count_mentions(text) == []


@pytest.mark.parametrize("text", [
    "The FMLN wants to solve a conflict which has cost El Salvador more than 70,000 lives.",
    "In Guatemala's conflict more than 100,000 have been killed.",
    "Alcohol and tobacco cause 520,000 deaths per year there.",
    "The war, which in the past decade has left over 70,000 killed, goes on.",
])
def test_a_wars_toll_is_no_incident_count(text):
    assert [c for c in find_count_mentions(text) if c.kind == "killed"] == []


def test_a_large_toll_of_one_event_stays():
    (c,) = find_count_mentions("The bombing killed 1,200 people in Maiduguri on Friday.")
    assert (c.kind, c.quantity.best) == ("killed", 1200)


@pytest.mark.parametrize("noun", ["pilots", "seamen", "peacekeepers", "deminers", "councilmen", "shepherds"])
def test_more_people_nouns_are_counted(noun):
    (c,) = find_count_mentions(f"Two {noun} were killed in the town.")
    assert (c.kind, c.quantity.best) == ("killed", 2)


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("TWO NUNS -- BOTH OF THEM SPANISH -- WERE SHOT TO DEATH LAST NIGHT.", 2),
        ("Four policemen (three of them officers) were killed in the ambush.", 4),
        ("Four policemen (three of them officers) were killed the day before.", 4),
    ],
)
def test_an_aside_between_the_count_and_its_verb_keeps_the_count(text: str, best: int) -> None:
    assert counts(text) == [("killed", best)]


# --------------------------------------------------------------------------- what stands between a count and its verb


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("At least 20 Afghan security forces have been killed after their post came under attack.", 20),
        ("At least 10 people in the city of Cali were killed in a day of protests.", 10),
        ("Four police officers on routine patrol in eastern Kenya were killed in an ambush on Friday.", 4),
        ("At least 14 members of the Afghan security forces have been killed.", 14),
        ("The vehicle came under attack and all the four officers on board died.", 4),
        ("The group published a list of 19 people it said were killed in the strike.", 19),
    ],
)
def test_a_place_group_or_speaker_between_the_count_and_its_verb_keeps_the_count(text: str, best: int) -> None:
    assert counts(text) == [("killed", best)]


@pytest.mark.parametrize(
    "text",
    [
        "FIVE OF THE MURDERED JESUITS HAD RECEIVED FINISHING SHOTS.",
        "One of the injured lost a leg.",
        "The rebels abandoned 27 of their dead comrades in the suburb.",
    ],
)
def test_a_participle_before_its_noun_is_no_passive_count(text: str) -> None:
    assert counts(text) == []


def test_attackers_told_with_a_place_are_still_the_attackers() -> None:
    assert counts("Two gunmen on a motorbike shot dead a judge in the city.") == [("killed", 1)]


def test_a_year_before_a_count_is_not_added_to_it() -> None:
    assert counts("In 2018, more than 100 police officers were killed across the country.") == [("killed", 101)]


def test_the_speaker_after_a_count_list_is_not_a_victim() -> None:
    assert counts("The attack killed four officers, a provincial official said.") == [("killed", 4)]
    assert counts("The attack killed four officers, a provincial official and a civilian.") == [("killed", 6)]


# --------------------------------------------------------------------------- how the text stands behind a count


def standings(text: str) -> list[tuple[int | None, str, bool]]:
    return [(m.quantity.best, m.quantity.standing, m.beside) for m in find_count_mentions(text)]


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("The attack came a month after two jihadist assaults killed 40 soldiers near the border.", 40),
        ("Violence has seen 16 people killed in two separate attacks during a six-day period.", 16),
        ("In 2018, more than 100 police officers were killed in separate IED attacks along the border.", 101),
        ("Forces detained 11 suspected insurgents during three operations yesterday.", 11),
    ],
)
def test_a_toll_of_several_events_told_together_is_an_aggregate(text: str, best: int) -> None:
    assert standings(text) == [(best, "aggregate", False)]


def test_a_toll_only_some_sources_give_is_an_estimate() -> None:
    text = "Some officials put the death toll at about 30, saying the police commander was among those killed."
    assert standings(text) == [(30, "estimate", False)]


def test_a_victim_told_as_one_case_of_a_toll_is_a_part_of_it() -> None:
    text = "In one case, an off-duty investigator had shot at a crowd, killing a civilian, before being lynched."
    assert standings(text) == [(1, "part", False)]
    assert standings("Gunmen, including two women, killed 5 soldiers in the village.") == [(5, "told", False)]


def test_counts_of_two_sides_joined_by_and_are_counted_beside_each_other() -> None:
    text = "\"The toll is two dead on the army side and five dead on the attackers' side,\" it added."
    assert standings(text) == [(2, "told", False), (5, "told", True)]
    text = "Three soldiers were killed in the attack, and two civilians died when a shell hit their house."
    assert standings(text) == [(3, "told", False), (2, "told", True)]


@pytest.mark.parametrize(
    "text",
    [
        "187 people were killed yesterday, including 43 soldiers, and 120 militants were killed in the east.",
        "Police said 10 people were killed, but residents said 25 people died.",
    ],
)
def test_a_part_or_another_sources_figure_is_not_counted_beside(text: str) -> None:
    assert [beside for *_, beside in standings(text)] == [False, False]


def test_a_further_act_keeps_its_adverb_in_the_count_text() -> None:
    (m,) = find_count_mentions("The attackers subsequently murdered an 18-year-old woman nearby.")
    assert m.text == "subsequently murdered an 18-year-old woman"


def test_a_count_after_a_full_date_is_a_count() -> None:
    assert counts("TRAVELLERS SAID THAT ON 23 SEPTEMBER 28 BODIES OF ALLEGED PEASANTS WERE FOUND.") == [("killed", 28)]
    assert counts("The blast on May 12 killed no one we know.") == []


def test_a_bracketed_acronym_in_the_group_named_keeps_the_count() -> None:
    assert counts("TWO LEADERS OF THE LEFTIST PATRIOTIC UNION [UP] WERE KILLED IN TOLIMA.") == [("killed", 2)]


def test_a_speaker_with_a_relative_clause_is_not_a_victim() -> None:
    text = "The blast killed four officers, a provincial official who asked not to be named said."
    assert counts(text) == [("killed", 4)]


def test_a_comma_aside_between_the_count_and_its_verb_keeps_the_count() -> None:
    assert counts("Three people, including a child, died in the fire.") == [("killed", 3)]


def test_a_titled_speaker_is_not_a_victim_even_when_its_title_is_a_person_noun() -> None:
    assert counts("The attackers killed 10 civilians, a local official told AFP.") == [("killed", 10)]


def test_the_same_source_going_on_counts_the_other_side_beside() -> None:
    text = "Twenty-two soldiers were killed in the attack, the army said, adding that 17 assailants were neutralised."
    assert standings(text) == [(22, "told", False), (17, "told", True)]


def test_a_record_the_event_is_compared_with_is_no_period_of_a_running_total():
    text = ("Fourteen police have been killed in an ambush, in one of the bloodiest attacks on security forces "
            "since the president took office in December.")
    assert [(c.kind, c.quantity.best) for c in find_count_mentions(text)] == [("killed", 14)]
    assert find_count_mentions("Security forces have killed 40 militants since May.") == []


def test_the_toll_of_a_stretch_of_violence_is_an_aggregate():
    text = ("Fifteen police were killed in a single ambush that year during a six-week stretch of violence that "
            "claimed the lives of more than two dozen officers.")
    assert [(c.quantity.best, c.quantity.standing) for c in find_count_mentions(text)] == [
        (15, "told"), (25, "aggregate")]


def test_a_rough_figure_is_an_estimate_beside_a_counted_one():
    text = "The ministry said the strike killed about 30 militants."
    assert [(c.quantity.best, c.quantity.standing) for c in find_count_mentions(text)] == [(30, "estimate")]
    assert [c.quantity.standing for c in find_count_mentions("The strike killed 30 militants.")] == ["told"]
