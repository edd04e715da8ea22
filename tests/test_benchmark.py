"""The README's measured throughput is what the recorded benchmark writes (never edited by hand)."""

import json
from pathlib import Path

from pipeline.benchmark import README_END, README_START, measured_table, with_measured_block

REPO = Path(__file__).resolve().parent.parent


def test_the_readme_shows_the_recorded_end_to_end_run():
    recorded = json.loads((REPO / "pipeline" / "benchmark.json").read_text(encoding="utf-8"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"{README_START}\n{measured_table(recorded)}\n{README_END}" in readme
    assert with_measured_block(readme, recorded) == readme


def test_recording_replaces_only_the_block():
    recorded = json.loads((REPO / "pipeline" / "benchmark.json").read_text(encoding="utf-8"))
    text = f"before\n{README_START}\nold figures\n{README_END}\nafter\n"
    out = with_measured_block(text, {**recorded, "e2e_no_change_cpu_s": 0.2})
    assert out.startswith(f"before\n{README_START}\n") and out.endswith(f"{README_END}\nafter\n")
    assert "old figures" not in out and "**0.2 CPU s**" in out
