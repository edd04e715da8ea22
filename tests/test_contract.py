from __future__ import annotations

import pyarrow as pa

from pipeline.config import REPO_ROOT
from pipeline.contract import arrow_schema, frictionless_schema, validation_report
from pipeline.docs import render_readme
from pipeline.schemas import TABLES


def test_readme_data_dictionary_is_generated_from_the_schemas():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme) == readme, "run `python -m pipeline.docs` to refresh the README"


def test_dates_and_aliases_get_their_arrow_types():
    assert arrow_schema("incidents").field("event_date").type == pa.date32()
    assert arrow_schema("actors").field("aliases").type == pa.list_(pa.string())


def test_frictionless_schema_carries_keys_and_enums():
    schema = frictionless_schema("incidents")
    assert schema["primaryKey"] == ["incident_id"]
    assert {"fields": ["perpetrator_actor_id"], "reference": {"resource": "actors", "fields": ["actor_id"]}} in schema["foreignKeys"]
    event_type = next(f for f in schema["fields"] if f["name"] == "event_type")
    assert "battles" in event_type["constraints"]["enum"]


def test_unresolved_foreign_key_is_reported_with_the_value():
    import pandas as pd

    sources = pd.DataFrame([{"incident_id": "inc-x", "article_id": "a", "char_start": 0, "char_end": 5,
                             "quote": "q", "fatalities_text": None, "extractor_version": "v"}])
    report = validation_report("incident_sources", sources, {"incidents": pd.DataFrame({"incident_id": ["inc-y"]}),
                                                             "articles": pd.DataFrame({"article_id": ["a"]})})
    assert not report.passed
    assert report.failures[0]["failure_case"] == "inc-x" and "incidents" in report.failures[0]["check"]


def test_every_table_declares_a_primary_key_present_in_its_columns():
    for spec in TABLES.values():
        assert set(spec.primary_key) <= set(spec.columns)
