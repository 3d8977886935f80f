"""Saving and loading a module's state dict as a ``.npz`` file."""
from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import secrets
import stat
import threading
import zipfile
from typing import Any, BinaryIO

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


def _path_text(path: Any, verb: str) -> str:
    """``path`` (str, bytes or os.PathLike) as text; an empty path, or one ending in a
    separator (a directory's name), is refused naming it."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"cannot {verb} {path!r}: a path must be a str, bytes or os.PathLike, "
                        f"got {type(path).__name__}")
    text = os.fsdecode(os.fspath(path))
    if not text:
        raise FileNotFoundError(errno.ENOENT, f"cannot {verb} '': the path is empty; name a file such as 'model.npz'")
    if text.endswith(os.sep) or (os.altsep and text.endswith(os.altsep)):
        raise IsADirectoryError(errno.EISDIR, f"cannot {verb} {text!r}: a path ending in {text[-1]!r} "
                                "names a directory; name a file such as 'model.npz'")
    return text


FILE_KINDS = {stat.S_IFCHR: "character device", stat.S_IFBLK: "block device", stat.S_IFIFO: "FIFO (named pipe)",
              stat.S_IFSOCK: "socket", stat.S_IFDIR: "directory"}
"""What ``stat`` says a path that is not a regular file is, in words."""


def refusal(target: str) -> OSError | None:
    """Why a save may not replace ``target`` (a real path, symlinks already followed),
    as the error to raise, or None when it may.

    What is there must be nothing or a regular file that the user could open for
    writing in place (``os.access``: a write-protected file is refused unless the
    user may override that, as root may), in an existing directory where the user
    may create files (the temporary file and the rename need that)."""
    directory = os.path.dirname(target)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        return NotADirectoryError(errno.ENOTDIR, f"a part of {directory!r} is a file, not a directory")
    if mode is not None and not stat.S_ISREG(mode):
        kind = FILE_KINDS.get(stat.S_IFMT(mode), "special file")
        error = IsADirectoryError if stat.S_ISDIR(mode) else FileExistsError
        return error(errno.EISDIR if stat.S_ISDIR(mode) else errno.EEXIST,
                     f"it is a {kind}, not a regular file; nn.save only writes regular files")
    if mode is not None and not os.access(target, os.W_OK):
        return PermissionError(errno.EACCES, "the file is write-protected: you could not write it in place")
    if not os.path.isdir(directory):
        return FileNotFoundError(errno.ENOENT, f"the directory {directory!r} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        return PermissionError(errno.EACCES, f"you may not create files in the directory {directory!r}")
    return None


def _stored_name(name: str) -> str:
    """The archive entry of parameter ``name``: ``name + '.npy'``, as ``np.savez`` writes
    it; a name a zip archive cannot hold (a NUL character, unencodable text) is refused."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"parameter name {name!r} cannot be stored in a zip archive (not valid text)") from None
    if "\0" in name:
        raise ValueError(f"parameter name {name!r} cannot be stored in a zip archive (it holds a NUL character)")
    return name + ".npy"


def write_archive(f: BinaryIO, state: dict[str, np.ndarray]) -> None:
    """Write ``state`` to the open file ``f`` as an ``.npz`` archive (what ``np.savez``
    writes), one ``<name>.npy`` entry per array.  Unlike ``np.savez(f, **state)``,
    every name is an entry, including ``file`` and ``allow_pickle``."""
    entries = {_stored_name(name): array for name, array in state.items()}
    with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for entry, array in entries.items():
            with archive.open(entry, "w", force_zip64=True) as out:
                np.lib.format.write_array(out, array, allow_pickle=False)


def save(module: Module, path: str | bytes | os.PathLike) -> None:
    """Write ``module.state_dict()`` to ``path`` (an ``.npz`` archive, written to
    exactly that name, no suffix added; each parameter's dotted name, whatever it
    is, is an entry ``<name>.npy``).

    Atomic: the archive is written to a hidden temporary file in the same
    directory, flushed to disk, then renamed over ``path``, and the directory is
    flushed too; a crash mid-save leaves any previous file at ``path`` intact and
    never a half-written one.  On any error the temporary file is removed, and
    temporary files left by saves to the same name that were killed (their
    process is gone) are removed by the next save.

    Like writing the file in place: a symlink at ``path`` is followed (its target
    is replaced, the link stays), an existing file keeps its permission bits, and
    a new file gets the usual ones (0666 less the umask).  What writing in place
    would refuse is refused, naming ``path``, before anything is written: a
    directory, a device, a FIFO or a socket (never replaced by a file), a
    write-protected file, a directory where the user may not create files.
    """
    if not isinstance(module, Module):
        raise TypeError(f"nn.save(module, path) takes a Module first, got {type(module).__name__} {module!r}")
    text = _path_text(path, "save to")
    target = os.path.realpath(text)
    directory, name = os.path.split(target)
    problem = refusal(target)
    if problem is not None:
        raise _naming(text, problem)
    state = module.state_dict()
    _remove_leftovers(directory, name)
    try:
        _write_atomically(target, state)
    except OSError as e:
        raise _naming(text, e) from None
    _fsync_directory(directory)


def _naming(text: str, error: OSError) -> OSError:
    """``error`` again, its message saying which save failed: never the temporary file's name."""
    why = error.strerror or str(error)
    return type(error)(error.errno, f"cannot save to {text!r}: {why}") if error.errno else \
        type(error)(f"cannot save to {text!r}: {why}")


def _write_atomically(target: str, state: dict[str, np.ndarray]) -> None:
    """Write ``state`` to a temporary file beside ``target``, flush it, give it the
    mode of the file it replaces, and rename it over ``target``; on any error the
    temporary file is removed."""
    directory, name = os.path.split(target)
    tmp, fd = _create_temporary(directory, name)
    try:
        with os.fdopen(fd, "wb") as f:
            write_archive(f, state)
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


def _not_a_checkpoint(path: str, why: str) -> ValueError:
    return ValueError(f"{path!r} is not a model saved by nn.save (an .npz archive of arrays): {why}")


NPY_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
"""The ``.npy`` header versions ``np.save`` writes for arrays of numbers, and their readers."""


def _read_entry(entry: BinaryIO, size: int) -> np.ndarray:
    """One ``.npy`` entry of ``size`` bytes as an array.  Its header (shape and dtype)
    is checked against ``size`` before anything is allocated, so a header claiming
    10**11 floats in a small file is refused, not a 745 GiB allocation."""
    version = np.lib.format.read_magic(entry)
    if version not in NPY_HEADERS:
        raise ValueError(f".npy format version {version} is not one np.save writes for numbers")
    shape, fortran, dtype = NPY_HEADERS[version](entry)
    if dtype.hasobject:
        raise ValueError("it holds Python objects (a pickle), which are never loaded")
    claimed, held = math.prod(shape) * dtype.itemsize, size - entry.tell()
    if claimed != held:
        raise ValueError(f"its header claims shape {shape} of {dtype} ({claimed} bytes) but it holds {held} bytes")
    array = np.frombuffer(entry.read(held), dtype=dtype)
    return array.reshape(shape, order="F" if fortran else "C").copy()


def read_archive(path: str) -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` archive at ``path``, by name (entry ``<name>.npy``);
    a ValueError saying what is wrong with any entry that is not such an array."""
    state: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if name == info.filename or name in state:
                what = "not an array (.npy)" if name == info.filename else "there twice"
                raise ValueError(f"the entry {info.filename!r} is {what}")
            with archive.open(info) as entry:
                try:
                    state[name] = _read_entry(entry, info.file_size)
                except ValueError as e:
                    raise ValueError(f"the entry {info.filename!r}: {e}") from None
    return state


def load(module: Module, path: str | bytes | os.PathLike) -> Module:
    """Read a state dict saved by :func:`save` into ``module`` and return it.

    Refuses (``ValueError``, model unchanged) a file that is not such an archive
    (a single array saved as ``.npy``, any other bytes, an entry whose header does
    not match its size, a pickle), and an archive with missing, extra or
    differently shaped entries; see :meth:`Module.load_state_dict`.  A path that
    is not a regular file (a FIFO would block, a device never ends) is refused.
    """
    path = _path_text(path, "load")
    if os.path.exists(path) and not os.path.isfile(path):
        kind = FILE_KINDS.get(stat.S_IFMT(os.stat(path).st_mode), "special file")
        error = IsADirectoryError if os.path.isdir(path) else ValueError
        raise error(f"cannot load {path!r}: it is a {kind}, not a regular file")
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic == b"\x93NUMPY":
        raise _not_a_checkpoint(path, "it holds a single array (.npy, as written by np.save)")
    if not magic.startswith(b"PK"):
        raise _not_a_checkpoint(path, "it is not a zip archive")
    try:
        state = read_archive(path)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise _not_a_checkpoint(path, f"{type(e).__name__}: {e}") from None
    module.load_state_dict(state)
    return module
