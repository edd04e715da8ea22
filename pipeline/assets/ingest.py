"""Ingest asset: the raw folder → article records (every file accounted for)."""

from collections import Counter

import dagster as dg

from pipeline.ingest import RawArticle, articles_frame, scan_raw_folder
from pipeline.resources import SitrepStorage


@dg.asset(group_name="ingest", kinds={"python"}, code_version="1")
def raw_articles(context: dg.AssetExecutionContext, storage: SitrepStorage) -> dg.Output[list[RawArticle]]:
    """Every document under the raw folder, parsed, dated and marked ok, duplicate or rejected."""
    articles = scan_raw_folder(storage.raw_path())
    status = Counter(a.status for a in articles)
    for a in articles:
        if a.status == "rejected":
            context.log.warning(f"{a.source_path}: rejected — {a.status_reason}")
    frame = articles_frame(articles)
    preview = frame[["article_id", "source_path", "published_date", "published_date_source", "status"]].head(20)
    return dg.Output(articles, metadata={
        "dagster/row_count": len(articles),
        "ok": status.get("ok", 0), "duplicate": status.get("duplicate", 0), "rejected": status.get("rejected", 0),
        "raw_dir": str(storage.raw_path()),
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "(empty)"),
    })
