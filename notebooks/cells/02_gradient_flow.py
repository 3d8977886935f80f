"""The cells of notebook 2. Patterns in gradient flow."""
from _cell import code, md

CELLS = [
    md(r"""
# 2. Patterns in gradient flow

Every operation passes gradients backwards by the same rule, upstream gradient times
local gradient. For the most common gates this rule has a shape you can recognise at a
glance. In each drawing below the red number in an operation's input cell, where an
edge arrives, is the gradient flowing back along that edge; the output's upstream
gradient is $2$ so that the patterns are easy to tell apart.
"""),
    code(r"""
from IPython.display import display
from autograd import Value, animation_html, backward_frames, draw_graph, teaching_steps
"""),
    md(r"""
## The add gate distributes

For $c = a + b$ both local gradients are $1$: each input receives the upstream gradient
unchanged.
"""),
    code(r"""
a, b = Value(3.0, label="a"), Value(-1.0, label="b")
c = a + b;  c.label = "c"
c.backward(2.0)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## The mul gate swaps

For $c = a b$ the local gradients are $\frac{\partial c}{\partial a} = b$ and
$\frac{\partial c}{\partial b} = a$: each input receives the upstream gradient times the
*other* input. Here $a$ gets $2 \cdot (-1) = -2$ and $b$ gets $2 \cdot 3 = 6$.
"""),
    code(r"""
a, b = Value(3.0, label="a"), Value(-1.0, label="b")
c = a * b;  c.label = "c"
c.backward(2.0)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## The max gate routes

For $c = \max(a, b)$ the local gradient is $1$ for the larger input and $0$ for the
other: the whole upstream gradient is routed to the input that won. (At an exact tie,
chainrule follows PyTorch and splits it evenly.)
"""),
    code(r"""
a, b = Value(3.0, label="a"), Value(-1.0, label="b")
c = a.max(b);  c.label = "c"
c.backward(2.0)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## A value used twice adds

When a value feeds two operations, the graph has two edges leaving it, and by the
multivariable chain rule its gradient is the **sum** of the gradients coming back along
them. In $c = a \cdot a$ each edge carries $2 \cdot 3 = 6$ and $\frac{\partial c}{\partial a} = 2 \cdot 2a = 12$.
"""),
    code(r"""
a = Value(3.0, label="a")
c = a * a;  c.label = "c"
c.backward(2.0)
print("a.grad =", a.grad)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## All four in one expression

$f = \max(x y, z) + x$ uses every pattern: the max routes, the mul swaps, the add
distributes and $x$, used twice, adds the gradients from its two uses.
"""),
    code(r"""
x, y, z = Value(2.0, label="x"), Value(-3.0, label="y"), Value(-10.0, label="z")
p = x * y;  p.label = "p"
m = p.max(z);  m.label = "m"
f = m + x;  f.label = "f"
f.backward()
print({v.label: v.grad for v in (x, y, z)})
draw_graph(f, edge_grads=True)
"""),
    md(r"""
Check it by hand: $\frac{\partial f}{\partial m} = 1$; the max routes all of it to
$p = -6 > z = -10$, so $z$ gets $0$; the mul swaps, so $y$ gets $1 \cdot x = 2$ and $x$
gets $1 \cdot y = -3$ along that edge; the add gives $x$ another $1$ directly; in total
$\frac{\partial f}{\partial x} = -3 + 1 = -2$.

## Backpropagation one node at a time

`backward_steps` runs the same backward pass one node at a time and yields the state
after each node's rule has run. `teaching_steps` keeps the steps worth a picture: the
start, where only the output has its gradient, then one step per operation (a leaf's own
step changes nothing). Drawn with `step=`, the node just processed is highlighted,
gradients that have not been computed yet are left blank, a gradient still collecting
contributions is marked with how many of its uses have arrived, and the caption says
what happened, in numbers.
"""),
    code(r"""
x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
q = x + y;  q.label = "q"
f = q * z;  f.label = "f"
for step in teaching_steps(f):
    display(draw_graph(f, step=step, edge_grads=True, legend=False))
"""),
    md(r"""
The same frames can be played in a **player**: previous, play and next buttons, a slider,
and a zoom button that switches between fitting the frame to the width and its natural
size (drag a large frame to pan it). Click the player, then the arrow keys step through
it, Home and End jump to the first and last step, space plays and pauses, and `z` zooms;
the keys act only while the player has focus, so typing elsewhere is never affected.

`animation_html(frames)` returns the player; the last expression of a cell shows it, and
a page or notebook can hold any number of them. `save_backward_animation(f, "steps.html")`
writes one as a self-contained page that works without network access. (A notebook that
is not trusted shows the last frame until the cell is run again.)
"""),
    code(r"""
w0, x0, w1, x1, w2 = [Value(d, label=n) for n, d in
                      [("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0)]]
out = (w0 * x0 + w1 * x1 + w2).sigmoid();  out.label = "out"
frames = backward_frames(out, edge_grads=True, legend=False)
print(len(frames), "frames")
animation_html(frames, title="Backpropagating through a sigmoid neuron")
"""),
]
