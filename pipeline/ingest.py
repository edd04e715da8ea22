"""Raw files → article records, with every raw entry accounted for.

Reads ``.md``/``.markdown``/``.txt`` files (optional YAML front matter) and ``.jsonl`` files (one
article per line) under the raw folder, normalises the body text exactly as the evaluation sets
do (so character offsets agree), derives the article ID and publication date, and marks each
document ok, duplicate or rejected with a reason a person can act on. Extraction of events is
not done here.

No raw entry can stop the run or cost unbounded time or memory: entries the listing refused
(``RawFile.problem``: symlinks out of the folder, special files, oversize files, ...) become
rejected rows without being opened; decoding, YAML, JSON and every article are checked against
``pipeline.limits`` before any date is inferred; and anything else that goes wrong in one entry
rejects that entry, naming the cause. Article IDs are unique by construction. A file whose path,
size and mtime are unchanged is not read again when an ``IngestCache`` holds its earlier records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

import yaml

from pipeline import limits
from pipeline.batches import RawFile
from pipeline.extraction.dates import implausible_publication_date, parse_dateline, resolve_publication_date
from pipeline.rawfolder import RefusedEntry, list_local_raw_folder, read_local_raw

if TYPE_CHECKING:
    import pandas as pd

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
    refused_future_date: bool = False  # a date after the build's "tomorrow" was passed over


def normalise_body(text: str) -> str:
    """Line endings to ``\\n`` (U+2028/2029 too) and trailing whitespace at the end removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.rstrip()


class _FrontMatterLimit(ValueError):
    """Front matter over one of ``pipeline.limits`` (aliases, nesting)."""


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML for front matter: dates stay text (checked by ``_as_date``), aliases and nesting bounded."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > limits.MAX_YAML_ALIASES:
                raise _FrontMatterLimit(f"front matter uses more than {limits.MAX_YAML_ALIASES} YAML aliases "
                                        "(*name), the limit (SITREP_MAX_YAML_ALIASES)")
        self._depth += 1
        try:
            if self._depth > limits.MAX_YAML_DEPTH + 1:
                raise _FrontMatterLimit(f"front matter nests deeper than {limits.MAX_YAML_DEPTH} levels, "
                                        "the limit (SITREP_MAX_YAML_DEPTH)")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (front matter, body). Raises ValueError naming the problem when it is malformed."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    while end != -1 and text[end + 4: end + 5] not in ("", "\n"):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise ValueError("front matter opened with '---' but never closed")
    if end - 4 > limits.MAX_FRONT_MATTER_CHARS:
        raise ValueError(f"front matter is {end - 4:,} characters, over the limit of "
                         f"{limits.MAX_FRONT_MATTER_CHARS:,} (SITREP_MAX_FRONT_MATTER_CHARS)")
    try:
        meta = yaml.load(text[4:end], Loader=_FrontMatterLoader) or {}  # noqa: S506 - a SafeLoader subclass
    except _FrontMatterLimit as exc:
        raise ValueError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"front matter could not be read as YAML ({type(exc).__name__}: {exc})") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping of key: value lines")
    return meta, text[end + 5:] if text[end + 4: end + 5] == "\n" else text[end + 4:]


def slug_id(value: object) -> str:
    """An article ID safe for keys and file names: lowercase ``[a-z0-9-]``."""
    slug = _SLUG_UNSAFE.sub("-", str(value).strip().lower()).strip("-")
    return slug or "unnamed"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_ISO_DAY_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.,+\-Z ]*)?\s*\Z")


def _as_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` date (a time after it is allowed); raises ValueError saying what is wrong.

    Numbers are refused, not guessed at: ``1646092800`` is an epoch timestamp, not 1646-09-28.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("is a number (an epoch timestamp?), not a YYYY-MM-DD date")
    m = _ISO_DAY_RE.match(value) if isinstance(value, str) else None
    if m is None:
        raise ValueError("is not a YYYY-MM-DD date")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValueError(f"is not a calendar date ({exc})") from None


def utc_today() -> date:
    return dt.datetime.now(dt.UTC).date()


def article_from_text(source_path: str, raw_text: str, today: date | None = None) -> RawArticle:
    """Build one article from the text of a file (or of a .jsonl line already turned to text)."""
    try:
        meta, body = split_front_matter(normalise_body(raw_text))
    except ValueError as exc:
        return _rejected(source_path, str(exc))
    return article_from_parts(source_path, body, meta, today)


def _field_label(source_path: str) -> str:
    return "JSON field" if "#L" in source_path else "front matter"


def _shown(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _text_problem(what: str, text: str) -> str | None:
    """Why a text cannot be stored (NUL bytes, unpaired surrogates), or None."""
    if "\x00" in text:
        return f"{what} holds NUL characters (binary data or UTF-16 text), not plain text"
    if _SURROGATE_RE.search(text):
        return f"{what} holds an unpaired surrogate (a broken \\uXXXX escape), not valid Unicode"
    return None


def _meta_problem(meta: dict, label: str) -> str | None:
    """Why the known fields of a front matter or JSON record cannot be used, or None."""
    for key in sorted(FRONT_MATTER_KEYS & {k for k in meta if isinstance(k, str)}):
        value = meta[key]
        if isinstance(value, (dict, list, tuple, set)):
            kind = "mapping" if isinstance(value, dict) else "list"
            return f"{label} '{key}' is a {kind}; expected a single value"
        if isinstance(value, str):
            if len(value) > limits.MAX_FIELD_CHARS:
                return (f"{label} '{key}' is {len(value):,} characters, over the limit of "
                        f"{limits.MAX_FIELD_CHARS:,} (SITREP_MAX_FIELD_CHARS)")
            problem = _text_problem(f"{label} '{key}'", value)
            if problem:
                return problem
    return None


def _body_problem(body: str) -> str | None:
    """Why a body is not extracted (over a size limit, not text), or None; checked before any date work."""
    if len(body) > limits.MAX_ARTICLE_CHARS:
        return (f"article is {len(body):,} characters, over the limit of {limits.MAX_ARTICLE_CHARS:,} "
                "characters per article (SITREP_MAX_ARTICLE_CHARS)")
    lines = body.count("\n") + 1
    if lines > limits.MAX_ARTICLE_LINES:
        return (f"article has {lines:,} lines, over the limit of {limits.MAX_ARTICLE_LINES:,} lines per "
                "article (SITREP_MAX_ARTICLE_LINES)")
    return _text_problem("article text", body)


def article_from_parts(source_path: str, body: str, meta: dict, today: date | None = None) -> RawArticle:
    """One article from its body and its metadata (front matter or a JSON record), or its rejection.

    ``today`` is the build's UTC day: a publication date after the next day is passed over, with a
    note, like one before 1900; both fall back to the next source (dateline, then the text).
    """
    label = _field_label(source_path)
    problem = _meta_problem(meta, label)
    if problem:
        return _rejected(source_path, problem)
    body = normalise_body(body)
    if not body.strip():
        return _rejected(source_path, "empty body: no article text after the front matter")
    problem = _body_problem(body)
    if problem:
        return _rejected(source_path, problem)
    text_sha = sha256_text(body)
    latest = (today or utc_today()) + dt.timedelta(days=1)
    notes = []
    published = None
    refused_future = False
    raw_published = meta.get("published")
    try:
        published = _as_date(raw_published)
    except ValueError as exc:
        notes.append(f"{label} 'published: {_shown(raw_published)}' {exc}; ignored")
    if published is not None and (why := implausible_publication_date(published, latest)):
        notes.append(f"{label} 'published: {_shown(raw_published)}' is no plausible publication date ({why}); ignored")
        refused_future = published > latest
        published = None
    unknown = sorted(_shown(k, 40) for k in set(meta) - FRONT_MATTER_KEYS - {"text", "body"})
    if unknown:
        more = f" (+{len(unknown) - 10} more)" if len(unknown) > 10 else ""
        notes.append(f"unknown {label} keys ignored: {', '.join(unknown[:10])}{more}")
    # Resolved without an upper bound first, so the result depends on the clock only when a date
    # after tomorrow was really passed over (``refused_future_date``: a cached record is re-read).
    pub = resolve_publication_date(published, body)
    if pub.date is not None and pub.date > latest:
        refused_future = True
        pub = resolve_publication_date(published, body, latest=latest)
    if published is None and pub.source != "dateline":
        dateline = parse_dateline(body)
        if dateline is not None and dateline.date is not None:
            why = implausible_publication_date(dateline.date, latest)
            if why:
                notes.append(f"dateline date is no plausible publication date ({why}); ignored")
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
        refused_future_date=refused_future,
    )
    if language not in SUPPORTED_LANGUAGES:
        return replace(article, status="rejected",
                       status_reason=f"language '{_shown(language)}' is not supported (the extractor reads English)")
    return article


def _clean(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _markdown_title(body: str) -> str | None:
    first = body.lstrip().split("\n", 1)[0][: limits.MAX_FIELD_CHARS]
    return first.lstrip("#").strip() or None if first.startswith("# ") else None


def _rejected(source_path: str, reason: str, text_sha256: str | None = None) -> RawArticle:
    digest = hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:16]
    return RawArticle(article_id=f"rejected-{digest}", source_path=source_path, body="",
                      text_sha256=text_sha256, status="rejected", status_reason=reason, language=None)


def _unsupported(rel: str) -> RawArticle | None:
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix in TEXT_SUFFIXES | JSONL_SUFFIXES:
        return None
    return _rejected(rel, f"unsupported file type '{_shown(suffix, 20) or '(none)'}': expected .md, .txt or .jsonl")


def read_raw_file(path: Path, raw_root: Path) -> list[RawArticle]:
    """All articles one local raw file holds (a .jsonl holds many); never raises for bad content."""
    rel = path.relative_to(raw_root).as_posix()
    return articles_from_file(rel, lambda: read_local_raw(raw_root, rel))


def articles_from_file(rel: str, read: Callable[[], bytes], today: date | None = None) -> list[RawArticle]:
    """All articles a raw file holds, whatever storage ``read`` fetches its bytes from; never raises."""
    unsupported = _unsupported(rel)
    if unsupported is not None:
        return [unsupported]
    try:
        raw = read()
    except RefusedEntry as exc:
        return [_rejected(rel, exc.reason)]
    except OSError as exc:
        return [_rejected(rel, f"cannot read file: {exc.strerror or exc}")]
    return articles_from_bytes(rel, raw, today)


def articles_from_bytes(rel: str, raw: bytes, today: date | None = None) -> list[RawArticle]:
    """All articles in a raw file's bytes; never raises: whatever goes wrong rejects the file, naming why."""
    try:
        return _articles_from_bytes(rel, raw, today)
    except Exception as exc:  # noqa: BLE001 - one file never stops the run; the reason names the error
        return [_rejected(rel, f"could not be ingested ({type(exc).__name__}: {_shown(exc, 200)})")]


def _articles_from_bytes(rel: str, raw: bytes, today: date | None) -> list[RawArticle]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [_rejected(rel, "UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_rejected(rel, f"not UTF-8 text (invalid byte at position {exc.start})")]
    if "\x00" in text:
        return [_rejected(rel, "holds NUL bytes: binary data, or UTF-16 text without a byte-order mark; "
                               "expected UTF-8 text")]
    if PurePosixPath(rel).suffix.lower() in TEXT_SUFFIXES:
        return [article_from_text(rel, text, today)]
    text = text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is no part of the first line
    return list(_jsonl_articles(rel, text, today)) or [_rejected(rel, "no JSON line in the file (it is empty)")]


_JSON_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET_RE = re.compile(r"[\[\]{}]")


def json_nesting_depth(line: str, stop_after: int = limits.MAX_JSON_DEPTH) -> int:
    """How deep arrays and objects nest in a JSON text (brackets inside strings do not count).

    Counting stops once ``stop_after`` is exceeded, so a line of a million '[' costs one pass.
    """
    if line.count("[") + line.count("{") <= stop_after:
        return min(line.count("[") + line.count("{"), stop_after)
    depth = deepest = 0
    for m in _JSON_BRACKET_RE.finditer(_JSON_STRING_RE.sub('""', line)):
        if m.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    break
        else:
            depth -= 1
    return deepest


def _jsonl_articles(rel: str, text: str, today: date | None):
    # Lines end at "\n" only: U+2028, U+0085 and friends are legal inside a JSON string.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{rel}#L{lineno}"
        if json_nesting_depth(line) > limits.MAX_JSON_DEPTH:
            yield _rejected(where, f"line nests arrays or objects deeper than {limits.MAX_JSON_DEPTH} levels, "
                                   "the limit (SITREP_MAX_JSON_DEPTH)")
            continue
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
        yield article_from_parts(where, body, record, today)


@lru_cache(maxsize=1)
def ingest_fingerprint() -> str:
    """Hash of the code and limits that turn raw bytes into article records: keys ``IngestCache``."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for rel in ("ingest.py", "limits.py", "extraction/dates.py", "extraction/records.py"):
        digest.update(rel.encode())
        digest.update((here / rel).read_bytes())
    digest.update(repr(sorted((k, v) for k, v in vars(limits).items() if k.startswith("MAX_"))).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class IngestRecord:
    """What one raw file gave when it was last read, so an unchanged file is not read again."""

    sha256: str  # of the file's bytes
    articles: tuple[RawArticle, ...]  # before deduplication
    day: date  # the build day it was read on

    def usable(self, today: date, recorded_sha256: str | None) -> bool:
        """Still what the file gives: same bytes as the batch ledger says, and no date that the day decided."""
        if recorded_sha256 is not None and recorded_sha256 != self.sha256:
            return False
        if self.day != today and any(a.refused_future_date for a in self.articles):
            return False  # a date refused as "in the future" may be plausible by now
        latest = today + dt.timedelta(days=1)
        return all(a.published_date is None or a.published_date <= latest for a in self.articles)


class IngestCache(Protocol):
    """Where ``IngestRecord``s live between builds (``SitrepStorage.ingest_store``)."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...


def ingest_cache_key(entry: RawFile) -> str:
    """Path, size and mtime of the file, and the ingest code and limits that read it."""
    return hashlib.sha256(f"{ingest_fingerprint()}|{entry.path}|{entry.size}|{entry.mtime_ns}".encode()).hexdigest()


@dataclass(frozen=True)
class IngestScan:
    """Every raw entry's article rows, and how many files were read or taken from the cache."""

    articles: list[RawArticle]
    files_read: int
    files_reused: int


def scan_raw_entries(entries: Iterable[RawFile | str], read: Callable[[str], bytes],
                     cache: IngestCache | None = None,
                     recorded: dict[tuple[str, int, int], str] | None = None,
                     today: date | None = None) -> IngestScan:
    """Every document in the listed raw entries, deduplicated, in source-path order.

    An entry the listing refused becomes one rejected row without being opened. With a ``cache``,
    a file whose path, size and mtime (and, where a batch recorded it, content hash) are unchanged
    gives its earlier records instead of being read and parsed again. ``read`` returns a file's
    bytes (local disk or object storage) and may raise ``RefusedEntry`` or ``OSError``.
    """
    today = today or utc_today()
    listed = sorted((RawFile(e, -1, -1) if isinstance(e, str) else e for e in entries), key=lambda e: e.path)
    found: list[RawArticle] = []
    n_read = n_reused = 0
    for entry in listed:
        if entry.problem is not None:
            found.append(_rejected(entry.path, entry.problem))
            continue
        unsupported = _unsupported(entry.path)
        if unsupported is not None:
            found.append(unsupported)
            continue
        key = ingest_cache_key(entry) if cache is not None and entry.size >= 0 else None
        if key is not None:
            hit = cache.get(key)
            recorded_sha = (recorded or {}).get((entry.path, entry.size, entry.mtime_ns))
            if isinstance(hit, IngestRecord) and hit.usable(today, recorded_sha):
                found.extend(hit.articles)
                n_reused += 1
                continue
        try:
            raw = read(entry.path)
        except RefusedEntry as exc:
            found.append(_rejected(entry.path, exc.reason))
            continue
        except OSError as exc:
            found.append(_rejected(entry.path, f"cannot read file: {exc.strerror or exc}"))
            continue
        n_read += 1
        articles = articles_from_bytes(entry.path, raw, today)
        if key is not None and len(raw) == entry.size:  # a file changed while listed is not cached
            cache.put(key, IngestRecord(hashlib.sha256(raw).hexdigest(), tuple(articles), today))
        found.extend(articles)
    return IngestScan(deduplicate(found), n_read, n_reused)


def scan_raw_folder(raw_root: Path) -> list[RawArticle]:
    """Every entry under a local raw folder, deduplicated, in source-path order (see ``scan_raw_entries``)."""
    listing = list_local_raw_folder(raw_root)
    return scan_raw_entries(listing, lambda rel: read_local_raw(raw_root, rel)).articles


def scan_raw_files(paths: Iterable[RawFile | str], read: Callable[[str], bytes],
                   today: date | None = None) -> list[RawArticle]:
    """Every document in the given raw files, deduplicated, in source-path order.

    ``paths`` are relative to the raw folder (or listing entries) and ``read`` returns a file's
    bytes, so the folder may live on local disk or in object storage. Hidden files and folders
    (names starting with '.') are the caller's to skip: they are editor and OS artefacts, not
    articles. Exact duplicates (same normalised body; for briefs, also the same publication day)
    keep the first copy by path; a reused front-matter ID with a different text is rejected,
    since IDs must stay unique.
    """
    return scan_raw_entries(paths, read, today=today).articles


# A text shorter than this is a headline or a one-line brief: the same words on another day
# ("Army vs Boko Haram, Borno") are a new report of a new event, not a reprint.
BRIEF_MAX_CHARS = 280


def duplicate_key(article: RawArticle) -> str:
    """What two articles share when one is a copy of the other: the text, and for briefs also the day."""
    key = article.text_sha256 or ""
    if len(article.body) < BRIEF_MAX_CHARS and article.published_date is not None:
        key += f"@{article.published_date.isoformat()}"
    return key


def derived_id(base: str, kind: str, source_path: str) -> str:
    """``<base>-<kind>-<path slug, cut to 48>-<8 hex of sha256(path)>``: unique because source paths are."""
    digest = hashlib.sha256(source_path.encode("utf-8")).hexdigest()[:8]
    return f"{base}-{kind}-{slug_id(source_path)[:48].strip('-')}-{digest}"


def deduplicate(articles: list[RawArticle]) -> list[RawArticle]:
    """Mark copies (see ``duplicate_key``) as duplicates of the first by path; reject reused IDs.

    Every row leaves with its own ID: ok articles keep theirs (a reused one is rejected), and the
    IDs of duplicates and conflicts are derived from their source path (see ``derived_id``).
    """
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
            a = replace(a, article_id=derived_id(first, "dup", a.source_path), status="duplicate",
                        status_reason=f"same text as {by_id[first].source_path}", duplicate_of=first)
        elif a.article_id in by_id:
            other = by_id[a.article_id]
            a = replace(a, article_id=derived_id(a.article_id, "conflict", a.source_path), status="rejected",
                        status_reason=f"article id '{other.article_id}' is already used by {other.source_path} "
                                      "with a different text; give this file its own id")
        else:
            by_hash[key] = a.article_id
            by_id[a.article_id] = a
        out.append(a)
    return _unique_ids(out)


def _unique_ids(articles: list[RawArticle]) -> list[RawArticle]:
    """Give any non-ok row whose ID is taken (by an ok article, or an earlier row) a path-derived suffix.

    Source paths are unique, so this only acts on crafted inputs (a front-matter id such as
    ``rejected-…`` or a file name spelled like a non-UTF-8 escape); it keeps the result deterministic.
    """
    taken = {a.article_id for a in articles if a.status == "ok"}
    out = []
    for a in articles:
        if a.status != "ok":
            article_id, n = a.article_id, 0
            while article_id in taken:
                n += 1
                article_id = f"{a.article_id}-{hashlib.sha256(f'{a.source_path}#{n}'.encode()).hexdigest()[:8]}"
            taken.add(article_id)
            if article_id != a.article_id:
                a = replace(a, article_id=article_id)
        out.append(a)
    return out


def articles_frame(articles: list[RawArticle]) -> pd.DataFrame:
    """The ``articles`` table (contract columns only; bodies stay out of the published data)."""
    import pandas as pd  # pandas and pandera load here, not when a build only lists or reads files

    from pipeline.contract import empty_frame

    rows = [{
        "article_id": a.article_id, "source_path": a.source_path, "title": a.title, "outlet": a.outlet,
        "url": a.url, "published_date": pd.Timestamp(a.published_date) if a.published_date else pd.NaT,
        "published_date_source": a.published_date_source, "published_date_precision": a.published_date_precision,
        "language": a.language, "n_chars": len(a.body), "text_sha256": a.text_sha256, "status": a.status,
        "status_reason": a.status_reason, "duplicate_of": a.duplicate_of,
    } for a in articles]
    return pd.DataFrame(rows) if rows else empty_frame("articles")
