"""The catalogue of bad input to nn: models, training, evaluation, data, checkpoints
and the torch bridge.  Each entry is one mistake and the error it gets."""
from __future__ import annotations

import os
import sys
import tempfile

import numpy as np
import pytest

import autograd
import nn
from tests.bad_input import BadInput, check

X_MOONS, Y_MOONS = nn.data.make_moons(60, seed=0)
X_BLOBS, Y_BLOBS = nn.data.make_blobs(60, centers=3, seed=0)


def _fit(model=None, X=X_BLOBS, y=Y_BLOBS, loss=nn.cross_entropy_loss, **kwargs):
    model = model or nn.tensor_mlp(2, [4, 3], seed=0)
    kwargs.setdefault("progress", False)
    return nn.fit(model, X, y, loss, nn.SGD(model.parameters(), lr=0.1), kwargs.pop("steps", 2), **kwargs)


def _load(content: bytes):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "weights.npz")
        with open(path, "wb") as f:
            f.write(content)
        nn.load(nn.tensor_mlp(2, [1], seed=0), path)


def _npy_file():
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "weights.npy")
        np.save(path, np.zeros(3))
        nn.load(nn.tensor_mlp(2, [1], seed=0), path)


def _without(*modules):
    def decorate(call):
        def run():
            saved = {m: sys.modules.get(m) for m in modules}
            sys.modules.update({m: None for m in modules})
            try:
                call()
            finally:
                for m, module in saved.items():
                    if module is None:
                        sys.modules.pop(m, None)
                    else:
                        sys.modules[m] = module
        return run
    return decorate


def _torch_module(*names):
    torch = pytest.importorskip("torch")
    return torch.nn.Sequential(*[getattr(torch.nn, name)(*args) for name, args in names])


def _with_torch(call):
    def run():
        pytest.importorskip("torch")
        call()
    return run


def _params():
    return nn.MLP(2, [3, 1], seed=0).parameters()


def _in_temporary_directory(call):
    """``call(directory)`` in a new temporary directory, which must be unchanged after."""
    def run():
        with tempfile.TemporaryDirectory() as directory:
            open(os.path.join(directory, "keep.npz"), "wb").close()
            try:
                call(directory)
            finally:
                assert os.listdir(directory) == ["keep.npz"], os.listdir(directory)
    return run


def _without_write_access(call):
    """``call(directory)`` as a user who may not write ``keep.npz`` nor create files in
    the directory (os.access says no, as for a 0444 file without DAC override)."""
    def run(directory):
        real = os.access
        os.access = lambda path, mode: False if os.fspath(path).startswith(directory) else real(path, mode)
        try:
            call(directory)
        finally:
            os.access = real
    return _in_temporary_directory(run)


def _save(path_in):
    return lambda directory: nn.save(nn.tensor_mlp(2, [1], seed=0), path_in(directory))


def _save_to_a_fifo(directory):
    import stat

    fifo = os.path.join(directory, "pipe")
    os.mkfifo(fifo)
    try:
        nn.save(nn.tensor_mlp(2, [1], seed=0), fifo)
    finally:
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        os.unlink(fifo)


def _forged_archive(directory):
    """An npz whose one entry's header claims 10**11 floats (745 GiB) in 80 bytes."""
    import io
    import zipfile

    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**11,)})
    path = os.path.join(directory, "forged.npz")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("layers.0.W.npy", header.getvalue() + bytes(80))
    try:
        nn.load(nn.tensor_mlp(2, [1], seed=0), path)
    finally:
        os.unlink(path)


def _load_state(edit):
    def run():
        model = nn.tensor_mlp(2, [1], seed=0)
        model.load_state_dict(edit(model.state_dict()))
    return run


def _step_with_grad(grad):
    W = autograd.Tensor(np.zeros(3))
    W.grad = grad
    nn.SGD([W], lr=0.1).step()


class _Named(nn.Module):
    def __init__(self, name):
        setattr(self, name, autograd.Value(1.0))


CATALOGUE = [
    # building models
    BadInput("nn", "MLP(2, 3)", lambda: nn.MLP(2, 3), TypeError,
             "layer sizes must be a list of integers such as [16, 16, 1], got int 3 (for a single layer write [3])"),
    BadInput("nn", "MLP(2, '16')", lambda: nn.MLP(2, "16"), TypeError, "layer sizes must be a list of integers"),
    BadInput("nn", "MLP(2, [16, '1'])", lambda: nn.MLP(2, [16, "1"]), TypeError,
             "layer size 1 must be an integer, got str '1'"),
    BadInput("nn", "MLP(2, [16, 0])", lambda: nn.MLP(2, [16, 0]), ValueError, "layer size 1 must be >= 1"),
    BadInput("nn", "MLP(2.5, [3])", lambda: nn.MLP(2.5, [3]), TypeError, "nin must be an integer, got float 2.5"),
    BadInput("nn", "MLP(2, [])", lambda: nn.MLP(2, []), ValueError, "needs at least one layer size"),
    BadInput("nn", "MLP(2, [1], seed='a')", lambda: nn.MLP(2, [1], seed="a"), TypeError,
             "seed must be an int, a random.Random or None"),
    BadInput("nn", "tensor_mlp(64, 10)", lambda: nn.tensor_mlp(64, 10), TypeError, "for a single layer write [10]"),
    BadInput("nn", "Linear(784.0, 10)", lambda: nn.Linear(784.0, 10), TypeError, "Linear: nin must be an integer"),
    BadInput("nn", "Linear(2, 1, bias='no')", lambda: nn.Linear(2, 1, bias="no"), TypeError,
             "Linear: bias must be True or False, got str 'no'"),
    BadInput("nn", "model.train('no')", lambda: nn.tensor_mlp(2, [1], seed=0).train("no"), ValueError,
             "training mode must be True or False, got str 'no'"),
    BadInput("nn", "Linear(2, 3, init='kaiming')", lambda: nn.Linear(2, 3, init="kaiming"), ValueError,
             "unknown init 'kaiming'; choose one of torch, he_uniform, he_normal, xavier_uniform, "
             "xavier_normal, micrograd"),
    # optimizers
    BadInput("nn", "SGD(p + p) with p = model.parameters()", lambda: (lambda p: nn.SGD(p + p, lr=0.1))(_params()),
             ValueError, "parameter 13 is the same object as parameter 0"),
    BadInput("nn", "Adam(p + p)", lambda: (lambda p: nn.Adam(p + p))(_params()), ValueError,
             "an optimizer takes each parameter once"),
    BadInput("nn", "SGD(model, lr=0.1)", lambda: nn.SGD(nn.MLP(2, [1], seed=0), lr=0.1), TypeError,
             "pass model.parameters()"),
    BadInput("nn", "SGD([1.0, 2.0], lr=0.1)", lambda: nn.SGD([1.0, 2.0], lr=0.1), TypeError,
             "parameter 0 is a float, not a Value or Tensor"),
    BadInput("nn", "SGD(params, lr='0.1')", lambda: nn.SGD(_params(), lr="0.1"), ValueError,
             "learning rate must be a number >= 0, got '0.1'"),
    BadInput("nn", "Adam(params, betas=(0.9,))", lambda: nn.Adam(_params(), betas=(0.9,)), ValueError,
             "betas must be a pair (beta1, beta2) of numbers in [0, 1) such as (0.9, 0.999), got (0.9,)"),
    BadInput("nn", "Adam(params, betas=0.9)", lambda: nn.Adam(_params(), betas=0.9), ValueError,
             "betas must be a pair (beta1, beta2)"),
    BadInput("nn", "Adam(params, betas=(0.9, 0.99, 0.1))", lambda: nn.Adam(_params(), betas=(0.9, 0.99, 0.1)),
             ValueError, "betas must be a pair (beta1, beta2)"),
    BadInput("nn", "Adam(params, betas=('0.9', '0.999'))", lambda: nn.Adam(_params(), betas=("0.9", "0.999")),
             ValueError, "got ('0.9', '0.999')"),
    BadInput("nn", "Adam(params, betas=(0.9, nan))", lambda: nn.Adam(_params(), betas=(0.9, float("nan"))),
             ValueError, "numbers in [0, 1)"),
    BadInput("nn", "SGD step with W.grad of shape (3, 3) for W of shape (3,)", lambda: _step_with_grad(np.ones((3, 3))),
             ValueError, "parameter 0 has shape (3,) but its gradient is ndarray (3, 3): it must be real numbers of "
             "the parameter's shape (no parameter was updated)"),
    BadInput("nn", "SGD(params, lr=10**400)", lambda: nn.SGD(_params(), lr=10**400), ValueError,
             "learning rate must be a number >= 0, got 1000"),
    # training
    BadInput("nn", "fit(model, X, y in {0, 1}, hinge_loss, ...)",
             lambda: _fit(nn.MLP(2, [1], seed=0), X_MOONS, Y_MOONS, nn.hinge_loss), ValueError,
             "y: hinge_loss needs labels -1 or +1, got 0 (for labels 0 and 1 write 2 * y - 1)"),
    BadInput("nn", "fit(model, ..., SGD(other_model.parameters(), ...))",
             lambda: nn.fit(nn.MLP(2, [1], seed=0), X_MOONS, 2 * Y_MOONS - 1, nn.hinge_loss,
                            nn.SGD(nn.MLP(2, [1], seed=0).parameters(), lr=0.1), 2, progress=False), ValueError,
             "the optimizer holds none of this MLP's parameters, so training would change nothing"),
    BadInput("nn", "fit(..., batch_size='8')", lambda: _fit(batch_size="8"), TypeError,
             "fit: batch_size must be an integer, got str '8'"),
    BadInput("nn", "fit(..., batch_size=2.5)", lambda: _fit(batch_size=2.5), TypeError,
             "fit: batch_size must be an integer, got float 2.5"),
    BadInput("nn", "fit(..., batch_size=True)", lambda: _fit(batch_size=True), TypeError,
             "fit: batch_size must be an integer, got bool True"),
    BadInput("nn", "fit(..., batch_size=0)", lambda: _fit(batch_size=0), ValueError, "batch_size must be >= 1"),
    BadInput("nn", "fit(..., l2=-1)", lambda: _fit(l2=-1), ValueError, "l2 must be a finite number >= 0, got -1"),
    BadInput("nn", "fit(..., l2=float('inf'))", lambda: _fit(l2=float("inf")), ValueError,
             "l2 must be a finite number >= 0, got inf"),
    BadInput("nn", "fit(..., lr_schedule=lambda k: nan)", lambda: _fit(lr_schedule=lambda k: float("nan")),
             ValueError, "lr_schedule(0) returned nan; a learning rate must be a finite number >= 0"),
    BadInput("nn", "fit(..., steps=5, lr_schedule=lambda k: 0.5 - 0.25 * k) (negative at step 3)",
             lambda: _fit(steps=5, lr_schedule=lambda k: 0.5 - 0.25 * k), ValueError, "lr_schedule(3) returned -0.25"),
    BadInput("nn", "fit(..., progress='no')", lambda: _fit(progress="no"), TypeError,
             "fit: progress must be True or False"),
    BadInput("nn", "fit(model, np.zeros((0, 2)), [], ...)", lambda: _fit(X=np.zeros((0, 2)), y=[]), ValueError,
             "X is empty (shape (0, 2))"),
    BadInput("nn", "fit(model, [1.0, 2.0], [0, 1], ...) (1-D X)", lambda: _fit(X=[1.0, 2.0], y=[0, 1]), ValueError,
             "X must be a 2-D array of shape (samples, features), got shape (2,)"),
    BadInput("nn", "fit(..., steps=2.5)", lambda: _fit(steps=2.5), ValueError, "steps must be an integer >= 0"),
    BadInput("nn", "fit(..., eval_every=0)", lambda: _fit(validation=(X_BLOBS, Y_BLOBS), eval_every=0), ValueError,
             "eval_every must be an integer >= 1"),
    BadInput("nn", "fit with a label 3 for a 3-class model",
             lambda: _fit(y=np.where(Y_BLOBS == 2, 3, Y_BLOBS), batch_size=8), ValueError,
             "class label 3 is not an integer in [0, 3): there are 3 classes (the model has 3 outputs)"),
    BadInput("nn", "fit(..., validation=(X_val with 3 features, y_val))",
             lambda: _fit(validation=(np.zeros((10, 3)), np.zeros(10))), ValueError,
             "validation X has shape (10, 3) but X has shape (60, 2)"),
    BadInput("nn", "fit(..., validation=(X_val, y_val with fewer labels))",
             lambda: _fit(validation=(X_BLOBS, Y_BLOBS[:-1])), ValueError,
             "validation X has 60 rows but validation y has 59 labels"),
    BadInput("nn", "fit(..., validation=X_val)", lambda: _fit(validation=X_BLOBS), TypeError,
             "validation must be a pair (X_val, y_val)"),
    BadInput("nn", "fit(..., validation=(X_val, [5, ...])) with 3 classes",
             lambda: _fit(validation=(X_BLOBS[:2], [5, 0])), ValueError, "validation labels: class label 5"),
    # losses and metrics
    BadInput("nn", "cross_entropy_loss(scores of 10 classes, [10])",
             lambda: nn.cross_entropy_loss(autograd.Tensor(np.zeros((1, 10))), [10]), ValueError,
             "class label 10 is not an integer in [0, 10): there are 10 classes"),
    BadInput("nn", "cross_entropy_loss(scores, [0, 2.5])",
             lambda: nn.cross_entropy_loss(autograd.Tensor(np.zeros((2, 3))), [0, 2.5]), ValueError,
             "class label 2.5 is not an integer in [0, 3)"),
    BadInput("nn", "cross_entropy_loss(scores, [nan])",
             lambda: nn.cross_entropy_loss(autograd.Tensor(np.zeros((1, 3))), [float("nan")]), ValueError,
             "class label nan is not an integer"),
    BadInput("nn", "cross_entropy_loss(scores, ['1']) (labels as text)",
             lambda: nn.cross_entropy_loss(autograd.Tensor(np.zeros((1, 3))), ["1"]), ValueError,
             "class label '1' is not an integer"),
    BadInput("nn", "multiclass_accuracy([[0.1, 0.9]], [2])", lambda: nn.multiclass_accuracy([[0.1, 0.9]], [2]),
             ValueError, "class label 2 is not an integer in [0, 2)"),
    BadInput("nn", "confusion_matrix([0, 12], [1, 2], num_classes=10)",
             lambda: nn.confusion_matrix([0, 12], [1, 2], num_classes=10), ValueError,
             "class label 12 is not an integer in [0, 10)"),
    BadInput("nn", "confusion_matrix([0, 1], [-1, 1])", lambda: nn.confusion_matrix([0, 1], [-1, 1]), ValueError,
             "class label -1 is not an integer"),
    BadInput("nn", "binary_accuracy([0.5, -1.0], [1, nan])",
             lambda: nn.binary_accuracy([0.5, -1.0], [1, float("nan")]), ValueError,
             "label 1 is nan, which is in neither class"),
    BadInput("nn", "confusion_matrix([0.5], [1])", lambda: nn.confusion_matrix([0.5], [1]), ValueError,
             "class label 0.5 is not an integer"),
    BadInput("nn", "confusion_matrix([0, 1], [0, 10**9])", lambda: nn.confusion_matrix([0, 1], [0, 10**9]),
             ValueError, "1000000001 classes would make a 1000000001 x 1000000001 matrix"),
    BadInput("nn", "nn.predict(tensor_model, [1.0, 2.0]) (1-D X)",
             lambda: nn.predict(nn.tensor_mlp(2, [1], seed=0), [1.0, 2.0]), ValueError,
             "X must be a 2-D array of shape (samples, features), got shape (2,); for one sample write [x]"),
    BadInput("nn", "nn.predict(scalar_model, [1.0, 2.0]) (1-D X)",
             lambda: nn.predict(nn.MLP(2, [1], seed=0), [1.0, 2.0]), ValueError, "got shape (2,)"),
    BadInput("nn", "nn.inference.decision_grid(model, X, resolution=2.5)",
             lambda: nn.inference.decision_grid(nn.tensor_mlp(2, [1], seed=0), X_MOONS, 2.5), TypeError,
             "decision_grid: resolution must be an integer, got float 2.5"),
    BadInput("nn", "argmax([0.5, -0.2]) (one score per sample)", lambda: nn.argmax([0.5, -0.2]), ValueError,
             "the class is score > 0"),
    # data
    BadInput("nn", "train_test_split(X, y, test_size=0)",
             lambda: nn.data.train_test_split(X_MOONS, Y_MOONS, test_size=0), ValueError,
             "test_size must be a fraction strictly between 0 and 1, got 0"),
    BadInput("nn", "train_test_split(X, y, test_size=1.5)",
             lambda: nn.data.train_test_split(X_MOONS, Y_MOONS, test_size=1.5), ValueError,
             "strictly between 0 and 1, got 1.5"),
    BadInput("nn", "train_test_split(X, y, test_size=20) (a count)",
             lambda: nn.data.train_test_split(X_MOONS, Y_MOONS, test_size=20), ValueError,
             "test_size must be a fraction"),
    BadInput("nn", "train_test_split with one sample of class 2",
             lambda: nn.data.train_test_split(np.zeros((5, 2)), [0, 0, 1, 1, 2]), ValueError,
             "too few samples to stratify: class 2 (1 row)"),
    BadInput("nn", "train_test_split of continuous targets",
             lambda: nn.data.train_test_split(np.zeros((4, 2)), [0.1, 0.2, 0.3, 0.4]), ValueError,
             "or pass stratify=False"),
    BadInput("nn", "train_test_split(X with 5 rows, y with 4)",
             lambda: nn.data.train_test_split(np.zeros((5, 2)), [0, 1, 0, 1]), ValueError,
             "X has 5 rows but y has 4"),
    BadInput("nn", "train_test_split(X, [nan, nan, 1., 1.])",
             lambda: nn.data.train_test_split(np.zeros((4, 2)), [float("nan"), float("nan"), 1.0, 1.0]), ValueError,
             "cannot stratify: class label nan is not an integer"),
    BadInput("nn", "train_test_split(X, [0, 0, inf, inf])",
             lambda: nn.data.train_test_split(np.zeros((4, 2)), [0, 0, float("inf"), float("inf")]), ValueError,
             "class label inf is not an integer"),
    BadInput("nn", "train_test_split(X, one-hot y of shape (4, 2))",
             lambda: nn.data.train_test_split(np.zeros((4, 2)), np.eye(2)[[0, 0, 1, 1]]), ValueError,
             "stratify needs one class label per row, y has shape (4, 2)"),
    BadInput("nn", "train_test_split(X, y, stratify='no')",
             lambda: nn.data.train_test_split(X_MOONS, Y_MOONS, stratify="no"), TypeError,
             "train_test_split: stratify must be True or False, got str 'no'"),
    BadInput("nn", "train_test_split(X, y, test_size='0.2')",
             lambda: nn.data.train_test_split(X_MOONS, Y_MOONS, test_size="0.2"), ValueError,
             "test_size must be a fraction strictly between 0 and 1, got '0.2'"),
    BadInput("nn", "make_blobs(10, centers=2.5)", lambda: nn.data.make_blobs(10, centers=2.5), TypeError,
             "make_blobs: centers must be an integer, got float 2.5"),
    BadInput("nn", "make_spiral(10, classes=0)", lambda: nn.data.make_spiral(10, classes=0), ValueError,
             "make_spiral: classes must be >= 1"),
    BadInput("nn", "make_moons(-5)", lambda: nn.data.make_moons(-5), ValueError,
             "make_moons: n must be >= 1, got n=-5"),
    BadInput("nn", "make_circles(100.0)", lambda: nn.data.make_circles(100.0), TypeError,
             "make_circles: n must be an integer, got float 100.0"),
    BadInput("nn", "make_xor(noise=nan)", lambda: nn.data.make_xor(noise=float("nan")), ValueError,
             "make_xor: noise must be a finite number >= 0, got nan"),
    BadInput("nn", "make_blobs(std=-1)", lambda: nn.data.make_blobs(std=-1), ValueError,
             "make_blobs: std must be a finite number >= 0"),
    BadInput("nn", "nn.data.batches(X, y, batch_size='8')",
             lambda: list(nn.data.batches(X_MOONS, Y_MOONS, "8")), TypeError,
             "minibatch_indices: batch_size must be an integer, got str '8'"),
    BadInput("nn", "standardize(X_train, X_test with other features)",
             lambda: nn.data.standardize(np.zeros((4, 3)), np.zeros((2, 2))), ValueError,
             "cannot standardize rows of shape (2, 2) with the statistics of shape (4, 3)"),
    BadInput("nn", "load_digits() without scikit-learn",
             _without("sklearn", "sklearn.datasets")(nn.data.load_digits), ImportError,
             "pip install 'chainrule[datasets]'"),
    # checkpoints
    BadInput("nn", "nn.load(model, 'weights.npy') (an np.save file)", _npy_file, ValueError,
             "is not a model saved by nn.save (an .npz archive of arrays): it holds a single array (.npy"),
    BadInput("nn", "nn.load(model, a file of random bytes)",
             lambda: _load(bytes(np.random.default_rng(0).integers(0, 256, 300, dtype=np.uint8)).replace(b"PK", b"")),
             ValueError, "is not a model saved by nn.save (an .npz archive of arrays): it is not a zip archive"),
    BadInput("nn", "nn.load(model, an empty file)", lambda: _load(b""), ValueError, "it is not a zip archive"),
    BadInput("nn", "nn.load(model, a damaged zip)", lambda: _load(b"PK\x03\x04" + bytes(60)), ValueError,
             "BadZipFile"),
    BadInput("nn", "nn.save(model, 'no/such/dir/model.npz')",
             lambda: nn.save(nn.MLP(2, [1], seed=0), os.path.join(tempfile.gettempdir(), "no-such-dir-x", "m.npz")),
             FileNotFoundError, "no-such-dir-x' does not exist"),
    BadInput("nn", "nn.save(model, '/dev/null') (a device, never replaced by a file)",
             lambda: nn.save(nn.tensor_mlp(2, [1], seed=0), os.devnull), FileExistsError,
             "it is a character device, not a regular file"),
    BadInput("nn", "nn.save(model, a FIFO)", _in_temporary_directory(_save_to_a_fifo), FileExistsError,
             "it is a FIFO (named pipe), not a regular file"),
    BadInput("nn", "nn.save(model, a file the user may not write (0444))",
             _without_write_access(_save(lambda d: os.path.join(d, "keep.npz"))), PermissionError,
             "keep.npz': the file is write-protected"),
    BadInput("nn", "nn.save(model, a file in a read-only directory)",
             _without_write_access(_save(lambda d: os.path.join(d, "new.npz"))), PermissionError,
             "new.npz': you may not create files in the directory"),
    BadInput("nn", "nn.save(model, '')", lambda: nn.save(nn.tensor_mlp(2, [1], seed=0), ""), FileNotFoundError,
             "cannot save to '': the path is empty"),
    BadInput("nn", "nn.save(model, b'')", lambda: nn.save(nn.tensor_mlp(2, [1], seed=0), b""), FileNotFoundError,
             "cannot save to '': the path is empty"),
    BadInput("nn", "nn.save(model, a directory)", _in_temporary_directory(_save(lambda d: d)), IsADirectoryError,
             "it is a directory, not a regular file"),
    BadInput("nn", "nn.save(model, 'models/') (a path ending in /)",
             _in_temporary_directory(_save(lambda d: os.path.join(d, "models") + os.sep)), IsADirectoryError,
             "a path ending in '/' names a directory"),
    BadInput("nn", "nn.save('model.npz', model) (arguments swapped)",
             lambda: nn.save("model.npz", nn.tensor_mlp(2, [1], seed=0)), TypeError,
             "nn.save(module, path) takes a Module first, got str"),
    BadInput("nn", "nn.save(model, 3)", lambda: nn.save(nn.tensor_mlp(2, [1], seed=0), 3), TypeError,
             "a path must be a str, bytes or os.PathLike, got int"),
    BadInput("nn", "nn.save of a parameter named 'a\\0b'",
             _in_temporary_directory(lambda d: nn.save(_Named("a\0b"), os.path.join(d, "m.npz"))), ValueError,
             "cannot be stored in a zip archive (it holds a NUL character)"),
    BadInput("nn", "nn.load(model, an npz whose header claims 10**11 floats)", _in_temporary_directory(_forged_archive),
             ValueError, "is not a model saved by nn.save (an .npz archive of arrays): ValueError: the entry "
             "'layers.0.W.npy': its header claims shape (100000000000,)"),
    BadInput("nn", "nn.load(model, '')", lambda: nn.load(nn.tensor_mlp(2, [1], seed=0), ""), FileNotFoundError,
             "cannot load '': the path is empty"),
    BadInput("nn", "nn.load(model, a directory)",
             _in_temporary_directory(lambda d: nn.load(nn.tensor_mlp(2, [1], seed=0), d)), IsADirectoryError,
             "it is a directory, not a regular file"),
    BadInput("nn", "model.load_state_dict({**state, 3: 1.0}) (an int key)", _load_state(lambda s: {**s, 3: 1.0}),
             TypeError, "state dict keys must be parameter names (strings such as 'layers.0.W'), got int 3"),
    BadInput("nn", "model.load_state_dict(list(state.items()))", _load_state(lambda s: list(s.items())), TypeError,
             "load_state_dict takes a mapping of parameter name to array (such as model.state_dict()), got list; "
             "for a list of (name, array) pairs write dict(pairs)"),
    BadInput("nn", "model.load_state_dict({..., 'layers.0.W': [[1, 2], [3]]}) (ragged)",
             _load_state(lambda s: {**s, "layers.0.W": [[1.0, 2.0], [3.0]]}), ValueError,
             "not arrays of real numbers: layers.0.W"),
    # the torch bridge
    BadInput("nn", "to_torch(nn.MLP(2, [4, 1]))", _with_torch(lambda: nn.to_torch(nn.MLP(2, [4, 1], seed=0))),
             TypeError, "cannot translate layer 0 (MLP"),
    BadInput("nn", "to_torch(Sequential(Linear(2, 3), a module of your own))",
             _with_torch(lambda: nn.to_torch(nn.Sequential(nn.Linear(2, 3), nn.Neuron(3)))),
             TypeError, "cannot translate layer 1 (Neuron"),
    BadInput("nn", "from_torch(Sequential(Linear(4, 4), Dropout(0.5)))",
             lambda: nn.from_torch(_torch_module(("Linear", (4, 4)), ("Dropout", (0.5,)))), TypeError,
             "cannot translate layer 1 (Dropout: Dropout(p=0.5, inplace=False)) from torch"),
    BadInput("nn", "from_torch(a float16 Linear)",
             lambda: nn.from_torch(_torch_module(("Linear", (2, 2))).half()), TypeError,
             "dtype torch.float16 is not float32 or float64"),
    BadInput("nn", "from_torch(model) with a chainrule model",
             _with_torch(lambda: nn.from_torch(nn.tensor_mlp(2, [1], seed=0))), TypeError,
             "takes a torch.nn.Module, got Sequential"),
    BadInput("nn", "to_torch(model) without torch installed",
             _without("torch")(lambda: nn.to_torch(nn.tensor_mlp(2, [1], seed=0))), ImportError,
             "nn.to_torch needs PyTorch, which is not installed: pip install torch"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_input_gets_a_clear_error(bad):
    check(bad)


def test_a_refused_fit_changes_no_parameter():
    model = nn.tensor_mlp(2, [4, 3], seed=0)
    before = [p.data.copy() for p in model.parameters()]
    for kwargs in ({"y": np.where(Y_BLOBS == 2, 3, Y_BLOBS), "batch_size": 8},
                   {"validation": (np.zeros((10, 3)), np.zeros(10))},
                   {"steps": 5, "lr_schedule": lambda k: 0.5 - 0.25 * k}, {"l2": -1}):
        with pytest.raises(ValueError):
            _fit(model, **kwargs)
    assert all(np.array_equal(b, p.data) for b, p in zip(before, model.parameters()))
