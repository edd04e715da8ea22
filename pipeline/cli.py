"""The `sitrep` command: build a release without the UI, and score a release against gold.

`sitrep build` records new raw files as an ingestion batch and runs the main job for it
in-process (the same definitions the UI runs): only that batch is extracted, then a release is
published when anything changed. `sitrep evaluate SET_DIR` builds a release from SET_DIR/raw into
a temporary warehouse and scores it against SET_DIR/gold.jsonl. Both honour SITREP_RAW_DIR and
SITREP_WAREHOUSE_DIR and exit non-zero with a message a person can act on.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print the failure as one line, ``sitrep: error: <file or folder>: <cause>`` (repeated lines once)."""
    lines = list(dict.fromkeys(line.strip() for line in str(message).splitlines() if line.strip()))
    head, rest = (lines[0], lines[1:]) if lines else ("failed", [])
    text = f"{head} {'; '.join(rest)}" if head.endswith(":") and rest else "; ".join([head, *rest])
    print(f"sitrep: error: {text}", file=sys.stderr)
    return code


_OS_ERROR = re.compile(r"^(?:\w+: )?\[Errno \d+\] (?P<cause>[^:]+): '(?P<path>[^']+)'")


def _located(message: str, where: str) -> str:
    """``<file or folder>: <cause>``: an OS error names its file; any other cause gets ``where``."""
    m = _OS_ERROR.match(message.strip())
    if m:
        return f"{m['path']}: {m['cause']}"
    return message if message.startswith(("/", where)) else f"{where}: {message}"


def _os_error(exc: OSError, where: str) -> str:
    return f"{exc.filename or where}: {exc.strerror or exc}"


def run_build(raw: Path | str, warehouse: Path | str, include_quotes: bool, workers: int, quiet: bool = False,
              storage=None, dagster_home: Path | None = None, verbose: bool = False, show_progress: bool = False):
    """Run the pipeline in-process over the raw folder; returns (ok, publish metadata or failure text).

    New or changed raw files are recorded as ingestion batches first (and announced before any
    work starts); each batch but the last is extracted with ``extraction_job``, the last with
    ``sitrep_job`` (extract, normalise, publish), or ``release_job`` alone when no file is new.
    Runs are recorded in the persistent instance at ``dagster_home`` (what the UI shows), or in a
    throw-away one when it is None (evaluation, tests). The metadata adds ``batches`` and
    ``extracted_ids`` (the articles this build actually extracted).
    """
    import dagster as dg

    from pipeline.assets.extract import article_extractions
    from pipeline.definitions import materialize_raw_folder
    from pipeline.progress import progress_display
    from pipeline.resources import SitrepStorage

    if storage is None:
        storage = SitrepStorage(raw_dir=str(raw), warehouse_dir=str(warehouse), include_quotes=include_quotes,
                                workers=workers)
    level = "INFO" if verbose else "WARNING"
    logging.getLogger("dagster").setLevel(level)

    def announce(batches) -> None:
        for batch in batches:
            print(f"sitrep: batch {batch.key}: {len(batch.files)} new or changed file(s)", file=sys.stderr)

    instance = _open_instance(dagster_home) if dagster_home is not None else dg.DagsterInstance.ephemeral()
    with instance, (progress_display() if show_progress and not quiet else contextlib.nullcontext()):
        try:
            batches, results = materialize_raw_folder(
                storage, instance, run_config={"loggers": {"console": {"config": {"log_level": level}}}},
                on_batches=announce)
        except FileNotFoundError as exc:
            return False, str(exc)
        except OSError as exc:
            return False, _os_error(exc, storage.warehouse_location().display)
    extracted: list[str] = []  # the IDs listed in the metadata (at most LISTED_IDS per batch)
    caught_up: list[str] = []
    n_extracted = n_caught_up = 0  # the counts, never capped
    refused_future = 0
    for result in results:
        for mat in result.get_asset_materialization_events():
            metadata = mat.materialization.metadata
            if mat.asset_key == article_extractions.key:
                extracted += metadata["extracted_ids"].value
                n_extracted += int(metadata["articles_extracted"].value)
            elif mat.asset_key == dg.AssetKey("articles"):
                caught_up += metadata["extracted_here_ids"].value
                n_caught_up += int(metadata["extracted_here"].value)
            elif mat.asset_key == dg.AssetKey("raw_articles") and "refused_future_dates" in metadata:
                refused_future = int(metadata["refused_future_dates"].value)
    result = results[-1]
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if failed_checks:
        lines = [f"{e.asset_key.to_user_string()} ({e.check_name}): "
                 f"{e.metadata['summary'].value if e.metadata.get('summary') else 'failed'}" for e in failed_checks]
        published = any(m.asset_key == dg.AssetKey("release") for m in result.get_asset_materialization_events())
        where = storage.warehouse_location().display
        return False, f"{where}: " + ("checks failed:\n" if published else "checks failed, nothing was published:\n") \
            + "\n".join(lines)
    if not result.success:
        where = storage.warehouse_location().display
        errors = [_located(_root_error(e.step_failure_data.error), where) for e in result.all_events
                  if e.is_step_failure and e.step_failure_data and e.step_failure_data.error]
        errors = list(dict.fromkeys(errors or [f"{where}: the pipeline failed, see the log above"]))
        return False, "\n".join(errors) + " (the run stopped; nothing was published)"
    mats = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey("release")]
    info = {k: v.value for k, v in (mats[-1].materialization.metadata if mats else {}).items()}
    info["batches"] = [b.key for b in batches]
    info["extracted_ids"] = extracted
    info["n_extracted"] = n_extracted
    info["extracted_outside_batches"] = caught_up
    info["n_extracted_outside_batches"] = n_caught_up
    info["run_ids"] = [r.run_id for r in results]
    info["refused_future_dates"] = refused_future
    return True, info


def _open_instance(home: Path):
    """The persistent instance at ``home``, its SQLite storages created under a lock.

    Two builds started together on a fresh instance would both create the same tables (alembic's
    ``table alembic_version already exists``); the first creates them, the second finds them.
    """
    import fcntl

    import dagster as dg

    with open(Path(home) / ".sitrep-instance.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or by the kernel if we die
        instance = dg.DagsterInstance.from_config(str(home))
        instance.run_storage.get_runs_count()
        instance.event_log_storage.get_asset_keys()
        instance.schedule_storage.all_instigator_state()
    return instance


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


def _summary(info: dict) -> list[str]:
    """What the build published and where, for the last lines a person reads."""
    rows = ", ".join(f"{k[5:]} {v}" for k, v in info.items() if k.startswith("rows_"))
    if not info.get("created"):
        return [f"no change since release {info['version']}: nothing published", f"latest release: {info['path']} ({rows})"]
    lines = [f"published release {info['version']} → {info['path']}",
             f"rows: {rows}",
             f"changes: {_change_summary(info.get('changes') or {})} (every ID in CHANGES.md)"]
    path = str(info["path"])
    if "://" not in path:
        lines.append(f"open: {path}/report.html · query: duckdb {path}/sitrep.duckdb")
    return lines


def _unchanged_build():
    """(inputs fingerprint, the summary of an unchanged build or None), before Dagster is imported.

    A local raw folder and warehouse whose inputs equal those the last build recorded, with that
    release still latest and intact, need no run at all (``pipeline.build_state``).
    """
    from pipeline import build_state
    from pipeline.config import include_quotes

    targets = build_state.local_targets()
    if targets is None:
        return None, None
    inputs = build_state.current_inputs(targets, include_quotes())
    release = build_state.unchanged_release(targets.warehouse, inputs)
    if release is None:
        return inputs, None
    info = {"created": False, "version": release.name, "path": str(release),
            **{f"rows_{k}": v for k, v in build_state.release_row_counts(release).items()}}
    return inputs, ["no new or changed raw file: nothing to extract", *_summary(info)]


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.config import dagster_home

    inputs, unchanged = _unchanged_build()
    if unchanged is not None:
        print("sitrep: the raw folder, code and settings are those the latest release was built from; "
              "its files are intact", file=sys.stderr)
        print("\n".join(unchanged))
        return 0
    from pipeline.resources import storage_from_env

    storage = storage_from_env().replaced(workers=args.workers)
    if not storage.warehouse_is_object_store:
        try:
            storage.warehouse_path().mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return _fail(_os_error(exc, str(storage.warehouse_path())))
    home = dagster_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(_os_error(exc, str(home)))
    print(f"sitrep: building from {storage.describe()}; runs recorded in the Dagster instance at {home}",
          file=sys.stderr)
    ok, info = run_build("", "", storage.include_quotes, args.workers, quiet=args.quiet, storage=storage,
                         dagster_home=home, verbose=args.verbose, show_progress=True)
    if not ok:
        return _fail(info)
    if inputs is not None and info.get("version") and not storage.warehouse_is_object_store:
        from pipeline.build_state import record_build

        record_build(storage.warehouse_path(), inputs, info["version"], day_sensitive=info["refused_future_dates"] > 0)
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
    print("\n".join(_summary(info)))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluation import format_figures, score_release

    set_dir = resolve_eval_set(args.set_dir)
    if not (set_dir / "gold.jsonl").is_file() or not (set_dir / "raw").is_dir():
        return _fail(f"{set_dir} is not an evaluation set: it needs raw/ and gold.jsonl "
                     "(set SITREP_EVAL_DIR, or give the set's folder; see `sitrep evaluate --help`)")
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-") as tmp:
        warehouse = Path(args.warehouse).resolve() if args.warehouse else Path(tmp) / "warehouse"
        os.environ["SITREP_RAW_DIR"] = str(set_dir / "raw")
        os.environ["SITREP_WAREHOUSE_DIR"] = str(warehouse)
        print(f"sitrep: building {set_dir.name} into {warehouse}", file=sys.stderr)
        ok, info = run_build(set_dir / "raw", warehouse, True, args.workers, quiet=args.quiet,
                             show_progress=True)
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


def cmd_ui(args: argparse.Namespace) -> int:
    """`dagster dev` on the project's instance, so the UI shows the runs `sitrep build` made."""
    import warnings

    from pipeline.config import REPO_ROOT, dagster_home

    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    os.chdir(REPO_ROOT)  # workspace.yaml names the code location relative to the repository
    print(f"sitrep: Dagster UI on http://{args.host}:{args.port} with the instance at {home}", file=sys.stderr)
    from dagster._cli import ENV_PREFIX, cli
    from dagster._utils.warnings import SupersessionWarning

    # `dagster dev` still works in Dagster 1.13; its successor `dg dev` needs the separate dg CLI.
    warnings.filterwarnings("ignore", category=SupersessionWarning)
    try:
        cli(["dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", args.host, "-p", str(args.port)],
            prog_name="dagster", auto_envvar_prefix=ENV_PREFIX)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def resolve_eval_set(name_or_dir: str) -> Path:
    """A folder holding raw/ and gold.jsonl, or a set's name under ``$SITREP_EVAL_DIR/dev``."""
    from pipeline.config import eval_dir

    given = Path(name_or_dir).expanduser()
    if given.is_dir() or "/" in name_or_dir:
        return given.resolve()
    return eval_dir() / "dev" / name_or_dir


def _environment_help() -> str:
    from pipeline import limits
    from pipeline.config import ENVIRONMENT

    described = dict(ENVIRONMENT)
    for name in sorted(n for n in vars(limits) if n.startswith("MAX_")):
        described[f"SITREP_{name}"] = f"input limit (now {getattr(limits, name):,}; README 'Operations')"
    width = max(map(len, described))
    return "environment variables:\n" + "\n".join(f"  {k:{width}}  {v}" for k, v in described.items())


EVALUATE_HELP = """\
SET is a folder with raw/ (the articles) and gold.jsonl (hand-coded incidents, actors and
relations; format in the evaluation's README), or the name of a set under $SITREP_EVAL_DIR/dev
(default: the folder `shared/eval` beside this repository). The figures are those of the
evaluation's METRICS.md and equal its reference scorer's (score.py).

examples:
  sitrep evaluate news_world             # $SITREP_EVAL_DIR/dev/news_world
  sitrep evaluate path/to/my_set --json  # your own set: my_set/raw/*.md and my_set/gold.jsonl
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sitrep", description="News text → conflict incidents, actors, relations.")
    sub = parser.add_subparsers(dest="command", required=True)
    workers_default = int(os.environ.get("SITREP_WORKERS", "0") or 0)
    build = sub.add_parser("build", help="run the whole pipeline over the raw folder and publish a release",
                           description="Record new or changed raw files as an ingestion batch, extract it, "
                                       "normalise, check and publish a release when anything changed.",
                           epilog=_environment_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--workers", type=int, default=workers_default,
                       help="processes for extraction (default SITREP_WORKERS, else the machine's cores)")
    build.add_argument("--quiet", action="store_true", help="no progress bar: only warnings and the result")
    build.add_argument("--verbose", action="store_true", help="also print Dagster's step-by-step log")
    build.set_defaults(func=cmd_build)
    ev = sub.add_parser("evaluate", help="build a release from SET/raw and score it against SET/gold.jsonl",
                        description=EVALUATE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("set_dir", metavar="SET")
    ev.add_argument("--json", action="store_true", help="print the full result as JSON")
    ev.add_argument("--record", action="store_true", help="store the figures in pipeline/accuracy.json")
    ev.add_argument("--warehouse", help="keep the evaluation release in this folder instead of a temporary one")
    ev.add_argument("--workers", type=int, default=workers_default,
                    help="processes for extraction (default SITREP_WORKERS, else the machine's cores)")
    ev.add_argument("--quiet", action="store_true")
    ev.set_defaults(func=cmd_evaluate)
    ui = sub.add_parser("ui", help="start the Dagster UI (`dagster dev`) on the instance `sitrep build` records in")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except OSError as exc:
        return _fail(_os_error(exc, os.environ.get("SITREP_WAREHOUSE_DIR") or "warehouse"))
    except Exception as exc:  # noqa: BLE001 - every failure ends in one line naming what and why
        if os.environ.get("SITREP_DEBUG"):
            raise
        return _fail(_located(f"{type(exc).__name__}: {exc}", os.environ.get("SITREP_WAREHOUSE_DIR") or "warehouse"))


if __name__ == "__main__":
    sys.exit(main())
