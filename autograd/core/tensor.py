"""Tensor: one numpy array, one node of the graph.

A Tensor is a :class:`~autograd.core.graph.Node` like Value, so the same
topological order, backward driver, ``no_grad`` and drawing walk serve both.
Elementwise operations are the very :class:`~autograd.core.op.Op` objects Value
uses (``autograd.core.ops``), evaluated on arrays; the matrix operations live in
``autograd.core.tensor_ops``.  Gradients that come back with numpy broadcasting are
summed back to each input's shape ("unbroadcast") when they are accumulated.
With ``grad(..., create_graph=True)`` the same rules run on the Tensors
themselves (backend ``autograd.core.tensor_backend.TENSOR``), so gradients are
Tensor graphs that can be differentiated again.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from . import ops
from . import tensor_ops as tops
from .arithmetic import Arithmetic
from .graph import Node, is_grad_enabled
from .numerics import ARRAY
from .numerics import array_sum_to as _unbroadcast
from .op import Op

_ndarray = np.ndarray
_NUMERIC_KINDS = "fiub"


def _refuse(dtype: np.dtype, what: str) -> TypeError:
    kind = {"c": "complex", "O": "object", "U": "string", "S": "bytes", "V": "structured",
            "M": "datetime", "m": "timedelta"}.get(dtype.kind, dtype.kind)
    hint = " (Values cannot be put inside a Tensor)" if dtype.kind == "O" else ""
    return TypeError(
        f"{what} holds real numbers (float, int or bool); got a {kind} array (dtype {dtype}){hint}"
    )


def _to_array(data: Any) -> np.ndarray:
    """A fresh float array for a new leaf: floats keep their dtype, ints and bools become float64."""
    if isinstance(data, Tensor):
        data = data.data
    elif isinstance(data, Node):
        raise TypeError(f"Tensor cannot hold a {type(data).__name__}; use Tensor(value.data)")
    try:
        array = np.array(data)
    except ValueError as err:
        raise ValueError(f"Tensor data must be a regular (rectangular) array of numbers: {err}") from None
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in _NUMERIC_KINDS:
        return array.astype(np.float64)
    raise _refuse(array.dtype, "Tensor")


def _new_node(data: np.ndarray, requires_grad: bool) -> "Tensor":
    t = object.__new__(Tensor)
    t.data = data
    t.grad = None
    t._prev = ()
    t._op = None
    t._args = ()
    t.requires_grad = requires_grad
    t.label = ""
    return t


def _result(data: Any) -> "Tensor":
    """A fresh node for an operation's output (a constant until recorded)."""
    return _new_node(data if type(data) is _ndarray else np.asarray(data), False)


def _constant(x: Any, dtype: np.dtype) -> "Tensor":
    """A number or array mixed into an expression: a constant in the Tensor operand's dtype,
    so that a python scalar or float64 array does not turn float32 results into float64."""
    if isinstance(x, Node):
        raise TypeError(
            f"cannot mix a Tensor with a {type(x).__name__}; use Tensor(...) for both operands"
        )
    if type(x) is float or type(x) is int:
        return _new_node(np.array(x, dtype=dtype), False)
    array = np.asarray(x)
    if array.dtype != dtype:
        if array.dtype.kind not in _NUMERIC_KINDS:
            raise _refuse(array.dtype, "A Tensor operand")
        array = array.astype(dtype)
    return _new_node(array, False)


def _broadcast_error(op: Op, a: "Tensor", b: "Tensor") -> str:
    if op is tops.MATMUL:
        sa, sb = a.shape, b.shape
        if a.ndim == 0 or b.ndim == 0:
            return f"matmul: {sa} @ {sb}: both operands need at least one dimension"
        ka, kb = sa[-1], sb[-2] if b.ndim > 1 else sb[0]
        if ka != kb:
            return f"matmul: {sa} @ {sb}: inner dimensions {ka} and {kb} differ"
        return f"matmul: {sa} @ {sb}: batch dimensions {sa[:-2]} and {sb[:-2]} do not broadcast"
    return (
        f"{op.name}: shapes {a.shape} and {b.shape} do not broadcast together "
        "(aligned from the right, each pair of dimensions must be equal or contain a 1)"
    )


def _is_int(x: Any) -> bool:
    """True for Python and numpy integers (bools are not axes or sizes)."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _axis(axis: Any) -> Any:
    """None, an int, or a tuple of ints (lists accepted); floats and the rest are refused."""
    if axis is None:
        return None
    if _is_int(axis):
        return int(axis)
    if isinstance(axis, (tuple, list)) and all(_is_int(k) for k in axis):
        return tuple(int(k) for k in axis)
    raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}")


def _ints(values: Any, what: str, example: str) -> tuple[int, ...]:
    """``values`` as a tuple of ints (a shape or a permutation), refusing floats and the rest."""
    if len(values) == 1 and not _is_int(values[0]):
        values = values[0]
    if isinstance(values, (tuple, list)) and all(_is_int(n) for n in values):
        return tuple(int(n) for n in values)
    raise TypeError(f"{what} must be ints, as in {example}; got {values!r}")


def _index(key: Any) -> Any:
    """An index numpy understands, frozen: lists become arrays; Tensors are refused."""
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if isinstance(key, Node):
        raise TypeError("index a Tensor with ints, slices, lists or integer/bool numpy arrays, "
                        "not with a Tensor (use t.data.astype(int))")
    if isinstance(key, list):
        return np.asarray(key)
    return key


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
    not recorded.  Comparisons (``<``, ``>=`` ...) return plain numpy bool
    arrays; ``==`` is identity, as for every graph node.  ``bool(t)`` is the truth
    of a one-entry Tensor; with more entries it is ambiguous (ValueError), as in numpy.
    Shapes and axes must be ints.

    After ``backward()`` a leaf's ``grad`` is its own writable array
    (optimizers may update it in place); an intermediate node's ``grad`` is a
    read-only array that may be shared with its neighbours (the add gate hands
    the same gradient to both inputs).

    Numerics are numpy's: ``exp``, ``log``, ``/``, ``**`` and ``sigmoid``
    give inf/nan silently (exp(1000) = inf, log(0) = -inf, sigmoid(-1000) = 0);
    an overflow in ``+ - *`` gives inf with numpy's RuntimeWarning.
    """

    __slots__ = ("data", "grad", "_prev", "_op", "_args", "requires_grad", "label", "__weakref__")
    K = ARRAY
    _CLEARED_GRAD = None
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operator

    def __init__(self, data: Any, requires_grad: bool = True, label: str = "") -> None:
        self.data = _to_array(data)
        self.grad = None
        self._prev = ()
        self._op = None
        self._args = ()
        self.requires_grad = bool(requires_grad)
        self.label = str(label)

    # -- graph hooks -------------------------------------------------------
    def _accumulate(self, g: Any) -> None:
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
        grad = self.grad
        if grad is not None:
            if type(grad) is not _ndarray or grad.shape != data.shape:
                if isinstance(grad, Tensor):  # create_graph: the sum so far is a node
                    self.grad = grad + g
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
        self.grad = g

    def _accumulate_node(self, g: "Tensor") -> None:
        """With ``create_graph``: add a contribution that is itself a graph node, recording
        the sum (and the sum back to this Tensor's shape) so it can be differentiated."""
        g = TENSOR.sum_to(g, self.data.shape)
        self.grad = g if self.grad is None else self.grad + g

    def _preset_grad(self, grad: Any) -> np.ndarray:
        """A ``grad`` the user set (a number, or an array of this Tensor's shape), checked."""
        array = np.asarray(grad)
        if array.dtype.kind not in _NUMERIC_KINDS:
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
        return gradient if isinstance(gradient, Tensor) else _new_node(np.asarray(gradient), False)

    def _gradient_result(self, gradient: Any) -> "Tensor":
        if gradient is None:
            return _new_node(np.zeros_like(self.data), False)
        if isinstance(gradient, Tensor):  # create_graph: the gradient's own graph
            return gradient
        return _new_node(np.array(gradient), False)

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
        if g.dtype.kind not in _NUMERIC_KINDS:
            raise _refuse(g.dtype, "backward()'s gradient")
        if g.shape != data.shape:
            raise ValueError(
                f"backward(): gradient has shape {g.shape} but the Tensor has shape {data.shape}"
            )
        return g.astype(data.dtype, copy=True)

    # -- recording ---------------------------------------------------------
    def _unary(self, op: Op, *args: Any) -> "Tensor":
        data = op.forward(ARRAY, self.data, *args)
        out = object.__new__(Tensor)
        out.data = data if type(data) is _ndarray else np.asarray(data)
        out.grad = None
        out.label = ""
        if self.requires_grad and is_grad_enabled():
            out._prev = (self,)
            out._op = op
            out._args = args
            out.requires_grad = True
        else:
            out._prev = ()
            out._op = None
            out._args = ()
            out.requires_grad = False
        return out

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

    def max(self, other: Any = None, *, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """``max(other)``: the elementwise max gate (the larger input gets the upstream
        gradient, ties split it in half).  ``max(axis=..., keepdims=...)`` with no
        ``other``: the reduction, routing the gradient to the maximal entries
        (split evenly among equal maxima)."""
        if other is not None:
            return _binary(ops.MAX, self, other)
        return self._checked(tops.REDUCE_MAX, _axis(axis), bool(keepdims))

    def min(self, other: Any = None, *, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """``min(other)``: the elementwise min gate; ``min(axis=..., keepdims=...)``: the
        reduction, routing the gradient to the minimal entries (ties split evenly)."""
        if other is not None:
            return _binary(ops.MIN, self, other)
        return self._checked(tops.REDUCE_MIN, _axis(axis), bool(keepdims))

    # -- reductions --------------------------------------------------------
    def sum(self, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """Sum over ``axis`` (all by default); dL/dself = G broadcast back (1^T G undone)."""
        return self._checked(tops.REDUCE_SUM, _axis(axis), bool(keepdims))

    def mean(self, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """Mean over ``axis`` (all by default); dL/dself = G / n broadcast back."""
        return self._checked(tops.REDUCE_MEAN, _axis(axis), bool(keepdims))

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """log Σ e^self over ``axis``, computed stably; dL/dself = G softmax(self)."""
        return self._checked(tops.LOGSUMEXP, _axis(axis), bool(keepdims))

    def softmax(self, axis: Any = -1) -> "Tensor":
        """e^self / Σ e^self along ``axis`` (stable); dL/dself = s ⊙ (G - Σ G ⊙ s)."""
        return self._checked(tops.SOFTMAX, _axis(axis))

    def log_softmax(self, axis: Any = -1) -> "Tensor":
        """self - logsumexp(self) along ``axis``; dL/dself = G - softmax(self) Σ G."""
        return self._checked(tops.LOG_SOFTMAX, _axis(axis))

    # -- shape -------------------------------------------------------------
    def reshape(self, *shape: Any) -> "Tensor":
        """The same entries in a new shape (``reshape(2, 3)`` or ``reshape((2, 3))``, one -1
        allowed); dL/dself = G reshaped back."""
        shape = _ints(shape, "reshape: the shape", "reshape(2, 3) or reshape((2, -1))")
        try:
            return self._unary(tops.RESHAPE, shape)
        except ValueError as err:
            raise ValueError(
                f"reshape: cannot reshape {self.shape} ({self.size} elements) into {shape}"
            ) from err

    def transpose(self, *axes: Any) -> "Tensor":
        """Axes permuted (reversed by default, like numpy); dL/dself = G permuted back."""
        if not axes or axes == (None,):
            return self._unary(tops.TRANSPOSE, None)
        axes = _ints(axes, "transpose: the axes", "transpose(1, 0) or transpose((1, 0))")
        n = self.ndim
        perm = tuple(k % n if -n <= k < n else -1 for k in axes)
        if sorted(perm) != list(range(n)):
            raise ValueError(f"transpose: axes {tuple(axes)} are not a permutation of the "
                             f"{n} axes of shape {self.shape}")
        return self._unary(tops.TRANSPOSE, perm)

    @property
    def T(self) -> "Tensor":
        """The transpose (all axes reversed); dL/dself = G^T."""
        return self._unary(tops.TRANSPOSE, None)

    def __getitem__(self, key: Any) -> "Tensor":
        """Indexing with ints, slices, None, ..., bool masks and integer arrays, as numpy.
        dL/dself = G scattered back into zeros; repeated indices accumulate."""
        key = _index(key)
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
    def size(self) -> int:
        """The number of entries."""
        return self.data.size

    def __len__(self) -> int:
        """The length of the first dimension."""
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return self.data.shape[0]

    def numpy(self) -> np.ndarray:
        """The data array itself (not a copy)."""
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """``np.asarray(tensor)`` gives the data (so plotting and numpy functions accept Tensors)."""
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
        return bool(self.data.reshape(()))

    def item(self) -> float:
        """The only entry as a Python float (the Tensor must have exactly one entry)."""
        if self.data.size != 1:
            raise ValueError(f"item(): the Tensor has shape {self.shape} ({self.size} entries); "
                             "item() needs exactly one")
        return float(self.data.reshape(()))

    def detach(self) -> "Tensor":
        """A constant sharing the same data, cut from the graph."""
        t = _new_node(self.data, False)
        t.label = self.label
        return t

    def __lt__(self, other: Any) -> np.ndarray:
        """Compare data elementwise (a numpy bool array, not recorded in the graph)."""
        return self.data < _data(other)

    def __le__(self, other: Any) -> np.ndarray:
        """self <= other on the data (a numpy bool array, not recorded)."""
        return self.data <= _data(other)

    def __gt__(self, other: Any) -> np.ndarray:
        """self > other on the data (a numpy bool array, not recorded)."""
        return self.data > _data(other)

    def __ge__(self, other: Any) -> np.ndarray:
        """self >= other on the data (a numpy bool array, not recorded)."""
        return self.data >= _data(other)

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
        if self.grad is not None:
            parts.append("grad=<set>")
        return "Tensor(" + ", ".join(parts) + ")"


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _describe(args: tuple) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in zip(("axis", "keepdims"), args))


def _binary(op: Op, a: Any, b: Any) -> Tensor:
    """Record ``op(a, b)``; a number or array operand becomes a constant."""
    if not isinstance(a, Tensor):
        a = _constant(a, b.data.dtype)
    elif not isinstance(b, Tensor):
        b = _constant(b, a.data.dtype)
    try:
        data = op.forward(ARRAY, a.data, b.data)
    except ValueError as err:
        raise ValueError(_broadcast_error(op, a, b)) from err
    out = object.__new__(Tensor)
    out.data = data if type(data) is _ndarray else np.asarray(data)
    out.grad = None
    out._args = ()
    out.label = ""
    if (a.requires_grad or b.requires_grad) and is_grad_enabled():
        out._prev = (a, b)
        out._op = op
        out.requires_grad = True
    else:
        out._prev = ()
        out._op = None
        out.requires_grad = False
    return out


Tensor._binary = staticmethod(_binary)  # what Arithmetic's operators call


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
    out = _result(op.forward(ARRAY, *[p.data for p in parents], *args))
    if is_grad_enabled() and any(p.requires_grad for p in parents):
        out._prev = parents
        out._op = op
        out._args = args
        out.requires_grad = True
    return out


def _join(op: Op, tensors: Iterable[Any], axis: int) -> Tensor:
    tensors = list(tensors)
    if not tensors:
        raise ValueError(f"{op.name}: needs at least one Tensor")
    if not _is_int(axis):
        raise TypeError(f"{op.name}: axis must be an int, got {axis!r}")
    try:
        return apply_op(op, tensors, int(axis))
    except ValueError as err:
        shapes = ", ".join(str(np.shape(_data(t))) for t in tensors)
        raise ValueError(f"{op.name} along axis {axis}: shapes {shapes}: {err}") from err


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join Tensors along an existing axis (numpy.concatenate).

    dL/dt_i = the slice of G at t_i's position along ``axis``.  All other
    dimensions must match; the error names every shape.
    """
    return _join(tops.CONCATENATE, tensors, axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join equally shaped Tensors along a new axis (numpy.stack).

    dL/dt_i = G at index i along ``axis``.
    """
    return _join(tops.STACK, tensors, axis)


from .tensor_backend import TENSOR  # noqa: E402  (it records through apply_op above)

Tensor.K_GRAPH = TENSOR
