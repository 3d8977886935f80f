"""nn.save and nn.load: atomic, like writing the file in place (mode, symlinks), no
temporary file left behind, and clear refusals of files that are not checkpoints."""
from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import checkpoint

ROOT = Path(__file__).resolve().parents[1]


def model(seed=0):
    return nn.tensor_mlp(2, [3, 1], seed=seed)


def same(a, b):
    return all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("before", [0o644, 0o600, 0o640, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path, before):
    path = tmp_path / "model.npz"
    nn.save(model(0), path)
    os.chmod(path, before)
    nn.save(model(1), path)
    assert mode(path) == before
    assert same(nn.load(model(2), path), model(1))


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_umask_default(tmp_path, umask):
    old = os.umask(umask)
    try:
        nn.save(model(), tmp_path / "model.npz")
    finally:
        os.umask(old)
    assert mode(tmp_path / "model.npz") == 0o666 & ~umask


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "weights.npz"
    nn.save(model(0), target)
    os.chmod(target, 0o640)
    link = tmp_path / "latest.npz"
    link.symlink_to(os.path.relpath(target, tmp_path))
    nn.save(model(1), link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "weights.npz")
    assert same(nn.load(model(2), target), model(1)) and mode(target) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["latest.npz", "real"]
    assert os.listdir(tmp_path / "real") == ["weights.npz"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path):
    link = tmp_path / "link.npz"
    link.symlink_to(tmp_path / "new.npz")
    nn.save(model(3), link)
    assert link.is_symlink() and same(nn.load(model(0), tmp_path / "new.npz"), model(3))


def _fail_in(monkeypatch, where):
    def crash(*args, **kwargs):
        raise OSError(f"failure in {where}")

    monkeypatch.setattr(where[0], where[1], crash)


@pytest.mark.parametrize("where", [(np, "savez"), (os, "fsync"), (os, "chmod"), (os, "replace")],
                         ids=["write", "fsync", "chmod", "rename"])
def test_every_error_removes_the_temporary_and_keeps_the_old_file(tmp_path, monkeypatch, where):
    path = tmp_path / "model.npz"
    nn.save(model(0), path)
    before = path.read_bytes()
    _fail_in(monkeypatch, where)
    with pytest.raises(OSError, match="failure in"):
        nn.save(model(1), path)
    assert os.listdir(tmp_path) == ["model.npz"] and path.read_bytes() == before
    assert not checkpoint._WRITING


def test_an_interrupt_removes_the_temporary_too(tmp_path, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupt)
    with pytest.raises(KeyboardInterrupt):
        nn.save(model(), tmp_path / "model.npz")
    assert os.listdir(tmp_path) == []


def test_saving_onto_a_directory_fails_cleanly(tmp_path):
    (tmp_path / "model.npz").mkdir()
    with pytest.raises(IsADirectoryError):
        nn.save(model(), tmp_path / "model.npz")
    assert os.listdir(tmp_path) == ["model.npz"]


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="the directory .*nowhere' does not exist"):
        nn.save(model(), tmp_path / "nowhere" / "model.npz")


def test_the_directory_is_fsynced_after_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode)
                                                               else "fsync file"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("rename"), real_replace(a, b))[1])
    nn.save(model(), tmp_path / "model.npz")
    assert events == ["fsync file", "rename", "fsync dir"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_saves_are_removed_when_safe(tmp_path):
    path = tmp_path / "model.npz"
    dead = tmp_path / f".model.npz.tmp-{_dead_pid()}-0123abcd"
    alive = tmp_path / f".model.npz.tmp-{os.getppid()}-0123abcd"       # a process that exists
    other_name = tmp_path / f".other.npz.tmp-{_dead_pid()}-0123abcd"   # another file's save
    unrelated = tmp_path / ".model.npz.tmp-notes"
    for p in (dead, alive, other_name, unrelated):
        p.write_bytes(b"partial")
    nn.save(model(), path)
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in (path, alive, other_name, unrelated))


SAVE_AND_HANG = textwrap.dedent("""
    import sys, time
    import numpy as np
    import nn

    def slow_savez(f, **arrays):
        f.write(b"PK partial archive")
        f.flush()
        print("writing", flush=True)
        time.sleep(60)

    np.savez = slow_savez
    nn.save(nn.tensor_mlp(2, [3, 1], seed=1), sys.argv[1])
""")


@pytest.mark.skipif(os.name != "posix", reason="kill -9 and process checks are POSIX")
def test_a_save_killed_with_sigkill_leaves_the_old_file_and_the_next_save_cleans_up(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(model(0), path)
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", SAVE_AND_HANG, str(path)], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    leftovers = [name for name in os.listdir(tmp_path) if name != "model.npz"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".model.npz.tmp-")
    assert path.read_bytes() == before
    nn.save(model(2), path)
    assert os.listdir(tmp_path) == ["model.npz"] and same(nn.load(model(0), path), model(2))


def test_concurrent_saves_from_threads_never_remove_each_others_files(tmp_path):
    import threading

    errors = []

    def saver(k):
        try:
            for _ in range(15):
                nn.save(model(k), tmp_path / "model.npz")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=saver, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and os.listdir(tmp_path) == ["model.npz"]
    loaded = nn.load(model(9), tmp_path / "model.npz")
    assert any(same(loaded, model(k)) for k in range(4))


def _npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


@pytest.mark.parametrize("content, says", [
    (lambda p: p.write_bytes(_npy_bytes(np.zeros(3))), "holds a single array (.npy"),
    (lambda p: p.write_bytes(os.urandom(200).replace(b"PK", b"pk")), "not a zip archive"),
    (lambda p: p.write_bytes(b""), "not a zip archive"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "BadZipFile"),
])
def test_files_that_are_not_checkpoints_are_refused_clearly(tmp_path, content, says):
    path = tmp_path / "weights.npz"
    content(path)
    m = model(0)
    with pytest.raises(ValueError, match="is not a model saved by nn.save") as info:
        nn.load(m, path)
    assert says in str(info.value) and same(m, model(0))


def test_a_truncated_checkpoint_is_refused_and_changes_nothing(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(model(1), path)
    path.write_bytes(path.read_bytes()[:-60])
    m = model(0)
    with pytest.raises(ValueError, match="is not a model saved by nn.save"):
        nn.load(m, path)
    assert same(m, model(0))
