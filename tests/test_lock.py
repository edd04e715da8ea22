"""`requirements.lock` is the one installed set: it must agree with pyproject.toml and be closed.

The README installs the lock with ``--no-deps`` (exactly the pinned, hash-checked set, whatever newer
releases appear), so nothing else checks that it holds every package the project and its
dependencies need. These tests do, for this interpreter's platform.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]+)\])?==([^\s;\\]+)")


def locked() -> dict[str, tuple[str, set[str], int]]:
    """name → (version, extras, number of hashes) for every entry of the lock."""
    entries: dict[str, tuple[str, set[str], int]] = {}
    current = None
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = ENTRY.match(line)
        if m:
            current = canonicalize_name(m.group(1))
            assert current not in entries, f"{current} is locked twice"
            extras = {e.strip() for e in (m.group(2) or "").split(",") if e.strip()}
            entries[current] = (m.group(3), extras, 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, extras, hashes = entries[current]
            entries[current] = (version, extras, hashes + 1)
    return entries


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = [r for group in project.get("optional-dependencies", {}).values() for r in group]
    build = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    return [Requirement(r) for r in project["dependencies"] + optional + build]


def test_every_locked_package_is_pinned_with_hashes():
    entries = locked()
    assert len(entries) > 50
    assert [n for n, (_, _, hashes) in entries.items() if hashes == 0] == []


def test_pyproject_requirements_are_what_the_lock_pins():
    entries = locked()
    disagree = []
    for req in project_requirements():
        name = canonicalize_name(req.name)
        if name not in entries:
            disagree.append(f"{req} is not in the lock")
        elif not req.specifier.contains(entries[name][0], prereleases=True):
            disagree.append(f"{req} but the lock pins {entries[name][0]}")
        elif not req.extras <= entries[name][1]:
            disagree.append(f"{req} but the lock installs extras {sorted(entries[name][1])}")
    assert disagree == []


def test_the_lock_holds_every_dependency_of_what_it_installs():
    """Closed under Requires-Dist (with the locked extras, for this platform): --no-deps misses nothing."""
    entries = locked()
    missing = []
    for name, (version, extras, _) in sorted(entries.items()):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a package for another platform or Python; pip skips it here too
        if canonicalize_name(dist.metadata["Name"]) != name or dist.version != version:
            missing.append(f"{name}: the lock pins {version}, {dist.version} is installed")
            continue
        for raw in dist.requires or []:
            req = Requirement(raw)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            dep = canonicalize_name(req.name)
            if dep not in entries:
                missing.append(f"{name} needs {req}, which the lock lacks")
            elif not req.specifier.contains(entries[dep][0], prereleases=True):
                missing.append(f"{name} needs {req}, the lock pins {entries[dep][0]}")
    assert missing == []
