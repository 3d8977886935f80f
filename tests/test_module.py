"""Module bookkeeping: parameters, names, zero_grad, modes, state dicts, save/load."""
import os

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd
import nn


class Pair(nn.Module):
    """A module holding a parameter, a list of parameters and a child module."""

    def __init__(self):
        self.scale = autograd.Value(2.0)
        self.offsets = [autograd.Value(1.0), autograd.Value(-1.0)]
        self.inner = nn.Neuron(2, seed=0)
        self.note = "not a parameter"


def test_named_parameters_are_dotted_and_in_definition_order():
    names = [name for name, _ in Pair().named_parameters()]
    assert names == ["scale", "offsets.0", "offsets.1", "inner.w.0", "inner.w.1", "inner.b"]


def test_shared_parameter_is_listed_once():
    m = Pair()
    m.alias = m.scale
    assert len(m.parameters()) == 6


def test_mlp_parameter_count_and_names():
    m = nn.MLP(2, [16, 16, 1], seed=0)
    names = [name for name, _ in m.named_parameters()]
    assert len(m.parameters()) == 337 == len(set(names))
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.2.neurons.0.b"


def test_zero_grad_zeroes_every_parameter():
    m = nn.MLP(2, [3, 1], seed=1)
    out = m([0.5, -1.0])
    out.backward()
    assert any(p.grad != 0.0 for p in m.parameters())
    m.zero_grad()
    assert all(p.grad == 0.0 and isinstance(p.grad, float) for p in m.parameters())


def test_clear_grads_sets_array_parameters_to_none():
    class ArrayParam:  # stands in for a Tensor: data is an array
        data = np.zeros(3)
        grad = np.ones(3)

    p = ArrayParam()
    nn.clear_grads([p])
    assert p.grad is None


def test_train_and_eval_reach_every_submodule():
    m = nn.MLP(2, [4, 1], seed=0)
    assert m.eval() is m
    assert all(not mod.training for _, mod in m.named_modules())
    m.train()
    assert all(mod.training for _, mod in m.named_modules())
    assert len(list(m.named_modules())) == 1 + 2 + 5


def test_repr_is_readable():
    text = repr(nn.MLP(2, [16, 16, 1]))
    assert text.splitlines() == [
        "MLP(2, [16, 16, 1], activation='relu'",
        "  (layers.0): Layer(2 -> 16, relu)",
        "  (layers.1): Layer(16 -> 16, relu)",
        "  (layers.2): Layer(16 -> 1, linear)",
        ")",
    ]
    assert repr(nn.Neuron(3, activation="tanh")) == "Neuron(3, tanh)"


def test_state_dict_is_a_copy():
    m = nn.MLP(2, [3, 1], seed=0)
    state = m.state_dict()
    state["layers.0.neurons.0.b"][...] = 5.0
    assert m.layers[0].neurons[0].b.data == 0.0
    assert all(a.shape == () and a.dtype == np.float64 for a in state.values())


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_save_load_round_trip_is_exact(tmp_path_factory, seed_a, seed_b):
    path = tmp_path_factory.mktemp("ckpt") / "model.npz"
    a, b = nn.MLP(2, [4, 3, 1], seed=seed_a), nn.MLP(2, [4, 3, 1], seed=seed_b)
    nn.save(a, path)
    assert nn.load(b, path) is b
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert all(type(p.data) is float for p in b.parameters())
    assert a([0.3, -0.7]).data == b([0.3, -0.7]).data


def test_save_writes_exactly_the_path_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "weights"  # no .npz suffix: numpy must not add one
    nn.save(nn.MLP(2, [2, 1], seed=0), path)
    assert os.listdir(tmp_path) == ["weights"]


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    nn.save(nn.MLP(2, [2, 1], seed=0), path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(nn.checkpoint, "write_archive", crash)
    with pytest.raises(OSError, match="disk full"):
        nn.save(nn.MLP(2, [2, 1], seed=1), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]


def _snapshot(m):
    return [p.data for p in m.parameters()]


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda s: s.pop("layers.0.neurons.1.w.0"), "missing entries: layers.0.neurons.1.w.0"),
        (lambda s: s.update(extra=np.float64(1.0)), "unexpected entries: extra"),
        (lambda s: s.update({"layers.1.neurons.0.b": np.zeros(2)}),
         r"shapes differ: layers.1.neurons.0.b: model \(\), state \(2,\)"),
        (lambda s: s.update({"layers.1.neurons.0.b": np.array("x")}),
         "not arrays of real numbers: layers.1.neurons.0.b"),
        (lambda s: s.update({"layers.0.neurons.0.w.0": [[1.0, 2.0], [3.0]]}),
         "not arrays of real numbers: layers.0.neurons.0.w.0$"),  # ragged: named once, not as a shape too
    ],
)
def test_bad_state_is_refused_naming_the_entry_and_changes_nothing(edit, message):
    donor, model = nn.MLP(2, [2, 1], seed=0), nn.MLP(2, [2, 1], seed=1)
    state = donor.state_dict()
    edit(state)
    before = _snapshot(model)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert _snapshot(model) == before


@pytest.mark.parametrize("state, says", [
    (lambda s: {**s, 3: 1.0}, "state dict keys must be parameter names (strings such as 'layers.0.W'), got int 3"),
    (lambda s: list(s.items()), "got list; for a list of (name, array) pairs write dict(pairs)"),
])
def test_a_state_that_is_not_a_mapping_of_names_is_a_type_error(state, says):
    model = nn.MLP(2, [2, 1], seed=1)
    before = _snapshot(model)
    with pytest.raises(TypeError) as info:
        model.load_state_dict(state(nn.MLP(2, [2, 1], seed=0).state_dict()))
    assert says in str(info.value) and _snapshot(model) == before


def test_torch_refuses_a_list_of_pairs_too():
    torch = pytest.importorskip("torch")
    layer = torch.nn.Linear(2, 1)
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        layer.load_state_dict(list(layer.state_dict().items()))


def test_load_refuses_an_archive_of_another_architecture(tmp_path):
    path = tmp_path / "small.npz"
    nn.save(nn.MLP(2, [2, 1], seed=0), path)
    big = nn.MLP(2, [3, 1], seed=0)
    before = _snapshot(big)
    with pytest.raises(ValueError, match="missing entries: layers.0.neurons.2.w.0"):
        nn.load(big, path)
    assert _snapshot(big) == before


def test_a_module_that_refers_to_itself_is_walked_once():
    m = nn.MLP(2, [3, 1], seed=0)
    m.me = m
    m.layers[0].owner = m                       # a cycle through a child
    names = [name for name, _ in m.named_modules()]
    assert names[0] == "" and len(names) == len(set(names)) == 1 + 2 + 4
    assert len(m.parameters()) == 13
    assert m.eval() is m and not any(mod.training for _, mod in m.named_modules())
    assert len(m.state_dict()) == 13
    assert "(me): <MLP, shown above>" in repr(m)


def test_mutually_referring_modules_and_self_containing_lists():
    a, b = nn.Sequential(nn.Linear(2, 2, seed=0)), nn.Sequential(nn.Linear(2, 2, seed=1))
    a.partner, b.partner = b, a
    assert [n for n, _ in a.named_parameters()] == [
        "layers.0.W", "layers.0.b", "partner.layers.0.W", "partner.layers.0.b"]
    loop = []
    loop.append(loop)
    a.loop = loop
    assert len(a.parameters()) == 4 and "partner" in repr(a)


def test_a_deeply_nested_module_needs_no_recursion():
    import sys

    m = inner = nn.Sequential(nn.Linear(1, 1, seed=0))
    depth = sys.getrecursionlimit() + 100
    for _ in range(depth):
        inner.child = nn.Sequential(nn.Tanh())
        inner = inner.child
    assert len(list(m.named_modules())) == 2 + 2 * depth   # m and its Linear, then a Sequential and a Tanh per level
    assert len(m.parameters()) == 2


def test_a_shared_module_is_listed_once_under_its_first_name():
    shared = nn.Linear(2, 2, seed=0)
    m = nn.Sequential(shared, nn.ReLU(), shared)
    assert [n for n, _ in m.named_modules()] == ["", "layers.0", "layers.1"]
    assert [n for n, _ in m.named_parameters()] == ["layers.0.W", "layers.0.b"]


@pytest.mark.parametrize("mode", ["no", None, 1])
def test_train_mode_must_be_a_boolean_like_torch(mode):
    model = nn.tensor_mlp(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="training mode must be True or False"):
        model.train(mode)
    assert all(m.training for _, m in model.named_modules())  # nothing changed
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        torch.nn.Linear(2, 1).train(mode)


def test_replacing_a_parameter_in_nns_lists_or_attributes_moves_the_structure_version():
    """What a compiled model checks at each call (autograd.compile): every way of putting a
    parameter in place in nn's models changes ``structure_version``; reading does not."""
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.structure_version
    model([1.0, 2.0])
    model.parameters()
    assert model.structure_version == before
    changes = [lambda: model.layers[0].neurons[0].w.__setitem__(0, autograd.Value(1.0)),
               lambda: model.layers[0].neurons.append(nn.Neuron(2, seed=0)),
               lambda: setattr(model.layers[0].neurons[0], "b", autograd.Value(0.0)),
               lambda: model.layers.reverse(),
               lambda: model.layers.sort(key=id)]
    for change in changes:
        version = model.structure_version
        change()
        assert model.structure_version != version
    user_list = [autograd.Value(1.0)]
    holder = nn.Module()
    holder.items = user_list
    assert holder.items is user_list  # a user's list is kept as given (never copied)
