"""Normalise asset: extractions → the six contract tables (merged incidents, canonical actors, IDs)."""

import dagster as dg
import pandas as pd

from pipeline.contract import column_specs
from pipeline.extract import ExtractionRun, extractor_version
from pipeline.ingest import RawArticle, articles_frame
from pipeline.normalise import build_tables
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
)
def normalised_tables(context: dg.AssetExecutionContext, raw_articles: list[RawArticle],
                      article_extractions: ExtractionRun):
    """Merge incidents across articles, resolve actors and assign content-derived IDs."""
    articles = articles_frame(raw_articles)
    if article_extractions.failures:
        failed = articles["article_id"].isin(list(article_extractions.failures))
        articles.loc[failed, "status"] = "rejected"
        articles.loc[failed, "status_reason"] = articles.loc[failed, "article_id"].map(article_extractions.failures)
    tables = build_tables(articles, article_extractions.extractions, extractor_version()).as_dict()
    for name in TABLES:
        frame: pd.DataFrame = tables[name]
        preview = frame.head(10).drop(columns=[c for c in ("quote", "summary", "aliases") if c in frame.columns])
        yield dg.Output(frame, output_name=name, metadata={
            "dagster/row_count": len(frame),
            "preview": dg.MetadataValue.md(preview.to_markdown(index=False) if len(preview) else "(empty)"),
        })
