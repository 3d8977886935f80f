"""The cells of notebook 1. Computational graphs and the chain rule."""
from _cell import code, md

CELLS = [
    md(r"""
# 1. Computational graphs and the chain rule

Training a network means minimising a cost such as
$J(\theta) = \frac{1}{N} \sum_i \mathrm{loss}(f(x_i; \theta), y_i)$ by gradient descent,
$\theta \leftarrow \theta - \eta \, \frac{\partial J}{\partial \theta}$.
Deriving $\frac{\partial J}{\partial \theta}$ by hand for a whole model is tedious, and it
has to be redone for every new loss. A **computational graph** records how the output
was computed from its inputs, one simple operation per node, and **backpropagation**
then finds every derivative mechanically.

In this notebook we build a graph with `autograd.Value`, draw it, and follow the
chain rule through it node by node.
"""),
    code(r"""
from autograd import Value, draw_graph, gradcheck, central_difference, flat_code
"""),
    md(r"""
## A first graph: $f(x, y, z) = (x + y)\, z$

We take $x = -2$, $y = 5$, $z = -4$. Every operation on a `Value` returns a new `Value`
that remembers its inputs, so writing the formula builds the graph.
"""),
    code(r"""
x = Value(-2.0, label="x")
y = Value(5.0, label="y")
z = Value(-4.0, label="z")
q = x + y;  q.label = "q"
f = q * z;  f.label = "f"
print(q.data, f.data)
"""),
    md(r"""
The forward pass gives $q = x + y = 3$ and $f = q z = -12$. Here is the graph: each
rounded box is a value (its data, and its gradient, still zero), each ellipse an
operation. The legend above it, shown once here, says what the colours mean.
"""),
    code(r"""
draw_graph(f, legend=True)
"""),
    md(r"""
## Backward: upstream gradient times local gradient

`f.backward()` visits the nodes from the output back to the inputs. At each operation
it multiplies the gradient arriving from above (the **upstream** gradient) by the
operation's own derivative (the **local** gradient) and passes the product down:

$$\frac{\partial f}{\partial \text{input}} = \underbrace{\frac{\partial f}{\partial \text{output}}}_{\text{upstream}} \times \underbrace{\frac{\partial\, \text{output}}{\partial \text{input}}}_{\text{local}}.$$
"""),
    code(r"""
f.backward()
for v in (f, q, x, y, z):
    print(f"df/d{v.label} = {v.grad}")
"""),
    md(r"""
Spelled out node by node:

* At $f$ itself the gradient is $\frac{\partial f}{\partial f} = 1$.
* The multiplication $f = q z$ has local gradients $\frac{\partial f}{\partial q} = z = -4$
  and $\frac{\partial f}{\partial z} = q = 3$; times the upstream $1$ this gives
  $\frac{\partial f}{\partial q} = -4$ and $\frac{\partial f}{\partial z} = 3$.
* The addition $q = x + y$ has local gradients $1$ and $1$, so both inputs receive the
  upstream $-4$: $\frac{\partial f}{\partial x} = \frac{\partial f}{\partial y} = -4 \cdot 1 = -4$.

With `edge_grads=True` the drawing writes the gradient that flows back along every
edge, the product of upstream and local gradient, in red in the cell where that edge
ends: each operation has one cell per input.
"""),
    code(r"""
draw_graph(f, edge_grads=True)
"""),
    md(r"""
## A neuron: $f(w, x) = \dfrac{1}{1 + e^{-(w_0 x_0 + w_1 x_1 + w_2)}}$

The second worked example is a sigmoid neuron with $w_0 = 2$, $x_0 = -1$, $w_1 = -3$,
$x_1 = -2$, $w_2 = -3$. First we build it from primitive operations only, each with a
simple local derivative: $\frac{d}{dx} e^x = e^x$, $\frac{d}{dx}(a x) = a$,
$\frac{d}{dx} \frac{1}{x} = -\frac{1}{x^2}$ and $\frac{d}{dx}(c + x) = 1$.
"""),
    code(r"""
def neuron_inputs():
    return [Value(d, label=n) for n, d in
            [("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0)]]

w0, x0, w1, x1, w2 = neuron_inputs()
out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
out.backward()
print(f"output {out.data:.2f}")
print({v.label: round(v.grad, 2) for v in (w0, x0, w1, x1, w2)})
"""),
    code(r"""
draw_graph(out, edge_grads=True)
"""),
    md(r"""
The output is $0.73$, and the gradients are $-0.20$ for $w_0$, $0.39$ for $x_0$,
$-0.39$ for $w_1$, $-0.59$ for $x_1$ and $0.20$ for $w_2$.

## The graph is not unique

The last four operations together compute the sigmoid $\sigma(s) = \frac{1}{1 + e^{-s}}$,
whose derivative is simple: $\frac{d\sigma}{ds} = (1 - \sigma(s))\, \sigma(s)$.
So we may just as well make the sigmoid one node. The graph is smaller; the gradients
are the same.
"""),
    code(r"""
v0, u0, v1, u1, v2 = neuron_inputs()
out2 = (v0 * u0 + v1 * u1 + v2).sigmoid()
out2.backward()
print({v.label: round(v.grad, 2) for v in (v0, u0, v1, u1, v2)})
print("same gradients:", all(abs(a.grad - b.grad) < 1e-12
                             for a, b in zip((w0, x0, w1, x1, w2), (v0, u0, v1, u1, v2))))
"""),
    code(r"""
draw_graph(out2, edge_grads=True)
"""),
    md(r"""
Choosing nodes whose local gradients are simple is a design decision; backpropagation
works for any choice.

## Checking a gradient

A gradient can always be checked against a **central difference**,
$\frac{\partial f}{\partial x} \approx \frac{f(x + \varepsilon) - f(x - \varepsilon)}{2 \varepsilon}$,
whose error shrinks like $\varepsilon^2$. `central_difference` does this on plain
floats; `gradcheck` does it for every input of a function of Values and compares with
`backward()`.
"""),
    code(r"""
import math

def neuron(w0, x0, w1, x1, w2):
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))

print("df/dx1 by central difference:", round(central_difference(neuron, 2, -1, -3, -2, -3, arg=3), 6))
print("df/dx1 by backward:          ", round(x1.grad, 6))
print(gradcheck(lambda w0, x0, w1, x1, w2: (w0 * x0 + w1 * x1 + w2).sigmoid(), 2.0, -1.0, -3.0, -2.0, -3.0))
"""),
    md(r"""
## The same computation as flat code

Backpropagation can be written out as straight-line code: the forward pass one line per
node, then the backward pass as the same lines in reverse, each computing a gradient as
upstream times local. `flat_code` writes exactly that from the graph.
"""),
    code(r"""
w0, x0, w1, x1, w2 = neuron_inputs()
s0 = w0 * x0;  s0.label = "s0"
s1 = w1 * x1;  s1.label = "s1"
s2 = s0 + s1;  s2.label = "s2"
s3 = s2 + w2;  s3.label = "s3"
L = s3.sigmoid();  L.label = "L"
print(flat_code(L))
"""),
]
