"""A release of the seed article as a user meets it: the README's queries and no machine paths."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import run_build
from pipeline.config import REPO_ROOT, eval_dir

pytestmark = pytest.mark.slow


def readme_queries() -> list[str]:
    """The SQL strings of the README's "Querying" block, in order."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Querying"):]
    block = section[section.index("```bash"):section.index("\n```\n", section.index("```bash"))]
    return [q.strip() for q in re.findall(r'con\.sql\("""(.*?)"""\)', block, flags=re.S)]


@pytest.fixture(scope="module")
def seed_release(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed")
    shutil.copytree(REPO_ROOT / "raw", tmp / "raw")
    ok, info = run_build(tmp / "raw", tmp / "warehouse", include_quotes=True, workers=1, quiet=True)
    assert ok, info
    con = duckdb.connect(str(tmp / "warehouse" / "latest" / "sitrep.duckdb"), read_only=True)
    yield con, tmp
    con.close()


def test_the_readme_has_four_queries():
    assert len(readme_queries()) == 4


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_readme_query_returns_rows_on_the_seed(seed_release, number):
    rows = seed_release[0].execute(readme_queries()[number - 1]).fetchall()
    assert rows, f"query {number} returned nothing"


def test_query_3_dates_every_incident_by_day_or_interval(seed_release):
    cur = seed_release[0].execute(readme_queries()[2])
    dated = [c[0] for c in cur.description].index("dated")
    rows = cur.fetchall()
    assert all(r[dated] for r in rows)
    assert any(".." in r[dated] for r in rows)  # the seed has month-precise incidents


def test_no_release_file_carries_a_path_of_the_machine_that_built_it(seed_release):
    _, tmp = seed_release
    machine = [str(p) for p in (REPO_ROOT, REPO_ROOT.parent, tmp, eval_dir(), Path.home()) if len(str(p)) > 1]
    release = (tmp / "warehouse" / "latest").resolve()
    found = []
    for path in sorted(release.iterdir()):
        if path.suffix in (".json", ".md", ".html", ".svg", ".txt") or path.name == "SHA256SUMS":
            text = path.read_text(encoding="utf-8")
            found += [f"{path.name}: {m}" for m in machine if m in text]
    assert found == []
