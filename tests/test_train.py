"""The training loop helper."""
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
