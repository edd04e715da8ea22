"""A hostile raw folder, generated at test time: ten good articles beside 64 hostile entries.

``build_hostile_corpus(root)`` writes ``root/raw`` (the raw folder) and ``root/outside`` (a folder
beside it whose files hold ``SECRET`` and must never be read) and returns a ``Corpus``: for every
raw entry that must get an ``articles`` row, its source path and what it must become (status and a
fragment of the reason). Nothing is committed as a binary: special files, symlinks, sparse files
and non-UTF-8 names are made here. Run it as a script to write one for a manual build:
``python tests/hostile_corpus.py /tmp/hostile`` (then ``SITREP_RAW_DIR=/tmp/hostile/raw sitrep build``).

Bad entries that are still ok articles (a bad date, a hostile title) carry a body that reports no
violence, so the incidents of a release are the good articles' alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "TOP-SECRET-OUTSIDE-THE-RAW-FOLDER"
CALM = "The provincial council met on Tuesday to discuss the budget for schools and roads."

GOOD = {
    "good/kunduz.md": ("kunduz-clash", "2023-06-16",
                       "KUNDUZ, Afghanistan (Sitrep Test Wire) - Taliban fighters clashed with members of the National "
                       "Resistance Front in Imam Sahib district of Kunduz province on Thursday, killing at least 12 "
                       "people, a local official said.\n\nThe fighting lasted several hours."),
    "good/herat.txt": (None, None,
                       "HERAT, Afghanistan, March 3, 2023 - A roadside bomb exploded near a police checkpoint in "
                       "Herat city yesterday, killing four policemen and wounding seven others, officials said."),
    "good/maiduguri.md": ("maiduguri-raid", "2021-11-08",
                          "Boko Haram gunmen killed nine villagers in an attack on a village near Maiduguri, Borno "
                          "state, on Saturday, residents said. The attackers also abducted five women."),
    "good/mogadishu.md": ("mogadishu-blast", "2022-10-30",
                          "MOGADISHU, Somalia - Two car bombs exploded at the education ministry in Mogadishu on "
                          "Saturday, killing at least 100 people, President Hassan Sheikh Mohamud said. Al-Shabaab "
                          "said it carried out the attack."),
    "good/mosul.md": ("mosul-arrests", "2019-04-12",
                      "Iraqi security forces arrested six suspected Islamic State members in Mosul, Nineveh "
                      "province, on Thursday, police said."),
    "good/cauca.md": ("cauca-attack", "2021-05-03",
                      "Suspected FARC dissidents shot dead three soldiers in an attack on a military base in Cauca "
                      "department, Colombia, on Sunday, the army said."),
    "good/idlib.md": ("idlib-strike", "2020-02-20",
                      "An air strike hit a market in Idlib city, Syria, on Wednesday, killing eight civilians, "
                      "rescue workers said."),
    "good/mopti.md": ("mopti-ambush", "2022-07-28",
                      "Jihadist fighters ambushed a convoy near Mopti, Mali, on Tuesday, killing 15 soldiers, the "
                      "army said."),
    "good/feed.jsonl#L1": ("aden-blast", "2021-12-30",
                           "A car bomb exploded near Aden airport in Yemen on Thursday, killing at least five people, "
                           "officials said."),
    "good/feed.jsonl#L3": ("goma-protest", "2022-07-26",
                           "Protesters stormed a United Nations base in Goma, North Kivu, Democratic Republic of Congo, "
                           "on Tuesday, and five people were killed, police said."),
}


@dataclass
class Corpus:
    """What was written and what each raw entry must become."""

    raw: Path
    outside: Path
    expected: dict[str, tuple[str, str]] = field(default_factory=dict)  # source path -> (status, reason fragment)
    good_ids: list[str] = field(default_factory=list)

    def expect(self, path: str, status: str, reason: str = "") -> None:
        assert path not in self.expected, path
        self.expected[path] = (status, reason)


def _front(fields: dict[str, object], body: str) -> str:
    lines = [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def build_hostile_corpus(root: Path) -> Corpus:
    root = Path(root)
    raw, outside = root / "raw", root / "outside"
    raw.mkdir(parents=True)
    outside.mkdir(parents=True)
    corpus = Corpus(raw, outside)
    _write(outside / "secret.md", f"---\ntitle: {SECRET}\n---\n{SECRET} {CALM}")
    _write(outside / "folder" / "inside.md", f"{SECRET} {CALM}")

    # -- the good articles (eight files, one .jsonl holding two of them and a blank line)
    feed = []
    for path, (doc_id, published, body) in GOOD.items():
        if "#L" in path:
            feed.append(json.dumps({"id": doc_id, "published": published, "outlet": "Test Wire", "text": body}))
            feed.append("")
        else:
            fields = {"id": doc_id, "published": published} if doc_id else {}
            _write(raw / path, _front(fields, body) if fields else body + "\n")
        corpus.expect(path, "ok")
        corpus.good_ids.append(doc_id)
    _write(raw / "good/feed.jsonl", "\n".join(feed[:-1]) + "\n")

    # -- names and links
    (raw / "names").mkdir()
    with open(os.fsencode(raw / "names") + b"/caf\xe9-report.md", "wb") as fh:  # a Latin-1 file name
        fh.write(CALM.encode())
    corpus.expect("names/caf\\xe9-report.md", "rejected", "not valid UTF-8")
    _write(raw / "names/tab\tand\nnewline.md", _front({"id": "odd-name"}, CALM + " Odd name."))
    corpus.expect("names/tab\tand\nnewline.md", "ok")
    links = raw / "links"
    links.mkdir()
    os.symlink(outside / "secret.md", links / "outside-file.md")
    corpus.expect("links/outside-file.md", "rejected", "outside the raw folder")
    os.symlink(outside / "folder", links / "outside-folder")
    corpus.expect("links/outside-folder", "rejected", "outside the raw folder")
    os.symlink("/etc/hostname", links / "hostname.txt")
    corpus.expect("links/hostname.txt", "rejected", "outside the raw folder")
    os.symlink("../../outside/secret.md", links / "relative-escape.md")
    corpus.expect("links/relative-escape.md", "rejected", "outside the raw folder")
    os.symlink(links / "missing.md", links / "dangling.md")
    corpus.expect("links/dangling.md", "rejected", "dangling symlink")
    os.symlink(links / "loop-b.md", links / "loop-a.md")
    os.symlink(links / "loop-a.md", links / "loop-b.md")
    corpus.expect("links/loop-a.md", "rejected", "symlink loop")
    corpus.expect("links/loop-b.md", "rejected", "symlink loop")
    os.symlink(raw, links / "whole-raw-folder")
    corpus.expect("links/whole-raw-folder", "rejected", "symlink to a folder")
    os.symlink("../good/mosul.md", links / "mosul-link.md")
    corpus.expect("links/mosul-link.md", "duplicate", "same text as good/mosul.md")

    # -- special files: listed, never opened (opening a FIFO for reading would block)
    special = raw / "special"
    special.mkdir()
    os.mkfifo(special / "pipe.md")
    corpus.expect("special/pipe.md", "rejected", "named pipe")
    os.mkfifo(outside / "pipe.md")
    os.symlink(outside / "pipe.md", special / "pipe-outside.md")
    corpus.expect("special/pipe-outside.md", "rejected", "outside the raw folder")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(special / "socket.md"))
        corpus.expect("special/socket.md", "rejected", "socket")
    except OSError:  # a path too long for AF_UNIX: no socket in this corpus
        pass
    finally:
        sock.close()

    # -- size limits (a sparse file costs no disk: it is listed, never read)
    (raw / "limits").mkdir()
    with open(raw / "limits/sparse-huge.md", "wb") as fh:
        fh.truncate(65 * 1024 * 1024)
    corpus.expect("limits/sparse-huge.md", "rejected", "bytes per file")
    _write(raw / "limits/one-word-lines.txt", "word\n" * 100_000)  # 500 KB: the parse once never ended
    corpus.expect("limits/one-word-lines.txt", "rejected", "characters per article")
    _write(raw / "limits/many-lines.txt", "w\n" * 20_000)
    corpus.expect("limits/many-lines.txt", "rejected", "lines per article")
    _write(raw / "limits/long-article.md", ("Jan. 5, 2022 and 1 May 2021. " * 9000))
    corpus.expect("limits/long-article.md", "rejected", "characters per article")
    _write(raw / "limits/big-front-matter.md", "---\n" + "".join(f"k{i}: v\n" for i in range(12_000)) + "---\n" + CALM)
    corpus.expect("limits/big-front-matter.md", "rejected", "front matter is")
    _write(raw / "limits/long-title.md", _front({"title": "T" * 5000}, CALM))
    corpus.expect("limits/long-title.md", "rejected", "'title' is 5,000 characters")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    _write(raw / "limits/yaml-bomb.md", "---\n" + bomb + "title: *i\n---\n" + CALM)
    corpus.expect("limits/yaml-bomb.md", "rejected", "YAML aliases")
    _write(raw / "limits/yaml-deep.md", "---\ntitle: " + "[" * 200 + "]" * 200 + "\n---\n" + CALM)
    corpus.expect("limits/yaml-deep.md", "rejected", "nests deeper")
    _write(raw / "limits/title-list.md", "---\ntitle: [a, b]\n---\n" + CALM)
    corpus.expect("limits/title-list.md", "rejected", "'title' is a list")

    # -- dates
    dates = {
        "dates/year-one.md": ({"id": "year-one", "published": "0001-01-01"}, "no plausible publication date"),
        "dates/epoch.md": ({"id": "epoch", "published": 1646092800}, "is a number"),
        "dates/future.md": ({"id": "future", "published": "2099-01-01"}, "no plausible publication date"),
        "dates/bad-month.md": ({"id": "bad-month", "published": "2022-13-45"}, "'published: 2022-13-45'"),
        "dates/words.md": ({"id": "words", "published": "last week"}, "not a YYYY-MM-DD date"),
    }
    for path, (fields, reason) in dates.items():
        _write(raw / path, _front(fields, f"{CALM} ({path})"))
        corpus.expect(path, "ok", reason)
    _write(raw / "dates/hastings.txt", "HASTINGS, England (Oct. 14, 1066) - " + CALM)
    corpus.expect("dates/hastings.txt", "ok", "dateline date is no plausible publication date")

    # -- encodings
    enc = raw / "encodings"
    _write(enc / "utf16-no-bom.txt", CALM.encode("utf-16-le"))
    corpus.expect("encodings/utf16-no-bom.txt", "rejected", "NUL bytes")
    _write(enc / "utf16-bom.txt", CALM.encode("utf-16"))
    corpus.expect("encodings/utf16-bom.txt", "rejected", "UTF-16")
    _write(enc / "nul.md", CALM.encode() + b"\x00\x00" + CALM.encode())
    corpus.expect("encodings/nul.md", "rejected", "NUL bytes")
    _write(enc / "latin1.txt", "Caf\xe9 cr\xe8me, a calm report.".encode("latin-1"))
    corpus.expect("encodings/latin1.txt", "rejected", "not UTF-8")
    _write(enc / "binary.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    corpus.expect("encodings/binary.md", "rejected", "not UTF-8")
    _write(enc / "bom-utf8.md", "\ufeff" + _front({"id": "bom-utf8"}, CALM + " With a byte-order mark."))
    corpus.expect("encodings/bom-utf8.md", "ok")
    _write(enc / "empty.md", b"")
    corpus.expect("encodings/empty.md", "rejected", "empty body")
    _write(enc / "front-matter-only.md", "---\nid: only\n---\n")
    corpus.expect("encodings/front-matter-only.md", "rejected", "empty body")
    _write(enc / "broken-yaml.md", "---\ntitle: [unclosed\n---\n" + CALM)
    corpus.expect("encodings/broken-yaml.md", "rejected", "not valid YAML")
    _write(enc / "unclosed.md", "---\nid: x\n" + CALM)
    corpus.expect("encodings/unclosed.md", "rejected", "never closed")
    for name in ("report.pdf", "notes.docx", "README"):
        _write(enc / name, CALM)
        corpus.expect(f"encodings/{name}", "rejected", "unsupported file type")
    _write(enc / ".DS_Store", b"\x00\x01hidden")  # hidden: an OS artefact, no row

    # -- .jsonl lines
    lines = [
        json.dumps({"id": "sep-2028", "text": "First paragraph.\u2028" + CALM + "\u0085 Next line."}, ensure_ascii=False),
        "[" * 100_000 + "]" * 100_000,
        json.dumps([1, 2, 3]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        "not json at all",
        '{"id": "lone-surrogate", "text": "broken \\ud800 escape"}',
        '{"id": "nul-escape", "text": "nul \\u0000 inside"}',
        json.dumps({"id": "crlf", "text": CALM + " Windows line ending."}) + "\r",
        json.dumps({"id": "meta-dict", "title": {"a": 1}, "text": CALM}),
    ]
    _write(raw / "jsonl/hostile.jsonl", "\n".join(lines) + "\n")
    reasons = ["", "nests arrays or objects deeper", "not a JSON object", "no string 'text'", "no string 'text'",
               "not valid JSON", "unpaired surrogate", "NUL characters", "", "'title' is a mapping"]
    for n, reason in enumerate(reasons, start=1):
        corpus.expect(f"jsonl/hostile.jsonl#L{n}", "rejected" if reason else "ok", reason)
    _write(raw / "jsonl/bom.jsonl", "\ufeff" + json.dumps({"id": "jsonl-bom", "text": CALM + " After a BOM."}) + "\n")
    corpus.expect("jsonl/bom.jsonl#L1", "ok")
    _write(raw / "jsonl/empty.jsonl", "\n\n\n")
    corpus.expect("jsonl/empty.jsonl", "rejected", "no JSON line")

    # -- ID collisions: slugs, truncation, copies of a conflicting file, a crafted rejected-… id
    mosul = (raw / "good/mosul.md").read_text()
    for name in ("report (1).md", "report-1.md", "REPORT 1.md"):
        _write(raw / "ids" / name, mosul)
        corpus.expect(f"ids/{name}", "duplicate", "same text as good/mosul.md")
    deep = "ids/" + "/".join(["a-very-long-folder-name-for-truncation"] * 4)
    for tail in ("copy-one.md", "copy-two.md"):
        _write(raw / deep / tail, mosul)
        corpus.expect(f"{deep}/{tail}", "duplicate", "same text as good/mosul.md")
    clash = _front({"id": "kunduz-clash"}, CALM + " Another text under a used id.")
    for name in ("clash-a.md", "clash-b.md"):
        _write(raw / "ids" / name, clash)
        corpus.expect(f"ids/{name}", "rejected", "already used by good/kunduz.md")
    crafted = "rejected-" + hashlib.sha256(b"encodings/empty.md").hexdigest()[:16]
    _write(raw / "ids/crafted.md", _front({"id": crafted}, CALM + " An id spelled like a rejection."))
    corpus.expect("ids/crafted.md", "ok")

    # -- hostile titles are data, stored verbatim
    _write(raw / "titles/script.md", _front({"id": "script", "title": '"<script>alert(1)</script>"'}, CALM + " One."))
    corpus.expect("titles/script.md", "ok")
    _write(raw / "titles/sql.md", _front({"id": "sql", "title": "\"'; DROP TABLE articles; --\""}, CALM + " Two."))
    corpus.expect("titles/sql.md", "ok")
    return corpus


if __name__ == "__main__":
    made = build_hostile_corpus(Path(sys.argv[1]))
    print(f"{len(made.expected)} entries under {made.raw} ({len(made.good_ids)} good articles)")
