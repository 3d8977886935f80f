"""nn.save and nn.load: atomic, like writing the file in place (mode, symlinks), no
temporary file left behind, and clear refusals of files that are not checkpoints."""
from __future__ import annotations

import io
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import autograd
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


@pytest.mark.parametrize("where", [(checkpoint, "write_archive"), (os, "fsync"), (os, "chmod"), (os, "replace")],
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

    monkeypatch.setattr(checkpoint, "write_archive", interrupt)
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
    import nn

    def slow_write(f, state):
        f.write(b"PK partial archive")
        f.flush()
        print("writing", flush=True)
        time.sleep(60)

    nn.checkpoint.write_archive = slow_write
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


# --- what is at the path: only nothing or a regular file the user could write is replaced

class Named(nn.Module):
    """A module whose parameters have any names (set with setattr)."""

    def __init__(self, names):
        for i, name in enumerate(names):
            setattr(self, name, autograd.Tensor(np.full(i + 1, float(i))))


@pytest.mark.parametrize("names", [["allow_pickle", "file"], ["x", "x.npy"], ["", "a/../b", "é", "args", "kwds"]])
def test_any_parameter_name_round_trips(tmp_path, names):
    nn.save(Named(names), tmp_path / "m.npz")
    loaded = nn.load(Named(names), tmp_path / "m.npz")
    assert {k: v.tolist() for k, v in loaded.state_dict().items()} == \
        {k: v.tolist() for k, v in Named(names).state_dict().items()}
    assert sorted(np.load(tmp_path / "m.npz").files) == sorted(names)  # numpy reads it too


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0")),
                min_size=1, max_size=4, unique=True))
def test_random_parameter_names_round_trip(tmp_path, names):
    path = tmp_path / "random.npz"
    nn.save(Named(names), path)
    assert set(nn.load(Named(names), path).state_dict()) == set(names)


@pytest.mark.parametrize("name, says", [("a\0b", "NUL character"), ("\udc80", "not valid text")])
def test_a_name_no_zip_can_hold_is_refused_and_nothing_is_written(tmp_path, name, says):
    with pytest.raises(ValueError, match=f"parameter name .* cannot be stored in a zip archive \\(.*{says}"):
        nn.save(Named([name]), tmp_path / "m.npz")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_neither_replaced_nor_read(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(FileExistsError, match="cannot save to .*pipe.npz': it is a FIFO"):
        nn.save(model(), fifo)
    with pytest.raises(ValueError, match="cannot load .*pipe.npz': it is a FIFO"):
        nn.load(model(), fifo)  # opening it would block forever
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe.npz"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_is_never_replaced_even_through_a_symlink(tmp_path):
    link = tmp_path / "null.npz"
    link.symlink_to("/dev/null")
    for path in ("/dev/null", link):
        with pytest.raises(FileExistsError, match="it is a character device, not a regular file"):
            nn.save(model(), path)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.listdir(tmp_path) == ["null.npz"]


def _no_write_access(monkeypatch, denied):
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if os.fspath(p) == str(denied) else real(p, mode))


def test_a_file_the_user_could_not_write_in_place_is_kept(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save(model(0), path)
    before = path.read_bytes()
    _no_write_access(monkeypatch, path)   # as for a 0444 file and a user without DAC override
    with pytest.raises(PermissionError, match="cannot save to .*model.npz': the file is write-protected"):
        nn.save(model(1), path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.npz"]


def test_a_write_protected_file_for_a_real_user(tmp_path):
    path = tmp_path / "model.npz"
    nn.save(model(0), path)
    os.chmod(path, 0o444)
    if os.access(path, os.W_OK):  # root overrides file modes: open(path, "wb") would work, and so does save
        nn.save(model(1), path)
        assert same(nn.load(model(2), path), model(1)) and mode(path) == 0o444
    else:
        with pytest.raises(PermissionError, match="write-protected"):
            nn.save(model(1), path)
        assert same(nn.load(model(2), path), model(0))


def test_a_directory_where_files_cannot_be_created_names_the_target(tmp_path, monkeypatch):
    _no_write_access(monkeypatch, tmp_path)
    with pytest.raises(PermissionError) as info:
        nn.save(model(), tmp_path / "model.npz")
    assert "cannot save to" in str(info.value) and "model.npz'" in str(info.value)
    assert "may not create files in the directory" in str(info.value) and ".tmp-" not in str(info.value)
    assert os.listdir(tmp_path) == []


def test_an_error_creating_the_temporary_file_names_the_target_not_the_temporary(tmp_path, monkeypatch):
    import errno

    def refuse(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", path)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(OSError) as info:
        nn.save(model(), tmp_path / "model.npz")
    assert str(info.value) == f"[Errno 30] cannot save to {str(tmp_path / 'model.npz')!r}: Read-only file system"


def test_the_decision_allows_nothing_or_a_writable_regular_file(tmp_path):
    assert checkpoint.refusal(str(tmp_path / "new.npz")) is None
    (tmp_path / "old.npz").write_bytes(b"x")
    assert checkpoint.refusal(str(tmp_path / "old.npz")) is None
    assert isinstance(checkpoint.refusal(str(tmp_path)), IsADirectoryError)
    assert isinstance(checkpoint.refusal(str(tmp_path / "old.npz" / "m.npz")), NotADirectoryError)
    assert isinstance(checkpoint.refusal(str(tmp_path / "nowhere" / "m.npz")), FileNotFoundError)


@pytest.mark.parametrize("path, error, says", [
    ("", FileNotFoundError, "cannot save to '': the path is empty"),
    ("DIR/", IsADirectoryError, "a path ending in '/' names a directory"),
    ("DIR", IsADirectoryError, "it is a directory, not a regular file"),
])
def test_paths_that_name_no_file_are_refused_naming_the_path(tmp_path, monkeypatch, path, error, says):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "DIR").mkdir()
    with pytest.raises(error, match=re.escape(says)) as info:
        nn.save(model(), path)
    assert ".tmp-" not in str(info.value) and os.listdir(tmp_path) == ["DIR"] and os.listdir(tmp_path / "DIR") == []


def test_a_bytes_path_works_for_save_and_load(tmp_path):
    path = os.fsencode(tmp_path / "model.npz")
    nn.save(model(1), path)
    assert same(nn.load(model(0), path), model(1))


def test_the_arguments_in_the_wrong_order_are_refused(tmp_path):
    with pytest.raises(TypeError, match="takes a Module first, got str"):
        nn.save(str(tmp_path / "m.npz"), model())
    assert os.listdir(tmp_path) == []


# --- loading: the header is checked before anything is allocated

def _npz(path, entries):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)


def _header(shape, descr="<f8"):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


@pytest.mark.parametrize("entries, says", [
    ({"0.W.npy": _header((10**11,)) + bytes(48)}, "claims shape (100000000000,) of float64 (800000000000 bytes) "
                                                    "but it holds 48 bytes"),
    ({"0.W.npy": _header((2,)) + bytes(48)}, "(16 bytes) but it holds 48 bytes"),
    ({"0.W.npy": _header((2,), "|O") + bytes(16)}, "Python objects (a pickle)"),
    ({"0.W": b"hello"}, "the entry '0.W' is not an array (.npy)"),
])
def test_an_archive_whose_entries_lie_is_not_a_checkpoint(tmp_path, entries, says):
    path = tmp_path / "forged.npz"
    _npz(path, entries)
    m = model(0)
    with pytest.raises(ValueError, match="is not a model saved by nn.save") as info:
        nn.load(m, path)
    assert says in str(info.value) and same(m, model(0))
