"""Flat numpy code of Tensor graphs (autograd.speed.tensor_code), and compile of Tensor models
(autograd.speed.compiled_tensor): the generated code gives the engine's numbers bit for bit."""
from __future__ import annotations

import gc
import linecache
import warnings
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Tensor, compile, compile_backward, define_op, detect_anomaly, flat_code, no_grad
from autograd.core.tensor import apply_op
from autograd.speed.tensor_code import _ones
from tests.strategies import GRAPH_OPS, graphs, special, upstream


def _same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def _two_layer(batch=100, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    X = Tensor(rng.standard_normal((batch, 2)).astype(dtype), requires_grad=False, label="X")
    W1 = Tensor(rng.standard_normal((2, 16)).astype(dtype), label="W1")
    b1 = Tensor(rng.standard_normal(16).astype(dtype), label="b1")
    W2 = Tensor(rng.standard_normal((16, 1)).astype(dtype), label="W2")
    b2 = Tensor(rng.standard_normal(1).astype(dtype), label="b2")
    Z1 = X @ W1 + b1
    Z1.label = "Z1"
    H1 = Z1.relu()
    H1.label = "H1"
    loss = ((H1 @ W2 + b2 - 1.0) ** 2).mean()
    loss.label = "loss"
    return loss, [W1, b1, W2, b2]


def test_flat_code_of_a_two_layer_network_reads_like_the_lecture_notes():
    loss, _ = _two_layer()
    code = flat_code(loss)
    assert "grad_W1 = X.T @ grad_Z1" in code
    assert "grad_H1 = " in code and "@ W2.T" in code
    assert "grad_Z1 = where(0.0 >= Z1, 0.0, grad_H1)" in code  # relu's mask: a selection
    assert "grad_b1 = ones_100 @ grad_Z1" in code  # dL/db1 = 1^T G
    assert "= grad_Z1.sum(axis=0): broadcast in the forward pass" in code
    assert "# (100, 16)" in code and "# (2, 16)" in code


def test_compile_backward_gives_backwards_gradients_bit_for_bit():
    loss, params = _two_layer()
    fn = compile_backward(loss)
    value, grads = fn(*[leaf.data for leaf in fn.inputs])
    loss.backward()
    assert _same(value, loss.data)
    for g, p in zip(grads, params):
        assert _same(g, p.grad)


def _sprinkled(rng, shape, specials, dtype):
    """Random normal numbers of ``shape`` with ``specials`` (0, -0.0, inf, nan ...) put in."""
    a = rng.standard_normal(shape)
    a.flat[rng.integers(0, a.size, len(specials))] = specials
    with np.errstate(over="ignore"):
        return a.astype(dtype)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([np.float32, np.float64]), st.sampled_from([1, 3, 9, 100]), st.integers(1, 4),
       st.lists(upstream, max_size=6), st.lists(special, max_size=6), st.integers(0, 2**32 - 1))
def test_a_bias_gradient_is_the_product_ones_at_g_with_sum_tos_bits(dtype, n, k, g_specials, z_specials, seed):
    """dL/db = 1ᵀ G written as ``ones_n @ G``: the product sum_to computes, so backward()'s
    bits (a plain G.sum(axis=0) differs in the last bits from 8 rows on), at 0, -0.0, inf and
    nan; a column stretched with keepdims, and float16, stay sum_to."""
    rng = np.random.default_rng(seed)
    g, z = _sprinkled(rng, (n, k), g_specials, dtype), _sprinkled(rng, (n, k), z_specials, dtype)
    for b_shape in [(k,), (1, k), (n, 1)]:
        b = Tensor(np.zeros(b_shape, dtype=dtype), label="b")
        Z = Tensor(z, label="Z")
        with np.errstate(all="ignore"):
            out = ((Z + b).relu() * Tensor(g, requires_grad=False)).sum()
            fn = compile_backward(out)
            value, grads = fn(*[leaf.data for leaf in fn.inputs])
            out.backward()
        assert ("ones_" in fn.source) == (b_shape == (k,))
        assert _same(value, out.data) and _same(grads[0], Z.grad)
        assert grads[1].tobytes() == b.grad.tobytes() and grads[1].dtype == dtype
    half = Tensor(np.zeros(k, dtype=np.float16), label="b")
    with np.errstate(all="ignore"):
        assert "ones_" not in flat_code((Tensor(z.astype(np.float16)) + half).sum())


def test_the_vectors_of_ones_are_named_once_per_length_and_dtype():
    X = Tensor(np.ones((3, 2), dtype=np.float32), label="X")
    b, c = Tensor(np.ones(2, np.float32), label="b"), Tensor(np.ones(2, np.float32), label="c")
    fn = compile_backward((X + b).sum() + (X * c).sum())
    assert fn.source.count("ones_3 @ ") == 2 and fn.__globals__["ones_3"].dtype == np.float32
    runtime = {}
    assert [_ones(3, np.dtype(t), runtime) for t in ("float32", "float64", "float32")] == \
        ["ones_3", "ones_3_float64", "ones_3"]
    ones = Tensor(np.ones((3, 2)), label="ones_3")  # a label the code may need: a t<k> name
    assert "ones_3 = " not in flat_code((ones + Tensor(np.ones(2))).sum())


def _tensor_graph(graph, leaves=None):
    """The registers of a random Tensor graph, built op by op."""
    regs = leaves or [Tensor(np.array(v, dtype=np.float64), requires_grad=not c)
                      for v, c in zip(graph.leaves, graph.constant)]
    regs = list(regs)
    for kind, name, operands, extra in graph.steps:
        args = [regs[x] if t == "r" else x for t, x in operands]
        if kind == "reduce":
            regs.append(getattr(args[0], name)(axis=extra[0], keepdims=extra[1]))
        else:
            regs.append(apply_op(GRAPH_OPS[name], args))
    return regs


@settings(max_examples=150, deadline=None)
@given(graphs(tensor=True))
def test_flat_code_of_random_graphs_gives_the_generic_drivers_numbers(graph):
    """At 0, -0.0, ties, inf and nan, with broadcasting and reductions: bit for bit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        regs = _tensor_graph(graph)
        out = (regs[-1] * np.array(graph.seed)).sum()  # the seed as a constant: a scalar root
        if not out.requires_grad:
            return
        fn = compile_backward(out)
        value, grads = fn(*[leaf.data for leaf in fn.inputs])
        out.backward()
    assert _same(value, out.data), graph
    needing = [leaf for leaf in fn.inputs if leaf.requires_grad]
    for g, leaf in zip(grads, needing):
        assert _same(g, leaf.grad), graph


@settings(max_examples=100, deadline=None)
@given(graphs(tensor=True))
def test_compiled_random_functions_give_their_own_numbers(graph):
    """A random graph as a function of its first leaf, the others captured (parameters and
    constants): the compiled call's value and gradients equal the function's, bit for bit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        a = [Tensor(np.array(v, dtype=np.float64), requires_grad=not c)
             for v, c in zip(graph.leaves, graph.constant)]
        b = [Tensor(leaf.data.copy(), requires_grad=leaf.requires_grad) for leaf in a]

        def fn_of(leaves):
            return lambda x: (_tensor_graph(graph, [x] + leaves[1:])[-1] * np.array(graph.seed)).sum()

        plain = fn_of(a)(a[0])
        if a[0] not in set(autograd.topological_order(plain)):
            return  # refused, see test_bad_input_compile.py
        compiled = compile(fn_of(b), b[0])
        out = compiled(b[0])
        assert _same(out.data, plain.data), graph
        if plain.requires_grad:
            plain.backward()
            out.backward()
    for p, q in zip(a, b):
        assert _same(p.data, q.data), graph  # the code writes in place only into its own arrays
        assert (p.grad is None) == (q.grad is None) and (p.grad is None or _same(p.grad, q.grad)), graph


def _compiled_leaf_grads(graph):
    """The gradients of a random graph's leaves through a compiled call (None for none)."""
    leaves = [Tensor(np.array(v, dtype=np.float64), requires_grad=not c)
              for v, c in zip(graph.leaves, graph.constant)]

    def fn(x):
        return (_tensor_graph(graph, [x] + leaves[1:])[-1] * np.array(graph.seed)).sum()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        plain = fn(leaves[0])
        if leaves[0] not in set(autograd.topological_order(plain)) or not plain.requires_grad:
            return None
        compile(fn, leaves[0])(leaves[0]).backward()
    return [leaf.grad for leaf in leaves]


@settings(max_examples=100, deadline=None)
@given(graphs(tensor=True))
def test_compiled_random_graphs_agree_with_torch(graph):
    """The parity fuzz of tests/test_parity.py, through a compiled call: every leaf's gradient
    as torch's (float64) at 0, -0.0, ties, inf and nan, within rounding."""
    pytest.importorskip("torch")
    from tests.parity import _agree, run_torch
    from tests.rounding import bounds

    grads = _compiled_leaf_grads(graph)
    if grads is None:
        return
    torch_grads = run_torch(graph)[1]
    grad_errors = bounds(graph)[1]
    for k, g in enumerate(grads):
        mine = np.zeros_like(torch_grads[k]) if g is None else np.asarray(g, dtype=np.float64)
        assert _agree(mine, torch_grads[k], grad_errors[k]), f"{graph}\nleaf {k}: {mine} vs {torch_grads[k]}"


def test_an_op_without_a_flat_form_is_refused_by_name():
    sort = define_op("sorted", lambda K, a: np.sort(a), [lambda K, g, out, a: g])
    x = Tensor([3.0, 1.0, 2.0])
    y = sort(x).sum()
    with pytest.raises(NotImplementedError, match="operation 'sorted' has no flat numpy form"):
        flat_code(y)
    with pytest.raises(NotImplementedError, match="'sorted' has no flat numpy form"):
        compile(lambda t: sort(t).sum(), x)


def _mlp(dtype=np.float64, seed=0):
    return nn.tensor_mlp(2, [16, 16, 1], seed=seed, dtype=dtype)


def test_a_compiled_model_is_one_node_and_reads_its_parameters_at_each_call():
    model, twin = _mlp(), _mlp()
    X = np.random.default_rng(1).standard_normal((50, 2))
    compiled = compile(model, X)
    out = compiled(X)
    assert out.op.name == "compiled Sequential" and out.parents[1:] == tuple(model.parameters())
    assert out.op.parameter_names == ("layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b",
                                      "layers.4.W", "layers.4.b")
    for p, q in zip(model.parameters(), twin.parameters()):  # as nn.load or an optimizer does
        p.data = p.data * 0.5
        q.data = q.data * 0.5
    assert _same(compiled(X).data, twin(X).data)


def test_a_frozen_parameter_is_read_at_each_call_not_baked_in():
    model, twin = _mlp(), _mlp()
    model.layers[0].W.requires_grad = twin.layers[0].W.requires_grad = False
    X = np.ones((4, 2))
    compiled = compile(model, X)
    model.layers[0].W.data = twin.layers[0].W.data = np.full((2, 16), 0.25)
    assert _same(compiled(X).data, twin(X).data)
    compiled(X).sum().backward()
    assert model.layers[0].W.grad is None and model.layers[0].b.grad is not None
    model.layers[0].W.requires_grad = twin.layers[0].W.requires_grad = True  # unfrozen: code has its grad
    compiled(X).sum().backward()
    twin(X).sum().backward()
    assert _same(model.layers[0].W.grad, twin.layers[0].W.grad)


def test_another_batch_size_or_dtype_is_traced_again_and_kept():
    model = _mlp()
    compiled = compile(model, np.zeros((8, 2)))
    for n in (8, 3, 8, 3):
        X = np.random.default_rng(n).standard_normal((n, 2))
        assert _same(compiled(X).data, model(X).data)
    assert len(compiled.traces) == 2


@pytest.mark.parametrize("optimizer", [nn.SGD, nn.Adam])
def test_fit_with_a_compiled_model_gives_the_models_history(optimizer):
    X, y = nn.data.make_moons(30, seed=0)
    histories = []
    for use_compile in (False, True):
        model = _mlp(seed=1)
        run = compile(model, np.asarray(X, dtype=np.float64)) if use_compile else model
        history = nn.fit(run, X, [2 * t - 1 for t in y], nn.hinge_loss, optimizer(model.parameters(), lr=0.05),
                         4, batch_size=7, progress=False)  # 30 = 4 x 7 + 2: a short last batch
        histories.append((history.loss, [p.data.copy() for p in model.parameters()]))
    assert histories[0][0] == histories[1][0]
    assert all(_same(a, b) for a, b in zip(histories[0][1], histories[1][1]))


def test_no_grad_and_detect_anomaly_work_on_a_compiled_call():
    model = _mlp()
    compiled = compile(model, np.zeros((2, 2)))
    with no_grad():
        assert compiled(np.ones((2, 2))).op is None
    log_sum = compile(lambda t: t.log().sum(), Tensor(np.ones(2)))
    x = Tensor(np.array([1.0, 0.0]))  # d log(x)/dx = 1/x: inf at 0
    with detect_anomaly(), pytest.raises(autograd.AnomalyError, match="compiled <lambda>"):
        log_sum(x).backward()
    assert x.grad is None


def test_compiled_step_agrees_with_torch():
    torch = pytest.importorskip("torch")
    model = _mlp(np.float32)
    X = np.random.default_rng(2).standard_normal((20, 2)).astype(np.float32)
    compiled = compile(model, X)
    loss = (compiled(X) ** 2).mean()
    loss.backward()
    ps = [torch.tensor(p.data, requires_grad=True) for p in model.parameters()]
    h = torch.tensor(X)
    for k in range(0, 6, 2):
        h = h @ ps[k] + ps[k + 1]
        h = h.relu() if k < 4 else h
    (h ** 2).mean().backward()
    for p, q in zip(model.parameters(), ps):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_a_compiled_function_and_its_model_can_be_collected():
    """Issue 19 item 14: no linecache or fast-path entry keeps a compiled model alive."""
    before = len(linecache.cache)
    value_model, tensor_model = nn.MLP(2, [30, 1], seed=0), _mlp()
    refs = [weakref.ref(value_model), weakref.ref(tensor_model)]
    compiled = [compile(value_model, [0.0, 0.0]), compile(tensor_model, np.zeros((3, 2)))]
    compiled[0]([1.0, 2.0]).backward()
    compiled[1](np.ones((3, 2))).sum().backward()
    del value_model, tensor_model, compiled
    gc.collect()
    assert [r() for r in refs] == [None, None]
    assert len(linecache.cache) == before


def test_a_compiled_call_is_drawn_as_one_operation_box():
    model = _mlp()
    out = compile(model, np.zeros((4, 2)))(np.ones((4, 2))).sum()
    source = autograd.draw_graph(out, names=model).source
    assert source.count("Sequential (compiled)") == 1 and "layers.0" in source and source.count("op [label=") == 2  # the call and the sum
