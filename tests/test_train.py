"""The training loop helper."""
import re

import numpy as np
import pytest

import nn
from nn import data


def moons():
    X, y = data.make_moons(60, seed=0)
    return X, [2 * int(t) - 1 for t in y]


def test_fit_learns_moons_and_records_history():
    X, y = moons()
    model = nn.MLP(2, [8, 8, 1], seed=0)
    opt = nn.SGD(model.parameters(), lr=0.5)
    hist = nn.fit(model, X, y, nn.hinge_loss, opt, 40, l2=1e-4, progress=False)
    assert len(hist.loss) == len(hist.accuracy) == len(hist.lr) == 40
    assert hist.loss[-1] < hist.loss[0] / 3
    assert nn.binary_accuracy(nn.predict(model, X), y) >= 0.9


def test_fit_step_is_one_sgd_step_on_the_regularised_loss():
    X, y = moons()
    a, b = nn.MLP(2, [4, 1], seed=1), nn.MLP(2, [4, 1], seed=1)
    nn.fit(a, X, y, nn.hinge_loss, nn.SGD(a.parameters(), lr=0.1), 1, l2=0.01, progress=False)
    loss = nn.hinge_loss([b(x) for x in X.tolist()], y) + 0.01 * nn.l2_penalty(b.parameters())
    loss.backward()
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert pa.data == pytest.approx(pb.data - 0.1 * pb.grad, rel=1e-12, abs=1e-15)


def test_lr_schedule_is_applied_each_step():
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    hist = nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=1.0), 5,
                  lr_schedule=lambda k: 1.0 - 0.1 * k, progress=False)
    assert hist.lr == pytest.approx([1.0, 0.9, 0.8, 0.7, 0.6])


def test_minibatches_are_used_and_seedable():
    X, y = moons()
    runs = []
    for seed in (0, 0, 1):
        model = nn.MLP(2, [4, 1], seed=0)
        runs.append(nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 8,
                           batch_size=16, seed=seed, progress=False).loss)
    assert runs[0] == runs[1] != runs[2]


def test_multiclass_training_with_cross_entropy():
    X, y = data.make_blobs(60, centers=3, std=0.3, seed=0)
    model = nn.MLP(2, [8, 3], seed=0)
    hist = nn.fit(model, X, y.tolist(), nn.cross_entropy_loss, nn.Adam(model.parameters(), lr=0.05), 30,
                  accuracy_fn=nn.multiclass_accuracy, progress=False)
    assert hist.accuracy[-1] >= 0.9


def test_progress_bar_shows_loss_and_accuracy_and_can_be_silenced(capsys):
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 3, progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and "loss=" in err and "acc=" in err
    nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 3, progress=False)
    assert capsys.readouterr() == ("", "")


def test_predict_records_no_graph():
    out = nn.predict(nn.MLP(2, [3, 1], seed=0), np.array([[0.1, 0.2]]))
    assert len(out) == 1 and not out[0].requires_grad


def test_bad_arguments_are_refused():
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    opt = nn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        nn.fit(model, X, y, nn.hinge_loss, opt, -1, progress=False)
    with pytest.raises(ValueError, match="X has 60 rows but y has 59 labels"):
        nn.fit(model, X, y[:-1], nn.hinge_loss, opt, 1, progress=False)


def _blobs():
    X, y = data.make_blobs(150, centers=3, std=0.4, seed=0)
    return data.train_test_split(X, y, test_size=0.2, seed=0)


def test_validation_is_recorded_every_k_steps_and_after_the_last():
    X, X_val, y, y_val = _blobs()
    model = nn.tensor_mlp(2, [8, 3], seed=0)
    hist = nn.fit(model, X, y, nn.cross_entropy_loss, nn.Adam(model.parameters(), lr=0.05), 23,
                  validation=(X_val, y_val), eval_every=5, progress=False)
    assert hist.val_step == [5, 10, 15, 20, 23]
    assert len(hist.val_loss) == len(hist.val_accuracy) == 5 and len(hist.loss) == 23
    loss, acc = nn.evaluate(model, X_val, y_val, nn.cross_entropy_loss)
    assert hist.val_loss[-1] == loss and hist.val_accuracy[-1] == acc     # measured on the final model
    assert hist.val_loss[-1] < hist.val_loss[0] and hist.val_accuracy[-1] >= 0.9


def test_validation_loss_is_the_loss_on_all_validation_rows_without_l2():
    X, X_val, y, y_val = _blobs()
    model = nn.tensor_mlp(2, [4, 3], seed=1)
    hist = nn.fit(model, X, y, nn.cross_entropy_loss, nn.SGD(model.parameters(), lr=0.1), 1, l2=0.5,
                  validation=(X_val, y_val), progress=False)
    scores = model(X_val)
    assert hist.val_loss == [pytest.approx(nn.cross_entropy_loss(scores, y_val).item(), rel=1e-12)]
    assert hist.val_accuracy == [nn.multiclass_accuracy(scores, y_val)]


def test_evaluation_records_no_graph_and_changes_no_gradient():
    X, X_val, y, y_val = _blobs()
    model = nn.tensor_mlp(2, [4, 3], seed=1)
    nn.cross_entropy_loss(model(X), y).backward()
    grads = [p.grad.copy() for p in model.parameters()]
    nn.evaluate(model, X_val, y_val, nn.cross_entropy_loss)
    assert all(np.array_equal(g, p.grad) for g, p in zip(grads, model.parameters()))


def test_scalar_models_are_validated_too():
    X, y = moons()
    model = nn.MLP(2, [4, 1], seed=0)
    hist = nn.fit(model, X[:40], y[:40], nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 4,
                  validation=(X[40:], y[40:]), eval_every=2, progress=False)
    assert hist.val_step == [2, 4]
    assert hist.val_accuracy[-1] == nn.binary_accuracy(nn.predict(model, X[40:]), y[40:])


def test_progress_bar_shows_validation(capsys):
    X, X_val, y, y_val = _blobs()
    model = nn.tensor_mlp(2, [4, 3], seed=0)
    nn.fit(model, X, y, nn.cross_entropy_loss, nn.SGD(model.parameters(), lr=0.1), 4,
           validation=(X_val, y_val), eval_every=2, progress=True)
    err = capsys.readouterr().err
    assert "val_loss=" in err and "val_acc=" in err and "4/4" in err


def test_cross_entropy_in_fit_and_predict_for_a_tensor_classifier():
    X, X_val, y, y_val = _blobs()
    model = nn.tensor_mlp(2, [16, 3], seed=0)
    hist = nn.fit(model, X, y, nn.cross_entropy_loss, nn.Adam(model.parameters(), lr=0.05), 60, progress=False)
    assert hist.accuracy[-1] >= 0.9            # the default accuracy_fn is argmax-based for class scores
    scores = nn.predict(model, X_val)
    assert len(scores) == len(X_val) and all(s.shape == (3,) for s in scores)    # class scores per row
    labels = nn.argmax(scores)
    assert labels.dtype.kind == "i" and np.mean(labels == y_val) >= 0.9
    probabilities = model(X_val).softmax(axis=1).data
    assert np.array_equal(np.argmax(probabilities, axis=1), labels)           # softmax keeps the argmax


def test_class_labels_are_checked_before_the_first_step():
    X, X_val, y, y_val = _blobs()
    model = nn.tensor_mlp(2, [4, 3], seed=0)
    before = [p.data.copy() for p in model.parameters()]
    bad = y.copy()
    bad[-1] = 3
    for loss in (nn.cross_entropy_loss, nn.multiclass_svm_loss):
        with pytest.raises(ValueError, match=r"class label 3 is not an integer in \[0, 3\).*3 outputs"):
            nn.fit(model, X, bad, loss, nn.SGD(model.parameters(), lr=0.1), 5, batch_size=8, progress=False)
    with pytest.raises(ValueError, match="validation labels: class label -1"):
        nn.fit(model, X, y, nn.cross_entropy_loss, nn.SGD(model.parameters(), lr=0.1), 5,
               validation=(X_val, np.where(y_val == 0, -1, y_val)), progress=False)
    assert all(np.array_equal(b, p.data) for b, p in zip(before, model.parameters()))


def test_live_false_needs_no_live_module():
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    assert len(nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 2,
                      live=False, progress=False).loss) == 2


def _trained_parameters(model):
    return [p.data for p in model.parameters()]


@pytest.mark.parametrize("schedule, step, rate", [
    (lambda k: float("nan"), 0, "nan"), (lambda k: 0.5 - 0.25 * k, 3, "-0.25"),
    (lambda k: float("inf") if k == 4 else 0.1, 4, "inf"), (lambda k: "0.1", 0, "'0.1'"),
])
def test_a_bad_learning_rate_from_the_schedule_is_refused_before_any_step(schedule, step, rate):
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    before = _trained_parameters(model)
    with pytest.raises(ValueError, match=rf"lr_schedule\({step}\) returned {rate}; a learning rate must be a "
                                         "finite number >= 0"):
        nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 5, lr_schedule=schedule,
               progress=False)
    assert _trained_parameters(model) == before


@pytest.mark.parametrize("kwargs, error, says", [
    ({"l2": -1}, ValueError, "l2 must be a finite number >= 0, got -1"),
    ({"l2": float("nan")}, ValueError, "l2 must be a finite number >= 0, got nan"),
    ({"batch_size": "8"}, TypeError, "fit: batch_size must be an integer, got str '8'"),
    ({"batch_size": 2.5}, TypeError, "fit: batch_size must be an integer, got float 2.5"),
    ({"batch_size": True}, TypeError, "fit: batch_size must be an integer, got bool True"),
    ({"progress": "no"}, TypeError, "fit: progress must be True or False"),
])
def test_bad_options_are_refused_before_any_step(kwargs, error, says):
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    before = _trained_parameters(model)
    kwargs.setdefault("progress", False)
    with pytest.raises(error, match=re.escape(says)):
        nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 3, **kwargs)
    assert _trained_parameters(model) == before


def test_an_integer_batch_size_of_any_integer_type_works():
    X, y = moons()
    model = nn.MLP(2, [2, 1], seed=0)
    hist = nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 2, batch_size=np.int64(8),
                  progress=False)
    assert len(hist.loss) == 2


def test_hinge_loss_labels_must_be_minus_one_or_plus_one():
    X, y = data.make_moons(20, seed=0)        # labels 0 and 1: class 0 would give loss 1 and no gradient
    model = nn.MLP(2, [2, 1], seed=0)
    before = _trained_parameters(model)
    with pytest.raises(ValueError, match=r"y: hinge_loss needs labels -1 or \+1, got 0 \(for labels 0 and 1 write "
                                         r"2 \* y - 1\)"):
        nn.fit(model, X, y, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 2, progress=False)
    with pytest.raises(ValueError, match="validation labels: hinge_loss needs labels -1 or"):
        nn.fit(model, X, 2 * y - 1, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 2, progress=False,
               validation=(X, [float("nan")] * 20))
    assert _trained_parameters(model) == before
    nn.fit(model, X, 2.0 * y - 1, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 1, progress=False)  # floats


def test_an_optimizer_of_another_model_is_refused():
    X, y = moons()
    model, other = nn.MLP(2, [2, 1], seed=0), nn.MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match="the optimizer holds none of this MLP's parameters"):
        nn.fit(model, X, y, nn.hinge_loss, nn.SGD(other.parameters(), lr=0.1), 2, progress=False)
    some = model.parameters()[:3]    # training some parameters only (the others frozen) is fine
    nn.fit(model, X, y, nn.hinge_loss, nn.SGD(some, lr=0.1), 1, progress=False)
    assert [p.data for p in model.parameters()[3:]] == [p.data for p in other.parameters()[3:]]


def test_evaluate_checks_hinge_labels_too():
    X, y = data.make_moons(20, seed=0)
    model = nn.MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"y: hinge_loss needs labels -1 or \+1, got 0"):
        nn.evaluate(model, X, y, nn.hinge_loss)
    loss, _ = nn.evaluate(model, X, 2 * y - 1, nn.hinge_loss)
    assert loss == pytest.approx(nn.hinge_loss([model(x) for x in X.tolist()], (2 * y - 1).tolist()).data)
