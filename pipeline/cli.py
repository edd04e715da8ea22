"""The `sitrep` command: build a release without the UI, and score a release against gold.

`sitrep build` records new raw files as an ingestion batch and runs the main job for it
in-process (the same definitions the UI runs): only that batch is extracted, then a release is
published when anything changed. `sitrep evaluate SET_DIR` builds a release from SET_DIR/raw into
a temporary warehouse and scores it against SET_DIR/gold.jsonl. Both honour SITREP_RAW_DIR and
SITREP_WAREHOUSE_DIR and exit non-zero with a message a person can act on.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"sitrep: error: {message}", file=sys.stderr)
    return code


def run_build(raw: Path | str, warehouse: Path | str, include_quotes: bool, workers: int, quiet: bool = False,
              storage=None):
    """Run the pipeline in-process over the raw folder; returns (ok, publish metadata or failure text).

    New or changed raw files are recorded as ingestion batches first; each batch but the last is
    extracted with ``extraction_job``, the last with ``sitrep_job`` (extract, normalise, publish),
    or ``release_job`` alone when no file is new. The metadata adds ``batches`` and
    ``extracted_ids`` (the articles this build actually extracted).
    """
    import dagster as dg

    from pipeline.assets.extract import article_extractions
    from pipeline.definitions import materialize_raw_folder
    from pipeline.resources import SitrepStorage

    if storage is None:
        storage = SitrepStorage(raw_dir=str(raw), warehouse_dir=str(warehouse), include_quotes=include_quotes,
                                workers=workers)
    level = "WARNING" if quiet else "INFO"
    logging.getLogger("dagster").setLevel(level)
    with dg.DagsterInstance.ephemeral() as instance:
        try:
            batches, results = materialize_raw_folder(
                storage, instance, run_config={"loggers": {"console": {"config": {"log_level": level}}}})
        except FileNotFoundError as exc:
            return False, str(exc)
    for batch in batches:
        print(f"sitrep: batch {batch.key}: {len(batch.files)} new or changed file(s)", file=sys.stderr)
    extracted: list[str] = []  # the IDs listed in the metadata (at most LISTED_IDS per batch)
    caught_up: list[str] = []
    n_extracted = n_caught_up = 0  # the counts, never capped
    for result in results:
        for mat in result.get_asset_materialization_events():
            metadata = mat.materialization.metadata
            if mat.asset_key == article_extractions.key:
                extracted += metadata["extracted_ids"].value
                n_extracted += int(metadata["articles_extracted"].value)
            elif mat.asset_key == dg.AssetKey("articles"):
                caught_up += metadata["extracted_here_ids"].value
                n_caught_up += int(metadata["extracted_here"].value)
    result = results[-1]
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if failed_checks:
        lines = [f"{e.asset_key.to_user_string()} ({e.check_name}): "
                 f"{e.metadata['summary'].value if e.metadata.get('summary') else 'failed'}" for e in failed_checks]
        published = any(m.asset_key == dg.AssetKey("release") for m in result.get_asset_materialization_events())
        return False, ("checks failed:\n" if published else "checks failed, nothing was published:\n") + "\n".join(lines)
    if not result.success:
        errors = [_root_error(e.step_failure_data.error) for e in result.all_events
                  if e.is_step_failure and e.step_failure_data and e.step_failure_data.error]
        return False, "the pipeline failed:\n" + "\n".join(errors or ["see the log above"])
    mats = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey("release")]
    info = {k: v.value for k, v in (mats[-1].materialization.metadata if mats else {}).items()}
    info["batches"] = [b.key for b in batches]
    info["extracted_ids"] = extracted
    info["n_extracted"] = n_extracted
    info["extracted_outside_batches"] = caught_up
    info["n_extracted_outside_batches"] = n_caught_up
    return True, info


def _root_error(error) -> str:
    """The message of the exception that caused a step failure (Dagster wraps it)."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _change_summary(changes: dict) -> str:
    parts = []
    for table, counts in changes.items():
        if any(counts.get(k) for k in ("added", "changed", "withdrawn")):
            parts.append(f"{table} +{counts.get('added', 0)} ~{counts.get('changed', 0)} -{counts.get('withdrawn', 0)}")
    return ", ".join(parts) or "none"


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.resources import storage_from_env

    storage = storage_from_env().replaced(workers=args.workers)
    if not storage.warehouse_is_object_store:
        storage.warehouse_path().mkdir(parents=True, exist_ok=True)
    print(f"sitrep: building from {storage.describe()}", file=sys.stderr)
    ok, info = run_build("", "", storage.include_quotes, args.workers, quiet=args.quiet, storage=storage)
    if not ok:
        return _fail(info)
    ids = info["extracted_ids"]
    if not info["batches"]:
        print("no new or changed raw file: nothing to extract")
    else:
        count = info["n_extracted"]
        shown = ", ".join(ids[:20]) + (" …" if count > 20 else "")
        print(f"extracted {count} article(s)" + (f": {shown}" if ids else " (all already in the extraction store)"))
    if info["n_extracted_outside_batches"]:
        print(f"also extracted {info['n_extracted_outside_batches']} article(s) of earlier batches that the "
              "extraction store lacked (the extractor changed, or their batch never ran)")
    if info.get("created"):
        print(f"published release {info['version']} → {info['path']}")
        print(f"changes: {_change_summary(info.get('changes') or {})}")
    else:
        print(f"no change since release {info['version']}: nothing published")
    counts = ", ".join(f"{k[5:]}={v}" for k, v in info.items() if k.startswith("rows_"))
    print(f"rows: {counts}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluation import format_figures, score_release

    set_dir = Path(args.set_dir).expanduser().resolve()
    if not (set_dir / "gold.jsonl").is_file() or not (set_dir / "raw").is_dir():
        return _fail(f"{set_dir} is not an evaluation set: it needs raw/ and gold.jsonl")
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-") as tmp:
        warehouse = Path(args.warehouse).resolve() if args.warehouse else Path(tmp) / "warehouse"
        os.environ["SITREP_RAW_DIR"] = str(set_dir / "raw")
        os.environ["SITREP_WAREHOUSE_DIR"] = str(warehouse)
        print(f"sitrep: building {set_dir.name} into {warehouse}", file=sys.stderr)
        ok, info = run_build(set_dir / "raw", warehouse, True, args.workers, quiet=args.quiet)
        if not ok:
            return _fail(info)
        result = score_release(set_dir, warehouse / "latest")
    if args.json:
        print(json.dumps(result, default=str))
    else:
        print(format_figures(result))
    if args.record:
        path = Path(__file__).parent / "accuracy.json"
        recorded = json.loads(path.read_text()) if path.exists() else {}
        recorded[result["set"]] = {k: v for k, v in result.items() if k not in ("counts", "missed_required")}
        recorded[result["set"]]["measured_on"] = date.today().isoformat()
        recorded[result["set"]]["commit"] = _git_commit()
        path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
        print(f"recorded in {path}", file=sys.stderr)
    return 0


def _git_commit() -> str | None:
    """The commit the figures were measured at (None outside a git checkout)."""
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                             cwd=Path(__file__).parent)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sitrep", description="News text → conflict incidents, actors, relations.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="run the whole pipeline over the raw folder and publish a release")
    build.add_argument("--workers", type=int, default=int(os.environ.get("SITREP_WORKERS", "0") or 0),
                       help="processes for extraction (default SITREP_WORKERS, else the machine's cores)")
    build.add_argument("--quiet", action="store_true", help="only warnings and the result")
    build.set_defaults(func=cmd_build)
    ev = sub.add_parser("evaluate", help="build a release from SET_DIR/raw and score it against SET_DIR/gold.jsonl")
    ev.add_argument("set_dir")
    ev.add_argument("--json", action="store_true", help="print the full result as JSON")
    ev.add_argument("--record", action="store_true", help="store the figures in pipeline/accuracy.json")
    ev.add_argument("--warehouse", help="keep the evaluation release in this folder instead of a temporary one")
    ev.add_argument("--workers", type=int, default=int(os.environ.get("SITREP_WORKERS", "0") or 0),
                    help="processes for extraction (default SITREP_WORKERS, else the machine's cores)")
    ev.add_argument("--quiet", action="store_true")
    ev.set_defaults(func=cmd_evaluate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
