"""Bad input to drawing and step-through: each gets an error that names the problem."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

import autograd
from autograd import GraphvizNotFoundError, Value, backward_frames, draw_graph, no_grad, save_backward_animation
from bad_input import BadInput, check
from drawing_helpers import no_layout_program


def graph() -> Value:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    return x * y


def constant() -> Value:
    with no_grad():
        return Value(2.0) * 3


def without_program(call: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        with no_layout_program():
            return call()
    return run


def _many_operations(n: int) -> Value:
    x = Value(0.5, label="x")
    for _ in range(n):
        x = x * 1.0
    return x


CATALOGUE = [
    BadInput("drawing", "draw_graph('f')", lambda: draw_graph("f"), TypeError, "needs the output node of a graph"),
    BadInput("drawing", "draw_graph(f, names=42)", lambda: draw_graph(graph(), names=42), TypeError,
             "names= takes a model (an object with named_parameters()"),
    BadInput("drawing", "draw_graph(f, names={'w': 1.5})", lambda: draw_graph(graph(), names={"w": 1.5}),
             TypeError, "'w' names a float, not a node"),
    BadInput("drawing", "draw_graph(f, names={3: x})", lambda: draw_graph(graph(), names={3: Value(1.0)}),
             TypeError, "every name must be a str"),
    BadInput("drawing", "draw_graph(f, names=model, collapse='neurons')",
             lambda: draw_graph(graph(), names={"w": Value(1.0)}, collapse="neurons"), ValueError,
             "collapse= must be None or one of 'neuron', 'layer'; got 'neurons'"),
    BadInput("drawing", "draw_graph(f, collapse='layer') without names",
             lambda: draw_graph(graph(), collapse="layer"), ValueError, "collapse= needs names="),
    BadInput("drawing", "draw_graph(f, max_nodes=0)", lambda: draw_graph(graph(), max_nodes=0), ValueError,
             "max_nodes must be at least 1"),
    BadInput("drawing", "draw_graph(f, rankdir='XY')", lambda: draw_graph(graph(), rankdir="XY"), ValueError,
             "rankdir must be None or one of LR, TB, RL, BT"),
    BadInput("drawing", "draw_graph(f).pipe('svg') without dot or graphviz-pure",
             without_program(lambda: draw_graph(graph()).pipe("svg")), GraphvizNotFoundError,
             "pip install 'chainrule[render]'"),
    BadInput("drawing", "backward_frames of a constant", lambda: backward_frames(constant()), ValueError,
             "needs no gradient"),
    BadInput("drawing", "backward_frames('f')", lambda: backward_frames("f"), TypeError,
             "expected the output node of a graph"),
    BadInput("drawing", "backward_frames(f) without dot or graphviz-pure",
             without_program(lambda: backward_frames(graph())), GraphvizNotFoundError, "apt-get install graphviz"),
    BadInput("drawing", "backward_frames of a graph of 300 operations (more than max_frames=40)",
             lambda: backward_frames(_many_operations(300)), ValueError,
             "has 301 frames (one per operation); at most 40 are drawn"),
    BadInput("drawing", "save_backward_animation(f, 'missing/folder/steps.html')",
             lambda: save_backward_animation(graph(), Path(__file__).parent / "no-such-folder" / "s.html"),
             FileNotFoundError, "does not exist"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_drawing_input(bad: BadInput) -> None:
    check(bad)


def test_a_refused_step_through_touches_no_gradient_and_the_cap_can_be_lifted():
    from autograd.drawing.animate import check_frames

    root = _many_operations(300)
    x = root
    while x._op is not None:
        x = x._prev[0]
    with pytest.raises(ValueError):
        backward_frames(root)
    assert x.grad == 0.0 and check_frames(root, None) == 301 and check_frames(_many_operations(3)) == 4


def test_edge_gradients_of_a_wide_operation_are_capped_by_max_nodes():
    """issue 19 item 13: one port cell per input of a 100k-input sum was drawn (dot: 120 s)."""
    wide = autograd.sum_values([Value(float(k)) for k in range(5000)])
    wide.backward()
    source = draw_graph(wide, edge_grads=True).source
    assert source.count("PORT=") <= 200 and "4801 more not drawn" in source
