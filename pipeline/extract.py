"""Run per-article extraction over many articles, incrementally and optionally in parallel.

Each article's result is kept in an extraction store (a local folder, or object storage through
``SitrepStorage``) under a key made of its text hash, ID, publication date and the extractor
fingerprint (code version + a hash of the extraction code and lexicons), so a new article costs
one article's work and any change to the extractor invalidates exactly what it must. Progress
is reported through a callback (articles done, rate). No Dagster import.

Throughput: the extractor (spaCy model, gazetteer, actor registry, count patterns) is loaded once,
then worker processes are forked (default: one per core) and share it; each parses
``PARSE_BATCH`` articles at a time with ``nlp.pipe``. Each article has a time budget
(``SITREP_ARTICLE_TIMEOUT``, 60 s): one over it is rejected with that reason and the run goes on.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pipeline.config import DATA_DIR, EXTRACTOR_VERSION
from pipeline.extraction.records import ArticleExtraction
from pipeline.ingest import RawArticle

DEFAULT_ARTICLE_TIMEOUT = 60.0
"""Seconds one article's extraction may take before it is rejected (``SITREP_ARTICLE_TIMEOUT``)."""
PARSE_BATCH = 16
"""Articles parsed together by ``nlp.pipe`` (and handed to a worker as one task)."""
ISOLATED_GRACE_SECONDS = 10.0
"""How long past its budget an article run alone (after a worker died) may take before it is killed."""


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


class ExtractionStore(Protocol):
    """Where extractions live between runs, by ``cache_key`` (``SitrepStorage.extraction_store``)."""

    def get(self, key: str) -> ArticleExtraction | str | None:
        """The stored extraction, the stored failure message, or None when never stored."""

    def put(self, key: str, value: ArticleExtraction | str) -> None:
        """Store an extraction (or the failure message of a deterministic failure)."""


def default_workers() -> int:
    """The machine's cores (those this process may run on): the default number of extraction processes."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def article_timeout() -> float:
    """Seconds one article's extraction may take (``SITREP_ARTICLE_TIMEOUT``, default 60; 0 = no budget)."""
    value = os.environ.get("SITREP_ARTICLE_TIMEOUT", "").strip()
    try:
        return max(0.0, float(value)) if value else DEFAULT_ARTICLE_TIMEOUT
    except ValueError:
        return DEFAULT_ARTICLE_TIMEOUT


def over_budget_reason(seconds: float) -> str:
    return f"extraction exceeded the {seconds:g} s time budget"


_OVER_BUDGET = re.compile(r"^extraction exceeded the ([0-9.e+]+) s time budget$")


def _stored_timeout_retried(stored: str, budget: float) -> bool:
    """A time-budget failure stored under a smaller budget than today's is tried again."""
    match = _OVER_BUDGET.match(stored)
    return match is not None and (budget <= 0 or float(match.group(1)) < budget)


class _OverBudget(BaseException):
    """Raised by the alarm inside an article's extraction; a BaseException so that no ``except
    Exception`` in the extraction code can swallow it."""


@contextmanager
def _time_budget(seconds: float):
    """Interrupt the block after ``seconds`` with ``_OverBudget`` (SIGALRM, so only in a main thread;
    elsewhere, e.g. a Dask worker thread, the block runs without a budget)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_extractor(all_patterns: bool = True) -> None:
    """Load everything extraction needs (model, gazetteer, registry and, with ``all_patterns``, every
    count pattern) into this process, so processes forked afterwards share it instead of loading it
    again. Without ``all_patterns`` the count patterns compile as articles need them (~3 CPU s for
    all: a few articles need only some)."""
    from pipeline.extraction.actors import load_registry
    from pipeline.extraction.nlp import load_nlp
    from pipeline.extraction.numbers import compile_patterns
    from pipeline.extraction.places import load_gazetteer

    load_nlp()
    load_gazetteer()
    load_registry()
    if all_patterns:
        compile_patterns()


def _extract_one(article: RawArticle, budget: float) -> ArticleExtraction | str:
    """The extraction, or the reason it failed: one bad or slow article never stops the run."""
    from pipeline.extraction.article import extract_article

    try:
        with _time_budget(budget):
            return extract_article(article.article_id, article.body, article.published_date,
                                   article.published_date_source, article.published_date_precision)
    except _OverBudget:
        return over_budget_reason(budget)
    except Exception as exc:  # noqa: BLE001 - reported per article, the run goes on
        return f"extraction failed: {type(exc).__name__}: {exc}"


def _extract_chunk(articles: list[RawArticle], budget: float) -> list[tuple[str, ArticleExtraction | str]]:
    """Extract a few articles with their texts parsed together (``nlp.pipe``), each within ``budget``.

    The joint parse gets the chunk's combined budget; if it runs out, each article is parsed on
    its own inside its own budget, so only the article at fault is rejected.
    """
    from pipeline.extraction.boilerplate import mask_boilerplate
    from pipeline.extraction.nlp import forget_parsed, parse_ahead

    try:
        with _time_budget(budget * len(articles)):
            # the text the extraction parses: the body with its boilerplate masked (a body parsed
            # as it is would be parsed again, alone, for every article with boilerplate)
            parse_ahead([mask_boilerplate(a.body) for a in articles])
    except _OverBudget:
        pass
    try:
        return [(a.article_id, _extract_one(a, budget)) for a in articles]
    finally:
        forget_parsed()


def _isolated_main(article: RawArticle, budget: float, conn) -> None:
    conn.send(_extract_one(article, budget))
    conn.close()


def _extract_isolated(article: RawArticle, budget: float) -> ArticleExtraction | str:
    """One article in a forked process of its own, after a worker died: the article that kills its
    process, or outlives its budget inside native code the alarm cannot interrupt, fails alone."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_isolated_main, args=(article, budget, sender))
    process.start()
    sender.close()
    timed_out = False
    try:
        if receiver.poll(budget + ISOLATED_GRACE_SECONDS if budget > 0 else None):
            return receiver.recv()
        timed_out = True
    except EOFError:
        pass  # the process ended without an answer
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if timed_out:
        return over_budget_reason(budget)
    return f"extraction failed: its process died (exit code {process.exitcode})"


def _can_fork_workers() -> bool:
    """Worker processes are forked (sharing the loaded extractor); daemonic processes such as Dask's
    workers may not have children."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def extract_articles(articles: Iterable[RawArticle], store: ExtractionStore | None, workers: int = 0,
                     progress: Progress | None = None, timeout: float | None = None) -> ExtractionRun:
    """Extractions for every ``ok`` article, in article-ID order, with per-article failures.

    Articles already in ``store`` (same text, ID, date and extractor) are not extracted again;
    failures are stored too, since extraction is deterministic and would fail the same way (a
    time-budget failure is tried again under a larger budget). ``workers`` processes (0: the
    machine's cores) are forked after the extractor is loaded; each parses its articles in
    batches of ``PARSE_BATCH``. ``timeout`` is the per-article budget in seconds (default
    ``SITREP_ARTICLE_TIMEOUT``): an article over it fails with ``over_budget_reason``.
    """
    budget = article_timeout() if timeout is None else timeout
    workers = workers if workers > 0 else default_workers()
    todo = sorted((a for a in articles if a.status == "ok"), key=lambda a: a.article_id)
    results: dict[str, ArticleExtraction] = {}
    failures: dict[str, str] = {}
    missing: list[RawArticle] = []
    for a in todo:
        stored = store.get(cache_key(a)) if store is not None else None
        if isinstance(stored, str) and not _stored_timeout_retried(stored, budget):
            failures[a.article_id] = stored
        elif stored is not None and not isinstance(stored, str):
            results[a.article_id] = stored
        else:
            missing.append(a)
    hits = len(results) + len(failures)
    started = time.monotonic()
    done = hits
    if progress:
        progress(done, len(todo), 0.0, hits)
    by_id = {a.article_id: a for a in missing}

    def finish(chunk_results: list[tuple[str, ArticleExtraction | str]]) -> None:
        nonlocal done
        for article_id, extraction in chunk_results:
            done += 1
            if isinstance(extraction, str):
                failures[article_id] = extraction
            else:
                results[article_id] = extraction
            if store is not None:
                store.put(cache_key(by_id[article_id]), extraction)
        if progress:
            progress(done, len(todo), time.monotonic() - started, hits)

    chunks = [missing[i:i + PARSE_BATCH] for i in range(0, len(missing), PARSE_BATCH)]
    workers = min(workers, len(chunks))
    forking = workers > 1 and _can_fork_workers()
    if missing:
        load_extractor(all_patterns=forking)
    if forking:
        unfinished = {id(chunk): chunk for chunk in chunks}
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_extract_chunk, chunk, budget): chunk for chunk in chunks}
                try:
                    for future in as_completed(futures):
                        finish(future.result())
                        del unfinished[id(futures[future])]
                except BaseException as exc:
                    if not isinstance(exc, BrokenProcessPool):
                        # Interrupted (SIGINT, or SIGTERM, which Dagster maps to it): the queued chunks
                        # are dropped, so the build stops once the chunks already running end.
                        pool.shutdown(wait=False, cancel_futures=True)
                    raise
        except BrokenProcessPool:  # a worker died (killed, out of memory, a crash in native code)
            for chunk in unfinished.values():
                for article in chunk:
                    finish([(article.article_id, _extract_isolated(article, budget))])
    else:
        for chunk in chunks:
            finish(_extract_chunk(chunk, budget))
    return ExtractionRun([results[a.article_id] for a in todo if a.article_id in results],
                         [a.article_id for a in missing], failures, hits)
