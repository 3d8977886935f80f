"""autograd.define_op: a user's operation works on Values and Tensors, is drawn by name,
stepped through, written out as flat code, differentiated twice and checked by
gradcheck, which names it when its rule is wrong."""
from __future__ import annotations

import math
import re
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import (
    GradcheckError,
    Tensor,
    Value,
    backward_frames,
    backward_steps,
    compile_backward,
    define_op,
    draw_graph,
    flat_code,
    func,
    gradcheck,
)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")

softplus = define_op(
    "softplus",
    lambda K, x: K.log(1 + K.exp(x)),
    [lambda K, g, out, x: g * K.sigmoid(x)],
    formula="d softplus(x)/dx = σ(x)",
)
swish = define_op(
    "swish",
    lambda K, x: x * K.sigmoid(x),
    [lambda K, g, out, x: g * (K.sigmoid(x) + out * (1 - K.sigmoid(x)))],
    symbol="swish",
    formula="d swish(x)/dx = σ(x) + swish(x) (1 - σ(x))",
)
# two inputs, broadcasting on Tensors: a x^2 + x
scaled_square = define_op(
    "scaled_square",
    lambda K, a, x: a * x * x + x,
    [lambda K, g, out, a, x: g * x * x,
     lambda K, g, out, a, x: g * (2 * a * x + 1)],
    symbol="ax²+x",
)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# -- values, and the same op on every kind of input ----------------------------------------
@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 1.2])
def test_a_defined_op_computes_on_values_and_gets_its_gradient(x):
    v = Value(x, label="x")
    y = softplus(v)
    assert isinstance(y, Value) and y.op is softplus.op and y.parents == (v,)
    assert y.data == pytest.approx(math.log1p(math.exp(x)), rel=1e-15)
    y.backward()
    assert v.grad == pytest.approx(_sigmoid(x), rel=1e-15)


def test_plain_numbers_and_arrays_give_plain_results():
    assert softplus(0.0) == pytest.approx(math.log(2))
    out = softplus(np.array([0.0, 1.0]))
    assert isinstance(out, np.ndarray) and out.shape == (2,)


def test_a_defined_op_on_tensors_broadcasts_and_sums_gradients_back():
    a = Tensor([[2.0], [-1.0]])
    x = Tensor([0.5, 1.0, -2.0])
    y = scaled_square(a, x)
    assert y.shape == (2, 3) and y.op.name == "scaled_square"
    y.sum().backward()
    np.testing.assert_allclose(a.grad, [[5.25], [5.25]])
    np.testing.assert_allclose(x.grad, (2 * a.data * x.data + 1).sum(axis=0))  # summed over a's rows


@settings(max_examples=30)
@given(st.floats(-4, 4), st.floats(-4, 4))
def test_defined_ops_pass_gradcheck(a, x):
    gradcheck(lambda p, q: swish(scaled_square(p, q)).tanh(), a, x)
    gradcheck(lambda p: softplus(p * 3.0) * swish(p), x)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16))
def test_defined_ops_pass_gradcheck_on_tensors(seed):
    r = np.random.default_rng(seed)
    gradcheck(lambda a, x: softplus(scaled_square(a, x)).sum(axis=0), r.standard_normal((2, 1)),
              r.standard_normal(3))


def test_defined_ops_match_torch():
    torch = pytest.importorskip("torch")
    x = np.array([-3.0, -0.1, 0.0, 0.7, 12.0])  # below torch softplus's cut-over at 20
    ours = Tensor(x)
    theirs = torch.tensor(x, requires_grad=True)
    out = softplus(ours) * swish(ours)
    ref = torch.nn.functional.softplus(theirs) * torch.nn.functional.silu(theirs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-13)
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12)


# -- higher derivatives: rules written over K and arithmetic run on Values and Tensors ------
@pytest.mark.parametrize("x", [-2.0, 0.0, 0.8])
def test_second_derivatives_of_a_defined_op(x):
    s = _sigmoid(x)
    assert func.grad(func.grad(softplus))(x) == pytest.approx(s * (1 - s), rel=1e-13)
    v = Value(x)
    (d1,) = autograd.grad(softplus(v), [v], create_graph=True)
    (d2,) = autograd.grad(d1, [v])
    assert d2.data == pytest.approx(s * (1 - s), rel=1e-13)
    H = func.hessian(lambda t: softplus(t).sum())(np.array([x, 2 * x]))
    np.testing.assert_allclose(np.diag(H), [s * (1 - s), _sigmoid(2 * x) * (1 - _sigmoid(2 * x))], rtol=1e-13)


def test_second_derivatives_of_a_defined_op_match_torch():
    torch = pytest.importorskip("torch")
    x = np.array([-1.5, 0.3, 2.0])
    H = func.hessian(lambda t: (swish(t) * softplus(t)).sum())(x)
    ref = torch.autograd.functional.hessian(
        lambda t: (torch.nn.functional.silu(t) * torch.nn.functional.softplus(t)).sum(), torch.tensor(x))
    np.testing.assert_allclose(H, ref.numpy(), rtol=1e-11, atol=1e-14)


def test_a_rule_using_numpy_functions_says_why_it_cannot_be_differentiated_twice():
    rough = define_op("rough", lambda K, x: x - K.exp(x), [lambda K, g, out, x: g * np.sinc(x)])
    t = Tensor([0.5, 1.0])
    rough(t).sum().backward()  # backward on arrays is fine
    np.testing.assert_allclose(t.grad, np.sinc([0.5, 1.0]))
    with pytest.raises(TypeError, match=r"gradient rule for input 0 of the operation 'rough'.*tensor backend"):
        autograd.grad(rough(t).sum(), [t], create_graph=True)


def test_a_rule_using_recorded_numpy_functions_is_differentiated_twice():
    """np.exp applied to a Tensor is recorded (autograd.numpy_api), so such a rule has a
    second derivative: d²/dx² e^x = e^x."""
    smooth = define_op("smooth", lambda K, x: K.exp(x), [lambda K, g, out, x: g * np.exp(x)])
    t = Tensor([0.5, 1.0])
    (first,) = autograd.grad(smooth(t).sum(), [t], create_graph=True)
    first.sum().backward()
    np.testing.assert_allclose(t.grad, np.exp([0.5, 1.0]))


# -- drawn by name, stepped through, written out -------------------------------------------------
def _shows_text(source: str, text: str) -> bool:
    """True when a drawing's DOT source has ``text`` as a whole label or table cell."""
    return re.search(rf"[<>]{re.escape(text)}[<>]", source) is not None


def test_a_defined_op_is_drawn_by_its_symbol():
    x = Value(0.5, label="x")
    y = swish(softplus(x))
    y.backward()
    source = draw_graph(y, edge_grads=True).source
    assert _shows_text(source, "softplus") and _shows_text(source, "swish")
    grads = autograd.edge_gradients(y)
    assert grads[0] == pytest.approx(y.grad * (_sigmoid(softplus(0.5)) + y.data * (1 - _sigmoid(softplus(0.5)))))


def test_a_defined_op_appears_in_the_step_through():
    x = Value(0.5, label="x")
    y = softplus(x * 2)
    steps = list(backward_steps(y))
    assert steps[0].node is y and steps[0].node.op.name == "softplus"
    assert "softplus: upstream 1 × local" in draw_graph(y, step=steps[0]).source  # the step's caption


@needs_dot
def test_a_defined_op_is_drawn_in_the_frames():
    x = Value(0.5, label="x")
    frames = backward_frames(softplus(x * 2))
    assert len(frames) == 3 and "softplus" in frames[0]


def test_flat_code_writes_a_defined_op_from_its_rules():
    x = Value(0.5, label="x")
    y = softplus(x * 2)
    y.label = "y"
    code = flat_code(y)
    assert "    y = log(1.0 + exp(s2))\n" in code
    assert "    grad_s2 = grad_y * sigmoid(s2)\n" in code
    y.backward()
    out, (gx,) = compile_backward(y)(0.5)
    assert out == y.data and gx == x.grad
    assert compile_backward(y)(-1.0)[1][0] == pytest.approx(2 * _sigmoid(-2.0), rel=1e-15)


def test_flat_code_of_a_rule_with_a_division_operator_says_to_use_k_div():
    inverse = define_op("inverse", lambda K, x: K.div(1, x), [lambda K, g, out, x: -g / (x * x)])
    with pytest.raises(TypeError, match=r"'inverse'.*symbol backend.*K\.div"):
        flat_code(inverse(Value(2.0)))


# -- gradcheck finds a wrong rule and names it ------------------------------------------------
def test_gradcheck_names_the_defined_op_and_the_input_whose_rule_is_wrong():
    wrong = define_op(
        "scaled_square",
        lambda K, a, x: a * x * x + x,
        [lambda K, g, out, a, x: g * x * x,
         lambda K, g, out, a, x: g * (a * x + 1)],  # forgot the 2 of d(a x^2)/dx
    )
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, x: wrong(a, x.tanh()).exp(), Value(1.5, label="a"), Value(0.4, label="x"))
    message = str(info.value)
    assert "gradcheck failed for input 1 'x'" in message
    assert "the gradient rule of the operation 'scaled_square' for its input 1 is wrong" in message
    assert "input 0" not in message.split("\n")[1]


def test_gradcheck_names_a_wrong_defined_op_on_tensors():
    wrong = define_op("softplus", lambda K, x: K.log(1 + K.exp(x)), [lambda K, g, out, x: g * K.exp(x)])
    with pytest.raises(GradcheckError, match=r"operation 'softplus' for its input 0 is wrong: at index \(0,\)"):
        gradcheck(lambda t: (wrong(t * 2) * 3).sum(), np.array([0.3, -1.0]))


def test_the_returned_function_describes_the_op():
    assert softplus.__name__ == "softplus" and "σ(x)" in softplus.__doc__
    assert softplus.op.symbol == "softplus" and scaled_square.op.symbol == "ax²+x"
    assert softplus.op.formula == "d softplus(x)/dx = σ(x)"


def test_what_the_rules_return_is_taken_as_torch_takes_it():
    """A gradient of a shape the input broadcasts to is summed back (torch's reduce_grad);
    an int for a Value is its float; a forward's numpy scalar is a float."""
    spread = define_op("spread", lambda K, x: x * 2, [lambda K, g, out, x: g * np.ones((2, 3))])
    x = Tensor([1.0, 2.0, 3.0])
    spread(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    whole = define_op("whole", lambda K, x: np.float64(x) * 2, [lambda K, g, out, x: 2])
    v = Value(1.5)
    y = whole(v)
    y.backward()
    assert type(y.data) is float and type(v.grad) is float and v.grad == 2.0


def test_definitions_are_not_kept_alive():
    """issue 19 item 14: an operation nobody holds is freed (used on Values, Tensors, twice)."""
    import gc

    from autograd.core.op import Op

    def live_ops() -> int:
        gc.collect()
        return sum(type(o) is Op for o in gc.get_objects())

    before = live_ops()
    for i in range(200):
        f = define_op(f"temporary{i}", lambda K, x: x * 2, [lambda K, g, out, x: 2 * g])
        f(Value(1.0)).backward()
        f(Tensor([1.0])).sum().backward()
        x = Value(1.0)
        autograd.grad(f(x), [x], create_graph=True)
    del f
    assert live_ops() <= before
