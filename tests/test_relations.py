"""Relation patterns: each cue gives the right type and direction, with its evidence span."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extraction.article import extract_article


def _relations(text: str):
    ex = extract_article("t", text, date(2022, 5, 1))
    return {(r.subject_actor_id, r.relation_type, r.object_actor_id) for r in ex.relations}, ex


@pytest.mark.parametrize("text, expected", [
    ("The National Resistance Front, led by Ahmad Massoud, fights on in Panjshir.",
     ("ahmad-massoud", "leads", "national-resistance-front")),
    ("Hardliner groups within the Taliban – including the Haqqanis – resist reform.",
     ("haqqani-network", "part_of", "taliban")),
    ("The head of Pakistan's Inter-Services Intelligence (ISI), Nadeem Anjum, travelled to Kabul.",
     ("nadeem-anjum", "leads", "isi")),
    ("The Afghanistan Freedom Front vowed to fight in an alliance with the National Resistance Front.",
     ("afghanistan-freedom-front", "allied_with", "national-resistance-front")),
    ("ISIS-K is the most effective opposition to Taliban rule.",
     ("isis-k", "opposes", "taliban")),
    ("Hezbollah fighters are backed by Iran's Islamic Revolutionary Guard Corps.",
     ("irgc", "supports", "hezbollah")),
])
def test_relation_cue_gives_type_and_direction(text, expected):
    found, _ = _relations(text)
    assert expected in found, found


def test_symmetric_relation_is_stored_once_in_text_order():
    found, _ = _relations("Tehreek-i-Taliban Pakistan has well-established links to the Taliban in Kabul.")
    linked = [r for r in found if r[1] == "linked_to"]
    assert linked == [("tehrik-i-taliban-pakistan", "linked_to", "taliban")]


def test_relation_keeps_its_sentence_span():
    text = "Calm returned. The National Resistance Front, led by Ahmad Massoud, fights on."
    _, ex = _relations(text)
    rel = next(r for r in ex.relations if r.relation_type == "leads")
    assert text[rel.char_start:rel.char_end] == rel.quote and rel.quote.startswith("The National Resistance Front")
