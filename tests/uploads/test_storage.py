"""The disk store: content-addressed, one copy per content, atomic, clean on failure."""

from __future__ import annotations

import hashlib
import io
import os
import time

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


def test_stored_keys_lists_each_stored_key_with_its_stored_time(app, tmp_path):
    store = DiskStorage(tmp_path / "store")
    first, _ = store.put(io.BytesIO(b"first"))
    second, _ = store.put(io.BytesIO(b"second"))
    os.utime(store.path(first), (1_000_000, 1_000_000))
    # Not keys in their places: a temporary file, a foreign file, a key in the wrong directory.
    (store.root / ".incoming-abc123").write_bytes(b"half")
    (store.path(second).parent / "notes.txt").write_text("x")
    misplaced = store.root / "00" / "00" / second
    misplaced.parent.mkdir(parents=True, exist_ok=True)
    misplaced.write_bytes(b"second")
    assert dict(store.stored_keys()) == {first: 1_000_000, second: store.stored_at(second)}


def test_an_absent_store_lists_no_keys(app, tmp_path):
    assert list(DiskStorage(tmp_path / "never-written").stored_keys()) == []


def test_remove_unfinished_deletes_only_old_temporary_files(app, tmp_path):
    store = DiskStorage(tmp_path / "store")
    key, _ = store.put(io.BytesIO(b"kept"))
    old = time.time() - 7200
    crashed, in_progress = store.root / ".incoming-crashed", store.root / ".incoming-writing"
    crashed.write_bytes(b"partial")
    in_progress.write_bytes(b"partial")
    for path in (crashed, store.path(key)):
        os.utime(path, (old, old))
    assert store.remove_unfinished(before=time.time() - 3600) == 1
    assert not crashed.exists()
    assert in_progress.exists() and store.exists(key)
