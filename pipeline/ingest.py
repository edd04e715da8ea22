"""Raw files → article records, with every file accounted for.

Reads ``.md``/``.markdown``/``.txt`` files (optional YAML front matter) and ``.jsonl`` files (one
article per line) under the raw folder, normalises the body text exactly as the evaluation sets
do (so character offsets agree), derives the article ID and publication date, and marks each
document ok, duplicate or rejected with a reason a person can act on. Extraction of events is
not done here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml

from pipeline.contract import empty_frame
from pipeline.extraction.dates import resolve_publication_date

TEXT_SUFFIXES = {".md", ".markdown", ".txt"}
JSONL_SUFFIXES = {".jsonl"}
FRONT_MATTER_KEYS = {"id", "title", "outlet", "published", "url", "language"}
SUPPORTED_LANGUAGES = {"en"}
_SLUG_UNSAFE = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class RawArticle:
    """One document as read from the raw folder, before any extraction."""

    article_id: str
    source_path: str
    body: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_date: date | None = None
    published_date_source: str = "unknown"
    published_date_precision: str = "unknown"
    language: str | None = "en"
    text_sha256: str | None = None
    status: str = "ok"
    status_reason: str | None = None
    duplicate_of: str | None = None


def normalise_body(text: str) -> str:
    """Line endings to ``\\n`` (U+2028/2029 too) and trailing whitespace at the end removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.rstrip()


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (front matter, body). Raises ValueError naming the problem when it is malformed."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    while end != -1 and text[end + 4: end + 5] not in ("", "\n"):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise ValueError("front matter opened with '---' but never closed")
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping of key: value lines")
    return meta, text[end + 5:] if text[end + 4: end + 5] == "\n" else text[end + 4:]


def slug_id(value: object) -> str:
    """An article ID safe for keys and file names: lowercase ``[a-z0-9-]``."""
    slug = _SLUG_UNSAFE.sub("-", str(value).strip().lower()).strip("-")
    return slug or "unnamed"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def article_from_text(source_path: str, raw_text: str) -> RawArticle:
    """Build one article from the text of a file (or of a .jsonl line already turned to text)."""
    try:
        meta, body = split_front_matter(normalise_body(raw_text))
    except ValueError as exc:
        return _rejected(source_path, str(exc))
    return article_from_parts(source_path, body, meta)


def article_from_parts(source_path: str, body: str, meta: dict) -> RawArticle:
    body = normalise_body(body)
    if not body.strip():
        return _rejected(source_path, "empty body: no article text after the front matter")
    text_sha = sha256_text(body)
    notes = []
    published = None
    try:
        published = _as_date(meta.get("published"))
    except ValueError:
        notes.append(f"front matter 'published: {meta.get('published')}' is not a YYYY-MM-DD date; ignored")
    unknown = sorted(set(meta) - FRONT_MATTER_KEYS - {"text", "body"})
    if unknown:
        notes.append(f"unknown front matter keys ignored: {', '.join(map(str, unknown))}")
    pub = resolve_publication_date(published, body)
    language = str(meta.get("language") or "en").strip().lower()
    article = RawArticle(
        article_id=slug_id(meta["id"]) if meta.get("id") else f"sha-{text_sha[:16]}",
        source_path=source_path,
        body=body,
        title=_clean(meta.get("title")) or _markdown_title(body),
        outlet=_clean(meta.get("outlet")),
        url=_clean(meta.get("url")),
        published_date=pub.date,
        published_date_source=pub.source,
        published_date_precision=pub.precision if pub.date else "unknown",
        language=language,
        text_sha256=text_sha,
        status_reason="; ".join(notes) or None,
    )
    if language not in SUPPORTED_LANGUAGES:
        return replace(article, status="rejected",
                       status_reason=f"language '{language}' is not supported (the extractor reads English)")
    return article


def _clean(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _markdown_title(body: str) -> str | None:
    first = body.lstrip().split("\n", 1)[0]
    return first.lstrip("#").strip() or None if first.startswith("# ") else None


def _rejected(source_path: str, reason: str, text_sha256: str | None = None) -> RawArticle:
    digest = hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:16]
    return RawArticle(article_id=f"rejected-{digest}", source_path=source_path, body="",
                      text_sha256=text_sha256, status="rejected", status_reason=reason, language=None)


def read_raw_file(path: Path, raw_root: Path) -> list[RawArticle]:
    """All articles one local raw file holds (a .jsonl holds many); never raises for bad content."""
    return articles_from_file(path.relative_to(raw_root).as_posix(), path.read_bytes)


def articles_from_file(rel: str, read: Callable[[], bytes]) -> list[RawArticle]:
    """All articles a raw file holds, whatever storage ``read`` fetches its bytes from; never raises."""
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix not in TEXT_SUFFIXES | JSONL_SUFFIXES:
        return [_rejected(rel, f"unsupported file type '{suffix or '(none)'}': expected .md, .txt or .jsonl")]
    try:
        raw = read()
    except OSError as exc:
        return [_rejected(rel, f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_rejected(rel, f"not UTF-8 text (invalid byte at position {exc.start})")]
    if suffix in TEXT_SUFFIXES:
        return [article_from_text(rel, text)]
    return list(_jsonl_articles(rel, text))


def _jsonl_articles(rel: str, text: str):
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{rel}#L{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _rejected(where, f"line is not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield _rejected(where, "line is not a JSON object")
            continue
        body = record.get("text", record.get("body"))
        if not isinstance(body, str):
            yield _rejected(where, "JSON object has no string 'text' (or 'body') field")
            continue
        yield article_from_parts(where, body, record)


def scan_raw_folder(raw_root: Path) -> list[RawArticle]:
    """Every document under a local raw folder, deduplicated, in source-path order (see ``scan_raw_files``)."""
    if not raw_root.is_dir():
        raise FileNotFoundError(f"raw folder {raw_root} does not exist (set SITREP_RAW_DIR)")
    paths = sorted(
        p.relative_to(raw_root).as_posix() for p in raw_root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(raw_root).parts)
    )
    return scan_raw_files(paths, lambda rel: (raw_root / rel).read_bytes())


def scan_raw_files(paths: Iterable[str], read: Callable[[str], bytes]) -> list[RawArticle]:
    """Every document in the given raw files, deduplicated, in source-path order.

    ``paths`` are relative to the raw folder and ``read`` returns a file's bytes, so the folder may
    live on local disk or in object storage. Hidden files and folders (names starting with '.') are
    the caller's to skip: they are editor and OS artefacts, not articles. Exact duplicates (same
    normalised body; for briefs, also the same publication day) keep the first copy by path; a
    reused front-matter ID with a different text is rejected, since IDs must stay unique.
    """
    articles = [a for rel in sorted(paths) for a in articles_from_file(rel, lambda rel=rel: read(rel))]
    return deduplicate(articles)


# A text shorter than this is a headline or a one-line brief: the same words on another day
# ("Army vs Boko Haram, Borno") are a new report of a new event, not a reprint.
BRIEF_MAX_CHARS = 280


def duplicate_key(article: RawArticle) -> str:
    """What two articles share when one is a copy of the other: the text, and for briefs also the day."""
    key = article.text_sha256 or ""
    if len(article.body) < BRIEF_MAX_CHARS and article.published_date is not None:
        key += f"@{article.published_date.isoformat()}"
    return key


def deduplicate(articles: list[RawArticle]) -> list[RawArticle]:
    """Mark copies (see ``duplicate_key``) as duplicates of the first by path; reject reused IDs."""
    by_hash: dict[str, str] = {}
    by_id: dict[str, RawArticle] = {}
    out = []
    for a in articles:
        if a.status == "rejected":
            out.append(a)
            continue
        key = duplicate_key(a)
        first = by_hash.get(key)
        if first is not None:
            a = replace(a, article_id=f"{first}-dup-{slug_id(a.source_path)}"[:120].rstrip("-"), status="duplicate",
                        status_reason=f"same text as {by_id[first].source_path}", duplicate_of=first)
        elif a.article_id in by_id:
            other = by_id[a.article_id]
            a = replace(a, article_id=f"{a.article_id}-conflict-{(a.text_sha256 or '')[:8]}", status="rejected",
                        status_reason=f"article id '{other.article_id}' is already used by {other.source_path} "
                                      "with a different text; give this file its own id")
        else:
            by_hash[key] = a.article_id
        by_id.setdefault(a.article_id, a)
        out.append(a)
    return out


def articles_frame(articles: list[RawArticle]) -> pd.DataFrame:
    """The ``articles`` table (contract columns only; bodies stay out of the published data)."""
    rows = [{
        "article_id": a.article_id, "source_path": a.source_path, "title": a.title, "outlet": a.outlet,
        "url": a.url, "published_date": pd.Timestamp(a.published_date) if a.published_date else pd.NaT,
        "published_date_source": a.published_date_source, "published_date_precision": a.published_date_precision,
        "language": a.language, "n_chars": len(a.body), "text_sha256": a.text_sha256, "status": a.status,
        "status_reason": a.status_reason, "duplicate_of": a.duplicate_of,
    } for a in articles]
    return pd.DataFrame(rows) if rows else empty_frame("articles")
