"""The compiled-pattern cache gives exactly the pattern ``re.compile`` gives, from disk the second time."""

from __future__ import annotations

import re
import subprocess
import sys

from pipeline.extraction import pattern_cache
from pipeline.extraction.pattern_cache import compile_cached


def test_cached_pattern_equals_re_compile_and_is_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    source = r"(?P<num>\d+)\s+(?:people|civilians)\b|(?P<word>[a-z]+)"
    first = compile_cached(source, re.I)
    assert first == re.compile(source, re.I)  # same flags, pattern text and SRE program
    assert len(list((tmp_path / "regex").glob("*.pickle"))) == 1
    monkeypatch.setattr(pattern_cache, "_program", lambda *a: (_ for _ in ()).throw(AssertionError("compiled")))
    second = compile_cached(source, re.I)  # read from the cache: compiling again would raise
    assert second == re.compile(source, re.I)
    assert second.groupindex == {"num": 1, "word": 2}
    assert second.match("12 Civilians fled").group("num") == "12"


def test_unreadable_cache_falls_back_to_compiling(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    source = r"\bkill(?:ed|ing)\b"
    compile_cached(source)
    for path in (tmp_path / "regex").glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert compile_cached(source) == re.compile(source)
    (tmp_path / "regex").chmod(0o500)  # read-only: nothing written, still compiled
    try:
        assert compile_cached(r"\bwounded\b") == re.compile(r"\bwounded\b")
    finally:
        (tmp_path / "regex").chmod(0o700)


def test_count_patterns_are_the_same_text_in_every_process(tmp_path):
    """The cache is keyed by the pattern's text, so it must not depend on the string hash seed."""
    script = ("import hashlib, pipeline.extraction.numbers as n; "
              "print(hashlib.sha256(''.join(p.pattern for p in n._LAZY).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed, "SITREP_CACHE_DIR": str(tmp_path)}).stdout
               for seed in ("1", "2", "3")}
    assert len(digests) == 1
