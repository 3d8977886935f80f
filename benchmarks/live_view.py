"""What the live training view costs: nn.fit with live=LiveView() (the defaults) against
plain nn.fit, both run in a real Jupyter kernel so that sending each update to the
notebook is counted too.

Target: at most 2x the plain time with the default settings.
Cases: the scalar nn.MLP 2-16-16-1 on 100 moons points (notebook 3's model) for 100 steps,
and the Tensor tensor_mlp 2-16-16-1 on 1,000 points for 1,000 steps.
The two runs of a case take turns, three times; the ratio is of the medians.
Needs the `notebooks` extra (ipykernel, jupyter_client) and Graphviz.
Run: python benchmarks/live_view.py
"""
from __future__ import annotations

import json

from jupyter_client.manager import start_new_kernel

KERNEL_CODE = r"""
import json, statistics, time
import nn
from nn.data import make_moons
from nn.live import LiveView

def seconds(make, points, steps, live):
    X, y = make_moons(points, noise=0.1, seed=0)
    labels = [2 * int(t) - 1 for t in y]
    model = make()
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    view = LiveView() if live else False
    start = time.perf_counter()
    nn.fit(model, X, labels, nn.hinge_loss, optimizer, steps=steps, l2=1e-4, progress=False, live=view)
    return time.perf_counter() - start, (len(view.frames) if live else 0), (view.view_seconds if live else 0.0)

results = {}
for name, make, points, steps in [
    ("scalar MLP 2-16-16-1, 100 points, 100 steps", lambda: nn.MLP(2, [16, 16, 1], seed=0), 100, 100),
    ("Tensor MLP 2-16-16-1, 1000 points, 1000 steps", lambda: nn.tensor_mlp(2, [16, 16, 1], seed=0), 1000, 1000),
]:
    plain, live = [], []
    for _ in range(3):
        plain.append(seconds(make, points, steps, False)[0])
        live.append(seconds(make, points, steps, True))
    results[name] = [statistics.median(plain), statistics.median(s for s, _, _ in live),
                     [n for _, n, _ in live], statistics.median(v for _, _, v in live)]
print("RESULT " + json.dumps(results))
"""


def main() -> None:
    manager, client = start_new_kernel(kernel_name="python3")
    printed: list[str] = []

    def keep_text(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            printed.append("\n".join(msg["content"]["traceback"]))

    try:
        client.execute_interactive(KERNEL_CODE, output_hook=keep_text, timeout=1800)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    text = "".join(printed)
    if "RESULT " not in text:
        raise SystemExit(f"the kernel did not finish the benchmark:\n{text}")
    results = json.loads(text.split("RESULT ", 1)[1])
    for name, (plain, live, frames, drawing) in results.items():
        print(f"{name}: plain fit {plain:.2f} s, with the live view {live:.2f} s "
              f"({'/'.join(map(str, frames))} redraws taking {drawing:.2f} s): {live / plain:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
