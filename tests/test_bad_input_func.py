"""The catalogue of bad input to autograd.func, define_op and gradcheck: each case and
the error it gets (definitions are refused when they are made, not when first used)."""
from __future__ import annotations

import numpy as np
import pytest

import autograd

from autograd import GradcheckError, Tensor, Value, central_difference, define_op, func, gradcheck
from autograd.gradcheck import wrong_rule
from tests.bad_input import BadInput, check

FORWARD = lambda K, x: K.exp(x)  # noqa: E731
RULE = lambda K, g, out, x: g * out  # noqa: E731
square = lambda x: x * x  # noqa: E731

def _grad_of_one_input():
    x = Value(1.0)
    autograd.grad(x * 2, x)


def _backward(f, x):
    y = f(x)
    (y.sum() if isinstance(y, Tensor) else y).backward()


def _defined(forward=FORWARD, rule=RULE):
    return define_op("mine", forward, [rule])


def _rule_failing_part_way_keeps_the_grads():
    """issue 19 item 3: w's rule ran before the failing one, and used to keep its part."""
    fails = _defined(rule=lambda K, g, out, x: 1 / 0)
    x, w = Value(1.0), Value(2.0)
    y = fails(x) + w * x
    try:
        y.backward()
    finally:
        assert (x.grad, w.grad) == (0.0, 0.0)


CATALOGUE = [
    # gradcheck
    BadInput("gradcheck", "gradcheck(f, x, eps=0)", lambda: gradcheck(square, 1.0, eps=0), ValueError,
             "eps must be a positive finite number, got 0 (central differences divide by 2 eps)"),
    BadInput("gradcheck", "gradcheck(f, x, eps=-1e-6)", lambda: gradcheck(square, 1.0, eps=-1e-6),
             ValueError, "eps must be a positive"),
    BadInput("gradcheck", "gradcheck(f, x, eps=float('nan'))", lambda: gradcheck(square, 1.0, eps=float("nan")),
             ValueError, "eps must be a positive finite number"),
    BadInput("gradcheck", "gradcheck(f, x, eps='1e-6')", lambda: gradcheck(square, 1.0, eps="1e-6"),
             TypeError, "eps must be a number"),
    BadInput("gradcheck", "gradcheck(f, x, atol=-1)", lambda: gradcheck(square, 1.0, atol=-1), ValueError,
             "atol must be a non-negative finite number"),
    BadInput("gradcheck", "gradcheck(f, x, rtol=float('inf'))", lambda: gradcheck(square, 1.0, rtol=float("inf")),
             ValueError, "rtol must be a non-negative finite number"),
    BadInput("gradcheck", "gradcheck(f, x, seed=1.5)", lambda: gradcheck(square, 1.0, seed=1.5), TypeError,
             "seed must be an int"),
    BadInput("gradcheck", "gradcheck(x, f): arguments swapped", lambda: gradcheck(1.0, square), TypeError,
             "f must be a function"),
    BadInput("gradcheck", "gradcheck(f) without inputs", lambda: gradcheck(square), ValueError,
             "needs at least one input"),
    BadInput("gradcheck", "gradcheck(f, x) with f returning a float",
             lambda: gradcheck(lambda x: x.data * 2, 1.0), TypeError,
             "f must return a Value or Tensor (the output to check), got float"),
    BadInput("gradcheck", "central_difference(f, x, eps=0)", lambda: central_difference(abs, 1.0, eps=0),
             ValueError, "central_difference: eps must be a positive"),
    BadInput("gradcheck", "gradcheck(lambda v: v.relu(), 0.0): at the kink",
             lambda: gradcheck(lambda v: v.relu(), 0.0), GradcheckError,
             "cannot judge input 0: f is not differentiable there"),
    BadInput("gradcheck", "wrong_rule(y, eps=0)", lambda: wrong_rule(Value(1.0) * 2, eps=0), ValueError,
             "wrong_rule: eps must be a positive"),
    # define_op
    BadInput("define_op", "define_op('', forward, [rule])", lambda: define_op("", FORWARD, [RULE]), TypeError,
             "name must be a non-empty string"),
    BadInput("define_op", "define_op(3, forward, [rule])", lambda: define_op(3, FORWARD, [RULE]), TypeError,
             "name must be a non-empty string, got 3"),
    BadInput("define_op", "define_op('e', 'exp', [rule]): forward not callable",
             lambda: define_op("e", "exp", [RULE]), TypeError, "forward must be a function forward(K, *inputs)"),
    BadInput("define_op", "define_op('e', forward, rule): one rule not in a list",
             lambda: define_op("e", FORWARD, RULE), TypeError,
             "grads must be a list with one gradient rule per input"),
    BadInput("define_op", "define_op('e', forward, [])", lambda: define_op("e", FORWARD, []), ValueError,
             "grads is empty; give one gradient rule per input"),
    BadInput("define_op", "define_op('e', forward, [rule, 2])", lambda: define_op("e", FORWARD, [RULE, 2]),
             TypeError, "grads[1] must be a function (K, g, out, *inputs)"),
    BadInput("define_op", "define_op('e', forward of one input, [rule, rule]): a rule too many",
             lambda: define_op("e", FORWARD, [RULE, RULE]), TypeError,
             "2 gradient rule(s) means 2 input(s), so forward must take (K, x1, x2); it takes (K, x)"),
    BadInput("define_op", "define_op('mul', forward(K, a, b), [rule]): a rule missing",
             lambda: define_op("mul", lambda K, a, b: a * b, [RULE]), TypeError,
             "forward must take (K, x1)"),
    BadInput("define_op", "define_op('e', forward, [lambda K, g, x: ...]): rule without out",
             lambda: define_op("e", FORWARD, [lambda K, g, x: g]), TypeError,
             "grads[0] must take (K, g, out, x1)"),
    BadInput("define_op", "define_op('e', forward, [rule], symbol=5)",
             lambda: define_op("e", FORWARD, [RULE], symbol=5), TypeError, "symbol must be a non-empty string"),
    BadInput("define_op", "define_op('e', forward, [rule], formula=None)",
             lambda: define_op("e", FORWARD, [RULE], formula=None), TypeError, "formula must be a string"),
    BadInput("define_op", "op(x, y) for an op of one input",
             lambda: define_op("e", FORWARD, [RULE])(Value(1.0), Value(2.0)), TypeError,
             "e() takes 1 input, got 2"),
    BadInput("define_op", "op(Tensor, Value): a Tensor and a Value mixed",
             lambda: define_op("m", lambda K, a, b: a * b, [lambda K, g, o, a, b: g * b,
                                                              lambda K, g, o, a, b: g * a])(Tensor(1.0), Value(1.0)),
             TypeError, "cannot mix a Tensor with a Value"),
    # func
    BadInput("func", "func.grad(3.0): not a function", lambda: func.grad(3.0), TypeError,
             "grad(f): f must be a function, got float"),
    BadInput("func", "func.grad(f, argnums=1.5)", lambda: func.grad(square, argnums=1.5), TypeError,
             "argnums must be an int or a non-empty tuple of ints"),
    BadInput("func", "func.grad(f, argnums=())", lambda: func.grad(square, argnums=()), TypeError,
             "argnums must be an int or a non-empty tuple"),
    BadInput("func", "func.grad(f, argnums=[0, 1]): a list", lambda: func.grad(square, argnums=[0, 1]), TypeError,
             "argnums must be an int or a non-empty tuple"),
    BadInput("func", "func.grad(f, argnums=1)(x): f called with one argument",
             lambda: func.grad(square, argnums=1)(2.0), ValueError,
             "f was called with 1 argument(s), so a position must be in -1..0"),
    BadInput("func", "func.grad(f, argnums=(0, -2))(x, y): the same argument twice",
             lambda: func.grad(lambda a, b: a * b, argnums=(0, -2))(1.0, 2.0), ValueError,
             "each argument may be named once"),
    BadInput("func", "func.grad(f)() without arguments", lambda: func.grad(lambda: Value(1.0))(), ValueError,
             "called with no arguments"),
    BadInput("func", "func.grad(f)(x) with f returning 3 entries",
             lambda: func.grad(lambda t: t * 2)(np.ones(3)), RuntimeError,
             "only a one-element output gets the implicit gradient 1"),
    BadInput("func", "func.grad(f)(x) with f returning a string",
             lambda: func.grad(lambda t: "loss")(1.0), TypeError,
             "grad(f): f must return a Value or a Tensor (or a plain number), got str"),
    BadInput("func", "func.grad(f)('abc'): a string to differentiate",
             lambda: func.grad(square)("abc"), TypeError, "real numbers"),
    # define_op: what the rules return, checked at each call (issue 19 items 7, 11, 17)
    BadInput("define_op", "a forward returning 'abc' for a Value", lambda: _defined(lambda K, x: "abc")(Value(1.0)),
             TypeError, "the forward rule of the operation 'mine' returned str: 'abc'; for Values it must "
             "return one real number"),
    BadInput("define_op", "a forward returning [x] for a Value", lambda: _defined(lambda K, x: [x])(Value(1.0)),
             TypeError, "returned list"),
    BadInput("define_op", "a forward returning an array for a Value",
             lambda: _defined(lambda K, x: np.array([x, x]))(Value(1.0)), TypeError, "returned ndarray"),
    BadInput("define_op", "a forward x ** 0.5 at Value(-4.0): complex in Python",
             lambda: _defined(lambda K, x: x ** 0.5)(Value(-4.0)), TypeError, "write K.pow(a, b)"),
    BadInput("define_op", "a forward returning strings for a Tensor",
             lambda: _defined(lambda K, x: np.array(["a"]))(Tensor([1.0])), TypeError,
             "for Tensors it must return an array of real numbers"),
    BadInput("define_op", "a rule returning g.sum() for an input of shape (3,)",
             lambda: _backward(_defined(rule=lambda K, g, out, x: g.sum()), Tensor([1.0, 2.0, 3.0])),
             ValueError, "gradient rule for input 0 of the operation 'mine' returned shape () for an "
             "input of shape (3,)"),
    BadInput("define_op", "a rule returning None", lambda: _backward(_defined(rule=lambda K, g, out, x: None),
                                                                     Value(1.0)),
             TypeError, "gradient rule for input 0 of the operation 'mine' returned NoneType"),
    BadInput("define_op", "a rule returning None, on a Tensor",
             lambda: _backward(_defined(rule=lambda K, g, out, x: None), Tensor([1.0])), TypeError,
             "did it miss a return?"),
    BadInput("define_op", "a rule returning an array for a Value input",
             lambda: _backward(_defined(rule=lambda K, g, out, x: np.array([g, g])), Value(1.0)), TypeError,
             "for Values it must return one real number"),
    BadInput("define_op", "mine(None)", lambda: _defined()(None), TypeError,
             "mine() input 0 must be a number, an array, a Value or a Tensor; got NoneType"),
    BadInput("define_op", "mine(10**400)", lambda: _defined()(10**400), OverflowError,
             "mine() input 0 is too large for a float64"),
    BadInput("define_op", "a rule failing part-way through backward: no grad changed",
             _rule_failing_part_way_keeps_the_grads, ZeroDivisionError, "division by zero"),
    # autograd.grad and flat_code (issue 19 item 21)
    BadInput("grad", "autograd.grad(y, [2.0]): a number as input", lambda: autograd.grad(Value(1.0) * 2, [2.0]),
             TypeError, "inputs[0] must be a Value (the output is one), got float"),
    BadInput("grad", "autograd.grad(3.0, [x]): a number as output", lambda: autograd.grad(3.0, [Value(1.0)]),
             TypeError, "output must be a Value or a Tensor"),
    BadInput("grad", "autograd.grad(y, x): one input, not in a list", lambda: _grad_of_one_input(),
             TypeError, "write grad(output, [x])"),
    BadInput("grad", "autograd.grad(y, [t]): a Tensor input for a Value output",
             lambda: autograd.grad(Value(1.0) * 2, [Tensor([1.0])]), TypeError, "inputs[0] must be a Value"),
    BadInput("func", "func.hessian(f, argnums=(0, 1))", lambda: func.hessian(square, argnums=(0, 1)), TypeError,
             "hessian: argnums must be one int"),
    BadInput("func", "func.jacobian(f)(x) with f returning a list",
             lambda: func.jacobian(lambda t: [t, t])(1.0), TypeError, "jacobian(f): f must return"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_input_to_func_define_op_and_gradcheck_gets_a_clear_error(bad):
    check(bad)


def test_argnums_as_a_numpy_int_is_one_position():
    """issue 19 item 11: np.int64(1) used to give a 1-tuple, as a tuple of positions does."""
    f = lambda a, b: a * b  # noqa: E731
    assert func.grad(f, argnums=np.int64(1))(2.0, 3.0) == 2.0
    assert func.jacobian(f, argnums=np.int64(1))(2.0, 3.0) == 2.0
    assert func.grad(f, argnums=(1,))(2.0, 3.0) == (2.0,)
