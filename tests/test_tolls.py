"""Tests for pipeline.extraction.tolls: which figure is an event's best-supported toll."""

from __future__ import annotations

from datetime import date

from pipeline.extraction.numbers import find_count_mentions
from pipeline.extraction.records import IncidentCandidate, Quantity
from pipeline.extraction.tolls import combine_tolls, one_toll, sentence_count, tolls_disagree


def told(n: int, standing: str = "told", phrase: str | None = None) -> Quantity:
    return Quantity(n, n, n, phrase or str(n), standing)


def incident(quote: str, toll: Quantity | None) -> IncidentCandidate:
    return IncidentCandidate(article_id="a", char_start=0, char_end=len(quote), quote=quote,
                             event_type="battles", sub_event_type=None, event_date=date(2022, 2, 13),
                             date_start=date(2022, 2, 13), date_end=date(2022, 2, 13), date_precision="day",
                             place=None, fatalities=toll)


def killed_in(text: str) -> tuple[int | None, bool]:
    q, more = sentence_count(find_count_mentions(text), "killed")
    return (q.best if q else None), more


# --------------------------------------------------------------------------- one sentence


def test_both_sides_counted_in_one_sentence_add_up() -> None:
    assert killed_in("\"The toll is two dead on the army side and five dead on the attackers' side,\" it added.") \
        == (7, False)


def test_a_list_of_both_sides_adds_up() -> None:
    assert killed_in("Three soldiers and seven militants were killed in the clash.") == (10, False)


def test_a_part_of_a_toll_in_the_same_sentence_is_not_added() -> None:
    text = "187 people were killed yesterday, including 43 soldiers, and 120 militants were killed in the east."
    assert killed_in(text) == (187, False)


def test_a_further_act_adds_to_the_toll_told_before() -> None:
    assert killed_in("The attackers subsequently murdered an 18-year-old woman at a nearby location.") == (1, True)
    assert killed_in("When she pointed her weapon at them, she was subsequently killed.")[1] is False


# --------------------------------------------------------------------------- across sentences


def test_the_update_to_a_higher_toll_wins() -> None:
    assert combine_tolls(told(20), told(31, phrase="risen to 31"), additional=False).best == 31
    assert combine_tolls(told(31), told(20), additional=False).best == 31


def test_two_more_adds_to_the_toll() -> None:
    assert combine_tolls(told(8), told(1), additional=True).best == 9


def test_a_figure_of_several_events_never_replaces_the_events_own_toll() -> None:
    assert combine_tolls(told(15), told(40, "aggregate"), additional=False).best == 15
    assert combine_tolls(told(40, "aggregate"), told(15), additional=False).best == 15
    assert combine_tolls(told(15), told(40, "aggregate"), additional=True).best == 15
    assert combine_tolls(None, told(40, "aggregate"), additional=False).best == 40


def test_a_part_of_the_toll_never_replaces_it() -> None:
    assert combine_tolls(told(10), told(1, "part"), additional=False).best == 10
    assert combine_tolls(told(1, "part"), told(10), additional=False).best == 10


def test_an_estimate_some_sources_give_never_raises_the_told_toll() -> None:
    assert combine_tolls(told(14), told(30, "estimate"), additional=False).best == 14
    assert combine_tolls(told(30), told(14, "estimate"), additional=False).best == 14
    assert combine_tolls(None, told(30, "estimate"), additional=False).best == 30


def test_a_stated_figure_outranks_a_vague_one_of_the_same_event() -> None:
    several = Quantity(3, 3, None, "several")
    assert one_toll(several, told(2), additional=False).best == 2
    assert one_toll(told(2), several, additional=False).best == 2


def test_different_tolls_of_one_place_and_day_are_two_events_unless_an_update_or_a_part() -> None:
    first = incident("Fifteen soldiers were killed on Friday.", told(15))
    assert tolls_disagree(first, incident("Gunmen killed 40 soldiers at the post.", told(40)))
    assert not tolls_disagree(first, incident("The death toll has risen to 40.", told(40)))
    assert not tolls_disagree(first, incident("In one case, a gunman shot a soldier.", told(1, "part")))
    assert not tolls_disagree(first, incident("Sixteen soldiers died.", told(16)), far_apart=True)


def test_more_than_is_a_qualifier_not_more_people() -> None:
    text = "Over twenty people killed at a wedding\n\nMore than 20 people, including children, were killed in air strikes."
    assert killed_in(text) == (21, False)
    assert killed_in("Two more soldiers died of their wounds.") == (2, True)
