"""The feedback a student gets, opened in Chromium: the page of ``chainrule grade`` with the
drawing of a wrong flat-code line, its wrong value and edge in red, fitting the page."""
from __future__ import annotations


from nn.course import evaluate
from nn.grade import Outcome, _drawing_svg, feedback_page
from tests.scripts import load_script


def _pictured_mistake():
    """The flat code with one mistake that the README's picture shows (docs/course_pictures.py)."""
    return load_script("docs/course_pictures.py").neuron_backward


# the red of the wrong value's box and edge, and what the page's drawing measures
MEASURE = r"""() => {
    const svg = document.querySelector('.drawing svg');
    const red = Array.from(svg.querySelectorAll('[stroke], [fill]')).filter(e =>
        ['stroke', 'fill'].some(a => (e.getAttribute(a) || '').toLowerCase() === '#d62728'));
    const texts = Array.from(svg.querySelectorAll('text'), t => t.getBoundingClientRect().height)
        .filter(h => h > 0);
    return {width: svg.getBoundingClientRect().width, page: document.body.clientWidth,
            scroll: document.documentElement.scrollWidth, red: red.length,
            smallestText: Math.min(...texts),
            labels: Array.from(svg.querySelectorAll('text'), t => t.textContent)};
}"""


def test_a_feedback_page_shows_the_wrong_edge_in_red_and_fits(page, screenshot, tmp_path):
    result = evaluate("flat_code", _pictured_mistake(), seed=0)
    assert not result.passed and "grad_w1" in result.message
    outcome = Outcome("alice", "alice.ipynb", exercises=["flat_code"], results={"flat_code": {
        "passed": False, "points": 0, "max_points": result.max_points, "message": result.message,
        "svg": _drawing_svg(result.drawing)}})
    path = tmp_path / "alice.html"
    path.write_text(feedback_page(outcome), encoding="utf-8")
    page.goto(path.as_uri())
    shot = screenshot(page, "course-feedback-page", full_page=True)
    seen = page.evaluate(MEASURE)
    assert seen["red"] >= 2, seen  # the wrong value's box and its edge
    assert "yours" in seen["labels"] and any(t.startswith("expected") for t in seen["labels"]), seen["labels"]
    assert seen["width"] <= seen["page"] and seen["scroll"] <= page.viewport_size["width"], seen
    assert seen["smallestText"] >= 9, seen
    assert shot.stat().st_size > 10_000
