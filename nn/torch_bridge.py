"""Moving a Tensor model to PyTorch and back: ``nn.to_torch`` and ``nn.from_torch``.

Both translate a stack of layers, one for one: ``Linear``, ``ReLU``, ``Tanh`` and
``Sigmoid`` (nested ``Sequential`` stacks are flattened), with the same weights
and dtype (float32 or float64).  chainrule's ``Linear`` computes ``X W + b`` with
``W`` of shape (nin, nout); torch's computes ``X A^T + b`` with ``A`` of shape
(nout, nin), so ``A = W^T``.  PyTorch is optional: it is imported only here,
only when one of these functions is called.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np

import autograd

from .layers import Linear, ReLU, Sequential, Sigmoid, Tanh
from .module import Module

TORCH_NAMES = {ReLU: "ReLU", Tanh: "Tanh", Sigmoid: "Sigmoid"}
"""chainrule's activation modules and the names of their torch.nn twins."""

DTYPES = {np.dtype(np.float32): "float32", np.dtype(np.float64): "float64"}
"""The dtypes both sides share, and torch's names for them."""


def _torch(what: str) -> Any:
    """The torch module, or an ImportError saying how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(f"nn.{what} needs PyTorch, which is not installed: pip install torch "
                          "(for the CPU-only build: pip install torch --index-url "
                          "https://download.pytorch.org/whl/cpu)") from None
    return torch


def _flat(layers: Any, is_sequential: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(position, layer) for each layer of a stack, nested stacks flattened; positions
    read like ``2`` or ``1.0`` (the first layer inside the second one)."""
    for i, layer in enumerate(layers):
        where = f"{path}{i}"
        if is_sequential(layer):
            yield from _flat(layer, is_sequential, f"{where}.")
        else:
            yield where, layer


def _cannot(direction: str, where: str, layer: Any, known: str) -> TypeError:
    return TypeError(f"cannot translate layer {where} ({type(layer).__name__}: {layer!r}) {direction}: "
                     f"the bridge knows {known}")


def to_torch(model: Module) -> Any:
    """A ``torch.nn.Sequential`` computing what ``model`` computes, with copies of its
    weights (changing one model does not change the other).

    ``model`` is a Tensor model made of ``Linear``, ``ReLU``, ``Tanh`` and ``Sigmoid``
    layers: a ``Sequential`` of them (such as :func:`nn.tensor_mlp`), or one layer.
    Each ``Linear`` becomes a ``torch.nn.Linear`` with ``weight = W^T`` and
    ``bias = b``, in the dtype of ``W``.  Any other layer (a scalar ``nn.MLP``
    too) is refused with a TypeError naming it.
    """
    torch = _torch("to_torch")
    layers = model if isinstance(model, Sequential) else [model]
    out = []
    for where, layer in _flat(layers, lambda m: isinstance(m, Sequential)):
        if type(layer) in TORCH_NAMES:
            out.append(getattr(torch.nn, TORCH_NAMES[type(layer)])())
        elif type(layer) is Linear:
            W = layer.W.data
            if W.dtype not in DTYPES:
                raise TypeError(f"cannot translate layer {where} (Linear) to torch: dtype {W.dtype} "
                                "is not float32 or float64")
            dtype = getattr(torch, DTYPES[W.dtype])
            nin, nout = W.shape
            linear = torch.nn.Linear(nin, nout, bias=layer.b is not None, dtype=dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
                if layer.b is not None:
                    linear.bias.copy_(torch.from_numpy(np.array(layer.b.data)))
            out.append(linear)
        else:
            raise _cannot("to torch", where, layer, "nn.Linear, nn.ReLU, nn.Tanh and nn.Sigmoid in an nn.Sequential")
    return torch.nn.Sequential(*out)


def from_torch(module: Any) -> Sequential:
    """An ``nn.Sequential`` of Tensor layers computing what the torch ``module``
    computes, with copies of its weights.

    ``module`` is a ``torch.nn.Sequential`` (nested ones are flattened) of
    ``torch.nn.Linear``, ``ReLU``, ``Tanh`` and ``Sigmoid``, or one such layer,
    in float32 or float64.  Each ``torch.nn.Linear`` becomes an ``nn.Linear`` with
    ``W = weight^T`` and ``b = bias``.  Any other layer is refused with a
    TypeError naming it.
    """
    torch = _torch("from_torch")
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"nn.from_torch takes a torch.nn.Module, got {type(module).__name__}")
    layers = module if isinstance(module, torch.nn.Sequential) else [module]
    twins = {getattr(torch.nn, name): ours for ours, name in TORCH_NAMES.items()}
    out: list[Module] = []
    for where, layer in _flat(layers, lambda m: isinstance(m, torch.nn.Sequential)):
        if type(layer) in twins:
            out.append(twins[type(layer)]())
        elif type(layer) is torch.nn.Linear:
            weight = layer.weight.detach().cpu().numpy()
            if weight.dtype not in DTYPES:
                raise TypeError(f"cannot translate layer {where} (Linear) from torch: dtype {layer.weight.dtype} "
                                "is not float32 or float64")
            nout, nin = weight.shape
            linear = Linear(nin, nout, bias=layer.bias is not None, dtype=weight.dtype, seed=0)
            linear.W = autograd.Tensor(weight.T.copy(), label="W")
            if layer.bias is not None:
                linear.b = autograd.Tensor(layer.bias.detach().cpu().numpy().copy(), label="b")
            out.append(linear)
        else:
            raise _cannot("from torch", where, layer,
                          "torch.nn.Linear, ReLU, Tanh and Sigmoid in a torch.nn.Sequential")
    if not out:
        raise ValueError("nn.from_torch: the torch module has no layers")
    return Sequential(*out)
