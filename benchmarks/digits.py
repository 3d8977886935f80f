"""Training the digits MLP with chainrule and with PyTorch: the same network, the same
initial weights, the same minibatches and the same optimizer, one thread each.

The recipe is `chainrule train --dataset digits --engine tensor`: 64-64-10 with relu,
softmax cross-entropy, Adam (lr 0.003) on minibatches of 64 for 1000 steps, 80% of
the 1,797 images (standardized) to train, 20% held out.  chainrule's model is moved
to torch with nn.to_torch before training, so both start from the same weights.

Prints, for float64 and float32, the best training time of each over a few rounds
taken in turns, for chainrule op by op and compiled (``autograd.compile``, what
``chainrule train`` uses) and for torch, the ratios of both to torch, and the
held-out accuracies.
Run: python benchmarks/digits.py   (needs scikit-learn; torch for the reference)
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy (and torch) are imported

import time  # noqa: E402

import numpy as np  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
from nn.__main__ import DIGITS  # noqa: E402

ROUNDS = 5


def problem(dtype, seed: int = 0):
    """Standardized train/test digits in ``dtype`` and the minibatch order of every step."""
    X, y = nn.data.load_digits()
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, y, test_size=DIGITS["test_size"], seed=seed)
    X_train, X_test = (a.astype(dtype) for a in nn.data.standardize(X_train, X_test))
    rng = np.random.default_rng(seed)
    batches, steps, size = [], DIGITS["steps"], DIGITS["batch_size"]
    while len(batches) < steps:  # shuffled epochs, as nn.fit takes them
        batches += nn.data.minibatch_indices(len(X_train), size, seed=rng)
    return X_train, X_test, y_train, y_test, batches[:steps]


def train_chainrule(model, X, y, batches, compiled: bool = False) -> None:
    optimizer = nn.Adam(model.parameters(), lr=DIGITS["lr"])
    run = autograd.compile(model, X[batches[0]]) if compiled else model
    for idx in batches:
        loss = nn.cross_entropy_loss(run(X[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_torch(model, X, y, batches) -> None:
    import torch

    optimizer = torch.optim.Adam(model.parameters(), lr=DIGITS["lr"])
    X, y = torch.from_numpy(X), torch.from_numpy(y)
    for idx in batches:
        idx = torch.from_numpy(idx)
        loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def held_out_accuracy(model, X, y) -> float:
    """Accuracy on the held-out rows, for a chainrule or a torch model."""
    if isinstance(model, nn.Module):
        return float(np.mean(nn.argmax(nn.predict(model, X)) == y))
    import torch

    with torch.no_grad():
        return float(np.mean(model(torch.from_numpy(X)).argmax(dim=1).numpy() == y))


def run(dtype) -> str:
    X_train, X_test, y_train, y_test, batches = problem(dtype)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    engines = ["op by op", "compiled"] + (["torch"] if torch is not None else [])
    best = dict.fromkeys(engines, float("inf"))
    accuracy = {}
    for _ in range(ROUNDS):  # take turns, so that machine drift hits all alike
        for engine in engines:
            ours = nn.tensor_mlp(64, DIGITS["sizes"], seed=0, dtype=dtype)
            model = nn.to_torch(ours) if engine == "torch" else ours
            t0 = time.process_time()  # CPU time: one thread each, steadier on a shared machine
            if engine == "torch":
                train_torch(model, X_train, y_train, batches)
            else:
                train_chainrule(model, X_train, y_train, batches, compiled=engine == "compiled")
            best[engine] = min(best[engine], time.process_time() - t0)
            accuracy[engine] = held_out_accuracy(model, X_test, y_test)
    line = f"{np.dtype(dtype).name}: {len(batches)} steps of 64-64-10, " + ", ".join(
        f"{engine} {best[engine]:.3f} s (held-out accuracy {accuracy[engine]:.4f})" for engine in engines)
    if torch is None:
        return line + "; torch not installed: no ratio"
    return (line + f"; ratio to torch: op by op {best['op by op'] / best['torch']:.2f}, "
            f"compiled {best['compiled'] / best['torch']:.2f}")


def main() -> None:
    for dtype in (np.float64, np.float32):
        print(run(dtype))


if __name__ == "__main__":
    main()
