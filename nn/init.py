"""Random initialisation: seedable generators and the schemes for a layer's weights.

A layer with ``fan_in`` inputs and ``fan_out`` outputs draws its weight matrix
``W`` (``fan_in x fan_out``) and bias ``b`` (``fan_out``) by one of these schemes
(``U(-a, a)`` is uniform on [-a, a], ``N(0, s^2)`` normal with standard deviation s):

    scheme             weights                                biases
    "torch"            U(-1/√fan_in, 1/√fan_in)               U(-1/√fan_in, 1/√fan_in)
    "he_uniform"       U(-√(6/fan_in), √(6/fan_in))           0
    "he_normal"        N(0, 2/fan_in)                         0
    "xavier_uniform"   U(-√(6/(fan_in+fan_out)), same)        0
    "xavier_normal"    N(0, 2/(fan_in+fan_out))               0
    "micrograd"        U(-1, 1)                               0

``"torch"`` is PyTorch's default for ``torch.nn.Linear`` (``kaiming_uniform_`` with
``a=√5``, which works out to 1/√fan_in).  He (Kaiming) keeps the variance of relu
activations constant from layer to layer (Var w = 2/fan_in); Xavier (Glorot) keeps
it for tanh and sigmoid layers, forwards and backwards (Var w = 2/(fan_in+fan_out)).
micrograd's U(-1, 1) gives each unit of a layer with fan_in inputs a
pre-activation variance of about fan_in/3 times its inputs': fine for 2-16-16-1,
an explosion for 784-256-256-10.
"""
from __future__ import annotations

import math
import numbers
import random
from typing import Any

import numpy as np

import autograd


INITS = ("torch", "he_uniform", "he_normal", "xavier_uniform", "xavier_normal", "micrograd")
"""The initialisation schemes by name (see the table in this module's docstring)."""

DEFAULT_INIT = "torch"
"""The scheme ``nn.Linear`` and ``nn.tensor_mlp`` use when ``init`` is not given:
PyTorch's, so that wide networks (784-256-256-10) train out of the box and a model
moved to or from PyTorch starts the way PyTorch would start it."""


def manual_seed(seed: int) -> None:
    """Seed the generator modules created without ``seed=`` draw from: Python's
    ``random`` module, so this is ``random.seed(seed)`` (as in micrograd); and, as
    torch.manual_seed, ``autograd.rand``/``randn``'s generator too."""
    random.seed(seed)
    autograd.manual_seed(seed)


def generator(seed: int | random.Random | None = None) -> Any:
    """The generator to draw from: a fresh ``random.Random(seed)`` for an int, the
    given generator itself, or for None Python's ``random`` module itself (its
    functions draw from its global generator), so that ``random.seed(s)`` before
    ``nn.MLP(...)`` gives micrograd's weights, number for number."""
    if seed is None or seed is random:  # (a layer passes on what its network drew from)
        return random
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}: {seed!r}")
    return random.Random(int(seed))


def check_init(init: str) -> str:
    """``init`` itself when it names a scheme, else a ValueError listing the schemes."""
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    return init


def initial_weights(init: str, fan_in: int, fan_out: int, rng: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(W, b)`` drawn by scheme ``init``: ``W`` of shape ``(fan_in, fan_out)``, ``b``
    of shape ``(fan_out,)``, float64.

    ``"micrograd"`` draws every weight from ``rng`` itself, column by column (one
    output unit after another), in the order ``nn.Layer`` draws its neurons'
    weights, so a Tensor network equals its scalar twin.  The other schemes take
    one 64-bit seed from ``rng`` and draw the whole matrix with numpy.
    """
    check_init(init)
    if init == "micrograd":
        columns = [[rng.uniform(-1, 1) for _ in range(fan_in)] for _ in range(fan_out)]
        return np.array(columns, dtype=np.float64).reshape(fan_out, fan_in).T, np.zeros(fan_out)
    draw = np.random.default_rng(rng.getrandbits(64))
    shape = (fan_in, fan_out)
    if init == "torch":
        bound = 1 / math.sqrt(fan_in)
        return draw.uniform(-bound, bound, shape), draw.uniform(-bound, bound, fan_out)
    if init == "he_uniform":
        W = draw.uniform(-1, 1, shape) * math.sqrt(6 / fan_in)
    elif init == "he_normal":
        W = draw.standard_normal(shape) * math.sqrt(2 / fan_in)
    elif init == "xavier_uniform":
        W = draw.uniform(-1, 1, shape) * math.sqrt(6 / (fan_in + fan_out))
    else:  # xavier_normal
        W = draw.standard_normal(shape) * math.sqrt(2 / (fan_in + fan_out))
    return W, np.zeros(fan_out)
