"""Run per-article extraction over many articles, incrementally and optionally in parallel.

Each article's result is kept in an extraction store (a local folder, or object storage through
``SitrepStorage``) under a key made of its text hash, ID, publication date and the extractor
fingerprint (code version + a hash of the extraction code and lexicons), so a new article costs
one article's work and any change to the extractor invalidates exactly what it must. Progress
is reported through a callback (articles done, rate). No Dagster import.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pipeline.config import DATA_DIR, EXTRACTOR_VERSION
from pipeline.extraction.records import ArticleExtraction
from pipeline.ingest import RawArticle


@dataclass
class ExtractionRun:
    extractions: list[ArticleExtraction]
    extracted_ids: list[str]  # articles extracted in this run (store misses)
    failures: dict[str, str]  # article_id → reason
    cache_hits: int  # articles (or their failures) found in the store


Progress = Callable[[int, int, float, int], None]  # done, total, seconds elapsed, cache hits


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``<EXTRACTOR_VERSION>+<hash of extraction code and data>``: recorded on every evidence row."""
    digest = hashlib.sha256()
    roots = [Path(__file__).parent / "extraction", DATA_DIR]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".csv", ".json"):
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{EXTRACTOR_VERSION}+{digest.hexdigest()[:10]}"


def cache_key(article: RawArticle) -> str:
    parts = [article.text_sha256 or "", article.article_id, str(article.published_date),
             article.published_date_source, extractor_version()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _extract_one(article: RawArticle) -> ArticleExtraction | str:
    """The extraction, or the error message: one bad article never stops the run."""
    from pipeline.extraction.article import extract_article

    try:
        return extract_article(article.article_id, article.body, article.published_date,
                               article.published_date_source)
    except Exception as exc:  # noqa: BLE001 - reported per article, the run goes on
        return f"extraction failed: {type(exc).__name__}: {exc}"


class ExtractionStore(Protocol):
    """Where extractions live between runs, by ``cache_key`` (``SitrepStorage.extraction_store``)."""

    def get(self, key: str) -> ArticleExtraction | str | None:
        """The stored extraction, the stored failure message, or None when never stored."""

    def put(self, key: str, value: ArticleExtraction | str) -> None:
        """Store an extraction (or the failure message of a deterministic failure)."""


def extract_articles(articles: Iterable[RawArticle], store: ExtractionStore | None, workers: int = 1,
                     progress: Progress | None = None) -> ExtractionRun:
    """Extractions for every ``ok`` article, in article-ID order, with per-article failures.

    Articles already in ``store`` (same text, ID, date and extractor) are not extracted again;
    failures are stored too, since extraction is deterministic and would fail the same way.
    """
    todo = sorted((a for a in articles if a.status == "ok"), key=lambda a: a.article_id)
    results: dict[str, ArticleExtraction] = {}
    failures: dict[str, str] = {}
    missing: list[RawArticle] = []
    for a in todo:
        stored = store.get(cache_key(a)) if store is not None else None
        if isinstance(stored, str):
            failures[a.article_id] = stored
        elif stored is not None:
            results[a.article_id] = stored
        else:
            missing.append(a)
    hits = len(results) + len(failures)
    started = time.monotonic()
    done = hits
    if progress:
        progress(done, len(todo), 0.0, hits)

    def finish(article: RawArticle, extraction: ArticleExtraction | str) -> None:
        nonlocal done
        done += 1
        if isinstance(extraction, str):
            failures[article.article_id] = extraction
        else:
            results[article.article_id] = extraction
        if store is not None:
            store.put(cache_key(article), extraction)
        if progress:
            progress(done, len(todo), time.monotonic() - started, hits)

    if workers > 1 and len(missing) > 20:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for article, extraction in zip(missing, pool.map(_extract_one, missing, chunksize=8), strict=False):
                finish(article, extraction)
    else:
        for article in missing:
            finish(article, _extract_one(article))
    return ExtractionRun([results[a.article_id] for a in todo if a.article_id in results],
                         [a.article_id for a in missing], failures, hits)
