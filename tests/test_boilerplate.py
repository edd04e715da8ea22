"""Web-page noise: captions, stamps, bylines, controls, footers and related headlines are masked in
place, and a header stamp line is the publication date when no front matter gives one."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extraction.boilerplate import find_boilerplate, mask_boilerplate
from pipeline.extraction.dates import date_stamp, header_publication_date, resolve_publication_date

LEAD = "Gunmen killed nine villagers in an attack on a market in the north of the country on Sunday, police said."


def kinds(body: str) -> dict[str, str]:
    return {body[b.start:b.end]: b.kind for b in find_boilerplate(body)}


@pytest.mark.parametrize("line", [
    "Published: 12 March 2024",
    "Updated 3:45 PM GMT, March 12, 2024",
    "March 12, 2024 at 10:05 am",
    "Last updated: Tue 05 Mar 2024 14:02 (GMT+3)",
    "Sunday 14 April 2019 | 2 min read",
    "13 February 2022",
])
def test_a_stamp_line_is_a_date_stamp(line):
    assert date_stamp(line) is not None


@pytest.mark.parametrize("line", [
    "Baghdad, Jan 21 (AFP) Jan 21, 2022",  # a dateline names a place
    "Eleven soldiers were killed on 12 March 2024.",  # a sentence
    "Posted on Monday",  # no full date
    "By John Smith, 12 March 2024",
])
def test_a_line_with_more_than_a_date_is_no_stamp(line):
    assert date_stamp(line) is None


def test_published_stamp_is_the_publication_date_without_front_matter():
    body = f"Nine killed in market attack\nUpdated 3:45 PM GMT, March 14, 2024\nPublished: 12 March 2024\n\n{LEAD}"
    pub = resolve_publication_date(None, body)
    assert (pub.date, pub.source) == (date(2024, 3, 12), "dateline")


def test_updated_stamp_counts_when_it_is_the_only_one():
    body = f"Nine killed in market attack\n\nUpdated 3:45 PM GMT, March 12, 2024\n\n{LEAD}"
    assert header_publication_date(body).date_start == date(2024, 3, 12)


def test_front_matter_date_wins_over_a_stamp():
    body = f"Published: 12 March 2024\n\n{LEAD}"
    assert resolve_publication_date(date(2024, 3, 13), body).date == date(2024, 3, 13)


def test_a_date_deep_in_the_text_is_no_header_stamp():
    body = "\n\n".join([LEAD] * 16 + ["12 March 2024"])
    assert header_publication_date(body) is None


def test_captions_and_credits_are_masked():
    body = (f"{LEAD}\n\nSoldiers patrol the town. Photo: AFP / John Doe\n\n(Reuters)\n\n"
            "Image caption Smoke rises over the market\n\nThe army said it had sent reinforcements.")
    found = kinds(body)
    assert found["Soldiers patrol the town. Photo: AFP / John Doe"] == "caption"
    assert found["(Reuters)"] == "caption"
    assert found["Image caption Smoke rises over the market"] == "caption"
    assert "The army said it had sent reinforcements." not in found


def test_a_caption_printed_twice_is_masked_but_a_repeated_headline_is_not():
    caption = ("The president votes during regional elections in the capital on Sunday, Oct. 25, 2015. "
               "Voters went to the polls to choose mayors and governors.")
    body = (f"Attack leaves 12 soldiers dead\n\nAttack leaves 12 soldiers dead\n\n{caption}\n{caption} AP\n\n"
            f"{LEAD}\n\n{LEAD}")
    found = kinds(body)
    assert found[caption] == "caption"
    assert found[f"{caption} AP"] == "caption"
    assert "Attack leaves 12 soldiers dead" not in found  # a title repeated is no caption (too short)
    assert LEAD not in found  # a paragraph printed again after a blank line (a page scraped twice) is kept


def test_controls_share_prompts_and_bylines_are_masked():
    body = (f"By AMINA YUSUF\n\nEnable Read mode\n\n{LEAD}\n\nAdvertisement\n\nRead more: Bandits abduct 20 in Zamfara\n\n"
            "Share on Facebook\n\nPolice said the attackers fled on motorcycles.")
    found = kinds(body)
    assert found["By AMINA YUSUF"] == "byline"
    assert found["Enable Read mode"] == "ui"
    assert found["Advertisement"] == "ui"
    assert found["Read more: Bandits abduct 20 in Zamfara"] == "ui"
    assert found["Share on Facebook"] == "ui"
    assert "Police said the attackers fled on motorcycles." not in found


def test_a_sentence_that_opens_with_a_control_word_is_kept():
    body = f"{LEAD}\n\nVideo footage showed a man lying in the street and another wielding a gun.\n\nBy Sunday evening the toll had risen to 12."
    assert kinds(body) == {}


def test_a_list_of_related_headlines_is_masked_but_the_report_is_not():
    body = (f"Nine killed in market attack in Borno\n\n{LEAD}\n\nThe attackers fled before troops arrived.\n\n"
            "More news\nSeven soldiers killed in ambush near Gao\nFloods displace thousands in Kenya\n\n"
            "Troops later recovered the bodies.")
    found = kinds(body)
    assert found["Seven soldiers killed in ambush near Gao"] == "related"
    assert found["Floods displace thousands in Kenya"] == "related"
    assert "Nine killed in market attack in Borno" not in found  # the report's own headline
    assert "Troops later recovered the bodies." not in found


def test_a_sentence_that_lost_its_full_stop_is_no_headline():
    body = f"{LEAD}\n\nThe detainees were taken to the district centre for questioning\n\nNo shots were fired."
    assert kinds(body) == {}


def test_the_footer_is_masked_to_the_end():
    body = f"{LEAD}\n\nLeave a Reply\n\nYou are commenting using your account. Log Out\n\nArmed men attacked a village."
    found = kinds(body)
    assert set(found.values()) == {"footer"}
    assert "Armed men attacked a village." in found


def test_hard_wrapped_paragraphs_are_not_headlines():
    body = ("BOGOTA, May 29, 2021 (AFP) - At least 10 people in the city of\nCali were killed in a day of protests, authorities\n"
            "said Saturday, as the country entered its second month of demonstrations.\n\nPresident Duque announced Friday he was deploying\n"
            "troops to Cali while the nation marked a month of rallies.")
    assert kinds(body) == {}


def test_all_caps_wire_copy_is_left_alone():
    body = "LIMA, 20 AUG 88 (EFE) -- TERRORISTS KILLED TWO POLICEMEN.\n\nPHOTO: EFE\n\nSECURITY FORCES ARRIVED LATER"
    assert find_boilerplate(body) == []


def test_masking_keeps_every_offset():
    body = f"Published: 12 March 2024\n\n{LEAD}\n\nSoldiers patrol. Photo: AFP\n\nAdvertisement\n\nTroops arrived later."
    masked = mask_boilerplate(body)
    assert len(masked) == len(body)
    i = body.index("Troops arrived later.")
    assert masked[i:i + 21] == "Troops arrived later."
    assert masked.index(LEAD) == body.index(LEAD)
    assert "Photo" not in masked and "Advertisement" not in masked and "Published" not in masked
    assert masked.count("\n") == body.count("\n")


def test_extraction_finds_no_incident_in_a_caption_or_related_headline():
    from pipeline.extraction.article import extract_article

    body = ("Troops repel attack in Borno\n\nSoldiers repelled an attack on their base in Damboa, Borno State, "
            "on Sunday, the army said.\n\nSuicide bomber kills 30 at a market in Maiduguri. Photo: AFP\n\n"
            "Related\nGunmen kill 12 worshippers in Zamfara mosque\nBandits abduct 40 students in Kaduna\n")
    ex = extract_article("t1", body, date(2024, 3, 12), "front_matter")
    quotes = [body[i.char_start:i.char_end] for i in ex.incidents]
    assert quotes, "the report's own event is still found"
    assert all(i.quote == body[i.char_start:i.char_end] for i in ex.incidents)  # evidence points into the body
    assert not any("Maiduguri" in q or "Zamfara" in q or "Kaduna" in q for q in quotes)
    assert not any(m.text == "AFP" for m in ex.actor_mentions)
