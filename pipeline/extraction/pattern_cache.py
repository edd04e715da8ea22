"""Compiled regular expressions kept on disk, so a new process does not recompile the big ones.

What belongs here: turning a pattern string into exactly the ``re.Pattern`` that ``re.compile``
gives, reading the compiled program from a local cache (``SITREP_CACHE_DIR``, beside the
gazetteer's) when it holds one, and writing it there otherwise. Nothing about what any pattern
matches: the count patterns themselves live in ``numbers.py``.

Why: the count patterns are built from the whole lexicon (57 patterns, ~800k characters) and
Python's ``re`` parses and compiles them in pure Python, ~2.3 CPU s in every new process (a
``sitrep build`` that adds one article, each Dask worker). ``re`` cannot pickle a compiled
pattern, but what it compiles to is a list of integers (the SRE program) handed to ``_sre.compile``;
that list is stored here and handed over again, which takes milliseconds. The program is the one
``re`` itself produced, so the pattern matches exactly as a freshly compiled one does.

The cache key holds the pattern, its flags, the interpreter's full version and SRE's own format
number (``_sre.MAGIC``), so another Python never reads a program it did not write; ``_sre.compile``
validates the program it is given. Anything unexpected (no ``_sre.compile`` of this shape, an
unreadable or foreign file, a read-only cache directory) falls back to ``re.compile``: the cache
only ever costs or saves time.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from pathlib import Path

from pipeline.local_cache import cache_root, read_pickle, write_pickle

FORMAT = "v1"  # bump when the stored tuple's shape changes

try:  # CPython's regular-expression engine and compiler (private, hence every guard below)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another interpreter: plain re.compile
    _sre = _compiler = _parser = None  # type: ignore[assignment]


def cache_dir() -> Path:
    """Where compiled patterns are kept: the local cache's ``regex`` folder."""
    return cache_root() / "regex"


def _key(pattern: str, flags: int) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT, sys.version, str(getattr(_sre, "MAGIC", "")), str(getattr(_sre, "CODESIZE", "")),
                 str(flags), pattern):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _program(pattern: str, flags: int) -> tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]:
    """What ``re._compiler.compile`` hands to ``_sre.compile``: flags, program, groups and their names."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _from_program(pattern: str, program: tuple) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, list(code), groups, groupindex, indexgroup)


def _read(path: Path, pattern: str) -> re.Pattern[str] | None:
    stored = read_pickle(path, tuple)
    if stored is None:
        return None
    try:
        flags, code_bytes, groups, groupindex, indexgroup, stored_pattern = stored
        if stored_pattern != pattern:
            return None
        code = array("I")
        if code.itemsize != _sre.CODESIZE:
            return None
        code.frombytes(code_bytes)
        return _from_program(pattern, (flags, code.tolist(), groups, groupindex, indexgroup))
    except (ValueError, TypeError, RuntimeError, AttributeError):
        return None


def _write(path: Path, pattern: str, program: tuple) -> None:
    flags, code, groups, groupindex, indexgroup = program
    try:
        packed = array("I", code)
        if packed.itemsize != _sre.CODESIZE:
            return
        write_pickle(path, (flags, packed.tobytes(), groups, groupindex, indexgroup, pattern))
    except (OSError, OverflowError, ValueError):
        pass


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, its program read from the local cache when it is there."""
    if _sre is None or not hasattr(_sre, "compile") or not hasattr(_compiler, "_code"):
        return re.compile(pattern, flags)
    path = cache_dir() / f"{_key(pattern, flags)}.pickle"
    compiled = _read(path, pattern)
    if compiled is not None:
        return compiled
    try:
        program = _program(pattern, flags)
        compiled = _from_program(pattern, program)
    except (TypeError, AttributeError, ValueError, RuntimeError):
        return re.compile(pattern, flags)
    _write(path, pattern, program)
    return compiled
