"""Blocking asset checks built from the pandera models: one per published table.

Each check runs the table's schema (types, enums, ranges, row checks), primary-key uniqueness
and foreign keys across tables, and reports structured failure cases as metadata. A failing
check blocks publication, so a release never holds rows that break the contract.
"""

import dagster as dg
import pandas as pd

from pipeline.contract import validation_report
from pipeline.schemas import TABLES


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(f"{name}_contract", asset=name, blocking=True,
                             description=f"`{name}` conforms to the data contract (schema, primary key, foreign keys).")
           for name in TABLES],
    ins={name: dg.AssetIn(name) for name in TABLES},
)
def contract_checks(articles: pd.DataFrame, incidents: pd.DataFrame, incident_sources: pd.DataFrame,
                    actors: pd.DataFrame, actor_mentions: pd.DataFrame, relations: pd.DataFrame):
    """Validate every table against the contract, with foreign keys resolved across tables."""
    tables = {"articles": articles, "incidents": incidents, "incident_sources": incident_sources,
              "actors": actors, "actor_mentions": actor_mentions, "relations": relations}
    for name in TABLES:
        report = validation_report(name, tables[name], tables)
        failures = pd.DataFrame(report.failures)
        yield dg.AssetCheckResult(
            asset_key=name, check_name=f"{name}_contract", passed=report.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows": report.n_rows, "violations": len(report.failures),
                "summary": report.summary(),
                "failure_cases": dg.MetadataValue.md(failures.head(20).to_markdown(index=False)) if len(failures) else "none",
            })
