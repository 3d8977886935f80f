"""chainrule's neural networks, built only on autograd's public API."""
from . import data
from .checkpoint import load, save
from .history import History
from .inference import predict
from .init import manual_seed
from .live import LiveView
from .layers import Linear, ReLU, Sequential, Sigmoid, Tanh, tensor_mlp
from .losses import cross_entropy_loss, hinge_loss, l2_penalty, mse_loss, multiclass_svm_loss
from .metrics import accuracy, argmax, binary_accuracy, confusion_matrix, multiclass_accuracy
from .module import Module, WatchedList, clear_grads
from .optim import SGD, Adam, Optimizer
from .scalar import ACTIVATIONS, MLP, Layer, Neuron
from .torch_bridge import from_torch, to_torch
from .train import evaluate, fit

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "History",
    "Layer",
    "Linear",
    "LiveView",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "Module",
    "WatchedList",
    "Neuron",
    "Optimizer",
    "accuracy",
    "argmax",
    "binary_accuracy",
    "clear_grads",
    "confusion_matrix",
    "cross_entropy_loss",
    "data",
    "evaluate",
    "fit",
    "from_torch",
    "hinge_loss",
    "l2_penalty",
    "load",
    "manual_seed",
    "mse_loss",
    "multiclass_accuracy",
    "multiclass_svm_loss",
    "predict",
    "save",
    "tensor_mlp",
    "to_torch",
]
