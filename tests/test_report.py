"""The release report: page content, chart files, determinism, empty releases and a headless-Chromium render."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_release import build_tables, conformed_tables, publish

from pipeline.release.manifest import ADMIN1_CHART, MONTHLY_CHART, NETWORK_CHART, REPORT_FILES, REPORT_HTML
from pipeline.release.report import (
    ReportInfo,
    actor_network,
    incident_months,
    stress_layout,
    write_release_report,
)
from pipeline.schemas import CONTRACT_VERSION

EVALUATION = {
    "accuracy": {
        "seed": {"set": "seed", "docs": 1, "incident_recall": 1.0, "incident_precision": 0.875, "date_exact": 1.0,
                 "admin1": 1.0, "fatalities_exact": 1.0, "detained_exact": None, "perpetrator": 1.0,
                 "actor_recall": 1.0, "actor_precision": 0.929, "relation_recall": 0.81,
                 "measured_on": "2026-11-24", "commit": "1deeedf"},
        "isaf": {"set": "isaf", "docs": 445, "incident_recall": 0.932, "incident_precision": None,
                 "measured_on": "2026-11-24", "commit": "1deeedf"},
    },
    "benchmark": {"extraction_words_per_s": 3412, "spacy_words_per_s": 4768, "extraction_over_spacy": 1.4,
                  "peak_rss_mb": 986, "measured_on": "2026-11-24", "commit": "b951c93"},
}
INFO = ReportInfo(version="20240501T083000Z", contract_version=CONTRACT_VERSION, created="2024-05-01T08:30:00Z",
                  evaluation=EVALUATION, licence={"name": "CC-BY-4.0"})
CHARTS = (MONTHLY_CHART, ADMIN1_CHART, NETWORK_CHART)


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: df.iloc[0:0] for name, df in conformed_tables().items()}


class _Tags(html.parser.HTMLParser):
    """Start tags with their attributes and the text inside h1/h2, to assert on a page's structure."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_heading = tag in ("h1", "h2")
        if self._in_heading:
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings[-1] += data


def parse_page(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


# --------------------------------------------------------------------------- content


def test_page_states_versions_row_counts_accuracy_and_speed(tmp_path: Path) -> None:
    written = write_release_report(tmp_path, conformed_tables(), INFO)
    assert sorted(p.name for p in written) == sorted(REPORT_FILES)
    page = (tmp_path / REPORT_HTML).read_text(encoding="utf-8")

    assert "<title>Sitrep release 20240501T083000Z</title>" in page
    assert f"Contract version <strong>{CONTRACT_VERSION}</strong>" in page
    for table, rows in {"articles": 3, "actors": 3, "incidents": 2, "incident_sources": 2, "actor_mentions": 4,
                        "relations": 1}.items():
        assert f"<th scope=\"row\"><code>{table}</code></th><td class=num>{rows}</td>" in page
    assert "12 in 2 incidents with a reported toll" in page
    for figure in ("0.875", "0.929", "0.810", "0.932", "1deeedf", "3,412", "4,768", "1.40", "986"):
        assert figure in page
    assert page.count("<tr><th scope=\"row\">seed</th>") == 1 and page.count("<tr><th scope=\"row\">isaf</th>") == 1
    parsed = parse_page(page)
    assert parsed.headings == ["Sitrep release 20240501T083000Z", "What this release holds",
                               "Incidents over time, by event type", "Fatalities by admin1", "Actor network",
                               "Measured accuracy", "Speed and memory"]


def test_page_needs_no_network_and_describes_every_chart(tmp_path: Path) -> None:
    write_release_report(tmp_path, conformed_tables(), INFO)
    page = (tmp_path / REPORT_HTML).read_text(encoding="utf-8")
    tags = parse_page(page).tags
    assert not [t for t, _ in tags if t in ("script", "link", "iframe")]
    assert "http://" not in page and "https://" not in page and "@import" not in page and "url(" not in page
    images = {a["src"]: a for t, a in tags if t == "img"}
    assert set(images) == set(CHARTS)
    assert all(len(a["alt"] or "") > 40 and a["width"] and a["height"] for a in images.values())
    assert "Balkh, AFG 9" in images[ADMIN1_CHART]["alt"]


def test_chart_files_are_standalone_svg(tmp_path: Path) -> None:
    write_release_report(tmp_path, conformed_tables(), INFO)
    for name in CHARTS:
        data = (tmp_path / name).read_bytes()
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert b"<dc:date>" not in data
        hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
        assert all(h.startswith("#") for h in hrefs), hrefs


def test_report_bytes_are_identical_for_identical_input_across_processes(tmp_path: Path) -> None:
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (first, second, third):
        folder.mkdir()
    write_release_report(first, conformed_tables(), INFO)
    write_release_report(second, conformed_tables(), INFO)
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
              "import test_report as t; from pathlib import Path; "
              f"t.write_release_report(Path({str(third)!r}), t.conformed_tables(), t.INFO)")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) == sorted(p.name for p in third.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes() == (third / name).read_bytes(), name


def test_a_chart_whose_input_did_not_change_comes_from_the_chart_cache(tmp_path: Path, monkeypatch) -> None:
    from pipeline.release import report

    cache = tmp_path / "charts"
    drawn = tmp_path / "drawn"
    cached = tmp_path / "cached"
    drawn.mkdir()
    cached.mkdir()
    write_release_report(drawn, conformed_tables(), INFO, chart_cache=cache)
    assert len(list(cache.glob("*.pickle"))) == 3
    for name in ("monthly_chart", "admin1_chart", "network_chart"):
        monkeypatch.setattr(report, name, lambda *a, _n=name: pytest.fail(f"{_n} drawn again"))
    write_release_report(cached, conformed_tables(), INFO, chart_cache=cache)
    for path in drawn.iterdir():  # byte for byte what drawing gave
        assert (cached / path.name).read_bytes() == path.read_bytes(), path.name
    monkeypatch.undo()
    tables = conformed_tables()
    tables["incidents"] = tables["incidents"].iloc[:-1]  # the counts move: those charts are drawn again
    again = tmp_path / "again"
    again.mkdir()
    write_release_report(again, tables, INFO, chart_cache=cache)
    assert len(list(cache.glob("*.pickle"))) > 3


def test_empty_release_gives_a_page_that_says_so_and_no_charts(tmp_path: Path) -> None:
    written = write_release_report(tmp_path, empty_tables(), INFO)
    assert [p.name for p in written] == [REPORT_HTML]
    page = (tmp_path / REPORT_HTML).read_text(encoding="utf-8")
    assert "This release has no incidents." in page
    assert "This release has no relations between actors." in page
    assert "<img" not in page
    assert "<th scope=\"row\"><code>incidents</code></th><td class=num>0</td>" in page


def test_missing_figures_and_foreign_evaluation_shapes_are_stated_not_fatal(tmp_path: Path) -> None:
    info = ReportInfo(version="v1", contract_version=CONTRACT_VERSION, evaluation={"incidents": {"recall": 0.7}})
    write_release_report(tmp_path, conformed_tables(), info)
    page = (tmp_path / REPORT_HTML).read_text(encoding="utf-8")
    assert "No accuracy figures were recorded" in page and "No speed figures were recorded" in page


def test_every_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    tables = build_tables()
    tables["incidents"].loc[0, "admin1"] = "Balkh <b>&</b>"
    tables["actors"].loc[1, "name"] = "<script>alert(1)</script>"
    info = ReportInfo(version="<v1>", contract_version=CONTRACT_VERSION, evaluation={"accuracy": {"<x>": {"docs": 1}}})
    write_release_report(tmp_path, tables, info)
    page = (tmp_path / REPORT_HTML).read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page and "<v1>" not in page and "<x>" not in page
    assert "Balkh &lt;b&gt;&amp;&lt;/b&gt;" in page and "&lt;v1&gt;" in page


def test_publish_puts_the_report_in_the_release_and_its_checksums(tmp_path: Path) -> None:
    result = publish(build_tables(), tmp_path, evaluation=EVALUATION)
    listed = {line.split(maxsplit=1)[1] for line in (result.path / "SHA256SUMS").read_text().splitlines()}
    assert set(REPORT_FILES) <= listed
    page = (result.path / REPORT_HTML).read_text(encoding="utf-8")
    assert f"Sitrep release {result.version}" in page and "First release." in page
    assert "0.929" in page


# --------------------------------------------------------------------------- chart data


def test_incident_month_comes_from_event_date_else_the_midpoint_of_a_short_interval() -> None:
    incidents = pd.DataFrame({
        "event_date": pd.to_datetime(["2022-04-21", None, None, None]),
        "date_start": pd.to_datetime(["2022-04-21", "2022-03-30", "2022-01-01", None]),
        "date_end": pd.to_datetime(["2022-04-21", "2022-04-29", "2022-12-31", None]),
    })
    months = incident_months(incidents)
    assert [None if pd.isna(m) else str(m) for m in months] == ["2022-04", "2022-04", None, None]


def test_network_keeps_the_best_connected_actors_and_says_how_many_were_left_out() -> None:
    actors = pd.DataFrame({"actor_id": list("abcde"), "name": list("ABCDE"), "actor_type": ["other"] * 5,
                           "n_mentions": [1, 1, 1, 1, 1]})
    relations = pd.DataFrame({"subject_actor_id": ["a", "a", "a", "a", "b", "d", "c"],
                              "relation_type": ["opposes", "met_with", "attacks", "met_with", "met_with", "supports",
                                                "met_with"],
                              "object_actor_id": ["b", "b", "c", "d", "a", "e", "a"]})
    network = actor_network(actors, relations, max_actors=3)
    assert network.actor_ids == ["a", "b", "d"]
    assert network.omitted_actors == 2
    met = network.edges[network.edges["relation_type"] == "met_with"]
    assert met[["subject", "object", "n"]].values.tolist() == [["a", "b", 2], ["a", "d", 1]]


def test_layout_is_deterministic_and_fills_the_unit_square() -> None:
    edges = [(0, 1), (1, 2), (2, 0), (3, 4)]
    first, second = stress_layout(6, edges), stress_layout(6, edges)
    assert np.array_equal(first, second)
    assert np.allclose(first.min(axis=0), -1) and np.allclose(first.max(axis=0), 1)
    distances = np.linalg.norm(first[:, None] - first[None, :], axis=-1)
    assert distances[np.triu_indices(6, 1)].min() > 0.05


# --------------------------------------------------------------------------- headless Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = """<script>
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  const loaded = images.filter((i) => i.complete && i.naturalWidth > 0).length;
  document.body.setAttribute("data-images-loaded", loaded + "/" + images.length);
});
</script>
"""
"""Test-only: the published page has no script; a copy gets this one to report which images loaded."""


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian package `chromium`)")
def test_report_renders_in_headless_chromium_with_every_chart_loaded(tmp_path: Path) -> None:
    from PIL import Image

    release = tmp_path / "release"
    release.mkdir()
    write_release_report(release, conformed_tables(), INFO)
    page = (release / REPORT_HTML).read_text(encoding="utf-8")
    (release / "probe.html").write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")

    dom = _chromium(tmp_path / "profile-dom", "--virtual-time-budget=10000", "--dump-dom",
                    (release / "probe.html").as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-images-loaded="3/3"' in dom.stdout, dom.stdout[-2000:]
    for heading in ("Sitrep release 20240501T083000Z", "Incidents over time, by event type", "Fatalities by admin1",
                    "Actor network", "Measured accuracy"):
        assert heading in dom.stdout

    shot = tmp_path / "shot.png"
    render = _chromium(tmp_path / "profile-shot", "--hide-scrollbars", f"--screenshot={shot}",
                       "--window-size=1200,2400", (release / REPORT_HTML).as_uri())
    assert render.returncode == 0 and shot.is_file(), render.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert pixels.shape[:2] == (2400, 1200)
    assert (pixels < 200).any(axis=2).mean() > 0.01  # text, rules and charts, not a blank page
    for colour in ((0xD5, 0x5E, 0x00), (0xB2, 0x18, 0x2B)):  # an explosions bar, a fatalities bar
        assert (np.abs(pixels - colour).sum(axis=2) < 30).sum() > 200, colour


def test_a_network_of_hundreds_of_actors_draws_no_label_over_another() -> None:
    """Dense networks keep the best-connected actors named and leave out labels that would collide."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import pipeline.release.report as report

    n = 300
    actors = pd.DataFrame({"actor_id": [f"a{i:03d}" for i in range(n)],
                           "name": [f"Armed Group Number {i} of the Long-Named Coalition" for i in range(n)],
                           "actor_type": ["rebel_group"] * n, "n_mentions": [1] * n})
    pairs = [(i, (i * 7 + 3) % n) for i in range(n)] + [(0, i) for i in range(1, 60)]
    relations = pd.DataFrame({"subject_actor_id": [f"a{a:03d}" for a, _ in pairs], "relation_type": "opposes",
                              "object_actor_id": [f"a{b:03d}" for _, b in pairs]})
    network = actor_network(actors, relations)
    captured = {}
    real = report._place_labels

    def spy(fig, ax, labels, *args):
        hidden = real(fig, ax, labels, *args)
        renderer = FigureCanvasAgg(fig).get_renderer()
        captured["boxes"] = [tuple(lb.get_window_extent(renderer).extents) for lb in labels if lb.get_visible()]
        captured["hidden"] = hidden
        return hidden

    report._place_labels = spy
    try:
        chart = report.network_chart(network)
    finally:
        report._place_labels = real
    boxes = captured["boxes"]
    assert len(network.actor_ids) <= report.MAX_NETWORK_ACTORS and len(boxes) >= 10
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if report._overlap(a, b) > 0]
    assert captured["hidden"] > 0 and "drawn without a name" in chart.alt
