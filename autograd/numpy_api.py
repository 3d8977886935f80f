"""numpy functions applied to Tensors: recorded into the graph, or refused by name.

``np.exp(t)``, ``np.dot(w, t)``, ``np.sum(t, axis=0)`` ... on a Tensor call the
Tensor's own operation, so the result is a recorded Tensor and gradients flow
as torch's do (numpy asks the Tensor through ``__array_ufunc__`` and
``__array_function__``; :func:`install` sets them on Tensor, once, from
``autograd/__init__.py``).  Comparisons and other functions of the data alone
(``np.greater``, ``np.isnan``, ``np.argmax`` ...) give plain numpy arrays.
Any other numpy function applied to a Tensor that requires grad, while
recording, raises a TypeError naming the function and the Tensor spelling to
use: it would compute on the bare numbers and lose the gradient in silence.
Tensors that need no gradient, and everything under ``no_grad()``, go to
numpy unchanged.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .core.mode import is_grad_enabled
from .core.tensor import Tensor, concatenate, record_where, stack


def _binary(method: str, reflected: str) -> Callable[[Any, Any], Tensor]:
    """A two-operand ufunc as the Tensor operator (reflected when the Tensor is second)."""
    def call(a: Any, b: Any) -> Tensor:
        return getattr(a, method)(b) if isinstance(a, Tensor) else getattr(b, reflected)(a)
    return call


UFUNCS: dict[np.ufunc, Callable[..., Tensor]] = {
    np.exp: Tensor.exp, np.log: Tensor.log, np.tanh: Tensor.tanh, np.sqrt: Tensor.sqrt,
    np.abs: Tensor.abs, np.negative: Tensor.__neg__, np.square: Tensor.square,
    np.add: _binary("__add__", "__radd__"), np.subtract: _binary("__sub__", "__rsub__"),
    np.multiply: _binary("__mul__", "__rmul__"), np.divide: _binary("__truediv__", "__rtruediv__"),
    np.power: _binary("__pow__", "__rpow__"), np.matmul: _binary("__matmul__", "__rmatmul__"),
    np.maximum: _binary("maximum", "maximum"), np.minimum: _binary("minimum", "minimum"),
}
"""The ufuncs recorded on Tensors: each is the Tensor method of the same meaning."""

DATA_ONLY = {np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
             np.isnan, np.isinf, np.isfinite, np.sign, np.floor, np.ceil, np.argmax, np.argmin,
             np.shape, np.ndim, np.size, np.isclose, np.allclose, np.array_equal, np.argsort}
"""Functions of the data alone (no gradient to lose): applied to the numbers."""


def _dot(a: Any, b: Any) -> Tensor:
    """np.dot: the product of numbers, vectors or matrices (as ``*`` or ``@``)."""
    if np.ndim(_data(a)) == 0 or np.ndim(_data(b)) == 0:
        return _binary("__mul__", "__rmul__")(a, b)
    if np.ndim(_data(a)) > 2 or np.ndim(_data(b)) > 2:
        raise TypeError("np.dot of arrays with more than 2 dimensions is not recorded on Tensors: "
                        "write a @ b (np.matmul), whose batch rule differs, or np.tensordot on .data")
    return _binary("__matmul__", "__rmatmul__")(a, b)


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x, requires_grad=False)


def _where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """np.where(condition, x, y): recorded; the gradient goes to the side chosen."""
    if x is None and y is None:
        return np.where(_data(condition))
    return record_where(_data(condition), x, y)


FUNCTIONS: dict[Callable, Callable[..., Any]] = {
    np.dot: _dot,
    np.sum: lambda a, axis=None, keepdims=False: _tensor(a).sum(axis=axis, keepdims=keepdims),
    np.mean: lambda a, axis=None, keepdims=False: _tensor(a).mean(axis=axis, keepdims=keepdims),
    np.max: lambda a, axis=None, keepdims=False: _tensor(a).max(axis=axis, keepdims=keepdims),
    np.amax: lambda a, axis=None, keepdims=False: _tensor(a).max(axis=axis, keepdims=keepdims),
    np.min: lambda a, axis=None, keepdims=False: _tensor(a).min(axis=axis, keepdims=keepdims),
    np.amin: lambda a, axis=None, keepdims=False: _tensor(a).min(axis=axis, keepdims=keepdims),
    np.var: lambda a, axis=None, ddof=0, keepdims=False: _tensor(a).var(
        axis=axis, correction=ddof, keepdims=keepdims),
    np.std: lambda a, axis=None, ddof=0, keepdims=False: _tensor(a).std(
        axis=axis, correction=ddof, keepdims=keepdims),
    np.reshape: lambda a, shape: _tensor(a).reshape(shape),
    np.transpose: lambda a, axes=None: _tensor(a).transpose(axes),
    np.concatenate: lambda arrays, axis=0: concatenate(arrays, axis),
    np.stack: lambda arrays, axis=0: stack(arrays, axis),
    np.where: _where,
}
"""The numpy functions recorded on Tensors, with the arguments they accept."""

def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _tensors(args: Any) -> list[Tensor]:
    """The Tensors among ``args`` and, one level down, in the lists and tuples there."""
    found = []
    for a in args:
        if isinstance(a, Tensor):
            found.append(a)
        elif isinstance(a, (list, tuple)):
            found += [x for x in a if isinstance(x, Tensor)]
    return found


def _needs_grad(args: Any) -> bool:
    return is_grad_enabled() and any(t.requires_grad for t in _tensors(args))


HINTS = {"clip": "t.clamp(min, max)", "log1p": "(1 + t).log()", "expm1": "t.exp() - 1",
         "swapaxes": "t.permute(...)", "squeeze": "t.squeeze()", "expand_dims": "t.unsqueeze(dim)",
         "ravel": "t.flatten()", "prod": "t.log().sum().exp() for positive entries",
         "array": "t itself", "asarray": "t itself"}
"""The Tensor spelling for numpy functions that have one but are not in the tables."""


def _refuse(name: str) -> TypeError:
    hint = HINTS.get(name, "a Tensor method (exp, log, tanh, sum, max, reshape, @ ...)")
    return TypeError(
        f"numpy.{name} is not recorded on Tensors: applied to a Tensor that requires grad it "
        f"would lose the gradient. Write {hint}, or use a numpy function chainrule records "
        "(autograd.numpy_api.UFUNCS and FUNCTIONS); for the numbers alone, call it on "
        "t.detach() or t.data")


def _plain(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    return x


def array_ufunc(self: Tensor, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """numpy's ufunc protocol: a recorded Tensor operation, the data's answer, or a TypeError."""
    if ufunc in DATA_ONLY or not _needs_grad(inputs):
        if method == "__call__" and ufunc in UFUNCS and not kwargs:
            return UFUNCS[ufunc](*inputs)
        return getattr(ufunc, method)(*_plain(inputs), **{k: _plain(v) for k, v in kwargs.items()})
    if method != "__call__" or ufunc not in UFUNCS:
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise _refuse(name)
    if kwargs:
        raise TypeError(f"numpy.{ufunc.__name__} on a Tensor: the arguments {', '.join(kwargs)} "
                        "are not supported (a Tensor operation makes a new Tensor, never in out=)")
    return UFUNCS[ufunc](*inputs)


def array_function(self: Tensor, func: Callable, types: Any, args: tuple, kwargs: dict) -> Any:
    """numpy's function protocol: a recorded Tensor operation, the data's answer, or a TypeError."""
    if func in FUNCTIONS and not (func is np.where and len(args) == 1):
        try:
            return FUNCTIONS[func](*args, **kwargs)
        except TypeError as err:
            if "argument" not in str(err):
                raise
            raise TypeError(f"numpy.{func.__name__} on a Tensor: {err}") from None
    if func in DATA_ONLY or not _needs_grad(args):
        return func(*_plain(args), **{k: _plain(v) for k, v in kwargs.items()})
    raise _refuse(func.__name__)


def install() -> None:
    """Let numpy functions reach Tensors (called once by ``autograd/__init__.py``)."""
    Tensor.__array_ufunc__ = array_ufunc
    Tensor.__array_function__ = array_function
