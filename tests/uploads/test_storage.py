"""The disk store: content-addressed, one copy per content, atomic, clean on failure."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from forum.uploads.storage import DiskStorage, StorageError


def test_put_stores_bytes_under_their_sha256(app, tmp_path):
    store = DiskStorage(tmp_path / "store")
    data = "План урока по теме «Дроби»".encode()
    key, size = store.put(io.BytesIO(data))
    assert key == hashlib.sha256(data).hexdigest()
    assert size == len(data)
    assert store.exists(key)
    with store.open(key) as stored:
        assert stored.read() == data


def test_identical_content_is_stored_once(app, tmp_path):
    store = DiskStorage(tmp_path / "store")
    first, _ = store.put(io.BytesIO(b"same bytes"))
    second, _ = store.put(io.BytesIO(b"same bytes"))
    assert first == second
    files = [name for _, _, names in os.walk(store.root) for name in names]
    assert files == [first]


def test_delete_forgets_and_tolerates_absent_keys(app, tmp_path):
    store = DiskStorage(tmp_path / "store")
    key, _ = store.put(io.BytesIO(b"x"))
    store.delete(key)
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.open(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "ABC", "a" * 63, "g" * 64])
def test_keys_that_are_not_digests_are_refused(app, tmp_path, key):
    with pytest.raises(ValueError):
        DiskStorage(tmp_path).path(key)


def test_read_only_store_fails_cleanly(app, tmp_path, monkeypatch):
    store = DiskStorage(tmp_path / "store")

    def read_only(*args):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(StorageError):
        store.put(io.BytesIO(b"data"))
    assert [name for _, _, names in os.walk(store.root) for name in names] == []


def test_a_failed_write_leaves_no_partial_file(app, tmp_path, monkeypatch):
    store = DiskStorage(tmp_path / "store")

    class Failing(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 0:
                raise OSError(28, "No space left on device")
            return super().read(4)

    with pytest.raises(StorageError):
        store.put(Failing(b"abcdefgh"))
    assert [name for _, _, names in os.walk(store.root) for name in names] == []
