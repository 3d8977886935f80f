"""Names, module clusters and collapsed modules in drawings."""
from __future__ import annotations

import re

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, draw_graph, linear
from autograd.drawing.collapse import parameter_arrays
from autograd.drawing.text import format_number
from autograd.drawing.names import (
    assign_modules,
    collapsed_modules,
    enclosing,
    owner,
    parameter_names,
    relative,
)
from autograd.core.graph import topological_order
from drawing_helpers import needs_program, parse_dot


def mlp_on_one_sample(sizes=(4, 4, 1), seed=0):
    model = nn.MLP(2, list(sizes), seed=seed)
    inputs = [Value(0.5, label="x0", requires_grad=False), Value(-0.3, label="x1", requires_grad=False)]
    out = model(inputs)
    out.label = "out"
    out.backward()
    return model, out


class Duck:
    """Not an nn.Module: just something with named_parameters()."""

    def __init__(self, **params):
        self.params = params

    def named_parameters(self):
        return iter(self.params.items())


# -- names ---------------------------------------------------------------------
def test_parameter_names_come_from_a_model_or_a_mapping() -> None:
    a, b = Value(1.0), Value(2.0)
    assert parameter_names(Duck(**{"w.0": a, "b": b})) == {a: "w.0", b: "b"}
    assert parameter_names({"first": a, "again": a}) == {a: "first"}  # the first name wins


@pytest.mark.parametrize("name, module, outer", [
    ("layers.0.neurons.1.w.0", "layers.0.neurons.1", "layers.0"),
    ("layers.2.neurons.0.b", "layers.2.neurons.0", "layers.2"),
    ("0.W", "0", ""),
    ("encoder.fc.W", "encoder.fc", ""),
    ("w", "", ""),
])
def test_the_module_of_a_parameter_is_read_from_its_name(name, module, outer) -> None:
    assert owner(name) == module
    assert enclosing(module) == outer
    assert relative(name, module) == (name[len(module) + 1:] if module else name)


def test_parameters_are_labelled_with_their_dotted_names_in_module_clusters() -> None:
    model, out = mlp_on_one_sample()
    source = draw_graph(out, names=model).source
    assert "subgraph cluster_" in source
    for title in ("w.0", "w.1", "b"):          # inside the cluster of their neuron
        assert any(line for line in source.splitlines() if f"<B>{title}</B>" in line)
    for module in ("layers.0", "layers.1", "layers.2", "neurons.3"):
        assert f">{module}<" in source                   # cluster titles
    full = draw_graph(out, names=dict(model.named_parameters()), collapse=None).source
    assert "<B>w.0</B>" in full


def test_neuron_operations_are_drawn_inside_their_neuron() -> None:
    model, out = mlp_on_one_sample()
    order = topological_order(out)
    name_of = parameter_names(model)
    modules = assign_modules(order, name_of)
    neuron = model.layers[1].neurons[2]
    linear_node = next(n for n in order if n._op is not None and neuron.b in n._prev)
    relu_node = next(n for n in order if n._prev == (linear_node,))
    assert modules.of[linear_node] == modules.of[relu_node] == "layers.1.neurons.2"
    assert modules.parent["layers.1.neurons.2"] == "layers.1"
    assert out not in modules.of or modules.of[out] == "layers.2.neurons.0"
    inputs = [n for n in order if n.label in ("x0", "x1")]
    assert all(n not in modules.of for n in inputs)   # shared inputs stay outside


def test_a_penalty_over_all_parameters_stays_outside_every_module() -> None:
    model, out = mlp_on_one_sample()
    params = model.parameters()
    penalty = linear(params, params)
    loss = out + penalty
    modules = assign_modules(topological_order(loss), parameter_names(model))
    assert penalty not in modules.of and loss not in modules.of


def test_tensor_layers_are_modules_too() -> None:
    net = nn.tensor_mlp(2, [3, 1], seed=0)
    out = net(np.array([[0.5, -0.3]])).sum()
    out.backward()
    source = draw_graph(out, names=net, collapse="neuron").source
    nodes, _ = parse_dot(source)
    boxes = [n for n in nodes.values() if n.id.startswith("m")]
    assert len(boxes) == 2
    titles = sorted(n.rows()[0].split()[0] for n in boxes)
    assert titles == ["layers.0", "layers.2"]


# -- collapse ------------------------------------------------------------------------
def test_collapse_neuron_draws_each_neuron_as_one_box_with_params_outputs_and_gradients() -> None:
    model, out = mlp_on_one_sample()
    source = draw_graph(out, names=model, collapse="neuron").source
    nodes, edges = parse_dot(source)
    boxes = [n for n in nodes.values() if n.id.startswith("m")]
    assert len(boxes) == 4 + 4 + 1
    assert all(b.rows()[1] == "data grad" for b in boxes)
    neuron = model.layers[0].neurons[1]
    (box,) = [b for b in boxes if b.rows()[0] == "neurons.1 Σwx+b → ReLU"
              and any(r.startswith("w (2)") for r in b.rows())]
    numbers = [format_number(v.data) for v in neuron.w] + [format_number(v.grad) for v in neuron.w]
    assert f"w (2) {' '.join(numbers)}" in box.rows()
    assert f"b {format_number(neuron.b.data)} {format_number(neuron.b.grad)}" in box.rows()
    values = [n for n in nodes.values() if not n.id.startswith("m")]
    assert sorted(n.rows()[0] for n in values) == ["x0", "x1"]
    between = [e for e in edges if e.tail.startswith("m") and e.head.startswith("m")]
    shown = [e for e in between if "invis" not in e.attrs]  # one labelled edge per pair of layers
    assert len(shown) == 2 and len(between) == 2 + 4 + 1    # + one hidden edge into each neuron
    labels = sorted(re.search(r'label="([^"]*)"', e.attrs).group(1) for e in shown)
    assert labels == ["all 4", "each of 4 → each of 4"]
    assert all('ltail="cluster_' in e.attrs and 'lhead="cluster_' in e.attrs for e in shown)
    from_inputs = [e for e in edges if not e.tail.startswith("m") and "invis" not in e.attrs]
    assert sorted(e.attrs.count('label="to each of 4"') for e in from_inputs) == [1, 1]


@needs_program
def test_collapse_neuron_bundles_edges_between_layers_and_keeps_neurons_in_index_order() -> None:
    model, out = mlp_on_one_sample((16, 16, 1))
    svg = draw_graph(out, names=model, collapse="neuron").pipe("svg", encoding="utf-8")
    columns: dict[float, list[tuple[float, int]]] = {}  # a layer's boxes share their centre x
    for x, y, k in re.findall(r'<text[^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*>neurons\.(\d+)</text>', svg):
        columns.setdefault(round(float(x) / 50), []).append((float(y), int(k)))
    hidden = [sorted(column) for column in columns.values() if len(column) == 16]
    assert len(hidden) == 2, sorted(columns)
    for column in hidden:  # top to bottom: neurons.0, neurons.1, ... neurons.15
        assert [k for _, k in column] == list(range(16))
    assert svg.count("each of 16 → each of 16") == 1 and svg.count("<g id=\"edge") < 16 * 16


def test_collapse_layer_gathers_a_layer_into_matrices() -> None:
    model, out = mlp_on_one_sample()
    source = draw_graph(out, names=model, collapse="layer").source
    nodes, edges = parse_dot(source)
    boxes = sorted((n for n in nodes.values() if n.id.startswith("m")), key=lambda n: n.rows()[0])
    assert [b.rows()[0] for b in boxes] == ["layers.0 Σwx+b → ReLU", "layers.1 Σwx+b → ReLU",
                                            "layers.2 Σwx+b"]
    layer1 = boxes[1].rows()
    w_row = next(r for r in layer1 if r.startswith("w (4×4)"))
    expected = [format_number(n.w[k].data) for n in model.layers[1].neurons for k in range(4)]
    assert w_row.split()[2:18] == expected          # row j is neuron j's weights
    out_row = next(r for r in layer1 if r.startswith("out (4)"))
    assert out_row.split()[2:6] == [format_number(n.data) for n in _layer_outputs(out, model, 1)]
    between = [e for e in edges if e.tail.startswith("m") and e.head.startswith("m")]
    assert len(between) == 2 and all('label="4 values"' in e.attrs for e in between)


def _layer_outputs(out, model, k):
    order = topological_order(out)
    outputs = []
    for neuron in model.layers[k].neurons:
        linear_node = next(n for n in order if n._op is not None and neuron.b in n._prev)
        outputs.append(next(n for n in order if n._prev == (linear_node,)))
    return outputs


def test_collapsed_boxes_with_edge_grads_show_what_they_send_back() -> None:
    model, out = mlp_on_one_sample()
    source = draw_graph(out, names=model, collapse="layer", edge_grads=True).source
    nodes, _ = parse_dot(source)
    last = next(n for n in nodes.values() if n.id.startswith("m") and "layers.2" in n.text())
    (port,) = last.ports().values()
    sent = [float(v) for v in port.split()[2:]]
    expected = [w.data * 1.0 for w in model.layers[2].neurons[0].w]   # d out / d h_k = w_k
    assert port.startswith("4 values") and sent == pytest.approx(expected, rel=1e-3)


def test_a_2_16_16_1_mlp_collapsed_by_layer_is_a_handful_of_nodes() -> None:
    model, out = mlp_on_one_sample((16, 16, 1))
    nodes, edges = parse_dot(draw_graph(out, names=model, collapse="layer").source)
    assert len(nodes) == 3 + 2 and len(edges) == 2 + 2
    nodes, _ = parse_dot(draw_graph(out, names=model, collapse="neuron").source)
    assert len(nodes) == 16 + 16 + 1 + 2


def test_collapsed_modules_levels() -> None:
    model, out = mlp_on_one_sample()
    order = topological_order(out)
    name_of = parameter_names(model)
    modules = assign_modules(order, name_of)
    assert collapsed_modules(modules, name_of, None) == set()
    assert collapsed_modules(modules, name_of, "layer") == {"layers.0", "layers.1", "layers.2"}
    assert len(collapsed_modules(modules, name_of, "neuron")) == 9


def test_parameter_arrays_follow_the_indices_in_the_names() -> None:
    nodes = {name: Value(float(k)) for k, name in enumerate(
        ["neurons.0.w.0", "neurons.0.w.1", "neurons.0.b", "neurons.1.w.0", "neurons.1.w.1", "neurons.1.b"])}
    arrays = dict(parameter_arrays(list(nodes.items()), lambda n: n.data))
    np.testing.assert_array_equal(arrays["w"], [[0, 1], [3, 4]])
    np.testing.assert_array_equal(arrays["b"], [2, 5])
    assert dict(parameter_arrays([("W", Tensor(np.eye(2)))], lambda n: n.data))["W"].shape == (2, 2)
    assert dict(parameter_arrays(list(nodes.items()), lambda n: None))["w"] is None


def test_a_compiled_model_is_drawn_as_one_call_fed_by_its_named_layers():
    """Issue 20: a drawn compiled model was 17,030 px of parameter boxes labelled w0, w1, b.
    Now: one operation, fed by one box per layer named after the model's parameters, one
    labelled wire per box (not a band of 337 edges)."""
    import nn
    from autograd import compile as compile_model
    model = compile_model(nn.MLP(2, [16, 16, 1], seed=0), [0.0, 0.0])
    out = model([0.5, -0.3])
    out.backward()
    source = draw_graph(out).source
    assert source.count("(compiled)") == 1
    for layer in ("layers.0", "layers.1", "layers.2"):
        assert f">{layer}<" in source, layer
    assert "272 values" in source and "48 values" in source and "17 values" in source
    assert source.count("->") < 12  # two inputs, three boxes, the output: no band of 337 edges
    whole = draw_graph(out, names=model.fn, collapse=None, max_nodes=None).source
    assert "(compiled)" in whole and whole.count("->") > 300


def test_a_big_named_graph_is_collapsed_by_default_and_says_so():
    """Issue 20: draw_graph(score, names=model) of a 2-16-16-1 MLP was 11,368 px tall.  By
    default a named graph is drawn whole up to 60 values, by neuron up to 200, else by layer,
    with a note; collapse=None still draws every value."""
    import nn
    big = nn.MLP(2, [16, 16, 1], seed=0)
    score = big([0.5, -0.3])
    drawn = draw_graph(score, names=big).source
    assert "each layer drawn as one box (collapse=None draws every value)" in drawn
    assert drawn.count("->") < 12
    assert "collapse=None draws" not in draw_graph(score, names=big, collapse=None).source
    medium = nn.MLP(2, [8, 8, 1], seed=0)
    assert "each neuron drawn as one box" in draw_graph(medium([0.5, -0.3]), names=medium).source
    small = nn.MLP(2, [3, 1], seed=0)
    assert "drawn as one box" not in draw_graph(small([0.5, -0.3]), names=small).source
