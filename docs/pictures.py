"""Draw the README's pictures: python docs/pictures.py  (needs dot or graphviz-pure).

docs/graph.svg: f = (x + y) z with data, gradients and the gradient on every edge.
docs/mlp.svg:   a 2-16-16-1 MLP (nn.MLP, seed 0) on one sample after backward, its
                parameters named and each layer drawn as one box.
docs/neurons.svg: a 2-4-4-1 MLP the same way, each neuron drawn as one box.
"""
from __future__ import annotations

from pathlib import Path

import nn
from autograd import Value, draw_graph

HERE = Path(__file__).parent


def seeds_graph() -> Value:
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    f.backward()
    return f


def mlp_graph(sizes: list[int]) -> tuple[Value, nn.MLP]:
    model = nn.MLP(2, sizes, seed=0)
    x = [Value(0.5, label="x0", requires_grad=False), Value(-0.3, label="x1", requires_grad=False)]
    out = model(x)
    out.label = "score"
    out.backward()
    return out, model


def main() -> None:
    (HERE / "graph.svg").write_bytes(draw_graph(seeds_graph(), edge_grads=True).pipe("svg"))
    out, model = mlp_graph([16, 16, 1])
    drawing = draw_graph(out, names=model, collapse="layer", edge_grads=True)
    (HERE / "mlp.svg").write_bytes(drawing.pipe("svg"))
    out, model = mlp_graph([4, 4, 1])
    drawing = draw_graph(out, names=model, collapse="neuron", edge_grads=True)
    (HERE / "neurons.svg").write_bytes(drawing.pipe("svg"))
    print(f"wrote {HERE / 'graph.svg'}, {HERE / 'mlp.svg'}, {HERE / 'neurons.svg'}")


if __name__ == "__main__":
    main()
