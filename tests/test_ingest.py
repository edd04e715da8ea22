from __future__ import annotations

from datetime import date

from pipeline.contract import validation_report
from pipeline.ingest import article_from_text, articles_frame, normalise_body, scan_raw_folder, split_front_matter


def test_front_matter_fields_become_article_metadata():
    a = article_from_text("x.md", "---\nid: Abc 1\ntitle: T\noutlet: O\npublished: 2022-05-01\n---\nBody text here.")
    assert (a.article_id, a.title, a.outlet, a.published_date, a.published_date_source) == (
        "abc-1", "T", "O", date(2022, 5, 1), "front_matter")
    assert a.body == "Body text here."


def test_body_without_front_matter_gets_content_hash_id():
    a = article_from_text("x.txt", "Plain text only.\n")
    assert a.article_id.startswith("sha-") and len(a.article_id) == 20


def test_line_endings_and_separators_normalised_like_the_gold():
    assert normalise_body("a\r\nb\u2028c\u2029d  \n\n") == "a\nb\nc\nd"


def test_unclosed_front_matter_is_rejected_with_reason():
    a = article_from_text("bad.md", "---\nid: x\nno closing fence\n")
    assert a.status == "rejected" and "never closed" in a.status_reason


def test_invalid_published_date_is_reported_not_fatal():
    a = article_from_text("x.md", "---\npublished: last week\n---\nKABUL (Reuters) - Text.")
    assert a.status == "ok" and "not a YYYY-MM-DD date" in a.status_reason


def test_non_english_article_is_rejected_with_language_reason():
    a = article_from_text("x.md", "---\nlanguage: fr\n---\nUn texte.")
    assert a.status == "rejected" and "language 'fr'" in a.status_reason


def test_split_front_matter_keeps_body_offsets():
    meta, body = split_front_matter("---\nid: a\n---\nHello")
    assert meta == {"id": "a"} and body == "Hello"


def test_every_fixture_file_is_accounted_for(fixture_raw):
    articles = scan_raw_folder(fixture_raw)
    by_path = {a.source_path: a for a in articles}
    assert by_path["kunduz-clash.md"].status == "ok"
    assert by_path["herat-repost.txt"].status == "duplicate"
    assert by_path["herat-repost.txt"].duplicate_of == by_path["herat-blast.txt"].article_id
    assert by_path["broken.txt"].status == "rejected" and "UTF-8" in by_path["broken.txt"].status_reason
    assert by_path["report.pdf"].status == "rejected" and "unsupported file type" in by_path["report.pdf"].status_reason
    assert by_path["batch.jsonl#L1"].article_id == "fixture-maiduguri-raid"
    assert by_path["batch.jsonl#L2"].status == "rejected" and "empty body" in by_path["batch.jsonl#L2"].status_reason
    assert "not valid JSON" in by_path["batch.jsonl#L3"].status_reason


def test_articles_frame_conforms_to_contract(fixture_raw):
    frame = articles_frame(scan_raw_folder(fixture_raw))
    report = validation_report("articles", frame, {"articles": frame})
    assert report.passed, report.summary()
    assert frame["article_id"].is_unique


def test_dateline_date_used_when_no_front_matter(fixture_raw):
    a = {x.source_path: x for x in scan_raw_folder(fixture_raw)}["herat-blast.txt"]
    assert (a.published_date, a.published_date_source) == (date(2023, 3, 3), "dateline")


def _brief(doc_id: str, published: str, body: str) -> str:
    return f"---\nid: {doc_id}\npublished: {published}\n---\n{body}"


def test_same_headline_on_another_day_is_a_new_report():
    from pipeline.ingest import deduplicate

    first = article_from_text("a.md", _brief("a", "2014-06-10", "Boko Haram Attacks, Borno"))
    same_day = article_from_text("b.md", _brief("b", "2014-06-10", "Boko Haram Attacks, Borno"))
    next_month = article_from_text("c.md", _brief("c", "2014-07-24", "Boko Haram Attacks, Borno"))
    statuses = [a.status for a in deduplicate([first, same_day, next_month])]
    assert statuses == ["ok", "duplicate", "ok"]


def test_a_story_reprinted_on_another_day_stays_a_duplicate():
    from pipeline.ingest import deduplicate

    story = "KABUL (Reuters) - A roadside bomb killed four civilians in Helmand province on Monday, " * 4
    original = article_from_text("a.md", _brief("a", "2014-06-10", story))
    reprint = article_from_text("b.md", _brief("b", "2014-06-12", story))
    assert [a.status for a in deduplicate([original, reprint])] == ["ok", "duplicate"]
