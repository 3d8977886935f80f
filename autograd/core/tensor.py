"""Tensor: one numpy array, one node of the graph.

A Tensor is a :class:`~autograd.core.graph.Node` like Value, so the same
topological order, backward driver, ``no_grad`` and drawing walk serve both.
Elementwise operations are the very :class:`~autograd.core.op.Op` objects Value
uses (``autograd.core.ops``), evaluated on arrays; the matrix operations live in
``autograd.core.tensor_ops``.  Gradients that come back with numpy broadcasting are
summed back to each input's shape ("unbroadcast") when they are accumulated.
With ``grad(..., create_graph=True)`` the same rules run on the Tensors
themselves (the backend :data:`TENSOR` below), so gradients are
Tensor graphs that can be differentiated again.
"""
from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import numpy as np

from . import ops
from . import tensor_ops as tops
from .arithmetic import Arithmetic
from .graph import Node
from .mode import is_grad_enabled, note_decision, traced_number
from .numerics import ARRAY
from .numerics import array_sum_to as _unbroadcast
from .op import Op
from .tensor_checks import (NUMERIC_KINDS, broadcast_error, check_flag, check_index, check_ints,
                            is_int, reduction_axis, refuse_dtype, to_array)

_ndarray = np.ndarray


def new_tensor(data: Any, op: Op | None = None, parents: tuple = (), args: tuple = ()) -> "Tensor":
    """The one place a Tensor node is made (``Tensor(...)`` for a user's leaf aside):
    ``data`` recorded as the result of ``op`` on ``parents`` with fixed ``args``
    when we are recording and some parent requires grad; otherwise a constant."""
    t = object.__new__(Tensor)
    t.data = data if type(data) is _ndarray else np.asarray(data)
    t._grad = None
    t.label = ""
    if op is not None and _any_requires_grad(parents) and is_grad_enabled():
        t._prev = parents
        t._op = op
        t._args = args
        t.requires_grad = True
    else:
        t._prev = ()
        t._op = None
        t._args = ()
        t.requires_grad = False
    return t


def _any_requires_grad(parents: tuple) -> bool:
    for p in parents:
        if p.requires_grad:
            return True
    return False


def _constant(x: Any, dtype: np.dtype) -> "Tensor":
    """A number or array mixed into an expression: a constant in the Tensor operand's dtype,
    so that a python scalar or float64 array does not turn float32 results into float64."""
    if isinstance(x, Node):
        raise TypeError(
            f"cannot mix a Tensor with a {type(x).__name__}; use Tensor(...) for both operands"
        )
    if type(x) is float or type(x) is int:
        return new_tensor(np.array(x, dtype=dtype))
    array = np.asarray(x)
    if array.dtype != dtype:
        if array.dtype.kind not in NUMERIC_KINDS:
            raise refuse_dtype(array.dtype, "A Tensor operand")
        array = array.astype(dtype)
    return new_tensor(array)


def _binary(op: Op, a: Any, b: Any) -> "Tensor":
    """Record ``op(a, b)``; a number or array operand becomes a constant."""
    if not isinstance(a, Tensor):
        a = _constant(a, b.data.dtype)
    elif not isinstance(b, Tensor):
        b = _constant(b, a.data.dtype)
    try:
        data = op.forward(ARRAY, a.data, b.data)
    except ValueError as err:
        raise ValueError(broadcast_error(op, a, b)) from err
    return new_tensor(data, op, (a, b))


# -- TENSOR: the backend whose functions record Tensor operations ------------------
#
# ``autograd.grad(y, xs, create_graph=True)`` on a Tensor graph evaluates every
# node's gradient rule with ``K = TENSOR`` and with the nodes themselves in place
# of their arrays.  The rules' arithmetic, ``@`` and indexing then record Tensor
# operations, and so does every ``K`` function below, so the gradients that come
# out are Tensors with a graph of their own: differentiate them again for second
# and higher derivatives (Hessian-vector products, ``autograd.func.hessian``).
#
# TENSOR has every function :data:`autograd.core.numerics.ARRAY` has.  The
# conditions (``gt``, ``ge``, ``eq``, ``both``) are ARRAY's, applied to the data:
# numpy bool arrays, never differentiated; so is the piecewise-constant
# ``sign``, whose result is a constant (derivative 0).  ``where`` records a selection, whose
# gradient goes to the chosen side only (masked, not multiplied).

def _node(x: Any) -> "Tensor":
    """A Tensor as it is; a number or array as a constant Tensor."""
    return x if isinstance(x, Tensor) else Tensor(x, requires_grad=False)


def _of_data(name: str) -> Callable[..., Any]:
    """ARRAY's function ``name`` applied to the data, never differentiated: a condition
    stays a numpy bool array; any other result is a constant Tensor (derivative 0)."""
    def of_data(*args: Any) -> Any:
        out = np.asarray(getattr(ARRAY, name)(*(_data(a) for a in args)))
        return out if out.dtype == bool else Tensor(out, requires_grad=False)

    of_data.__name__ = name
    return of_data


def record_where(condition: Any, x: Any, y: Any) -> Any:
    """``x`` where ``condition`` holds, else ``y``, recorded as one select node: the
    gradient goes to the chosen side and is exactly 0 on the other (never multiplied)."""
    condition = np.asarray(_data(condition), dtype=bool)
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        return np.where(condition, x, y)  # both constants: so is the result
    return apply_op(tops.WHERE, [x, y], condition)


def record_sum_to(a: Any, shape: tuple[int, ...]) -> Any:
    """``a`` summed over its broadcast axes down to ``shape`` (recorded); as ARRAY's
    ``sum_to``, an ``a`` smaller than ``shape`` is broadcast up to it instead."""
    shape = tuple(shape)
    have = np.shape(_data(a))
    if have == shape:
        return a
    if np.broadcast_shapes(have, shape) == shape:
        return apply_op(tops.BROADCAST_TO, [a], shape)
    return apply_op(tops.SUM_TO, [a], shape)


def record_broadcast_to(a: Any, shape: tuple[int, ...]) -> Any:
    """``a`` repeated along broadcast axes up to ``shape`` (recorded)."""
    shape = tuple(shape)
    return a if np.shape(_data(a)) == shape else apply_op(tops.BROADCAST_TO, [a], shape)


TENSOR = SimpleNamespace(
    name="tensor",
    # elementwise, as every backend has them
    div=lambda a, b: _node(a) / b,
    pow=lambda a, b: _binary(ops.POW, _node(a), b),
    pow_scalar=lambda a, b: _binary(ops.POW_SCALAR, _node(a), b),
    exp=lambda a: _node(a).exp(),
    log=lambda a: _node(a).log(),
    tanh=lambda a: _node(a).tanh(),
    sigmoid=lambda a: _node(a).sigmoid(),
    maximum=lambda a, b: _node(a).maximum(b),
    minimum=lambda a, b: _node(a).minimum(b),
    abs=lambda a: _node(a).abs(),
    where=record_where,
    choose=lambda cond, x, y: x if cond else y,  # cond on one plain number: nothing recorded
    # functions of the data only
    sign=_of_data("sign"),
    gt=_of_data("gt"),
    ge=_of_data("ge"),
    eq=_of_data("eq"),
    both=_of_data("both"),
    # the matrix functions of ARRAY's second block
    sum_to=record_sum_to,
    broadcast_to=record_broadcast_to,
    scatter_add=lambda g, index, shape: apply_op(tops.SCATTER_ADD, [g], index, tuple(shape)),
    logsumexp=lambda a, axis, keepdims: _node(a).logsumexp(axis, keepdims),
    concatenate=lambda tensors, axis: concatenate(tensors, axis),
    stack=lambda tensors, axis: stack(tensors, axis),
)
"""Backend for rules evaluated on Tensors: gradients that are Tensor graphs themselves."""


class Tensor(Arithmetic, Node):
    """An n-dimensional array of the computation graph.

    ``Tensor(data, requires_grad=True, label="")`` wraps a copy of ``data`` (a
    numpy array, nested list or number).  Floating dtypes are kept (float32
    stays float32); integers and bools become float64; object, string and
    complex data are refused with a TypeError.  ``grad`` is None until
    ``backward()``, then an array of ``data``'s shape and dtype.

    Arithmetic follows numpy broadcasting; the gradient each input receives is
    summed back to its own shape.  Numbers and numpy arrays mixed in are
    constants (no gradient) converted to the Tensor's dtype.  Results of
    operations whose inputs need no gradient, or made under ``no_grad()``, are
    not recorded.  Comparisons (``==``, ``<``, ``>=`` ...) compare the data
    elementwise and return plain numpy bool arrays, not recorded; hashing stays
    by identity, so Tensors are distinct keys of sets and dicts, as in torch.
    ``bool(t)`` is the truth of a one-entry Tensor; with more entries it is
    ambiguous (ValueError), as in numpy.  Shapes and axes must be ints; every
    reduction takes numpy's ``axis=``/``keepdims=`` or torch's ``dim=``/``keepdim=``.

    After ``backward()`` a leaf's ``grad`` is its own writable array
    (optimizers may update it in place); an intermediate node's ``grad`` is a
    read-only array that may be shared with its neighbours (the add gate hands
    the same gradient to both inputs).

    Numerics are numpy's: ``exp``, ``log``, ``/``, ``**`` and ``sigmoid``
    give inf/nan silently (exp(1000) = inf, log(0) = -inf, sigmoid(-1000) = 0);
    an overflow in ``+ - *`` gives inf with numpy's RuntimeWarning.
    """

    __slots__ = ("data", "_grad", "_prev", "_op", "_args", "requires_grad", "label", "__weakref__")
    K = ARRAY
    K_GRAPH = TENSOR
    _CLEARED_GRAD = None
    _binary = staticmethod(_binary)  # what Arithmetic's operators call
    # ndarray (op) Tensor defers to Tensor's reflected operator.  ``import autograd`` then
    # replaces this, and adds ``__array_function__``, with one visible call,
    # ``autograd.numpy_api.install()``: numpy functions on Tensors are recorded, or refused.
    __array_ufunc__ = None

    def __init__(self, data: Any, requires_grad: bool = True, label: str = "") -> None:
        self.data = to_array(data.data if isinstance(data, Tensor) else data)
        self._grad = None
        self._prev = ()
        self._op = None
        self._args = ()
        self.requires_grad = check_flag(requires_grad)
        self.label = str(label)

    @property
    def grad(self) -> Any:
        """d(output of the last backward) / d self: None, or an array of this Tensor's shape
        and dtype (a Tensor with ``create_graph``)."""
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        """Set by hand (None or 0 clear it).  A numeric array of another dtype is converted
        to this Tensor's dtype, so that neither backward nor an optimizer step turns the
        data into that dtype (torch refuses such an assignment; both keep the dtype)."""
        if type(value) is _ndarray and value.dtype != self.data.dtype \
                and value.dtype.kind in NUMERIC_KINDS:
            value = value.astype(self.data.dtype)
        self._grad = value

    # -- graph hooks -------------------------------------------------------
    def accumulate_grad(self, g: Any) -> None:
        """Add a gradient contribution, summed back to this Tensor's shape and dtype.

        Never in place, and never aliasing another node's array: a leaf owns its
        ``grad`` (copied when the contribution is a view or another node's
        gradient), an intermediate node's ``grad`` is marked read-only so that no
        leaf keeps it uncopied.
        """
        data = self.data
        if type(g) is not _ndarray:
            if isinstance(g, Tensor):
                self._accumulate_node(g)
                return
            g = np.asarray(g)
        fresh = False
        if g.shape != data.shape:
            g = _unbroadcast(g, data.shape)
            fresh = True
        if g.dtype != data.dtype:
            g = g.astype(data.dtype)
            fresh = True
        grad = self._grad
        if grad is not None:
            if type(grad) is not _ndarray or grad.shape != data.shape:
                if isinstance(grad, Tensor):  # create_graph: the sum so far is a node
                    self._grad = grad + g
                    return
                grad = self._preset_grad(grad)
            g = grad + g
            if type(g) is not _ndarray:
                g = np.asarray(g)
            fresh = True
        if self._op is None:
            if not fresh and (g.base is not None or not g.flags.writeable):
                g = g.copy()
        else:
            g.setflags(write=False)
        self._grad = g

    def _accumulate_node(self, g: "Tensor") -> None:
        """With ``create_graph``: add a contribution that is itself a graph node, recording
        the sum (and the sum back to this Tensor's shape) so it can be differentiated."""
        g = record_sum_to(g, self.data.shape)
        self._grad = g if self._grad is None else self._grad + g

    def _preset_grad(self, grad: Any) -> np.ndarray:
        """A ``grad`` the user set (a number, or an array of this Tensor's shape), checked."""
        array = np.asarray(grad)
        if array.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"the grad of a Tensor of shape {self.shape} was set to {grad!r}; "
                            "set it to None, 0 or an array of the same shape")
        if array.shape not in ((), self.data.shape):
            raise ValueError(f"the grad of a Tensor of shape {self.shape} was set to an array of "
                             f"shape {array.shape}; backward would broadcast it. Set grad to None, "
                             f"0 or an array of shape {self.shape}")
        return array

    def _in_own_shape(self, g: Any) -> np.ndarray:
        """``g`` summed back to this Tensor's shape, in its dtype (what an edge delivers)."""
        g = np.asarray(g)
        if g.shape != self.data.shape:
            g = _unbroadcast(g, self.data.shape)
        return g.astype(self.data.dtype, copy=False)

    def _as_node(self, gradient: Any) -> "Tensor":
        return gradient if isinstance(gradient, Tensor) else new_tensor(gradient)

    def _gradient_result(self, gradient: Any) -> "Tensor":
        if gradient is None:
            return new_tensor(np.zeros_like(self.data))
        if isinstance(gradient, Tensor):  # create_graph: the gradient's own graph
            return gradient
        return new_tensor(np.array(gradient))

    def _seed(self, gradient: Any) -> np.ndarray:
        data = self.data
        if gradient is None:
            if data.size != 1:
                raise RuntimeError(
                    f"backward(): this Tensor has shape {data.shape}; only a one-element output "
                    "gets the implicit gradient 1. Pass gradient= (an array of the same shape, "
                    "dL/d this), or reduce it first, e.g. .sum() or .mean()"
                )
            return np.ones(data.shape, dtype=data.dtype)
        if isinstance(gradient, Tensor):
            gradient = gradient.data
        g = np.asarray(gradient)
        if g.dtype.kind not in NUMERIC_KINDS:
            raise refuse_dtype(g.dtype, "backward()'s gradient")
        if g.shape != data.shape:
            raise ValueError(
                f"backward(): gradient has shape {g.shape} but the Tensor has shape {data.shape}"
            )
        return g.astype(data.dtype, copy=True)

    # -- recording ---------------------------------------------------------
    def _unary(self, op: Op, *args: Any) -> "Tensor":
        return new_tensor(op.forward(ARRAY, self.data, *args), op, (self,), args)

    def _checked(self, op: Op, *args: Any) -> "Tensor":
        """_unary for operations whose arguments may be wrong: name the op and the shape."""
        try:
            return self._unary(op, *args)
        except (ValueError, IndexError, TypeError) as err:
            raise type(err)(f"{op.name}: Tensor of shape {self.shape} with {_describe(args)}: {err}") from err

    # -- operators Value has not (the shared ones are in Arithmetic) -----------
    def __matmul__(self, other: Any) -> "Tensor":
        """Matrix product (2-D, batched, or with 1-D operands as numpy does).
        Y = A B: dL/dA = G B^T, dL/dB = A^T G."""
        return _binary(tops.MATMUL, self, other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        """other @ self."""
        return _binary(tops.MATMUL, other, self)

    def max(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool = False) -> Any:
        """torch's overloads.  ``t.max()`` and ``t.max(axis=...)`` (numpy's spelling): the
        largest entry over all axes or ``axis``, a Tensor.  ``t.max(dim)`` and
        ``t.max(dim, keepdim=True)``: as torch, the pair ``(values, indices)``
        (:class:`Extreme`; ``indices`` a numpy int array).  ``t.max(other_tensor)``: the
        elementwise max gate, as :meth:`maximum`.  A number is refused: write
        ``t.maximum(x)`` or ``t.clamp(min=x)``.

        dL/dself = G at the maximal entries (split evenly among ties), 0 elsewhere."""
        return self._extreme(tops.REDUCE_MAX, ops.MAX, np.argmax, dim, keepdim, axis, keepdims)

    def min(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool = False) -> Any:
        """The smallest entries, with the overloads of :meth:`max` (``t.min(other_tensor)``
        is :meth:`minimum`; a number is refused: ``t.minimum(x)`` or ``t.clamp(max=x)``).

        dL/dself = G at the minimal entries (split evenly among ties), 0 elsewhere."""
        return self._extreme(tops.REDUCE_MIN, ops.MIN, np.argmin, dim, keepdim, axis, keepdims)

    def _extreme(self, reduce: Op, gate: Op, arg: Callable, dim: Any, keepdim: bool, axis: Any,
                 keepdims: bool) -> Any:
        """max or min: the elementwise gate with a Tensor, else the reduction (and, over a
        ``dim``, torch's indices too)."""
        name = reduce.symbol
        if isinstance(dim, Tensor):
            return _binary(gate, self, dim)
        if dim is not None and not is_int(dim):
            elementwise = "maximum" if gate is ops.MAX else "minimum"
            bound = "min" if gate is ops.MAX else "max"
            raise TypeError(f"{name}({dim!r}): {name} takes a dim (an int) or a Tensor, as in torch; "
                            f"for the elementwise {name} with a number or array write "
                            f"t.{elementwise}({dim!r}) or t.clamp({bound}={dim!r})")
        axis = reduction_axis(axis, dim, self.shape, name)
        values = self._checked(reduce, axis, bool(keepdim or keepdims))
        if dim is None:
            return values
        indices = np.asarray(arg(self.data, axis=axis))
        if keepdim and self.ndim:
            indices = np.expand_dims(indices, axis)
        return Extreme(values, indices)

    def amax(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """torch.amax (numpy.amax): the largest entries over ``dim`` (all by default), a Tensor."""
        return self.max(axis=dim, keepdims=keepdim)

    def amin(self, dim: Any = None, keepdim: bool = False) -> "Tensor":
        """torch.amin: the smallest entries over ``dim`` (all by default), a Tensor."""
        return self.min(axis=dim, keepdims=keepdim)

    def maximum(self, other: Any) -> "Tensor":
        """The elementwise max gate (torch.maximum, np.maximum): the larger input gets the
        upstream gradient, the other exactly 0, a tie gives each half."""
        return _binary(ops.MAX, self, other)

    def minimum(self, other: Any) -> "Tensor":
        """The elementwise min gate: the smaller input gets the gradient, a tie half each."""
        return _binary(ops.MIN, self, other)

    def clamp(self, min: Any = None, max: Any = None) -> "Tensor":
        """Entries limited to [min, max] (torch.clamp; np.clip); either bound may be left out.
        dL/dself = G where min <= self <= max (bounds included, as torch), exactly 0 elsewhere."""
        if min is None and max is None:
            raise ValueError("clamp: give min=, max= or both")
        low = -np.inf if min is None else _data(min)
        high = np.inf if max is None else _data(max)
        inside = (self.data >= low) & (self.data <= high)
        return record_where(inside, self, np.clip(self.data, low, high).astype(self.dtype))

    def argmax(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> np.ndarray:
        """Index of the largest entry (of the flattened Tensor, or along ``dim``), the first
        at ties, as torch and numpy: a numpy int array (not recorded)."""
        return self._arg(np.argmax, dim, keepdim, axis)

    def argmin(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> np.ndarray:
        """Index of the smallest entry (flattened, or along ``dim``): a numpy int array."""
        return self._arg(np.argmin, dim, keepdim, axis)

    def _arg(self, arg: Callable, dim: Any, keepdim: bool, axis: Any) -> np.ndarray:
        axis = reduction_axis(axis, dim, self.shape, arg.__name__)
        if isinstance(axis, tuple):
            raise TypeError(f"{arg.__name__}: dim must be one int, got {axis!r}")
        return np.asarray(arg(self.data, axis=axis, keepdims=bool(keepdim)))

    # -- reductions --------------------------------------------------------
    def _reduce(self, op: Op, axis: Any, dim: Any, keepdims: Any) -> "Tensor":
        return self._checked(op, reduction_axis(axis, dim, self.shape, op.name), bool(keepdims))

    def sum(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
            keepdim: bool = False) -> "Tensor":
        """Sum over ``axis`` (or ``dim``; all by default); dL/dself = G broadcast back."""
        return self._reduce(tops.REDUCE_SUM, axis, dim, keepdims or keepdim)

    def mean(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
             keepdim: bool = False) -> "Tensor":
        """Mean over ``axis`` (or ``dim``; all by default); dL/dself = G / n broadcast back."""
        return self._reduce(tops.REDUCE_MEAN, axis, dim, keepdims or keepdim)

    def var(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
            correction: Any = None, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """Variance over ``dim`` (all by default): Σ (self - mean)^2 / (n - correction), with
        torch's default correction 1 (``unbiased=False`` or ``correction=0``: divide by n).
        With n - correction <= 0 the result is nan or inf, with torch's warning.
        dL/dself = G 2 (self - mean) / (n - correction), composed of recorded operations."""
        if unbiased is not None and correction is not None:
            raise TypeError("var/std: give unbiased= or correction=, not both")
        if correction is None:
            correction = 1 if unbiased is None else int(check_flag(unbiased, "unbiased"))
        axis = reduction_axis(axis, dim, self.shape, "var")
        n = self.size if axis is None else int(np.prod([self.shape[k] for k in np.atleast_1d(axis)]))
        if n - correction <= 0:
            warnings.warn(f"var(): degrees of freedom is <= 0 ({n} entries, correction "
                          f"{correction}): the result is nan or inf, as in torch", UserWarning, stacklevel=3)
        centred = self - self.mean(axis=axis, keepdims=True)
        return (centred * centred).sum(axis=axis, keepdims=keepdim or keepdims) / np.maximum(n - correction, 0)

    def std(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
            correction: Any = None, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """Standard deviation: ``var(...) ** 0.5`` (same arguments as :meth:`var`).
        dL/dself = G (self - mean) / ((n - correction) std)."""
        return self.var(dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims) ** 0.5

    def logsumexp(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
                  keepdim: bool = False) -> "Tensor":
        """log Σ e^self over ``axis`` (or ``dim``), computed stably; dL/dself = G softmax(self)."""
        return self._reduce(tops.LOGSUMEXP, axis, dim, keepdims or keepdim)

    def softmax(self, axis: Any = -1, *, dim: Any = None) -> "Tensor":
        """e^self / Σ e^self along ``axis`` (or ``dim``; stable); dL/dself = s ⊙ (G - Σ G ⊙ s)."""
        return self._checked(tops.SOFTMAX, reduction_axis(None, axis if dim is None else dim,
                                                          self.shape, "softmax"))

    def log_softmax(self, axis: Any = -1, *, dim: Any = None) -> "Tensor":
        """self - logsumexp(self) along ``axis`` (or ``dim``); dL/dself = G - softmax(self) Σ G."""
        return self._checked(tops.LOG_SOFTMAX, reduction_axis(None, axis if dim is None else dim,
                                                              self.shape, "log_softmax"))

    # -- elementwise, composed of recorded operations --------------------------
    def sqrt(self) -> "Tensor":
        """√self, torch's sqrt: the value of ``self ** 0.5`` (-0.0 at -0.0, nan at -inf), and
        dL/dself = G / (2 √self) from the output, as torch (not pow's rule: the second
        derivatives differ at -0.0 and -inf)."""
        return self._unary(ops.SQRT)

    def square(self) -> "Tensor":
        """self² = self ** 2; dL/dself = 2 self G."""
        return self ** 2

    def pow(self, exponent: Any) -> "Tensor":
        """self ** exponent (torch's spelling); see ``**``."""
        return self ** exponent

    # -- shape -------------------------------------------------------------
    def reshape(self, *shape: Any) -> "Tensor":
        """The same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``, one -1
        allowed); dL/dself = G reshaped back."""
        shape = check_ints(shape, "reshape: the shape", "reshape(2, 3) or reshape((2, -1))")
        try:
            return self._unary(tops.RESHAPE, shape)
        except ValueError as err:
            raise ValueError(
                f"reshape: cannot reshape {self.shape} ({self.size} elements) into {shape}"
            ) from err

    def transpose(self, *axes: Any) -> "Tensor":
        """Axes permuted: reversed by default, or in the order given (numpy); with two dims
        of a Tensor that has not 2, those two exchanged (torch's ``transpose(dim0, dim1)``).
        ``transpose(0, 1)`` of a matrix is refused: numpy keeps the axes, torch swaps them.
        dL/dself = G permuted back."""
        if not axes or axes == (None,):
            return self._unary(tops.TRANSPOSE, None)
        if len(axes) == 2 and all(is_int(k) for k in axes) and self.ndim != 2:
            first, second = (reduction_axis(None, k, self.shape, "transpose") for k in axes)
            perm = list(range(self.ndim))
            perm[first], perm[second] = second, first
            return self._unary(tops.TRANSPOSE, tuple(perm))
        if len(axes) == 2 and self.ndim == 2 and [k % 2 for k in axes if is_int(k)] == [0, 1]:
            raise ValueError("transpose(0, 1) of a matrix: numpy keeps the axes in place, torch "
                             "swaps them; write t.T or t.permute(1, 0) to swap, or leave it out")
        return self._permute(axes, "transpose")

    def permute(self, *dims: Any) -> "Tensor":
        """Axes in the order ``dims`` (torch.permute; numpy's transpose(axes)); dL/dself = G
        permuted back."""
        return self._permute(dims, "permute")

    def _permute(self, axes: tuple, who: str) -> "Tensor":
        axes = check_ints(axes, f"{who}: the axes", f"{who}(1, 0) or {who}((1, 0))")
        n = self.ndim
        perm = tuple(k % n if -n <= k < n else -1 for k in axes)
        if sorted(perm) != list(range(n)):
            raise ValueError(f"{who}: axes {tuple(axes)} are not a permutation of the "
                             f"{n} axes of shape {self.shape}")
        return self._unary(tops.TRANSPOSE, perm)

    def t(self) -> "Tensor":
        """torch's ``t()``: the transpose of a matrix; a 0-d or 1-d Tensor as it is."""
        if self.ndim > 2:
            raise ValueError(f"t() expects a Tensor with <= 2 dimensions, got shape {self.shape}; "
                             "use permute(...) or transpose(...)")
        return self.T if self.ndim == 2 else self._unary(tops.RESHAPE, self.shape)

    def view(self, *shape: Any) -> "Tensor":
        """torch's name for :meth:`reshape` (here always a new node over the same entries)."""
        return self.reshape(*shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
        """Dimensions ``start_dim`` to ``end_dim`` merged into one (all by default), as torch."""
        n = max(self.ndim, 1)
        first, last = (reduction_axis(None, d, (0,) * n, "flatten") for d in (start_dim, end_dim))
        if first > last:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        shape = self.shape[:first] + (-1,) + self.shape[last + 1:] if self.ndim else (1,)
        return self.reshape(shape)

    def unsqueeze(self, dim: int) -> "Tensor":
        """A new axis of size 1 at ``dim`` (from -ndim-1 to ndim), as torch."""
        axis = reduction_axis(None, dim, (0,) * (self.ndim + 1), "unsqueeze")
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    def squeeze(self, dim: Any = None) -> "Tensor":
        """Axes of size 1 removed: all of them, or ``dim`` if its size is 1 (as torch)."""
        axes = range(self.ndim) if dim is None else np.atleast_1d(
            reduction_axis(None, dim, self.shape, "squeeze"))
        drop = {k for k in axes if self.shape[k] == 1}
        return self.reshape(tuple(n for k, n in enumerate(self.shape) if k not in drop))

    @property
    def T(self) -> "Tensor":
        """The transpose (all axes reversed); dL/dself = G^T."""
        return self._unary(tops.TRANSPOSE, None)

    def __getitem__(self, key: Any) -> "Tensor":
        """Indexing with ints, slices, None, ..., bool masks and integer arrays, as numpy.
        dL/dself = G scattered back into zeros; repeated indices accumulate."""
        key = check_index(key)
        return self._unary(tops.GETITEM, key)

    # -- data access ---------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The array's dtype (a floating type)."""
        return self.data.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def size(self) -> "Size":
        """The number of entries, as numpy's ``a.size``; also callable as torch's
        ``t.size()`` (the shape) and ``t.size(dim)``."""
        return Size(self.data.size, self.data.shape)

    def numel(self) -> int:
        """The number of entries (torch's spelling)."""
        return self.data.size

    def dim(self) -> int:
        """The number of dimensions (torch's spelling of ``ndim``)."""
        return self.data.ndim

    def __len__(self) -> int:
        """The length of the first dimension."""
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return self.data.shape[0]

    def numpy(self) -> np.ndarray:
        """The data array itself (not a copy)."""
        note_decision("escaped", self, self.data)
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """``np.asarray(tensor)`` gives the data, for a Tensor that needs no gradient or under
        ``no_grad()``; for one that does it is refused, as in torch, since the array would
        be cut from the graph (use ``t.detach()`` or ``t.data``)."""
        if self.requires_grad and is_grad_enabled():
            raise RuntimeError(
                f"cannot turn a Tensor that requires grad (shape {self.shape}) into a numpy "
                "array: its gradient would be lost. Use a Tensor method or a numpy function "
                "chainrule records (np.exp, np.sum, np.dot ...), or t.detach() / t.data for "
                "the numbers alone")
        note_decision("escaped", self, self.data)
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

    def __bool__(self) -> bool:
        """The truth of the only entry; with more (or no) entries it is ambiguous, as in
        numpy and PyTorch."""
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a Tensor of shape {self.shape} ({self.size} entries) is "
                "ambiguous; compare and reduce explicitly, e.g. (t > 0).any() or (t > 0).all()"
            )
        result = bool(self.data.reshape(()))
        note_decision("truth", self, result)
        return result

    def item(self) -> float:
        """The only entry as a Python float (the Tensor must have exactly one entry)."""
        if self.data.size != 1:
            raise ValueError(f"item(): the Tensor has shape {self.shape} ({self.size} entries); "
                             "item() needs exactly one")
        return traced_number(self, float(self.data.reshape(())))

    def __float__(self) -> float:
        """``float(t)`` of a one-entry Tensor; more entries: torch's ValueError."""
        result = float(self._only_entry())
        note_decision("converted", float, self, result)
        return result

    def __int__(self) -> int:
        """``int(t)`` of a one-entry Tensor (truncated toward 0); more entries: torch's ValueError."""
        result = int(self._only_entry())
        note_decision("converted", int, self, result)
        return result

    def _only_entry(self) -> Any:
        if self.data.size != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars "
                             f"(this one has shape {self.shape})")
        return self.data.reshape(())

    def retain_grad(self) -> None:
        """torch's ``retain_grad()``: nothing to do, every node here keeps its ``.grad``."""

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Make this leaf a parameter (or, with False, a constant) in place; returns it.
        An operation's result cannot be made a constant: use ``detach()``."""
        flag = check_flag(requires_grad)
        if self._op is not None and not flag:
            raise RuntimeError("requires_grad_(False): you can only change requires_grad of "
                               "leaf Tensors; use detach() for a constant copy of a result")
        self.requires_grad = flag
        return self

    def clone(self) -> "Tensor":
        """A copy of the data, recorded: dL/dself = G (torch.clone)."""
        return self._unary(tops.CLONE)

    def detach(self) -> "Tensor":
        """A constant sharing the same data, cut from the graph."""
        note_decision("escaped", self, self.data)  # a compile trace keeps these numbers
        t = new_tensor(self.data)
        t.label = self.label
        return t

    def __eq__(self, other: Any) -> Any:
        """Compare data elementwise (a numpy bool array, not recorded), as ``<`` does."""
        return _escaped(self, other, self.data == _data(other))

    def __ne__(self, other: Any) -> Any:
        """self != other elementwise on the data (a numpy bool array, not recorded)."""
        return _escaped(self, other, self.data != _data(other))

    def __lt__(self, other: Any) -> np.ndarray:
        """Compare data elementwise (a numpy bool array, not recorded in the graph)."""
        return _escaped(self, other, self.data < _data(other))

    def __le__(self, other: Any) -> np.ndarray:
        """self <= other on the data (a numpy bool array, not recorded)."""
        return _escaped(self, other, self.data <= _data(other))

    def __gt__(self, other: Any) -> np.ndarray:
        """self > other on the data (a numpy bool array, not recorded)."""
        return _escaped(self, other, self.data > _data(other))

    def __ge__(self, other: Any) -> np.ndarray:
        """self >= other on the data (a numpy bool array, not recorded)."""
        return _escaped(self, other, self.data >= _data(other))

    __hash__ = Node.__hash__  # identity: Tensors are graph nodes, kept in sets and dicts

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(", threshold=20,
                               edgeitems=2, precision=4)
        parts = [body, f"shape={self.shape}", f"dtype={self.dtype}"]
        if self.label:
            parts.append(f"label={self.label!r}")
        if self._op is not None:
            parts.append(f"op={self._op.name!r}")
        if not self.requires_grad:
            parts.append("requires_grad=False")
        if self._grad is not None:
            parts.append("grad=<set>")
        return "Tensor(" + ", ".join(parts) + ")"


def _escaped(a: "Tensor", b: Any, result: Any) -> Any:
    """A comparison's numpy result: the numbers of ``a`` (and of ``b``, a Tensor) left the
    graph; a compile trace guards them as a whole."""
    note_decision("escaped", a, a.data)
    if isinstance(b, Tensor):
        note_decision("escaped", b, b.data)
    return result


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


class Extreme(NamedTuple):
    """What ``t.max(dim)`` and ``t.min(dim)`` return, as torch's ``return_types.max``:
    ``values`` (a Tensor, recorded) and ``indices`` (a numpy int array, the first
    extreme entry along ``dim``)."""

    values: "Tensor"
    indices: np.ndarray


class Size(int):
    """A Tensor's number of entries (numpy's ``a.size``) that, called, gives torch's
    ``t.size()`` (the shape) or ``t.size(dim)`` (one dimension's length)."""

    shape: tuple[int, ...]

    def __new__(cls, n: int, shape: tuple[int, ...]) -> "Size":
        size = super().__new__(cls, n)
        size.shape = shape
        return size

    def __call__(self, dim: Any = None) -> Any:
        if dim is None:
            return self.shape
        return self.shape[reduction_axis(None, dim, self.shape, "size")]


def _describe(args: tuple) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in zip(("axis", "keepdims"), args))




def _operands(xs: Sequence[Any]) -> tuple[Tensor, ...]:
    """Tensors as they are; numbers and arrays as constants in the Tensors' common dtype."""
    real = [x.data for x in xs if isinstance(x, Tensor)]
    if not real:
        return tuple(Tensor(x, requires_grad=False) for x in xs)
    dtype = np.result_type(*real)
    return tuple(x if isinstance(x, Tensor) else _constant(x, dtype) for x in xs)


def apply_op(op: Op, operands: Sequence[Any], *args: Any) -> Tensor:
    """Record ``op`` on ``operands`` (Tensors; numbers and arrays become constants) with
    the fixed arguments ``args``, whatever its number of inputs: the generic path any
    operation can take (user-defined ones, and the Tensor backend's functions)."""
    parents = _operands(operands)
    return new_tensor(op.forward(ARRAY, *[p.data for p in parents], *args), op, parents, args)


def _join(op: Op, tensors: Iterable[Any], axis: int) -> Tensor:
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{op.name}: needs at least one Tensor")
    if not is_int(axis):
        raise TypeError(f"{op.name}: axis must be an int, got {axis!r}")
    try:
        return apply_op(op, tensors, int(axis))
    except ValueError as err:
        shapes = ", ".join(str(np.shape(_data(t))) for t in tensors)
        raise ValueError(f"{op.name} along axis {axis}: shapes {shapes}: {err}") from err


def concatenate(tensors: Sequence[Any], axis: int = 0, *, dim: Any = None) -> Tensor:
    """Join Tensors along an existing axis (numpy.concatenate; torch.cat with ``dim=``).

    dL/dt_i = the slice of G at t_i's position along ``axis``.  All other
    dimensions must match; the error names every shape.
    """
    return _join(tops.CONCATENATE, tensors, axis if dim is None else dim)


def stack(tensors: Sequence[Any], axis: int = 0, *, dim: Any = None) -> Tensor:
    """Join equally shaped Tensors along a new axis (numpy.stack; torch.stack with ``dim=``).

    dL/dt_i = G at index i along ``axis``.
    """
    return _join(tops.STACK, tensors, axis if dim is None else dim)

