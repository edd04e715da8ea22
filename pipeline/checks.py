"""Blocking asset checks: one per published table, built from the pandera models, and one on the release.

Each table check runs the table's schema (types, enums, ranges, row checks), primary-key
uniqueness and foreign keys across tables, and reports structured failure cases as metadata. A
failing check blocks publication, so a release never holds rows that break the contract.

``release_datapackage`` validates the published ``datapackage.json`` offline. The gate itself sits
inside publication (``release.publish``): a release whose descriptor does not validate is never
renamed into place, so this check adds the row-level pass for a new release, records the result
in the UI and fails the run if a published release was altered since; its cost follows what the
run changed (see the check's docstring).
"""

import dagster as dg
import pandas as pd

from pipeline.assets.publish import release
from pipeline.contract import validation_report
from pipeline.release.manifest import DATAPACKAGE, altered_file_errors, validate_datapackage
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


def _release_created_in_run(context: dg.AssetCheckExecutionContext) -> bool | None:
    """Whether ``release`` materialised in this run created a new release (None: not materialised here)."""
    event = context.instance.get_latest_materialization_event(release.key)
    if event is None or event.run_id != context.run.run_id:
        return None
    created = event.asset_materialization.metadata.get("created")
    return bool(created.value) if created is not None else None


@dg.asset_check(asset=release, blocking=True,
                description="The current release's datapackage.json validates offline: descriptor, every file's "
                            "bytes and sha256 (Frictionless), and the Parquet rows against the schemas.")
def release_datapackage(context: dg.AssetCheckExecutionContext, storage: SitrepStorage) -> dg.AssetCheckResult:
    """Validate the release users see, at the cost of what this run changed.

    - published by this run: publication already ran ``frictionless validate`` (descriptor, bytes,
      sha256) before the rename, so only the rows are checked (column-wise in Arrow);
    - nothing changed in this run: that release was validated when it was published; only its
      files are checked for alteration since (``altered_file_errors``: a stat each), so an
      unchanged build stays cheap;
    - run alone (no ``release`` in this run): everything.
    """
    folder = storage.current_release_path()
    if folder is None:
        return dg.AssetCheckResult(passed=False, metadata={"summary": "no release has been published"})
    path, version = folder / DATAPACKAGE, folder.name
    created = _release_created_in_run(context)
    if created is False:
        scope = "files unaltered (release unchanged since it was validated at publication)"
        errors = altered_file_errors(path)
    elif created:
        scope = "rows (publication validated descriptor, bytes and sha256)"
        errors = validate_datapackage(path, check_files=False)[1]
    else:
        scope = "descriptor, bytes, sha256 and rows"
        errors = validate_datapackage(path)[1]
    valid = not errors
    return dg.AssetCheckResult(
        passed=valid, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"version": version, "descriptor": str(path), "checked": scope, "errors": len(errors),
                  "summary": "valid" if valid else "; ".join(errors[:5]),
                  "failure_cases": dg.MetadataValue.md("\n".join(f"- {e}" for e in errors[:50])) if errors else "none"})
