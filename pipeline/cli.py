"""The `sitrep` command: build a release without the UI, and score a release against gold.

`sitrep build` materialises every asset in-process (the same definitions the UI runs) and
publishes a release; `sitrep evaluate SET_DIR` builds a release from SET_DIR/raw into a temporary
warehouse and scores it against SET_DIR/gold.jsonl. Both honour SITREP_RAW_DIR and
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


def run_build(raw: Path, warehouse: Path, include_quotes: bool, workers: int, quiet: bool = False):
    """Materialise the whole graph in-process; returns (ok, publish metadata or failure text)."""
    import dagster as dg

    from pipeline.checks import contract_checks
    from pipeline.definitions import ALL_ASSETS
    from pipeline.resources import SitrepStorage

    storage = SitrepStorage(raw_dir=str(raw), warehouse_dir=str(warehouse), include_quotes=include_quotes,
                            workers=workers)
    level = "WARNING" if quiet else "INFO"
    logging.getLogger("dagster").setLevel(level)
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [*ALL_ASSETS, contract_checks], resources={"storage": storage}, instance=instance,
            raise_on_error=False, run_config={"loggers": {"console": {"config": {"log_level": level}}}},
        )
        failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
        if failed_checks:
            lines = [f"{e.asset_key.to_user_string()}: {e.metadata.get('summary').value if e.metadata.get('summary') else 'failed'}"
                     for e in failed_checks]
            return False, "contract checks failed, nothing was published:\n" + "\n".join(lines)
        if not result.success:
            errors = [e.step_failure_data.error.message.strip() for e in result.all_events
                      if e.is_step_failure and e.step_failure_data and e.step_failure_data.error]
            return False, "the pipeline failed:\n" + "\n".join(errors or ["see the log above"])
        mats = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey("release")]
        meta = mats[-1].materialization.metadata if mats else {}
        return True, {k: v.value for k, v in meta.items()}


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline import config

    raw, warehouse = config.raw_dir(), config.warehouse_dir()
    if not raw.is_dir():
        return _fail(f"raw folder {raw} does not exist; create it or set SITREP_RAW_DIR")
    warehouse.mkdir(parents=True, exist_ok=True)
    print(f"sitrep: building from {raw} into {warehouse}", file=sys.stderr)
    ok, info = run_build(raw, warehouse, config.include_quotes(), args.workers, quiet=args.quiet)
    if not ok:
        return _fail(info)
    if info.get("created"):
        print(f"published release {info['version']} → {info['path']}")
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
    build.add_argument("--workers", type=int, default=int(os.environ.get("SITREP_WORKERS", "1") or 1),
                       help="processes for extraction (default 1 or SITREP_WORKERS)")
    build.add_argument("--quiet", action="store_true", help="only warnings and the result")
    build.set_defaults(func=cmd_build)
    ev = sub.add_parser("evaluate", help="build a release from SET_DIR/raw and score it against SET_DIR/gold.jsonl")
    ev.add_argument("set_dir")
    ev.add_argument("--json", action="store_true", help="print the full result as JSON")
    ev.add_argument("--record", action="store_true", help="store the figures in pipeline/accuracy.json")
    ev.add_argument("--warehouse", help="keep the evaluation release in this folder instead of a temporary one")
    ev.add_argument("--workers", type=int, default=int(os.environ.get("SITREP_WORKERS", "1") or 1))
    ev.add_argument("--quiet", action="store_true")
    ev.set_defaults(func=cmd_evaluate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
