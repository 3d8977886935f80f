"""chainrule's reverse-mode automatic differentiation engine.

``Value`` (one float) and ``Tensor`` (one numpy array) are nodes of one kind of
graph; ``backward()`` applies upstream gradient x local gradient node by node.
Every operation is defined once, as data, in ``autograd.core.ops`` and
``autograd.core.tensor_ops``.  Subpackages: ``core`` (what a student reads),
``speed`` (generated from the same rules), ``drawing``; see the README's
"Reading the engine" for the order.
"""
from .core.graph import BackwardStep, Node, backward_steps, edge_gradients, grad, topological_order
from .core.mode import AnomalyError, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .core.op import Op
from .core.tensor import Tensor, concatenate, stack
from .core.value import Value, linear, sum_values
from .speed import fast
from .speed.tensor_code import compile_backward, flat_code
from .speed.compiled import CompiledFunction
from .speed.compiled_tensor import compile
from .drawing.animate import backward_frames, save_backward_animation, teaching_steps
from .drawing.draw import DEFAULT_MAX_NODES, draw_graph
from .drawing.player import PlayerHTML, animation_html, animation_page, svg_data_uri
from .drawing.render import GraphDrawing, GraphvizNotFoundError, RenderError, layout_program, svg_size_pt
from .define import define_op
from .factories import (arange, eye, full, manual_seed, one_hot, ones, ones_like, rand, randn,
                        randn_like, zeros, zeros_like)
from .gradcheck import GradcheckError, central_difference, gradcheck
from .zoom import scalarize
from . import cli, func, numpy_api

fast.install()  # Value's operators and backward become the generated fast path (see core/value.py)
numpy_api.install()  # numpy functions applied to Tensors are recorded, or refused by name

__all__ = [
    "DEFAULT_MAX_NODES",
    "AnomalyError",
    "BackwardStep",
    "CompiledFunction",
    "GradcheckError",
    "GraphDrawing",
    "GraphvizNotFoundError",
    "Node",
    "Op",
    "PlayerHTML",
    "RenderError",
    "Tensor",
    "Value",
    "animation_html",
    "animation_page",
    "arange",
    "backward_frames",
    "backward_steps",
    "central_difference",
    "cli",
    "compile",
    "compile_backward",
    "concatenate",
    "define_op",
    "detect_anomaly",
    "draw_graph",
    "edge_gradients",
    "enable_grad",
    "eye",
    "flat_code",
    "full",
    "func",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "layout_program",
    "linear",
    "manual_seed",
    "no_grad",
    "numpy_api",
    "one_hot",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "randn_like",
    "save_backward_animation",
    "scalarize",
    "stack",
    "sum_values",
    "svg_data_uri",
    "svg_size_pt",
    "teaching_steps",
    "topological_order",
    "zeros",
    "zeros_like",
]
