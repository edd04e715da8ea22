"""One bad file must never stop a release: hostile input, path safety, the publish lock.

The hostile corpus (``tests/hostile_corpus.py``) is generated into ``tmp_path`` at test time. The
end-to-end test runs two ``sitrep build`` processes at once over it into one warehouse: both must
succeed, publish one release between them, give every raw entry exactly one ``articles`` row with
the expected status and reason, keep the good articles' incidents as they are alone, read nothing
outside the raw folder, and stay within bounded time and memory.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipeline import contract
from pipeline.contract import validation_report
from pipeline.extraction.dates import resolve_publication_date
from pipeline.ingest import article_from_text, articles_frame, scan_raw_entries, scan_raw_folder
from pipeline.rawfolder import list_local_raw_folder, read_local_raw
from pipeline.release.publish import (
    WarehouseLocked,
    lease_lock,
    list_releases,
    publish_release,
    warehouse_lock,
)
from pipeline.schemas import TABLES

sys.path.insert(0, str(Path(__file__).parent))
from hostile_corpus import GOOD, SECRET, build_hostile_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path):
    return build_hostile_corpus(tmp_path / "hostile")


# --------------------------------------------------------------------------- ingest, no extraction

class _OpenAudit:
    """Every path the process opens while ``active`` (a ``sys.addaudithook`` hook cannot be removed)."""

    active = False
    opened: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.active and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            cls.opened.append(os.fsdecode(args[0]))


sys.addaudithook(_OpenAudit.hook)


def test_every_hostile_entry_gets_one_row_with_its_reason_and_nothing_outside_is_opened(corpus):
    _OpenAudit.opened = []
    _OpenAudit.active = True
    started = time.monotonic()
    try:
        articles = scan_raw_folder(corpus.raw)
    finally:
        _OpenAudit.active = False
    elapsed = time.monotonic() - started

    rows = Counter(a.source_path for a in articles)
    assert sorted(rows) == sorted(corpus.expected) and set(rows.values()) == {1}
    for a in articles:
        status, reason = corpus.expected[a.source_path]
        assert (a.status, reason in (a.status_reason or "")) == (status, True), (a.source_path, a.status_reason)
    raw_real = os.path.realpath(corpus.raw)
    outside = [p for p in _OpenAudit.opened if not os.path.realpath(p).startswith(raw_real + os.sep)
               and not p.startswith(sys.prefix) and not p.startswith(str(REPO))]
    assert outside == []
    assert not any(SECRET in (a.body + (a.title or "")) for a in articles)
    frame = articles_frame(articles)
    assert validation_report("articles", frame, {"articles": frame}).passed
    assert frame["article_id"].is_unique
    assert elapsed < 20, f"ingest of the hostile corpus took {elapsed:.1f} s"


def test_article_ids_are_unique_and_the_same_on_every_scan(corpus):
    first = [(a.source_path, a.article_id) for a in scan_raw_folder(corpus.raw)]
    second = [(a.source_path, a.article_id) for a in scan_raw_folder(corpus.raw)]
    assert first == second
    ids = [i for _, i in first]
    assert len(ids) == len(set(ids))
    dup_ids = {i for p, i in first if p.startswith("ids/") and "truncation" in p}
    assert len(dup_ids) == 2  # long paths that share their first 120 characters stay apart


def test_special_files_and_links_are_listed_with_a_reason_and_never_read(corpus):
    listing = {f.path: f for f in list_local_raw_folder(corpus.raw)}
    for path in ("special/pipe.md", "links/outside-file.md", "links/loop-a.md", "links/whole-raw-folder",
                 "limits/sparse-huge.md", "names/caf\\xe9-report.md"):
        assert listing[path].problem, path
    assert listing["links/mosul-link.md"].problem is None  # a link inside the folder is read
    for path, reason in (("special/pipe.md", "named pipe"), ("links/outside-file.md", "outside the raw folder"),
                         ("limits/sparse-huge.md", "bytes per file")):
        with pytest.raises(Exception, match=reason):
            read_local_raw(corpus.raw, path)


def test_publication_dates_outside_1900_to_tomorrow_are_passed_over_with_a_note():
    today = dt.date(2026, 12, 7)
    epoch = article_from_text("e.md", "---\npublished: 1646092800\n---\nKABUL (Reuters) - Calm.", today)
    assert epoch.published_date is None and "is a number" in epoch.status_reason
    old = article_from_text("o.md", "---\npublished: 1066-10-14\n---\nLIMA, 20 AUG 88 (EFE) -- Calm.", today)
    assert (old.published_date, old.published_date_source) == (dt.date(1988, 8, 20), "dateline")
    assert "before 1900-01-01" in old.status_reason
    future = article_from_text("f.md", "---\npublished: 2026-12-09\n---\nCalm.", today)
    assert future.published_date is None and future.refused_future_date
    assert article_from_text("t.md", "---\npublished: 2026-12-08\n---\nCalm.", today).published_date == dt.date(2026, 12, 8)
    bad = article_from_text("b.md", "---\npublished: 2022-13-45\n---\nCalm.", today)
    assert bad.status == "ok" and "'published: 2022-13-45' is not a calendar date" in bad.status_reason
    hastings = resolve_publication_date(None, "HASTINGS, England (Oct. 14, 1066) - A battle, 14 March 2020.")
    assert hastings.source == "text" and hastings.date.year == 2020  # not the dateline's 1066
    assert resolve_publication_date(None, "Talks on 3 March 2100 and 2 May 2019.", latest=today).date == dt.date(2019, 5, 2)


def test_publication_date_inference_is_bounded_on_a_huge_text():
    body = "Jan. 5, 2022 and 1 May 2021. " * 1_000_000  # 29 MB, dense with dates
    started = time.monotonic()
    assert resolve_publication_date(None, body).date == dt.date(2022, 1, 5)
    assert time.monotonic() - started < 10


class _DictCache:
    def __init__(self):
        self.data: dict[str, object] = {}

    def get(self, key):
        return self.data.get(key)

    def put(self, key, value):
        self.data[key] = value


def test_unchanged_raw_files_are_not_read_again(corpus):
    cache = _DictCache()
    listing = list_local_raw_folder(corpus.raw)
    reads: list[str] = []

    def read(rel: str) -> bytes:
        reads.append(rel)
        return read_local_raw(corpus.raw, rel)

    first = scan_raw_entries(listing, read, cache=cache)
    assert first.files_read > 20 and first.files_reused == 0
    reads.clear()
    again = scan_raw_entries(list_local_raw_folder(corpus.raw), read, cache=cache)
    assert reads == [] and again.files_reused == first.files_read
    assert [(a.article_id, a.status_reason) for a in again.articles] == \
           [(a.article_id, a.status_reason) for a in first.articles]

    changed = corpus.raw / "good/idlib.md"
    changed.write_text(changed.read_text().replace("eight", "nine"))
    reads.clear()
    scan_raw_entries(list_local_raw_folder(corpus.raw), read, cache=cache)
    assert reads == ["good/idlib.md"]
    # a batch that recorded other bytes for the same path, size and mtime wins over the cache
    entry = next(f for f in list_local_raw_folder(corpus.raw) if f.path == "good/cauca.md")
    reads.clear()
    scan_raw_entries([entry], read, cache=cache, recorded={(entry.path, entry.size, entry.mtime_ns): "0" * 64})
    assert reads == ["good/cauca.md"]


def test_a_record_whose_date_was_in_the_future_is_read_again_on_a_later_day(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "soon.md").write_text("---\nid: soon\npublished: 2026-12-09\n---\nCalm.")
    cache, listing = _DictCache(), list_local_raw_folder(raw)
    monday = scan_raw_entries(listing, lambda r: read_local_raw(raw, r), cache=cache, today=dt.date(2026, 12, 7))
    assert monday.articles[0].published_date is None
    same_day = scan_raw_entries(listing, lambda r: read_local_raw(raw, r), cache=cache, today=dt.date(2026, 12, 7))
    assert same_day.files_reused == 1
    later = scan_raw_entries(listing, lambda r: read_local_raw(raw, r), cache=cache, today=dt.date(2026, 12, 9))
    assert later.files_read == 1 and later.articles[0].published_date == dt.date(2026, 12, 9)


# --------------------------------------------------------------------------- the publish lock

def _empty_tables():
    return {name: contract.empty_frame(name) for name in TABLES}


def test_a_second_publisher_waits_then_fails_naming_the_holder_and_leaves_its_temp_folders(tmp_path):
    leftover = tmp_path / "releases" / ".tmp-20240101T000000Z-1"
    leftover.mkdir(parents=True)
    heard: list[str] = []
    with warehouse_lock(tmp_path):
        with pytest.raises(WarehouseLocked, match=f"pid {os.getpid()} on "):
            publish_release(_empty_tables(), tmp_path, lock_timeout=0.5, on_wait=heard.append)
        assert leftover.exists()  # the holder may be writing it
    assert len(heard) == 1 and "another build is publishing" in heard[0] and "waiting up to 0.5 s" in heard[0]
    result = publish_release(_empty_tables(), tmp_path, lock_timeout=0)
    assert result.created and not leftover.exists()  # no holder alive: a crash's leftover


def test_a_waiting_publisher_goes_on_when_the_lock_is_released(tmp_path):
    heard: list[str] = []
    held = threading.Event()

    def hold():
        with warehouse_lock(tmp_path):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    result = publish_release(_empty_tables(), tmp_path, lock_timeout=30, on_wait=heard.append)
    holder.join()
    assert result.created and len(heard) == 1


def _publish_in_process(warehouse: str, barrier, results) -> None:
    barrier.wait()
    result = publish_release(_empty_tables(), Path(warehouse), lock_timeout=60)
    results.put((result.created, result.version, result.previous_version))


def test_two_processes_publishing_at_once_make_one_release(tmp_path):
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_publish_in_process, args=(str(tmp_path), barrier, results)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    outcomes = sorted(results.get(timeout=5) for _ in procs)
    assert [created for created, _, _ in outcomes] == [False, True]
    assert len({version for _, version, _ in outcomes}) == 1
    assert len(list_releases(tmp_path)) == 1


class _MemoryStore:
    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def read(self, key):
        with self.lock:
            return self.objects.get(key)

    def write(self, key, data):
        with self.lock:
            self.objects[key] = data

    def delete(self, key):
        with self.lock:
            self.objects.pop(key, None)


def test_lease_lock_is_exclusive_renewed_released_and_taken_over_when_expired():
    store = _MemoryStore()
    with lease_lock(store, "LOCK", "s3://bucket/w", lease=0.3, settle=0.01):
        time.sleep(0.5)  # longer than the lease: the holder's renewals keep it
        with pytest.raises(WarehouseLocked, match="s3://bucket/w: another build holds the publish lock"):
            with lease_lock(store, "LOCK", "s3://bucket/w", timeout=0.3, lease=0.3, settle=0.01):
                pass
    assert "LOCK" not in store.objects
    store.write("LOCK", json.dumps({"token": "dead", "pid": 1, "host": "gone", "since": "x",
                                    "expires": time.time() - 1}).encode())
    with lease_lock(store, "LOCK", "s3://bucket/w", timeout=0, settle=0.01):
        assert json.loads(store.objects["LOCK"])["pid"] == os.getpid()


def test_object_store_warehouse_publishes_only_under_its_lease(tmp_path):
    from pipeline.resources import LOCK_OBJECT, SitrepStorage

    storage = SitrepStorage(raw_dir=str(tmp_path / "raw"), warehouse_dir=f"file://{tmp_path / 'bucket'}",
                            staging_dir=str(tmp_path / "staging"))
    loc = storage.warehouse_location()
    loc.write(LOCK_OBJECT, json.dumps({"token": "other", "pid": 4242, "host": "worker-2", "since": "now",
                                       "expires": time.time() + 600}).encode())
    with pytest.raises(WarehouseLocked, match="pid 4242 on worker-2"):
        storage.publish(_empty_tables(), lock_timeout=0.2)
    assert storage.current_release() is None
    loc.delete(LOCK_OBJECT)
    result = storage.publish(_empty_tables(), lock_timeout=0)
    assert storage.current_release() == result.version and loc.read(LOCK_OBJECT) is None


# --------------------------------------------------------------------------- the command line

def test_cli_failures_are_one_line_naming_the_folder(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    (tmp_path / "raw").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("SITREP_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("SITREP_WAREHOUSE_DIR", str(tmp_path / "a-file" / "warehouse"))
    assert main(["build", "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"sitrep: error: {tmp_path / 'a-file' / 'warehouse'}: Not a directory"

    monkeypatch.setenv("SITREP_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("SITREP_RAW_DIR", str(tmp_path / "missing"))
    assert main(["build", "--quiet"]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"sitrep: error: raw folder {tmp_path / 'missing'} does not exist (set SITREP_RAW_DIR)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_warehouse_is_one_line_naming_it(tmp_path):
    (tmp_path / "raw").mkdir()
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir(mode=0o555)
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", "--quiet"], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "SITREP_RAW_DIR": str(tmp_path / "raw"),
                                         "SITREP_WAREHOUSE_DIR": str(warehouse)}, timeout=300)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"sitrep: error: {warehouse}") and "Permission denied" in last


# --------------------------------------------------------------------------- end to end, two builds at once

def _good_only_incidents(tmp_path: Path) -> set[tuple]:
    """The good articles' incidents built alone (a folder holding only them)."""
    from pipeline.extract import extract_articles, extractor_version
    from pipeline.normalise import build_tables

    good = tmp_path / "good-only"
    (good / "good").mkdir(parents=True)
    for path in {p.split("#")[0] for p in GOOD}:
        (good / path).write_bytes((tmp_path / "hostile" / "raw" / path).read_bytes())
    articles = scan_raw_folder(good)
    run = extract_articles(articles, None)
    tables = build_tables(articles_frame(articles), run.extractions, extractor_version()).as_dict()
    return _incident_keys(tables["incidents"].to_dict("records"))


def _incident_keys(rows: list[dict]) -> set[tuple]:
    import pandas as pd

    columns = ("incident_id", "event_type", "admin1", "location", "event_date", "fatalities_best",
               "perpetrator_actor_id", "n_sources")
    return {tuple(None if pd.isna(r[c]) else str(r[c])[:10] if c == "event_date" else r[c] for c in columns)
            for r in rows}


@pytest.mark.slow
def test_two_builds_at_once_over_the_hostile_corpus_publish_one_release(corpus, tmp_path):
    warehouse = tmp_path / "warehouse"
    env = {**os.environ, "SITREP_RAW_DIR": str(corpus.raw), "SITREP_WAREHOUSE_DIR": str(warehouse),
           "SITREP_LOCK_TIMEOUT": "300", "DAGSTER_HOME": str(tmp_path / "dagster_home")}  # one instance, as a user has
    started = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "--quiet"], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in procs]
    elapsed = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err[-3000:]
    said = " ".join(out for out, _ in outputs)
    assert said.count("published release") == 1 and said.count("nothing published") == 1, said

    assert len(list_releases(warehouse)) == 1
    con = duckdb.connect()
    articles = con.sql(f"SELECT source_path, status, status_reason, article_id "
                       f"FROM '{warehouse}/latest/articles.parquet'").fetchall()
    assert sorted(p for p, *_ in articles) == sorted(corpus.expected)
    for path, status, reason, _ in articles:
        assert status == corpus.expected[path][0] and corpus.expected[path][1] in (reason or ""), path
    incidents = con.sql(f"SELECT * FROM '{warehouse}/latest/incidents.parquet'").df().to_dict("records")
    assert len(incidents) >= 8
    assert _incident_keys(incidents) == _good_only_incidents(tmp_path)
    for path in warehouse.rglob("*"):
        if path.is_file() and path.name != ".publish.lock":
            assert SECRET.encode() not in path.read_bytes(), path
    assert elapsed < 300 and peak_mb < 1500, (elapsed, peak_mb)
