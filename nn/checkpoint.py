"""Saving and loading a module's state dict as a ``.npz`` file."""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import threading
import zipfile

import numpy as np

from .module import Module

_WRITING: set[str] = set()
"""Temporary files this process is writing now (by any thread): never leftovers."""
_WRITING_LOCK = threading.Lock()


def _temporary_pattern(name: str) -> re.Pattern:
    """The names of the temporary files of saves to ``name``: ``.<name>.tmp-<pid>-<hex>``."""
    return re.compile(rf"\.{re.escape(name)}\.tmp-(\d+)-[0-9a-f]+")


def _process_is_gone(pid: int) -> bool:
    """True when no process ``pid`` exists (POSIX only; elsewhere we cannot tell)."""
    if os.name != "posix":
        return False
    if pid == os.getpid():
        return True  # our own temporary files in use are in _WRITING
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (owned by someone else), or we cannot tell
    return False


def _remove_leftovers(directory: str, name: str) -> None:
    """Remove temporary files that killed saves to ``name`` left behind, when that is
    safe: the process that wrote one no longer exists, and this process is not
    writing it.  Anything else (other names, other live processes) is left alone."""
    pattern = _temporary_pattern(name)
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        path = os.path.join(directory, entry)
        with _WRITING_LOCK:
            if not match or path in _WRITING or not _process_is_gone(int(match.group(1))):
                continue
        with contextlib.suppress(OSError):
            os.unlink(path)


def _create_temporary(directory: str, name: str) -> tuple[str, int]:
    """A new temporary file next to the target, opened for writing: ``(path, fd)``.
    Created with mode 0666 so that the umask (and a default ACL) applies, as for any
    new file."""
    while True:
        path = os.path.join(directory, f".{name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        with _WRITING_LOCK:
            _WRITING.add(path)  # before it exists, so that no other thread takes it for a leftover
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except BaseException as e:
            with _WRITING_LOCK:
                _WRITING.discard(path)
            if isinstance(e, FileExistsError):
                continue
            if isinstance(e, FileNotFoundError):
                raise FileNotFoundError(f"cannot save to {os.path.join(directory, name)!r}: "
                                        f"the directory {directory!r} does not exist") from None
            raise
        return path, fd


def _fsync_directory(directory: str) -> None:
    """Flush the directory entry of a rename to disk (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(module: Module, path: str | os.PathLike) -> None:
    """Write ``module.state_dict()`` to ``path`` (an ``.npz`` archive, written to
    exactly that name, no suffix added).

    Atomic: the archive is written to a hidden temporary file in the same
    directory, flushed to disk, then renamed over ``path``, and the directory is
    flushed too; a crash mid-save leaves any previous file at ``path`` intact and
    never a half-written one.  On any error the temporary file is removed, and
    temporary files left by saves to the same name that were killed (their
    process is gone) are removed by the next save.

    Like writing the file in place: a symlink at ``path`` is followed (its target
    is replaced, the link stays), an existing file keeps its permission bits, and
    a new file gets the usual ones (0666 less the umask).
    """
    target = os.path.realpath(os.fspath(path))
    directory, name = os.path.split(target)
    state = module.state_dict()
    _remove_leftovers(directory, name)
    tmp, fd = _create_temporary(directory, name)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **state)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        with _WRITING_LOCK:
            _WRITING.discard(tmp)
    _fsync_directory(directory)


def _not_a_checkpoint(path: str, why: str) -> ValueError:
    return ValueError(f"{path!r} is not a model saved by nn.save (an .npz archive of arrays): {why}")


def load(module: Module, path: str | os.PathLike) -> Module:
    """Read a state dict saved by :func:`save` into ``module`` and return it.

    Refuses (``ValueError``, model unchanged) a file that is not such an archive
    (a single array saved as ``.npy``, or any other bytes), and an archive with
    missing, extra or differently shaped entries; see :meth:`Module.load_state_dict`.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic == b"\x93NUMPY":
        raise _not_a_checkpoint(path, "it holds a single array (.npy, as written by np.save)")
    if not magic.startswith(b"PK"):
        raise _not_a_checkpoint(path, "it is not a zip archive")
    try:
        with np.load(path, allow_pickle=False) as archive:
            state = {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        raise _not_a_checkpoint(path, f"{type(e).__name__}: {e}") from None
    module.load_state_dict(state)
    return module
