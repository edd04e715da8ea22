"""Running extraction over many articles: batched parsing, forked workers, the per-article time budget."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from pipeline import extract
from pipeline.extract import cache_key, extract_articles, over_budget_reason
from pipeline.extraction.nlp import forget_parsed, load_nlp, model_view, parse, parse_ahead
from pipeline.ingest import RawArticle

TOWNS = ["Kunduz", "Herat", "Kandahar", "Mazar-e-Sharif", "Jalalabad", "Ghazni", "Khost", "Lashkar Gah", "Kabul",
         "Baghlan", "Farah", "Faizabad", "Zaranj", "Gardez", "Pul-e-Khumri", "Sar-e Pul", "Taloqan", "Maymana"]


def _article(i: int, body: str | None = None) -> RawArticle:
    town = TOWNS[i % len(TOWNS)]
    body = body or (f"KABUL, Afghanistan (June {i % 28 + 1}, 2022) - Gunmen killed {i % 7 + 2} civilians in {town} "
                    f"province on Tuesday, officials said.\n\nThe Taliban denied any role in the attack.")
    return RawArticle(article_id=f"art-{i:03d}", source_path=f"a{i}.txt", body=body,
                      published_date=date(2022, 6, i % 28 + 1), published_date_source="dateline",
                      text_sha256=f"{i:064x}")


class MemoryStore:
    def __init__(self):
        self.items: dict[str, object] = {}

    def get(self, key):
        return self.items.get(key)

    def put(self, key, value):
        self.items[key] = value


def _signature(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.dep_, t.head.i, t.is_sent_start, t.ent_iob_, t.ent_type_) for t in doc]


def test_docs_parsed_ahead_in_a_batch_equal_docs_parsed_one_by_one() -> None:
    texts = [_article(i).body for i in range(5)] + ["THREE SOLDIERS WERE KILLED IN SAN MIGUEL. THE FMLN DENIED IT."]
    alone = [_signature(load_nlp()(model_view(t))) for t in texts]
    parse_ahead(texts)
    try:
        assert [_signature(parse(t)) for t in texts] == alone
    finally:
        forget_parsed()


def test_many_short_lines_parse_in_linear_time() -> None:
    # doc.text read once per line break made this quadratic: 8,000 lines took 432 s
    text = "\n".join(f"word{i}" for i in range(8000))
    started = time.perf_counter()
    doc = parse(text)
    assert time.perf_counter() - started < 60
    assert sum(1 for _ in doc.sents) > 1000  # each short line is a header: its own sentence


def test_forked_workers_extract_exactly_what_one_process_does() -> None:
    articles = [_article(i) for i in range(2 * extract.PARSE_BATCH + 3)]
    one = extract_articles(articles, None, workers=1, timeout=0)
    two = extract_articles(articles, None, workers=2, timeout=0)
    assert not one.failures and not two.failures
    assert two.extractions == one.extractions
    assert two.extracted_ids == one.extracted_ids == sorted(a.article_id for a in articles)


def test_an_article_over_its_time_budget_is_rejected_and_the_run_goes_on(monkeypatch) -> None:
    from pipeline.extraction import article as article_module

    real = article_module.extract_article

    def slow_for_one(article_id, *args, **kwargs):
        if article_id == "art-001":
            while True:  # a runaway article; only the budget stops it
                time.sleep(0.01)
        return real(article_id, *args, **kwargs)

    monkeypatch.setattr(article_module, "extract_article", slow_for_one)
    store = MemoryStore()
    articles = [_article(i) for i in range(3)]
    run = extract_articles(articles, store, workers=1, timeout=0.5)
    assert run.failures == {"art-001": "extraction exceeded the 0.5 s time budget"}
    assert [e.article_id for e in run.extractions] == ["art-000", "art-002"]
    assert store.items[cache_key(articles[1])] == over_budget_reason(0.5)

    # the stored rejection stands under the same budget and is tried again under a larger one
    again = extract_articles(articles, store, workers=1, timeout=0.5)
    assert again.extracted_ids == [] and again.failures == run.failures
    monkeypatch.setattr(article_module, "extract_article", real)
    retried = extract_articles(articles, store, workers=1, timeout=30)
    assert retried.extracted_ids == ["art-001"] and not retried.failures


def test_the_time_budget_holds_in_forked_workers_too(monkeypatch) -> None:
    from pipeline.extraction import article as article_module

    real = article_module.extract_article

    def slow_for_one(article_id, *args, **kwargs):
        while article_id == "art-020":
            time.sleep(0.01)
        return real(article_id, *args, **kwargs)

    monkeypatch.setattr(article_module, "extract_article", slow_for_one)  # the workers inherit it
    articles = [_article(i) for i in range(2 * extract.PARSE_BATCH + 1)]
    run = extract_articles(articles, None, workers=2, timeout=1)
    assert run.failures == {"art-020": "extraction exceeded the 1 s time budget"}
    assert len(run.extractions) == len(articles) - 1


def test_an_article_that_kills_its_worker_fails_alone(monkeypatch) -> None:
    import os

    from pipeline.extraction import article as article_module

    real = article_module.extract_article

    def fatal_for_one(article_id, *args, **kwargs):
        if article_id == "art-005":
            os._exit(3)  # as a crash in native code or the kernel's OOM killer would end it
        return real(article_id, *args, **kwargs)

    monkeypatch.setattr(article_module, "extract_article", fatal_for_one)
    articles = [_article(i) for i in range(2 * extract.PARSE_BATCH + 1)]
    run = extract_articles(articles, None, workers=2, timeout=30)
    assert run.failures == {"art-005": "extraction failed: its process died (exit code 3)"}
    assert len(run.extractions) == len(articles) - 1


def test_the_time_budget_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("SITREP_ARTICLE_TIMEOUT", "12.5")
    assert extract.article_timeout() == 12.5
    monkeypatch.setenv("SITREP_ARTICLE_TIMEOUT", "0")
    assert extract.article_timeout() == 0
    monkeypatch.delenv("SITREP_ARTICLE_TIMEOUT")
    assert extract.article_timeout() == extract.DEFAULT_ARTICLE_TIMEOUT == 60
    assert over_budget_reason(60.0) == "extraction exceeded the 60 s time budget"


def test_workers_default_to_the_cores_this_process_may_use() -> None:
    import os

    assert extract.default_workers() == len(os.sched_getaffinity(0)) >= 1


@pytest.mark.slow
def test_the_build_counts_every_extracted_article_beyond_the_listed_ids(tmp_path: Path, monkeypatch) -> None:
    from pipeline.assets import extract as extract_asset
    from pipeline.cli import run_build

    monkeypatch.setattr(extract_asset, "LISTED_IDS", 1)  # metadata lists one ID; the count stays whole
    raw = Path(__file__).parent / "fixtures" / "raw"
    ok, info = run_build(raw, tmp_path / "w", include_quotes=True, workers=1, quiet=True)
    assert ok, info
    assert len(info["extracted_ids"]) == 1 and info["n_extracted"] == 3


_MARKS: list[Path] = []
_REAL_CHUNK = extract._extract_chunk


def _marked_chunk(chunk, budget):
    """Runs in a forked worker: leaves a file per chunk it extracted (pickled by name, so module level)."""
    (_MARKS[-1] / chunk[0].article_id).touch()
    return _REAL_CHUNK(chunk, budget)


def test_an_interrupted_parallel_extraction_drops_the_chunks_not_yet_started(tmp_path: Path, monkeypatch) -> None:
    _MARKS.append(tmp_path)
    monkeypatch.setattr(extract, "_extract_chunk", _marked_chunk)
    articles = [_article(i) for i in range(extract.PARSE_BATCH * 8)]

    def interrupt(done, total, seconds, hits):
        if done:  # the first chunk is in: the user presses Ctrl-C (or the build gets SIGTERM)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        extract_articles(articles, MemoryStore(), workers=2, progress=interrupt, timeout=0)
    assert len(list(tmp_path.iterdir())) < 8  # the chunks still queued never ran
