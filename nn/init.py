"""Seedable random initialisation: one global generator, or your own seed."""
from __future__ import annotations

import random

_GLOBAL = random.Random()


def manual_seed(seed: int) -> None:
    """Seed the generator used by modules created without ``seed=``."""
    _GLOBAL.seed(seed)


def generator(seed: int | random.Random | None = None) -> random.Random:
    """The generator to draw from: a fresh ``random.Random(seed)`` for an int, the
    given generator itself, or the global one (see :func:`manual_seed`) for None."""
    if seed is None:
        return _GLOBAL
    if isinstance(seed, random.Random):
        return seed
    return random.Random(seed)
