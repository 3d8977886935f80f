"""``define_op``: your own operation, in the same data form as the built-in ones.

An operation is a name, a forward rule ``forward(K, *inputs)`` and one gradient
rule per input, ``grads[i](K, g, out, *inputs)``, giving *upstream x local
gradient* for input i (see :class:`autograd.core.op.Op`).  Written over the backend
``K`` (``K.exp``, ``K.log``, ``K.div``, ``K.pow``, ``K.sigmoid`` ...) and
``+ - *``, like the rules in ``autograd/ops.py``, the same rules then run on
floats and arrays (backward), on Values and Tensors (``create_graph=True``,
higher derivatives) and on symbols (``flat_code``, ``compile_backward``).
"""
from __future__ import annotations

import inspect
import numbers
from typing import Any, Callable, Sequence

import numpy as np

from .core.numerics import ARRAY, FLOAT
from .speed.codegen import SYMBOL
from .core.op import Op
from .core.tensor import Tensor
from .core.tensor import apply_op as record_on_tensors
from .core.value import Value
from .core.value import apply_op as record_on_values

Rule = Callable[..., Any]


def define_op(
    name: str,
    forward: Rule,
    grads: Sequence[Rule],
    symbol: str | None = None,
    formula: str = "",
) -> Callable[..., Any]:
    """A new operation with ``len(grads)`` inputs; returns the function that applies it.

    ``forward(K, x1, ..., xn)`` computes the output; ``grads[i](K, g, out, x1, ..., xn)``
    is the gradient flowing back to input i, the upstream gradient ``g`` times the local
    derivative d out / d x_i.  ``symbol`` is what drawings show (the name by default);
    ``formula`` documents the derivative.  For example softplus(x) = log(1 + e^x),
    whose derivative is σ(x)::

        softplus = define_op("softplus",
                             lambda K, x: K.log(1 + K.exp(x)),
                             [lambda K, g, out, x: g * K.sigmoid(x)],
                             formula="d softplus(x)/dx = σ(x)")

    Write the rules with ``K``'s functions (``K.exp``, ``K.log``, ``K.div``, ``K.pow``,
    ``K.sigmoid``, ``K.tanh`` ...) and ``+ - *``, never with math or numpy functions
    (``K.pow(a, b)`` is torch's pow of two tensors, C's pow; ``K.pow_scalar(a, 0.5)`` is
    torch's ``x ** 0.5``, sqrt, which differs at -0.0 and -inf):
    then they also run on Values and Tensors (second derivatives) and on symbols
    (``flat_code``).  On a Value, ``math.exp`` would quietly give a plain float, a
    constant whose derivative is lost; numpy refuses Tensors, and the error names the rule.

    The returned function takes Values (giving a recorded Value), Tensors (a recorded
    Tensor, elementwise rules broadcast), or plain numbers and arrays (a plain result).
    A definition that cannot work (a rule that is not callable, a different number of
    rules and inputs) is refused here, with a message saying what to change.  What the
    rules return is checked at each call, as torch checks a custom Function: the forward
    gives a real number for Values and a real array for Tensors; a gradient is one number
    for a Value input, and for a Tensor input an array of its shape (or of a shape it
    broadcasts to, summed back); never None.  The errors name the op and the input.
    """
    rules = _checked_definition(name, forward, grads, symbol, formula)
    op = Op(
        name,
        name if symbol is None else symbol,
        _checked(_explained(forward, name, "forward rule"), name, None),
        tuple(_checked(_explained(rule, name, f"gradient rule for input {i}"), name, i)
              for i, rule in enumerate(rules)),
        formula,
    )
    n = len(rules)

    def apply(*inputs: Any) -> Any:
        if len(inputs) != n:
            raise TypeError(f"{name}() takes {n} input{'s' if n != 1 else ''}, got {len(inputs)}")
        if any(isinstance(x, Tensor) for x in inputs):
            return record_on_tensors(op, inputs)
        if any(isinstance(x, Value) for x in inputs):
            return record_on_values(op, inputs)
        if all(isinstance(x, numbers.Real) for x in inputs):
            return op.forward(FLOAT, *(_input_number(x, name, i) for i, x in enumerate(inputs)))
        return op.forward(ARRAY, *(_input_array(x, name, i) for i, x in enumerate(inputs)))

    apply.op = op
    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = f"The user-defined operation {name!r} on {n} input(s). {formula}".strip()
    return apply


def _checked_definition(name: Any, forward: Any, grads: Any, symbol: Any, formula: Any) -> list:
    """The rules of a definition, or a clear error saying what is wrong with it."""
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"define_op: name must be a non-empty string, got {name!r}")
    where = f"define_op({name!r})"
    if symbol is not None and (not isinstance(symbol, str) or not symbol.strip()):
        raise TypeError(f"{where}: symbol must be a non-empty string or None, got {symbol!r}")
    if not isinstance(formula, str):
        raise TypeError(f"{where}: formula must be a string, got {formula!r}")
    if not callable(forward):
        raise TypeError(f"{where}: forward must be a function forward(K, *inputs), "
                        f"got {type(forward).__name__}: {forward!r}")
    if callable(grads) or isinstance(grads, (str, bytes)) or not isinstance(grads, Sequence):
        raise TypeError(f"{where}: grads must be a list with one gradient rule per input, "
                        f"e.g. [lambda K, g, out, x: ...] for one input; got {grads!r}")
    rules = list(grads)
    if not rules:
        raise ValueError(f"{where}: grads is empty; give one gradient rule per input")
    n = len(rules)
    for i, rule in enumerate(rules):
        if not callable(rule):
            raise TypeError(f"{where}: grads[{i}] must be a function (K, g, out, *inputs), "
                            f"got {type(rule).__name__}: {rule!r}")
    inputs = ", ".join(f"x{k + 1}" for k in range(n))
    _check_arity(forward, n + 1, f"{where}: {n} gradient rule(s) means {n} input(s), so forward "
                                 f"must take (K, {inputs})")
    for i, rule in enumerate(rules):
        _check_arity(rule, n + 3, f"{where}: grads[{i}] must take (K, g, out, {inputs}): the "
                                  f"backend, the upstream gradient, the output and the {n} input(s)")
    return rules


def _check_arity(fn: Rule, count: int, expected: str) -> None:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # some builtins have none: nothing to check
        return
    try:
        signature.bind(*([None] * count))
    except TypeError:
        raise TypeError(f"{expected}; it takes {signature}") from None


def _explained(fn: Rule, name: str, what: str) -> Rule:
    """``fn`` as a rule that, when it cannot run on a backend other than floats and arrays
    (Values, Tensors, symbols), says which op and rule, and how to write it."""
    def rule(K: Any, *args: Any) -> Any:
        try:
            return fn(K, *args)
        except Exception as err:
            if K is FLOAT or K is ARRAY:
                raise
            raise TypeError(
                f"the {what} of the operation {name!r} cannot be evaluated on the {K.name} "
                f"backend ({type(err).__name__}: {err}). Rules that run everywhere use only "
                "K's functions (K.exp, K.log, K.div, K.pow, K.sigmoid ...) and + - *; "
                + ("generated code (flat_code) needs a / b written as K.div(a, b) and a ** b as "
                   "K.pow(a, b)" if K is SYMBOL else
                   "math and numpy functions do not record anything on Values or Tensors")
            ) from err

    rule.__wrapped__ = fn
    rule.__name__ = getattr(fn, "__name__", "rule")
    return rule


def _input_number(x: Any, name: str, index: int) -> float:
    """A plain number input as a float, refusing one beyond float64's range (10**400)."""
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{name}() input {index} is too large for a float64 "
                            "(at most about 1.8e308)") from None


def _input_array(x: Any, name: str, index: int) -> np.ndarray:
    """A plain input (a number, list or array) as a float array, refusing None, strings ..."""
    array = np.asarray(x)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{name}() input {index} must be a number, an array, a Value or a Tensor; "
                        f"got {type(x).__name__}: {x!r}")
    return array.astype(float)


def _checked(rule: Rule, name: str, index: int | None) -> Rule:
    """``rule`` whose result is checked: the forward rule's (``index`` None) or the gradient
    rule's for input ``index``, with an error naming the op and the input."""
    what = "forward rule" if index is None else f"gradient rule for input {index}"

    def refuse(result: Any, expected: str) -> TypeError:
        return TypeError(f"the {what} of the operation {name!r} returned {type(result).__name__}: "
                         f"{result!r:.80}; {expected}")

    def checked(K: Any, *args: Any) -> Any:
        result = rule(K, *args)
        if result is None:
            raise refuse(result, "a rule must return its result (did it miss a return?)")
        if K is FLOAT:  # Value inputs: one real number
            if isinstance(result, (float, int, np.floating, np.integer)) and not isinstance(result, bool):
                return float(result)
            raise refuse(result, "for Values it must return one real number" + (
                " (a ** b of a negative number is complex in Python: write K.pow(a, b), nan there)"
                if isinstance(result, complex) else ""))
        if K is ARRAY:  # Tensor inputs: a real array
            if np.asarray(result).dtype.kind not in "fiub":
                raise refuse(result, "for Tensors it must return an array of real numbers")
            if index is not None:
                _check_gradient_shape(np.shape(result), np.shape(args[2 + index]), name, index)
        return result

    checked.__wrapped__ = rule
    checked.__name__ = rule.__name__
    return checked


def _check_gradient_shape(shape: tuple, input_shape: tuple, name: str, index: int) -> None:
    """torch's rule: the gradient has the input's shape, or one the input broadcasts to."""
    try:
        fits = np.broadcast_shapes(shape, input_shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"the gradient rule for input {index} of the operation {name!r} returned "
                         f"shape {shape} for an input of shape {input_shape}; it must return the "
                         "input's shape (or one the input broadcasts to, summed back), as torch "
                         "(\"invalid gradient\")")
