"""What a frame says: uses counted, partial and final gradients, captions in numbers."""
from __future__ import annotations

import numpy as np

from autograd import Tensor, Value, backward_steps, linear, topological_order
from autograd.drawing.step import Uses, caption, gradient_state, is_finished


def captions(root) -> list[str]:
    order = topological_order(root)
    uses = Uses.of(order)
    return [caption(step, uses, order) for step in backward_steps(root)]


def test_uses_count_every_input_a_value_feeds() -> None:
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    s = a * b + a * a
    uses = Uses.of(topological_order(s))
    assert uses.total(a) == 3 and uses.total(b) == 1 and uses.total(s) == 0


def test_gradient_state_is_blank_then_partial_then_final() -> None:
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    s = a * b + a * a
    uses = Uses.of(topological_order(s))
    states = [gradient_state(a, step, uses) for step in backward_steps(s)]
    assert states[0] == (None, "")
    assert (6.0, "2 of 3 uses") in states or (3.0, "1 of 3 uses") in states
    assert states[-1] == (8.0, "")


def test_local_gradients_are_named_by_their_formula() -> None:
    x, y = Value(3.0, label="x"), Value(2.0, label="y")
    out = x / y
    out.label = "f"
    (text, _, _) = captions(out)
    assert text == ("/: upstream 1 × local 0.5 (= 1.0 / y) → x receives 0.5; "
                    "upstream 1 × local -0.75 (= -(f / y)) → y receives -0.75. "
                    "Backward is done: every gradient is final.")
    s = Value(0.0, label="s")
    sig = s.sigmoid()
    sig.label = "σ"
    assert captions(sig)[0] == "σ: upstream 1 × local 0.25 (= (1.0 - σ) * σ) → s receives 0.25. " \
                               "Backward is done: every gradient is final."


def test_unnamed_values_are_described_and_get_no_formula() -> None:
    x = Value(2.0, label="x")
    out = (x * 3.0).tanh()
    first = captions(out)[0]
    assert first.startswith("tanh: upstream 1 × local ") and "(=" not in first
    assert "→ the * node receives" in first


def test_a_leaf_step_and_a_constant_input() -> None:
    x = Value(2.0, label="x")
    out = x * 3.0
    texts = captions(out)
    done = ". Backward is done: every gradient is final."
    assert texts[0] == "*: upstream 1 × local 3 → x receives 3" + done   # the constant receives nothing
    assert texts[1] == "x is a leaf: its gradient 3 is final" + done


def test_many_inputs_are_counted_not_listed() -> None:
    ws = [Value(float(k), label=f"w{k}") for k in range(5)]
    xs = [Value(1.0, label=f"x{k}") for k in range(5)]
    out = linear(ws, xs, Value(0.0, label="b"))
    first = captions(out)[0]
    assert first.count("receives") == 4 and "; … and 7 more inputs." in first


def test_tensor_captions_give_upstream_and_what_each_input_receives() -> None:
    W = Tensor(np.ones((2, 2)), label="W")
    out = (W * 2.0).sum()
    first = captions(out)[0]
    assert first == "Σ: upstream 1 → the * node receives [[1, 1], [1, 1]]"


def test_finished_when_every_operation_has_run() -> None:
    x = Value(2.0, label="x")
    out = (x * x).exp()
    order = topological_order(out)
    done = [is_finished(step, order) for step in backward_steps(out)]
    assert done == [False, True, True]
