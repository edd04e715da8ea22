"""Ingest: the raw folder (an external asset) → article records, every file accounted for."""

from collections import Counter

import dagster as dg

from pipeline.batches import recorded_hashes
from pipeline.build_state import release_inputs_fingerprint
from pipeline.ingest import RawArticle, articles_frame, scan_raw_entries
from pipeline.resources import SitrepStorage

raw_files = dg.AssetSpec(
    "raw_files", group_name="ingest", kinds={"file"},
    description="Article files under the raw folder (SITREP_RAW_DIR); written by people and feeds, "
                "watched by `raw_folder_sensor`.",
)


@dg.asset(group_name="ingest", kinds={"python"}, code_version="2", deps=[raw_files])
def raw_articles(context: dg.AssetExecutionContext, storage: SitrepStorage) -> dg.Output[list[RawArticle]]:
    """Every document under the raw folder, parsed, dated and marked ok, duplicate or rejected."""
    listing = storage.list_raw_files()
    inputs = release_inputs_fingerprint(listing, storage.include_quotes)
    scan = scan_raw_entries(listing, storage.read_raw, cache=storage.ingest_store(),
                            recorded=recorded_hashes(storage.batches()))
    articles = scan.articles
    status = Counter(a.status for a in articles)
    for a in articles:
        if a.status == "rejected":
            context.log.warning(f"{a.source_path}: rejected — {a.status_reason}")
    frame = articles_frame(articles)
    preview = frame[["article_id", "source_path", "published_date", "published_date_source", "status"]].head(20)
    return dg.Output(articles, metadata={
        "dagster/row_count": len(articles),
        "files": len(listing),
        "files_read": scan.files_read, "files_unchanged": scan.files_reused,
        "ok": status.get("ok", 0), "duplicate": status.get("duplicate", 0), "rejected": status.get("rejected", 0),
        "raw_dir": storage.raw_location().display,
        "inputs_fingerprint": inputs,
        "refused_future_dates": sum(a.refused_future_date for a in articles),
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "(empty)"),
    })
