"""Extract: one ingestion batch of raw files → per-article extractions in the extraction store.

Partitioned by ``ingest_batches`` (one partition per recorded batch, see ``pipeline.batches``), so a
new article costs one article's work: the partition reads only its batch's files, and articles the
store already holds (same text, ID, date and extractor) are not extracted again. Results go to the
store, not through the IO manager: ``normalised_tables`` reads every current article from it.
"""

import dagster as dg

from pipeline.assets.ingest import raw_files
from pipeline.extract import extract_articles, extractor_version
from pipeline.ingest import scan_raw_files
from pipeline.progress import progress_bar
from pipeline.resources import SitrepStorage

PROGRESS_EVERY_SECONDS = 5.0
LISTED_IDS = 500
"""How many article IDs the materialisation metadata lists before it only counts."""

ingest_batches = dg.DynamicPartitionsDefinition(name="ingest_batches")


@dg.asset(group_name="extract", kinds={"python", "spacy"}, partitions_def=ingest_batches, deps=[raw_files],
          code_version=extractor_version())
def article_extractions(context: dg.AssetExecutionContext, storage: SitrepStorage) -> dg.MaterializeResult:
    """Mentions, incident candidates and relations of the batch's ok articles, kept in the extraction store."""
    key = context.partition_key
    batch = storage.batch(key)
    if batch is None:
        raise dg.Failure(f"ingestion batch {key} has no manifest under {storage.warehouse_location().display}/batches",
                         allow_retries=False)
    present = storage.existing_raw_files(batch.paths)
    removed = sorted(set(batch.paths) - set(present))
    if removed:
        context.log.info(f"batch {key}: {len(removed)} file(s) no longer in the raw folder: {', '.join(removed[:20])}")
    articles = scan_raw_files(present, storage.read_raw)
    last = [0.0]
    bar = progress_bar(f"batch {key}")  # drawn by `sitrep build` on the terminal; the UI gets log lines

    def progress(done: int, total: int, elapsed: float, hits: int) -> None:
        if bar is not None:
            bar.update(done, total, elapsed, hits)
        if done == total or elapsed - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = elapsed
            new = done - hits
            rate = f"{new / elapsed:.1f} articles/s" if elapsed > 0 and new else "-"
            context.log.info(f"batch {key}: {done}/{total} articles ({hits} from the store), {rate}")

    run = extract_articles(articles, storage.extraction_store(), workers=storage.workers, progress=progress)
    for article_id, reason in run.failures.items():
        context.log.error(f"{article_id}: {reason}")
    context.log.info(f"batch {key}: extracted {len(run.extracted_ids)} article(s)"
                     + (f": {', '.join(run.extracted_ids[:20])}" if run.extracted_ids else ""))
    ok_ids = sorted(a.article_id for a in articles if a.status == "ok")
    return dg.MaterializeResult(metadata={
        "batch": key,
        "files": dg.MetadataValue.json(batch.paths[:LISTED_IDS]),
        "files_removed": len(removed),
        "articles": len(ok_ids),
        "article_ids": dg.MetadataValue.json(ok_ids[:LISTED_IDS]),
        "articles_extracted": len(run.extracted_ids),
        "extracted_ids": dg.MetadataValue.json(run.extracted_ids[:LISTED_IDS]),
        "articles_from_store": run.cache_hits,
        "failures": len(run.failures),
        "incident_candidates": sum(len(e.incidents) for e in run.extractions),
        "extractor_version": extractor_version(),
    })
