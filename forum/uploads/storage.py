"""Where uploaded bytes live: a small interface addressed by content hash, and the disk store
under `instance/uploads/`. An S3-compatible store can replace the disk by implementing the
same four methods; nothing else in the project touches the files directly."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from forum.errors import DomainError

CHUNK = 1024 * 1024


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

    def delete(self, key: str) -> None:
        """Forget the bytes; deleting what is absent is harmless."""


class DiskStorage:
    """Files at ROOT/ab/cd/abcd…; written to a temporary file in the same directory tree and
    renamed into place, so a reader never sees a half-written file and a failure leaves none."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file holding this key (for send_file); the key must be a SHA-256 hex digest."""
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key[2:4] / key

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        temporary = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
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
        """When the bytes were last stored (a POSIX timestamp), or None when absent."""
        try:
            return self.path(key).stat().st_mtime
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(key))


def storage() -> Storage:
    """The application's store (UPLOADS_DIR, by default instance/uploads)."""
    root = current_app.config.get("UPLOADS_DIR") or os.path.join(current_app.instance_path,
                                                                  "uploads")
    return DiskStorage(root)
