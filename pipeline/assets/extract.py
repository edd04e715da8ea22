"""Extract asset: articles → per-article extractions (incremental through the extraction cache)."""

import dagster as dg

from pipeline.extract import ExtractionRun, extract_articles, extractor_version
from pipeline.ingest import RawArticle
from pipeline.resources import SitrepStorage

PROGRESS_EVERY_SECONDS = 5.0


@dg.asset(group_name="extract", kinds={"python", "spacy"})
def article_extractions(context: dg.AssetExecutionContext, storage: SitrepStorage,
                        raw_articles: list[RawArticle]) -> dg.Output[ExtractionRun]:
    """Mentions, incident candidates and relations of every ok article; unchanged articles come from cache."""
    last = [0.0]

    def progress(done: int, total: int, elapsed: float, hits: int) -> None:
        if done == total or elapsed - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = elapsed
            new = done - hits
            rate = f"{new / elapsed:.1f} articles/s" if elapsed > 0 and new else "-"
            context.log.info(f"extraction: {done}/{total} articles ({hits} from cache), {rate}")

    run = extract_articles(raw_articles, storage.cache_path(), workers=storage.workers, progress=progress)
    for article_id, reason in run.failures.items():
        context.log.error(f"{article_id}: {reason}")
    return dg.Output(run, metadata={
        "extractor_version": extractor_version(),
        "articles_extracted": len(run.extracted_ids),
        "articles_from_cache": run.cache_hits,
        "extracted_ids": dg.MetadataValue.json(run.extracted_ids[:500]),
        "failures": len(run.failures),
        "incident_candidates": sum(len(e.incidents) for e in run.extractions),
    })
