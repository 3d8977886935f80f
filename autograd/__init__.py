"""chainrule's reverse-mode automatic differentiation engine."""
from .graph import (
    AnomalyError,
    BackwardStep,
    Node,
    backward_steps,
    detect_anomaly,
    edge_gradients,
    enable_grad,
    grad,
    is_grad_enabled,
    no_grad,
    topological_order,
)
from .codegen import compile_backward, flat_code
from .gradcheck import GradcheckError, central_difference, gradcheck
from .op import Op
from .tensor import Tensor, concatenate, stack
from .value import Value, linear, sum_values

__all__ = [
    "AnomalyError",
    "GradcheckError",
    "central_difference",
    "compile_backward",
    "flat_code",
    "gradcheck",
    "BackwardStep",
    "Node",
    "Op",
    "Tensor",
    "Value",
    "backward_steps",
    "concatenate",
    "detect_anomaly",
    "edge_gradients",
    "enable_grad",
    "grad",
    "is_grad_enabled",
    "no_grad",
    "topological_order",
    "linear",
    "sum_values",
    "stack",
]

# drawing the graph (issue 3)
from .animate import animation_html, backward_frames, save_backward_animation
from .draw import DEFAULT_MAX_NODES, draw_graph
from .draw_render import GraphDrawing, GraphvizNotFoundError

__all__ += [
    "DEFAULT_MAX_NODES",
    "GraphDrawing",
    "GraphvizNotFoundError",
    "animation_html",
    "backward_frames",
    "draw_graph",
    "save_backward_animation",
]
