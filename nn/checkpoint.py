"""Saving and loading a module's state dict as a ``.npz`` file."""
from __future__ import annotations

import os
import tempfile

import numpy as np

from .module import Module


def save(module: Module, path: str | os.PathLike) -> None:
    """Write ``module.state_dict()`` to ``path`` (an ``.npz`` archive, written to
    exactly that name, no suffix added).

    Atomic: the archive is written to a temporary file in the same directory,
    flushed to disk, then renamed over ``path``; a crash mid-save leaves any
    previous file at ``path`` intact and never a half-written one.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **module.state_dict())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def load(module: Module, path: str | os.PathLike) -> Module:
    """Read a state dict saved by :func:`save` into ``module`` and return it.

    Refuses (``ValueError``, model unchanged) an archive with missing, extra or
    differently shaped entries; see :meth:`Module.load_state_dict`.
    """
    with np.load(os.fspath(path), allow_pickle=False) as archive:
        state = {name: archive[name] for name in archive.files}
    module.load_state_dict(state)
    return module
