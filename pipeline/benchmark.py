"""Speed and memory benchmark (`python -m pipeline.benchmark RAW_DIR`): not a test, a measurement.

Reports words/s of bare spaCy (the same model and components, on the same texts) beside words/s
of Sitrep's whole per-article extraction, and the peak resident memory. The issue's budget is
extraction within 2x of bare spaCy.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from pipeline.ingest import scan_raw_folder


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def run(raw: Path, limit: int | None = None) -> dict:
    articles = [a for a in scan_raw_folder(raw) if a.status == "ok"][:limit]
    texts = [a.body for a in articles]
    words = _words(texts)

    from pipeline.extraction.actors import load_registry
    from pipeline.extraction.article import extract_article
    from pipeline.extraction.nlp import load_nlp, model_view
    from pipeline.extraction.places import load_gazetteer

    started = time.perf_counter()
    nlp = load_nlp()
    load_gazetteer()
    load_registry()
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for _doc in nlp.pipe(model_view(t) for t in texts):
        pass
    spacy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for a in articles:
        extract_article(a.article_id, a.body, a.published_date, a.published_date_source)
    extract_seconds = time.perf_counter() - started
    return {
        "articles": len(articles), "words": words, "load_seconds": round(load_seconds, 2),
        "spacy_words_per_s": round(words / spacy_seconds), "extraction_words_per_s": round(words / extract_seconds),
        "extraction_over_spacy": round(extract_seconds / spacy_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--record", action="store_true", help="store the figures in pipeline/benchmark.json")
    args = parser.parse_args(argv)
    result = run(Path(args.raw_dir), args.limit)
    print(json.dumps(result, indent=2))
    if args.record:
        from datetime import date

        from pipeline.cli import _git_commit
        from pipeline.config import portable_path

        result.update(measured_on=date.today().isoformat(), commit=_git_commit(), texts=portable_path(args.raw_dir))
        (Path(__file__).parent / "benchmark.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
