"""Exercise 4: your own operation, with define_op."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 4. Your own operation

Every operation in chainrule is data: a name, a forward rule and, per input, a gradient rule
returning *upstream gradient × local gradient*. `autograd.define_op` adds one of yours.

$$\operatorname{softplus}(x) = \log(1 + e^x)$$

is a smooth relu. Its forward rule is given. Write its gradient rule `softplus_grad(K, g, out, x)`:
`g` is the upstream gradient, `out` the output, `x` the input, and `K` supplies `K.exp`,
`K.log`, `K.sigmoid`, `K.div` ... (use them, not `math` or `numpy`, so that the rule also runs
on Tensors and symbols).
"""),
    code(SETUP + r"""
from autograd import define_op

def softplus_forward(K, x):
    return K.log(1 + K.exp(x))
"""),
    exercise("softplus", r"""
def softplus_grad(K, g, out, x):
    # upstream gradient g times the local gradient d softplus(x) / dx
    ### BEGIN SOLUTION
    return g * K.sigmoid(x)       # e^x / (1 + e^x) = sigmoid(x)
    ### END SOLUTION
"""),
    code(r"""
check("softplus", softplus_grad)
"""),
    md(r"""
Your operation is a full citizen: it works on Values and Tensors, is drawn by its name, and
`flat_code` writes it out from your rule. (This cell runs once your rule is written.)
"""),
    code(r"""
softplus = define_op("softplus", softplus_forward, [softplus_grad], formula="d softplus(x)/dx = σ(x)")
x = Value(0.5, label="x")
try:
    y = softplus(x * 2); y.label = "y"
    y.backward()
    print(autograd.flat_code(y))
except NotImplementedError:
    print("write softplus_grad first")
"""),
]
