"""autograd.speed.guards: a compile trace records the Python decisions it took on data,
and the compiled function checks them at every call (tracing again when one fails)."""
from __future__ import annotations

import math
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, compile, no_grad
from autograd.core.mode import THREAD_MODE
from autograd.speed.compiled import MAX_TRACES

SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, -3.0, math.inf, -math.inf, math.nan]


def same_float(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def agree(compiled, fn, xs: list[float]) -> None:
    """The compiled function and the function itself: the same values and gradients, bit for bit."""
    a = [Value(x) for x in xs]
    b = [Value(x) for x in xs]
    out_c, out_f = compiled(a), fn(b)
    assert same_float(out_c.data, out_f.data), (xs, out_c.data, out_f.data)
    if out_f.requires_grad:
        out_c.backward()
        out_f.backward()
        for p, q in zip(a, b):
            assert same_float(p.grad, q.grad), (xs, p.grad, q.grad)


def branch_on_data(x):
    h = x[0] * 2
    if h.data > 0:
        return h * 3
    return h * -3


def branch_on_value(x):
    return x[0].relu() if x[0] > 0 else x[0] * 0.5


def truth_of_value(x):
    return x[0] * 2 if x[0] else x[0] + 7


def number_from_data(x):
    return x[0] * float(x[0].data)


def loop_on_data(x):
    y = x[0]
    for _ in range(int(x[0].data)):
        y = y * x[0]
    return y


def math_on_data(x):
    return x[0] * math.exp(x[0].data)


@pytest.mark.parametrize("fn", [branch_on_data, branch_on_value, truth_of_value, loop_on_data])
def test_each_branch_and_loop_length_follows_the_input(fn):
    compiled = compile(fn, [1.0])
    for x in [1.0, -1.0, 0.0, -0.0, 3.0, 2.0, -2.0] + ([] if fn is loop_on_data else [math.nan]):
        agree(compiled, fn, [x])


def test_a_trace_again_that_raises_raises_as_the_function_does():
    compiled = compile(loop_on_data, [2.0])
    with pytest.raises(ValueError, match="NaN"):  # int(nan), as loop_on_data itself
        compiled([math.nan])
    assert compiled([2.0]).data == 8.0


def test_a_number_read_from_data_holds_only_for_that_number():
    compiled = compile(number_from_data, [5.0])
    assert "same(x0, 5.0)" in compiled.source
    for x in [5.0, 2.0, 3.0]:
        agree(compiled, number_from_data, [x])


def test_a_read_of_data_whose_use_is_not_seen_is_guarded_as_a_whole():
    """math.exp reads the float in C: the trace holds only while x is the same."""
    compiled = compile(math_on_data, [1.0])
    assert "a read of .data" in compiled.source
    agree(compiled, math_on_data, [2.0])


def test_each_guard_is_a_line_of_the_source_naming_your_line():
    compiled = compile(branch_on_data, [1.0])
    assert "if not (s0 > 0.0):  # test_guards.py:" in compiled.source
    assert "if h.data > 0:" in compiled.source
    (guard,) = compiled.guards
    assert guard.where.startswith("test_guards.py:") and guard.expected is True


def test_display_and_decisions_on_constants_need_no_guard(capsys):
    def shown(x):
        print(f"{x[0].data:.2f}", x[0].data)
        if Value(2.0, requires_grad=False).data > 1:  # a constant: the same at every call
            return x[0] * 2
        return x[0]

    compiled = compile(shown, [1.0])
    assert "GuardFailed" not in compiled.source
    assert compiled([4.0]).data == 8.0 and len(compiled.traces) == 1


def test_item_round_detach_and_int_of_a_value_are_guarded():
    def fn(x):
        k = round(x[0].item(), 1) + int(x[0]) + round(x[0])
        return x[0] * x[0].detach() + k

    compiled = compile(fn, [1.26])
    for x in [1.26, 1.24, 2.0, -0.7]:
        agree(compiled, fn, [x])


def test_a_decision_on_a_parameter_follows_the_parameter():
    class Gate:
        def __init__(self):
            self.w = Value(1.0, label="w")

        def parameters(self):
            return [self.w]

        def __call__(self, x):
            return x[0] * self.w if self.w.data > 0 else x[0] - self.w

    model = Gate()
    compiled = compile(model, [3.0])
    assert compiled([3.0]).data == 3.0
    model.w.data = -2.0  # an optimizer step across the decision
    assert compiled([3.0]).data == 5.0 and len(compiled.traces) == 2


def test_after_max_traces_the_error_names_the_line_and_nothing_is_recorded():
    compiled = compile(number_from_data, [0.0])
    for k in range(1, MAX_TRACES):
        compiled([float(k)])
    x = Value(100.0)
    with pytest.raises(RuntimeError, match=r"test_guards.py:\d+  return x\[0\] \* float\(x\[0\]\.data\)"):
        compiled([x])
    assert len(compiled.traces) == MAX_TRACES and x.grad == 0.0


def test_a_no_grad_block_in_the_traced_code_is_refused_naming_the_line():
    def frozen(x):
        with no_grad():
            scale = x[0] * 2
        return x[0] * scale

    with pytest.raises(RuntimeError, match=r"no_grad.*test_guards.py:\d+"):
        compile(frozen, [1.0])
    assert THREAD_MODE.decisions is None and type(Value.__dict__["data"]).__name__ == "member_descriptor"


def test_a_trace_that_raises_leaves_value_as_it_was():
    def broken(x):
        if x[0].data > 0:
            raise KeyError("mine")
        return x[0]

    with pytest.raises(KeyError, match="mine"):
        compile(broken, [1.0])
    assert THREAD_MODE.decisions is None and type(Value.__dict__["data"]).__name__ == "member_descriptor"
    assert type(Value(1.0).data) is float


def test_other_threads_read_plain_floats_while_a_trace_runs():
    seen, started, release = [], threading.Event(), threading.Event()

    def reader():
        started.wait(5)
        seen.append(type(Value(2.0).data))
        release.set()

    def waits(x):
        started.set()
        release.wait(5)
        return x[0] * 2

    thread = threading.Thread(target=reader)
    thread.start()
    compile(waits, [1.0])
    thread.join(5)
    assert seen == [float]


def test_the_engine_own_reads_are_not_decisions():
    """nn.MLP (linear, relu, fused nodes) reads .data only in the engine: no guard."""
    import nn
    compiled = autograd.compile(nn.MLP(2, [8, 8, 1], seed=0), [0.5, -0.5])
    assert compiled.guards == [] and "GuardFailed" not in compiled.source


@settings(max_examples=60, deadline=None)
@given(threshold=st.sampled_from(SPECIAL), a=st.sampled_from(SPECIAL),
       xs=st.lists(st.sampled_from(SPECIAL) | st.floats(-4, 4), min_size=1, max_size=6))
def test_random_thresholds_agree_with_the_function_at_special_points(threshold, a, xs):
    def piecewise(x):
        h = x[0] * a
        if h.data > threshold:
            return h.tanh() * x[0]
        if h == threshold:
            return h + x[0]
        return (h - threshold) * x[0]

    compiled = compile(piecewise, [xs[0]])
    for x in xs:
        if len(compiled.traces) == MAX_TRACES:
            break
        agree(compiled, piecewise, [x])


# -- Tensor models ---------------------------------------------------------------
import numpy as np  # noqa: E402

from autograd import Tensor  # noqa: E402

W = np.array([[1.0], [-2.0]])


def tensor_branch(x):
    z = x @ Tensor(W, requires_grad=False)
    if z.sum().item() > 0:
        return (z * 3).sum()
    return (z * -3).relu().sum()


def tensor_escape(x):
    scale = float(np.abs(x.data).max())  # numbers leaving the graph: guarded as a whole
    return (x * scale).sum()


def tensor_agree(compiled, fn, X: np.ndarray) -> None:
    a, b = Tensor(X.copy()), Tensor(X.copy())
    out_c, out_f = compiled(a), fn(b)
    np.testing.assert_array_equal(out_c.data, out_f.data)
    out_c.backward()
    out_f.backward()
    np.testing.assert_array_equal(a.grad, b.grad)


def test_a_tensor_decision_through_item_follows_the_input():
    compiled = compile(tensor_branch, Tensor(np.ones((3, 2))))
    assert ".item() > 0.0:  # test_guards.py:" in compiled.source  # (the example took the else branch)
    for X in [np.ones((3, 2)), -np.ones((3, 2)), np.array([[0.0, 0.0]] * 3), np.array([[np.nan, 1.0]] * 3)]:
        tensor_agree(compiled, tensor_branch, X)


def test_a_tensors_numbers_read_by_your_code_are_guarded_as_a_whole():
    compiled = compile(tensor_escape, Tensor(np.ones((2, 2))))
    assert "same_array(x0, expected[0])" in compiled.source
    for X in [np.ones((2, 2)), np.full((2, 2), 3.0), np.arange(4.0).reshape(2, 2)]:
        tensor_agree(compiled, tensor_escape, X)


def test_a_tensor_model_with_no_decision_has_no_guard():
    import nn
    compiled = compile(nn.tensor_mlp(2, [4, 1], seed=0), np.zeros((5, 2)))
    assert compiled.latest.guards == [] and "GuardFailed" not in compiled.source


def test_a_tensor_decision_changing_at_every_call_is_refused_naming_the_line():
    compiled = compile(tensor_escape, Tensor(np.ones((2, 2))))
    for k in range(2, MAX_TRACES + 1):
        compiled(Tensor(np.full((2, 2), float(k))))
    x = Tensor(np.full((2, 2), 100.0))
    with pytest.raises(RuntimeError, match=r"test_guards.py:\d+  scale = float"):
        compiled(x)
    assert x.grad is None
