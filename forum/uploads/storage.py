"""Where uploaded bytes live: a small interface addressed by content hash, and the disk store
under `instance/uploads/`. An S3-compatible store can replace the disk by implementing the
same methods; nothing else in the project touches the files directly."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from forum.errors import DomainError

CHUNK = 1024 * 1024
HEX_DIGITS = frozenset("0123456789abcdef")
# DiskStorage writes each file to a temporary file of this prefix in its root first.
TEMPORARY_PREFIX = ".incoming-"


class StorageError(DomainError):
    """The store could not keep the file (full or read-only disk, …); nothing was written."""

    status_code = 507


class Storage(Protocol):
    """Content-addressed file store: a key is the SHA-256 of the bytes, in hex."""

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        """Store the stream's bytes; return (key, size). Storing the same bytes twice is
        harmless and keeps one copy."""

    def open(self, key: str) -> BinaryIO:
        """The stored bytes for reading; FileNotFoundError when absent."""

    def exists(self, key: str) -> bool:
        """Whether bytes with this key are stored."""

    def stored_at(self, key: str) -> float | None:
        """When these bytes were last stored (a POSIX timestamp; storing them again refreshes
        it), or None when absent."""

    def stored_keys(self) -> Iterator[tuple[str, float]]:
        """Every stored key with its stored_at time, in no particular order, read lazily (the
        store may be large); keys stored or deleted meanwhile may or may not appear."""

    def delete(self, key: str) -> None:
        """Forget the bytes; deleting what is absent is harmless."""

    def remove_unfinished(self, *, before: float) -> int:
        """Remove what writes that never finished left behind (a crashed put) and that was
        last touched before `before` (a POSIX timestamp); returns how many were removed."""


class DiskStorage:
    """Files at ROOT/ab/cd/abcd…; written to a temporary file in the same directory tree and
    renamed into place, so a reader never sees a half-written file and a failure leaves none."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file holding this key (for send_file); the key must be a SHA-256 hex digest."""
        if not is_key(key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key[2:4] / key

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        temporary = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=self.root)
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            key = digest.hexdigest()
            target = self.path(key)
            if target.exists():
                os.unlink(temporary)
                # Freshly stored again: the orphan cleaner leaves recent files alone, so a
                # concurrent clean cannot delete bytes an upload is about to reference.
                os.utime(target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(temporary, target)
            temporary = None
            return key, size
        except OSError as error:
            current_app.logger.error("upload storage failed: %s", error)
            raise StorageError(_l("The file could not be stored: the server's storage is "
                                  "full or unavailable. Please try again later.")) from error
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def stored_at(self, key: str) -> float | None:
        """When the bytes were last stored (the file's mtime), or None when absent."""
        try:
            return self.path(key).stat().st_mtime
        except FileNotFoundError:
            return None

    def stored_keys(self) -> Iterator[tuple[str, float]]:
        """Walks ROOT/ab/cd/; names that are not keys in their right place are skipped."""
        for first in _subdirectories(self.root):
            for second in _subdirectories(first):
                prefix = first.name + second.name
                for entry in _entries(second):
                    if not (is_key(entry.name) and entry.name.startswith(prefix)):
                        continue
                    with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                        if entry.is_file(follow_symlinks=False):
                            yield entry.name, entry.stat(follow_symlinks=False).st_mtime

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(key))

    def remove_unfinished(self, *, before: float) -> int:
        """The temporary files put() writes in the root before renaming them into place; a
        put in progress keeps touching its file, so an old one belongs to a crashed put."""
        removed = 0
        for entry in _entries(self.root):
            if not entry.name.startswith(TEMPORARY_PREFIX):
                continue
            with contextlib.suppress(FileNotFoundError):
                if entry.is_file(follow_symlinks=False) and entry.stat(
                        follow_symlinks=False).st_mtime < before:
                    os.unlink(entry.path)
                    removed += 1
        return removed


def is_key(name: str) -> bool:
    """Whether the name is a storage key: a SHA-256 digest in lower-case hex."""
    return len(name) == 64 and HEX_DIGITS.issuperset(name)


def _entries(directory: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(directory) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _subdirectories(directory: Path) -> Iterator[Path]:
    """The two-hex-digit directories of the store's layout."""
    for entry in sorted(_entries(directory), key=lambda e: e.name):
        if len(entry.name) == 2 and HEX_DIGITS.issuperset(entry.name) and entry.is_dir(
                follow_symlinks=False):
            yield Path(entry.path)


def storage() -> Storage:
    """The application's store (UPLOADS_DIR, by default instance/uploads)."""
    root = current_app.config.get("UPLOADS_DIR") or os.path.join(current_app.instance_path,
                                                                  "uploads")
    return DiskStorage(root)
