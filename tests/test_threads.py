"""Grad mode is per thread; backward passes from several threads run one at a time."""
from __future__ import annotations

import threading

import numpy as np

from autograd import Tensor, Value, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.core.mode import AllThreads as _AnyThread, THREAD_MODE as _mode


def _in_thread(fn):
    result = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as err:  # re-raised in the caller
            result["error"] = err

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_one_thread_in_no_grad_does_not_stop_another_from_recording():
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def predictor():
        with no_grad():
            inside.set()
            seen["constant"] = Value(2.0) * Value(3.0)
            done.wait(5)

    t = threading.Thread(target=predictor)
    t.start()
    inside.wait(5)
    x = Value(2.0)
    y = x * x + x.tanh()
    w = Tensor(np.ones(3))
    z = (w * 2).sum()
    done.set()
    t.join()
    assert y.requires_grad and y._prev and z.requires_grad and is_grad_enabled()
    y.backward()
    assert x.grad != 0.0
    assert not seen["constant"].requires_grad and seen["constant"]._prev == ()


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with no_grad():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with no_grad():
            second_in.set()
            first_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert is_grad_enabled() and _in_thread(is_grad_enabled) and _AnyThread.no_grad_blocks == 0
    assert (Value(1.0) * 2).requires_grad


def test_a_new_thread_starts_with_recording_on_and_anomaly_detection_off():
    with no_grad(), detect_anomaly():
        assert _in_thread(lambda: (is_grad_enabled(), _mode.detect_anomaly)) == (True, False)
        assert _in_thread(lambda: (Value(1.0) * 2).requires_grad)
        with enable_grad():
            assert (Value(1.0) * 2).requires_grad
        assert not (Value(1.0) * 2).requires_grad


def test_two_threads_backpropagating_one_graph_accumulate_as_two_calls_in_a_row():
    """Backward passes hold one lock: the leaves get the sum of all passes, exactly."""
    def graph():
        x = Value(0.3)
        y = x
        for _ in range(3000):
            y = (y * 1.01).tanh() + x * 0.001
        return x, y

    passes = 10
    reference, y_reference = graph()
    for _ in range(2 * passes):
        y_reference.backward()
    x, y = graph()

    def work():
        for _ in range(passes):
            y.backward()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert x.grad == reference.grad


def test_training_in_one_thread_while_another_predicts_under_no_grad():
    """Issue 11: 19 of 200 gradients were wrong while another thread predicted."""
    w = Value(0.5)

    def predict():
        for _ in range(200):
            with no_grad():
                (w * 3.0).tanh()

    t = threading.Thread(target=predict)
    t.start()
    wrong = 0
    for k in range(200):
        w.grad = 0.0
        x = 0.1 * k
        (w * x).backward()
        wrong += w.grad != x
    t.join()
    assert wrong == 0
