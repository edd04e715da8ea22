"""Speed and memory benchmark (`python -m pipeline.benchmark RAW_DIR`): not a test, a measurement.

Default mode: words/s of bare spaCy (the same model and components, on the same texts) beside
words/s of Sitrep's whole per-article extraction, and the peak resident memory.

``--end-to-end``: whole builds over a copy of the folder, each in its own process so its CPU time,
wall time and peak memory are its own: ``sitrep build`` with 1 worker and with ``--workers``
against bare spaCy on the same texts, then on the 1-worker warehouse a build with nothing new and
one with one article added (the folder's last file, held back from the first builds); the
start-up before the first article is parsed; and every phase's share of one in-process build.
The machine's load average is recorded, since other work on it skews wall times (ratios are
taken within one run).

``--end-to-end --incremental``: only what the incremental path costs on a large archive (issue 15
measures it on ~4,000 documents): one full build (``--workers``), then a build with nothing new
and one with one article added, each against the full build's wall time; no bare-spaCy or
1-worker build, so it fits a large folder. Recorded under ``e2e_incremental``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from pipeline.ingest import scan_raw_folder


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def run(raw: Path, limit: int | None = None) -> dict:
    articles = [a for a in scan_raw_folder(raw) if a.status == "ok"][:limit]
    texts = [a.body for a in articles]
    words = _words(texts)

    from pipeline.extract import extract_articles
    from pipeline.extraction.actors import load_registry
    from pipeline.extraction.nlp import load_nlp, model_view
    from pipeline.extraction.places import load_gazetteer

    started = time.perf_counter()
    nlp = load_nlp()
    load_gazetteer()
    load_registry()
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for _doc in nlp.pipe(model_view(t) for t in texts):
        pass
    spacy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    extract_articles(articles, None, workers=1, timeout=0)  # as a build runs it: batched parse, one process
    extract_seconds = time.perf_counter() - started
    return {
        "articles": len(articles), "words": words, "load_seconds": round(load_seconds, 2),
        "spacy_words_per_s": round(words / spacy_seconds), "extraction_words_per_s": round(words / extract_seconds),
        "extraction_over_spacy": round(extract_seconds / spacy_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# --------------------------------------------------------------------------- end to end


def _usage() -> dict:
    """This process's CPU seconds and peak RSS, its finished children included."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
            "peak_rss_mb": round(max(own.ru_maxrss, kids.ru_maxrss) / 1024)}


def _child_spacy(raw: Path) -> dict:
    """Bare spaCy as a user would run it: import, load the same pipeline, ``nlp.pipe`` the same texts."""
    from pipeline.ingest import scan_raw_folder

    texts = [a.body for a in scan_raw_folder(raw) if a.status == "ok"]
    started = time.perf_counter()
    from pipeline.extraction.nlp import load_nlp, model_view

    nlp = load_nlp()
    for _doc in nlp.pipe(model_view(t) for t in texts):
        pass
    return {"articles": len(texts), "words": _words(texts), "pipe_and_load_s": time.perf_counter() - started}


def _child_build(raw: Path, warehouse: Path, workers: int) -> dict:
    """``sitrep build`` as a user runs it, recording its runs in an instance beside the warehouse."""
    from pipeline.config import REPO_ROOT

    os.environ["SITREP_RAW_DIR"], os.environ["SITREP_WAREHOUSE_DIR"] = str(raw), str(warehouse)
    home = warehouse.parent / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    from pipeline.cli import main as sitrep

    code = sitrep(["build", "--quiet", "--workers", str(workers)])
    return {"exit": code}


def _child_startup(raw: Path) -> dict:
    """What a build does before its first article is parsed: imports, reading the folder, loading."""
    stamps = {}
    started = time.perf_counter()
    import pipeline.definitions  # noqa: F401 - what `sitrep build` imports

    stamps["imports_s"] = time.perf_counter() - started
    from pipeline.extract import load_extractor
    from pipeline.ingest import scan_raw_folder

    at = time.perf_counter()
    articles = [a for a in scan_raw_folder(raw) if a.status == "ok"]
    stamps["ingest_s"] = time.perf_counter() - at
    at = time.perf_counter()
    load_extractor(all_patterns=False)  # what one process does before its first article
    stamps["load_extractor_s"] = time.perf_counter() - at
    from pipeline.extraction.numbers import compile_patterns

    at = time.perf_counter()
    compile_patterns()  # what a parent adds before forking workers
    stamps["compile_patterns_s"] = time.perf_counter() - at
    stamps["articles"] = len(articles)
    return stamps


class _Phases:
    """Wall time per named phase, from wrappers put around the functions of one build."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def wrap(self, module, attribute: str, name: str) -> None:
        real = getattr(module, attribute)

        def timed(*args, **kwargs):
            with self.phase(name):
                return real(*args, **kwargs)

        setattr(module, attribute, timed)


def _child_phases(raw: Path, warehouse: Path) -> dict:
    """One build's steps called in order in this process (1 worker), each phase timed."""
    started = time.perf_counter()
    phases = _Phases()
    with phases.phase("imports"):
        import pipeline.extraction.nlp as nlp_module
        import pipeline.release.publish as publish_module
        from pipeline import contract, normalise
        from pipeline.extract import extract_articles, extractor_version, load_extractor
        from pipeline.ingest import articles_frame, scan_raw_folder
        from pipeline.release.manifest import validate_datapackage
    with phases.phase("ingest"):
        articles = scan_raw_folder(raw)
    with phases.phase("load extractor (model, gazetteer, registry, patterns)"):
        load_extractor()
    phases.wrap(nlp_module, "parse_ahead", "parse (spaCy)")
    with phases.phase("extraction"):
        run = extract_articles(articles, None, workers=1)
    phases.seconds["extraction"] -= phases.seconds.setdefault("parse (spaCy)", 0.0)
    phases.seconds["rules (extraction without spaCy)"] = phases.seconds.pop("extraction")
    with phases.phase("normalise"):
        frame = articles_frame(articles)
        tables = normalise.build_tables(frame, run.extractions, extractor_version()).as_dict()
    with phases.phase("contract checks"):
        for name, df in tables.items():
            contract.validation_report(name, df, tables)
    for attribute, name in (("_conformed", "publish: conform + keys"), ("content_fingerprint", "publish: fingerprint"),
                            ("write_parquet", "publish: parquet"), ("write_duckdb", "publish: duckdb"),
                            ("load_release_tables", "publish: diff"), ("diff_releases", "publish: diff"),
                            ("write_release_report", "publish: report"),
                            ("validate_datapackage", "publish: frictionless"), ("write_sha256sums", "publish: sha256")):
        phases.wrap(publish_module, attribute, name)
    with phases.phase("publish"):
        result = publish_module.publish_release(tables, warehouse)
    phases.seconds["publish: other"] = phases.seconds.pop("publish") - sum(
        v for k, v in phases.seconds.items() if k.startswith("publish: "))
    with phases.phase("release check (rows)"):
        validate_datapackage(result.path, check_files=False)
    total = time.perf_counter() - started
    return {"total_s": total, "phases_s": phases.seconds, "articles": sum(a.status == "ok" for a in articles)}


_CHILDREN = {"spacy": _child_spacy, "build": _child_build, "startup": _child_startup, "phases": _child_phases}


def _measure(kind: str, *args: str) -> dict:
    """Run one measurement in a fresh Python process; its own CPU, wall and peak memory."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pipeline.benchmark", "--child", kind, *map(str, args)],
                         capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"benchmark step {kind} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def _copy_file(raw: Path, path: Path, folder: Path) -> None:
    target = folder / path.relative_to(raw)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)


def _copy_all_but_last(raw: Path, keep: Path | None, limit: int | None) -> tuple[Path, Path, list[Path]]:
    """A working copy of ``raw``'s (first ``limit``) files under ``keep`` or a temporary root, the
    last one held back for a +1 build: (root, the copy's raw folder, every file of ``raw`` taken)."""
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    folder = root / "raw"
    shutil.rmtree(root, ignore_errors=True)
    files = sorted(p for p in raw.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.parts))[:limit]
    for path in files[:-1]:
        _copy_file(raw, path, folder)
    return root, folder, files


def run_end_to_end(raw: Path, workers: int = 2, keep: Path | None = None, limit: int | None = None) -> dict:
    """Full builds (1 and ``workers`` workers) vs bare spaCy, no-change and +1 builds, start-up, phases.

    ``limit`` takes the folder's first files only (a quick check that the benchmark runs)."""
    root, folder, files = _copy_all_but_last(raw, keep, limit)
    loads = {"before": _load()}
    try:
        spacy = _measure("spacy", folder)
        one = _measure("build", folder, root / "w1", 1)
        many = _measure("build", folder, root / f"w{workers}", workers) if workers > 1 else None
        loads["after_full_builds"] = _load()
        unchanged = _measure("build", folder, root / "w1", 1)
        _copy_file(raw, files[-1], folder)  # the held-back file: the +1 build
        plus_one = _measure("build", folder, root / "w1", 1)
        startup = _measure("startup", folder)
        phases = _measure("phases", folder, root / "phases")
        disk = {"raw_mb": round(_du_mb(folder), 1), "warehouse_mb": round(_du_mb(root / "w1"), 1),
                "release_mb": round(_du_mb(root / "w1" / "latest"), 1),
                "extraction_store_mb": round(_du_mb(root / "w1" / "cache" / "extractions"), 1)}
        loads["after"] = _load()
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    n = spacy["articles"]
    phase_total = sum(phases["phases_s"].values())
    result = {
        "e2e_articles": n, "e2e_words": spacy["words"], "e2e_load_average": loads,
        "e2e_spacy_cpu_s": round(spacy["cpu_s"], 1), "e2e_build_cpu_s": round(one["cpu_s"], 1),
        "e2e_build_over_spacy_cpu": round(one["cpu_s"] / spacy["cpu_s"], 2),
        "e2e_build_wall_s_1_worker": round(one["wall_s"], 1),
        "e2e_build_ms_per_article_cpu": round(1000 * one["cpu_s"] / n, 1),
        "e2e_peak_rss_mb_1_worker": one["peak_rss_mb"],
        "e2e_no_change_wall_s": round(unchanged["wall_s"], 1), "e2e_no_change_cpu_s": round(unchanged["cpu_s"], 1),
        "e2e_plus_one_wall_s": round(plus_one["wall_s"], 1), "e2e_plus_one_cpu_s": round(plus_one["cpu_s"], 1),
        "e2e_plus_one_over_full_wall": round(plus_one["wall_s"] / one["wall_s"], 3),
        "e2e_startup_s": round(startup["wall_s"] - startup["compile_patterns_s"], 1),
        "e2e_startup_compile_patterns_s": round(startup["compile_patterns_s"], 1),
        "e2e_startup_imports_s": round(startup["imports_s"], 1),
        "e2e_startup_load_extractor_s": round(startup["load_extractor_s"], 1),
        "e2e_phase_share": {k: round(v / phase_total, 3) for k, v in
                            sorted(phases["phases_s"].items(), key=lambda kv: -kv[1])},
        "e2e_phases_s": {k: round(v, 2) for k, v in phases["phases_s"].items()},
        "e2e_disk_mb": disk,
    }
    if many is not None:
        result.update({f"e2e_build_wall_s_{workers}_workers": round(many["wall_s"], 1),
                       "e2e_workers": workers,
                       "e2e_wall_workers_over_1": round(many["wall_s"] / one["wall_s"], 2),
                       f"e2e_build_cpu_s_{workers}_workers": round(many["cpu_s"], 1),
                       f"e2e_peak_rss_mb_{workers}_workers": many["peak_rss_mb"]})
    return result


def run_incremental(raw: Path, workers: int = 2, keep: Path | None = None, limit: int | None = None) -> dict:
    """A full build over the folder (its last file held back), then no-change and +1 builds on it."""
    root, folder, files = _copy_all_but_last(raw, keep, limit)
    loads = {"before": _load()}
    try:
        full = _measure("build", folder, root / "w", workers)
        loads["after_full_build"] = _load()
        unchanged = _measure("build", folder, root / "w", workers)
        _copy_file(raw, files[-1], folder)  # the held-back file: the +1 build
        plus_one = _measure("build", folder, root / "w", workers)
        loads["after"] = _load()
        disk_mb = round(_du_mb(root / "w"), 1)
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return {"e2e_incremental": {
        "files": len(files), "workers": workers, "load_average": loads,
        "full_build_wall_s": round(full["wall_s"], 1), "full_build_cpu_s": round(full["cpu_s"], 1),
        "no_change_wall_s": round(unchanged["wall_s"], 2), "no_change_cpu_s": round(unchanged["cpu_s"], 2),
        "plus_one_wall_s": round(plus_one["wall_s"], 1), "plus_one_cpu_s": round(plus_one["cpu_s"], 1),
        "plus_one_over_full_wall": round(plus_one["wall_s"] / full["wall_s"], 3),
        "plus_one_over_full_cpu": round(plus_one["cpu_s"] / full["cpu_s"], 3),
        "peak_rss_mb": max(full["peak_rss_mb"], plus_one["peak_rss_mb"]), "warehouse_mb": disk_mb,
    }}


# --------------------------------------------------------------------------- README


README_START = "<!-- benchmark: written by `python -m pipeline.benchmark --end-to-end --record`; do not edit -->"
README_END = "<!-- end of benchmark -->"


def _gb(mb: float) -> str:
    return f"{mb / 1000:.2f} GB"


def measured_table(r: dict) -> str:
    """The README's measured figures (issue 15's table) from a recorded end-to-end run."""
    n, workers = r["e2e_articles"], r.get("e2e_workers")
    lines = [
        f"Measured {r.get('e2e_measured_on', '?')} at {r.get('e2e_commit', '?')} over {r.get('e2e_texts', '?')} "
        f"({n:,} articles, {r['e2e_words']:,} words); load average before, after the full builds and at the end: "
        f"{r['e2e_load_average'].get('before')}, {r['e2e_load_average'].get('after_full_builds')}, "
        f"{r['e2e_load_average'].get('after')} (wall times stretch with load; CPU ratios hold).",
        "",
        "| measure | measured | target |",
        "|---|---|---|",
        f"| full build CPU / bare spaCy CPU | **{r['e2e_build_over_spacy_cpu']:.2f}×** ({r['e2e_build_cpu_s']} s / "
        f"{r['e2e_spacy_cpu_s']} s; {r['e2e_build_ms_per_article_cpu']} CPU ms per article) | ≤ 1.3× |",
    ]
    if workers:
        lines.append(f"| wall with {workers} workers / wall with 1 worker | **{r['e2e_wall_workers_over_1']:.2f}** "
                     f"({r[f'e2e_build_wall_s_{workers}_workers']} s / {r['e2e_build_wall_s_1_worker']} s) | ≤ 0.55 (idle) |")
    lines += [
        f"| +1 article on the built warehouse | **{r['e2e_plus_one_cpu_s']} CPU s**, {r['e2e_plus_one_wall_s']} s wall "
        f"({100 * r['e2e_plus_one_over_full_wall']:.1f} % of the full build's wall) | ≤ 10 s (≤ 2 %) |",
    ]
    inc = r.get("e2e_incremental")
    if inc:
        lines.append(
            f"| +1 article on a {inc['files'] - 1:,}-file warehouse ({inc.get('measured_on', '?')}, "
            f"{inc.get('commit', '?')}, `--incremental`) | **{inc['plus_one_cpu_s']} CPU s**, {inc['plus_one_wall_s']} s "
            f"wall ({100 * inc['plus_one_over_full_wall']:.1f} % of its full build's {inc['full_build_wall_s']} s wall; "
            f"no-change {inc['no_change_cpu_s']} CPU s) | ≤ 10 s (≤ 2 %) |")
    lines += [
        f"| no-change build | **{r['e2e_no_change_cpu_s']} CPU s**, {r['e2e_no_change_wall_s']} s wall | ≤ 5 s |",
        f"| start-up before the first article is parsed | **{r['e2e_startup_s']} s wall**: imports "
        f"{r['e2e_startup_imports_s']} s, model + gazetteer + registry {r['e2e_startup_load_extractor_s']} s "
        f"(+{r['e2e_startup_compile_patterns_s']} s compiling every count pattern before workers fork) | ≤ 5 s |",
        f"| peak RSS | **{_gb(r['e2e_peak_rss_mb_1_worker'])}** (1 worker"
        + (f"; {_gb(r[f'e2e_peak_rss_mb_{workers}_workers'])} with {workers}" if workers else "")
        + ") | ≤ 1 GB, flat in N |",
        "",
        "Share of one in-process build's wall time per phase: "
        + ", ".join(f"{k} {100 * v:.1f} %" for k, v in sorted(r["e2e_phase_share"].items(), key=lambda kv: -kv[1])
                   if v >= 0.001) + ".",
    ]
    return "\n".join(lines)


def with_measured_block(readme: str, recorded: dict) -> str:
    """``readme`` with the text between the benchmark markers replaced by ``measured_table``."""
    if README_START not in readme or README_END not in readme:
        return readme
    head, rest = readme.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_START}\n{measured_table(recorded)}\n{README_END}{tail}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:  # one measurement, in its own process (see _measure)
        kind, *rest = argv[1:]
        args = [Path(rest[0]), *(Path(a) for a in rest[1:2]), *(int(a) for a in rest[2:3])]
        result = _CHILDREN[kind](*args)
        result.update(_usage())
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir")
    parser.add_argument("--limit", type=int, help="only the first N articles (with --end-to-end: files)")
    parser.add_argument("--end-to-end", action="store_true",
                        help="whole builds over a copy of the folder (see the module docstring)")
    parser.add_argument("--incremental", action="store_true",
                        help="with --end-to-end: only a full build, then no-change and +1 builds on it")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel build (--end-to-end)")
    parser.add_argument("--keep", type=Path, help="keep the copies and warehouses of --end-to-end in this folder")
    parser.add_argument("--record", action="store_true", help="store the figures in pipeline/benchmark.json")
    args = parser.parse_args(argv)
    if args.end_to_end and args.incremental:
        result = run_incremental(Path(args.raw_dir), args.workers, args.keep, args.limit)
    elif args.end_to_end:
        result = run_end_to_end(Path(args.raw_dir), args.workers, args.keep, args.limit)
    else:
        result = run(Path(args.raw_dir), args.limit)
    print(json.dumps(result, indent=2))
    if args.record:
        from datetime import date

        from pipeline.cli import _git_commit
        from pipeline.config import portable_path

        path = Path(__file__).parent / "benchmark.json"
        recorded = json.loads(path.read_text()) if path.exists() else {}
        if args.end_to_end and args.incremental:
            result["e2e_incremental"].update(measured_on=date.today().isoformat(), commit=_git_commit(),
                                             texts=portable_path(args.raw_dir))
        elif args.end_to_end:
            recorded = {k: v for k, v in recorded.items() if not k.startswith("e2e_") or k == "e2e_incremental"}
            result.update(e2e_measured_on=date.today().isoformat(), e2e_commit=_git_commit(),
                          e2e_texts=portable_path(args.raw_dir))
        else:
            result.update(measured_on=date.today().isoformat(), commit=_git_commit(), texts=portable_path(args.raw_dir))
        recorded.update(result)
        path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
        if args.end_to_end:
            readme = Path(__file__).resolve().parent.parent / "README.md"
            if readme.is_file():
                readme.write_text(with_measured_block(readme.read_text(encoding="utf-8"), recorded), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
