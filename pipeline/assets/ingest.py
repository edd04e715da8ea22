"""Ingest: the raw folder (an external asset) → article records, every file accounted for."""

import hashlib
from collections import Counter

import dagster as dg

from pipeline.batches import RawFile, listing_fingerprint, recorded_hashes
from pipeline.config import REPO_ROOT
from pipeline.ingest import RawArticle, articles_frame, scan_raw_entries
from pipeline.resources import SitrepStorage

raw_files = dg.AssetSpec(
    "raw_files", group_name="ingest", kinds={"file"},
    description="Article files under the raw folder (SITREP_RAW_DIR); written by people and feeds, "
                "watched by `raw_folder_sensor`.",
)


def code_fingerprint() -> str:
    """Hash of the pipeline's code and data: a release may change when any of it changes."""
    digest = hashlib.sha256()
    root = REPO_ROOT / "pipeline"
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".csv", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def release_inputs_fingerprint(listing: list[RawFile], storage: SitrepStorage) -> str:
    """Everything a release depends on: the raw listing, the code and the quotes switch."""
    parts = [listing_fingerprint(listing), code_fingerprint(), f"quotes={storage.include_quotes}"]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@dg.asset(group_name="ingest", kinds={"python"}, code_version="2", deps=[raw_files])
def raw_articles(context: dg.AssetExecutionContext, storage: SitrepStorage) -> dg.Output[list[RawArticle]]:
    """Every document under the raw folder, parsed, dated and marked ok, duplicate or rejected."""
    listing = storage.list_raw_files()
    inputs = release_inputs_fingerprint(listing, storage)
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
        "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "(empty)"),
    })
