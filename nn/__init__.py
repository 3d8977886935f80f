"""chainrule's neural networks, built only on autograd's public API."""
from .checkpoint import load, save
from .init import manual_seed
from .module import Module, clear_grads
from .scalar import ACTIVATIONS, MLP, Layer, Neuron

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Layer",
    "Module",
    "Neuron",
    "clear_grads",
    "load",
    "manual_seed",
    "save",
]
