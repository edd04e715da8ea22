"""Normalise: every current article's extraction → the six contract tables (merged incidents, actors, IDs).

Unpartitioned: it reads all batches' results from the extraction store, for the articles the raw
folder holds now (so removed files drop out and duplicates stay out), and re-normalises the whole
set, which is cheap next to extraction.
"""

import dagster as dg
import pandas as pd

from pipeline.assets.extract import article_extractions
from pipeline.contract import column_specs
from pipeline.extract import extract_articles, extractor_version
from pipeline.ingest import RawArticle, articles_frame
from pipeline.normalise import build_tables
from pipeline.resources import SitrepStorage
from pipeline.schemas import TABLES


def _column_schema(table: str) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(c.name, str(c.arrow_type), description=c.description,
                       constraints=dg.TableColumnConstraints(nullable=c.nullable, unique=c.unique))
        for c in column_specs(table)])


@dg.multi_asset(
    group_name="normalise",
    outs={name: dg.AssetOut(description=spec.description, kinds={"pandas"},
                            metadata={"dagster/column_schema": _column_schema(name)})
          for name, spec in TABLES.items()},
    deps=[article_extractions],
)
def normalised_tables(context: dg.AssetExecutionContext, storage: SitrepStorage, raw_articles: list[RawArticle]):
    """Merge incidents across articles, resolve actors and assign content-derived IDs.

    Extractions come from the store. An ok article the store lacks (its batch has not run yet,
    or the extractor changed since) is extracted here, with a warning naming it, so a release is
    never missing an article; in the normal flow the count is zero.
    """
    run = extract_articles(raw_articles, storage.extraction_store(), workers=storage.workers)
    if run.extracted_ids:
        context.log.warning(
            f"{len(run.extracted_ids)} article(s) had no stored extraction (batch not yet extracted, or the "
            f"extractor changed) and were extracted here: {', '.join(run.extracted_ids[:20])}")
    articles = articles_frame(raw_articles)
    if run.failures:
        failed = articles["article_id"].isin(list(run.failures))
        articles.loc[failed, "status"] = "rejected"
        articles.loc[failed, "status_reason"] = articles.loc[failed, "article_id"].map(run.failures)
    tables = build_tables(articles, run.extractions, extractor_version()).as_dict()
    for name in TABLES:
        frame: pd.DataFrame = tables[name]
        preview = frame.head(10).drop(columns=[c for c in ("quote", "summary", "aliases") if c in frame.columns])
        extra = {"articles_from_store": run.cache_hits, "extracted_here": len(run.extracted_ids),
                 "extracted_here_ids": dg.MetadataValue.json(run.extracted_ids[:500])} if name == "articles" else {}
        yield dg.Output(frame, output_name=name, metadata={
            "dagster/row_count": len(frame),
            **extra,
            "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "(empty)"),
        })
