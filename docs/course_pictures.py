"""Draw the picture of feedback on the graph used in the README's "Teaching a course":
a flat-code exercise whose line grad_w1 multiplies by the wrong input.

    python docs/course_pictures.py      # writes docs/course-feedback.png (needs Graphviz)
"""
from __future__ import annotations

import math
from pathlib import Path

from nn.course import evaluate


def neuron_backward(w0, x0, w1, x1, w2):
    """The sigmoid neuron's flat code with one mistake: grad_w1 uses w1 instead of x1."""
    s0 = w0 * x0
    s1 = w1 * x1
    s2 = s0 + s1
    s3 = s2 + w2
    L = 1 / (1 + math.exp(-s3))
    grad_L = 1.0
    grad_s3 = grad_L * (1 - L) * L
    grad_w2 = grad_s3
    grad_s2 = grad_s3
    grad_s0 = grad_s2
    grad_s1 = grad_s2
    grad_w1 = grad_s1 * w1
    grad_x1 = grad_s1 * w1
    grad_w0 = grad_s0 * x0
    grad_x0 = grad_s0 * w0
    return locals()


if __name__ == "__main__":
    result = evaluate("flat_code", neuron_backward, seed=0)
    print(result.message)
    out = Path(__file__).parent / "course-feedback.png"
    out.write_bytes(result.drawing.pipe("png"))
    print(f"wrote {out}")
