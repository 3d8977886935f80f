"""chainrule's reverse-mode automatic differentiation engine."""
from .graph import (
    AnomalyError,
    BackwardStep,
    Node,
    backward_steps,
    detect_anomaly,
    edge_gradients,
    enable_grad,
    is_grad_enabled,
    no_grad,
    topological_order,
)
from .op import Op
from .tensor import Tensor, concatenate, stack
from .value import Value, linear, sum_values

__all__ = [
    "AnomalyError",
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
    "is_grad_enabled",
    "no_grad",
    "topological_order",
    "linear",
    "sum_values",
    "stack",
]
