"""Limits on raw input: the most one raw file or one article may cost, in one place.

What belongs here: the numbers that keep any single raw entry from taking unbounded time or
memory before it reaches extraction — bytes per file, characters and lines per article, front
matter size, YAML aliases and nesting, JSON nesting, and the length of one front-matter value.
Ingest (``pipeline.ingest``) and the raw-folder listing (``pipeline.rawfolder``) enforce them;
each rejection names the limit, and the README ("Operations" → "Hostile input") lists them. What
does not: the per-article extraction time budget (``pipeline.extract``).

Each limit may be raised or lowered by an environment variable of the same name prefixed with
``SITREP_`` (``SITREP_MAX_FILE_BYTES=200000000``), read when the module is imported.
"""

from __future__ import annotations

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(f"SITREP_{name}", "").strip()
    return int(value) if value else default


MAX_FILE_BYTES = _env_int("MAX_FILE_BYTES", 64 * 1024 * 1024)
"""Bytes per raw file (a .jsonl feed dump holds many articles; one article is far smaller)."""

MAX_ARTICLE_CHARS = _env_int("MAX_ARTICLE_CHARS", 200_000)
"""Characters per article body: ~30k words, about ten seconds of parsing on one core."""

MAX_ARTICLE_LINES = _env_int("MAX_ARTICLE_LINES", 5_000)
"""Lines per article body: line breaks are sentence boundaries, and news has paragraphs, not lists."""

MAX_FRONT_MATTER_CHARS = _env_int("MAX_FRONT_MATTER_CHARS", 65_536)
"""Characters of YAML front matter (six short fields)."""

MAX_FIELD_CHARS = _env_int("MAX_FIELD_CHARS", 2_000)
"""Characters of one front-matter or JSON value (id, title, outlet, url, published, language)."""

MAX_YAML_ALIASES = _env_int("MAX_YAML_ALIASES", 16)
"""YAML alias references (``*name``) in front matter: a few are harmless, thousands are a bomb."""

MAX_YAML_DEPTH = _env_int("MAX_YAML_DEPTH", 16)
"""Nesting of YAML collections in front matter (its fields are flat)."""

MAX_JSON_DEPTH = _env_int("MAX_JSON_DEPTH", 64)
"""Nesting of arrays and objects in one .jsonl line (an article is one flat object)."""
