"""The article the product was specified from: its required incidents must come out right."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.config import REPO_ROOT
from pipeline.extraction.article import extract_article
from pipeline.ingest import article_from_text

SEED = REPO_ROOT / "raw" / "asiatimes-taliban-2022.md"


@pytest.fixture(scope="module")
def seed_incidents():
    article = article_from_text(SEED.name, SEED.read_text(encoding="utf-8"))
    assert article.published_date == date(2022, 4, 29) and article.published_date_source == "text"
    return extract_article(article.article_id, article.body, article.published_date,
                           article.published_date_source).incidents


def _at(incidents, admin1, location=None):
    found = [i for i in incidents if i.place and i.place.admin1 == admin1
             and (location is None or i.place.location == location or i.place.admin2 == location)]
    assert found, f"no incident in {admin1}/{location}: {[(i.place, i.event_date) for i in incidents]}"
    return found


def test_kabul_mosque_blast_on_april_29_kills_at_least_50(seed_incidents):
    kabul = [i for i in _at(seed_incidents, "Kabul") if i.event_date == date(2022, 4, 29)]
    assert kabul and kabul[0].fatalities.best == 50 and kabul[0].event_type == "explosions_remote_violence"


def test_mazar_van_blast_on_thursday_is_april_28_with_nine_killed(seed_incidents):
    mazar = [i for i in _at(seed_incidents, "Balkh") if i.event_date == date(2022, 4, 28)]
    assert mazar and mazar[0].fatalities.best == 9


def test_earlier_mazar_mosque_attack_kills_31_by_isis_k(seed_incidents):
    earlier = [i for i in _at(seed_incidents, "Balkh") if i.event_date is None]
    assert earlier and earlier[0].fatalities.best == 31
    assert earlier[0].perpetrator_actor_id == "isis-k"
    assert earlier[0].date_start <= date(2022, 4, 27) and earlier[0].date_end >= date(2022, 4, 1)


def test_pakistani_airstrikes_split_into_khost_and_kunar_with_47_in_total(seed_incidents):
    khost, kunar = _at(seed_incidents, "Khost"), _at(seed_incidents, "Kunar")
    assert khost[0].sub_event_type == kunar[0].sub_event_type == "Air/drone strike"
    assert khost[0].fatalities.best + kunar[0].fatalities.best == 47
    assert khost[0].perpetrator_actor_id == "military-forces-pakistan"


def test_a_blast_told_only_in_a_photo_caption_opens_no_incident(seed_incidents):
    # "... a bomb blast at a security post in Injil district of Herat province on April 1, 2021.
    # Photo: AFP / ..." is a caption: page furniture, never an event (issue 13, boilerplate.py).
    assert not [i for i in seed_incidents if i.place and i.place.admin1 == "Herat"]


def test_vague_or_anaphoric_mentions_open_no_violent_incident(seed_incidents):
    violent = [i for i in seed_incidents if i.event_type != "strategic_developments"]
    assert len(violent) <= 7, [(i.place, i.quote[:60]) for i in violent]
