"""The raw folder on local disk, listed and read without trusting what it holds.

What belongs here: walking a local raw folder into ``RawFile`` records — every regular file, and
every entry that must not be opened, with the reason: a symlink resolving outside the raw
folder, a dangling or looping symlink, a symlink to a folder, a FIFO, socket or device, a name
that is not UTF-8, a file over the size limit, a folder that cannot be listed — and reading one
raw file safely: never through a symlink out of the folder, never blocking on a special file,
never more than the size limit. What does not: object storage (``pipeline.resources`` lists it
through ``pyarrow.fs``), what the bytes say (``pipeline.ingest``), batches (``pipeline.batches``).

Hidden entries (a name starting with '.') are skipped, as everywhere: editor and OS artefacts.
Symlinked folders are never descended into, so a symlink loop costs one row, not forty copies.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from pipeline import limits
from pipeline.batches import RawFile

_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


class RefusedEntry(Exception):
    """A raw entry that must not be read; ``reason`` says why, in words a person can act on."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def display_path(relative: str) -> str:
    """The path as valid text: bytes of a non-UTF-8 name shown as ``\\xe9`` escapes."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _inside(path: str, root_real: str) -> bool:
    return path == root_real or path.startswith(root_real.rstrip("/") + "/")


def oversize_reason(size: int, max_bytes: int = limits.MAX_FILE_BYTES) -> str | None:
    if size <= max_bytes:
        return None
    return f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes per file (SITREP_MAX_FILE_BYTES); not read"


def _symlink_target(path: str, root_real: str) -> tuple[str | None, os.stat_result | None]:
    """(problem, stat of the target): a symlink is read only when it ends at a regular file inside the folder."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (it leads back to itself); not followed", None
        return "dangling symlink: its target does not exist", None
    if not _inside(target, root_real):
        return "symlink to a place outside the raw folder; not read", None
    try:
        st = os.stat(target)
    except OSError as exc:
        return f"symlink target cannot be examined ({exc.strerror})", None
    if stat.S_ISDIR(st.st_mode):
        return "symlink to a folder; not followed (the files in it are read where they are)", None
    if not stat.S_ISREG(st.st_mode):
        return f"symlink to {_kind(st.st_mode)}; not read", None
    return None, st


def list_local_raw_folder(root: Path | str, max_bytes: int = limits.MAX_FILE_BYTES) -> list[RawFile]:
    """Every non-hidden entry under a local raw folder, in path order, each with its refusal if any.

    Regular files (and symlinks to regular files inside the folder) are listed with their size and
    mtime; everything else is listed with ``problem`` set, so it gets its ``articles`` row without
    ever being opened.
    """
    root_real = os.path.realpath(root)
    if not os.path.isdir(root_real):
        raise FileNotFoundError(f"raw folder {root} does not exist (set SITREP_RAW_DIR)")
    out: list[RawFile] = []
    pending = [(root_real, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            out.append(RawFile(display_path(prefix.rstrip("/") or "."), 0, 0,
                               f"folder cannot be listed ({exc.strerror}); its files were not read"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            shown = display_path(rel)
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                out.append(RawFile(shown, 0, 0, f"cannot be examined ({exc.strerror})"))
                continue
            if stat.S_ISDIR(st.st_mode):
                pending.append((entry.path, rel + "/"))
                continue
            problem: str | None = None
            size, mtime = st.st_size, st.st_mtime_ns
            if shown != rel:
                problem = "file name is not valid UTF-8; rename the file"
            elif stat.S_ISLNK(st.st_mode):
                problem, target = _symlink_target(entry.path, root_real)
                if target is not None:
                    size, mtime = target.st_size, target.st_mtime_ns
            elif not stat.S_ISREG(st.st_mode):
                problem = f"{_kind(st.st_mode)}, not a regular file; not read"
            if problem is None:
                problem = oversize_reason(size, max_bytes)
            out.append(RawFile(shown, size, mtime, problem))
    return sorted(out, key=lambda f: f.path)


def read_local_raw(root: Path | str, relative: str, max_bytes: int = limits.MAX_FILE_BYTES) -> bytes:
    """The bytes of one raw file; raises ``RefusedEntry`` for anything the listing would refuse.

    The path is resolved first and must stay inside the folder; the file is opened without
    following a last symlink and without blocking (a FIFO never blocks the run), must be a regular
    file, and is read up to ``max_bytes`` (a file that grew past the limit is refused, not cut).
    """
    root_real = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root_real, relative))
    if not _inside(real, root_real):
        raise RefusedEntry(relative, "symlink to a place outside the raw folder; not read")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise FileNotFoundError(errno.ENOENT, "no longer in the raw folder", relative) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise RefusedEntry(relative, f"{_kind(st.st_mode)}, not a regular file; not read")
        too_big = oversize_reason(st.st_size, max_bytes)
        if too_big:
            raise RefusedEntry(relative, too_big)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise RefusedEntry(relative, f"file grew past the limit of {max_bytes:,} bytes per file while read")
        return b"".join(chunks)
    finally:
        os.close(fd)
