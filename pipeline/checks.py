"""Blocking asset checks: one per published table, built from the pandera models, and one on the release.

Each table check runs the table's schema (types, enums, ranges, row checks), primary-key
uniqueness and foreign keys across tables, and reports structured failure cases as metadata. A
failing check blocks publication, so a release never holds rows that break the contract.

``release_datapackage`` validates the published ``datapackage.json`` with Frictionless, offline.
The gate itself sits inside publication (``release.publish``): a release whose descriptor does not
validate is never renamed into place, so this check records the result in the UI and fails the
run if a published release was altered since.
"""

import dagster as dg
import pandas as pd

from pipeline.assets.publish import release
from pipeline.contract import validation_report
from pipeline.release.manifest import DATAPACKAGE, validate_datapackage
from pipeline.resources import SitrepStorage
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


@dg.asset_check(asset=release, blocking=True,
                description="The current release's datapackage.json validates with Frictionless, offline: "
                            "descriptor, every file's bytes and sha256, and the Parquet rows against the schemas.")
def release_datapackage(storage: SitrepStorage) -> dg.AssetCheckResult:
    """``frictionless validate`` on the release users see (publication already refused an invalid one)."""
    folder = storage.current_release_path()
    if folder is None:
        return dg.AssetCheckResult(passed=False, metadata={"summary": "no release has been published"})
    path, version = folder / DATAPACKAGE, folder.name
    valid, errors = validate_datapackage(path)
    return dg.AssetCheckResult(
        passed=valid, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"version": version, "descriptor": str(path), "errors": len(errors),
                  "summary": "valid" if valid else "; ".join(errors[:5]),
                  "failure_cases": dg.MetadataValue.md("\n".join(f"- {e}" for e in errors[:50])) if errors else "none"})
