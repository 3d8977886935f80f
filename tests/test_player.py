"""The step-through player's HTML, read as text (tests/browser/ runs it in Chromium)."""
from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import animation_html
from autograd.drawing.player import PlayerHTML, animation_page, frames_in, pack_frames

FRAMES = ['<svg xmlns="http://www.w3.org/2000/svg">\n<text>one</text>\n</svg>',
          '<svg xmlns="http://www.w3.org/2000/svg">\n<text>two</text>\n</svg>']


def style_selectors(html: str) -> list[str]:
    (css,) = re.findall(r"<style>(.*?)</style>", html, re.S)
    return [s.strip() for rule in re.findall(r"([^{}]+)\{", css) for s in rule.split(",")]


def script_of(html: str) -> str:
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    return script


def test_frames_come_back_out_of_the_html_in_order() -> None:
    assert frames_in(animation_html(FRAMES)) == FRAMES
    assert frames_in(animation_page(FRAMES * 3)) == FRAMES * 3


@given(st.lists(st.lists(st.sampled_from(["<svg>", "</svg>", "<!-- c -->", "\r", "é \u2028", "a</script>b", ""]),
                         max_size=6).map("\n".join), min_size=1, max_size=5))
def test_packing_keeps_every_frame_exactly(bodies: list[str]) -> None:
    frames = ["<svg>" + body for body in bodies]
    html = animation_html(frames)
    assert frames_in(html) == frames
    assert "</script>" not in script_of(html).replace("</script>", "") and "<!--" not in script_of(html)


def test_shared_lines_are_stored_once() -> None:
    frames = ["<svg>\n" + "\n".join(f"<text>line {i}</text>" for i in range(100)) + f"\n<text>step {k}</text>\n</svg>"
              for k in range(50)]
    lines, runs = pack_frames(frames)
    assert len(lines) == 102 + 50
    assert all(len(r) <= 6 for r in runs)  # the shared lines are one run, then the step's own line, then </svg>
    assert len(animation_html(frames)) < sum(map(len, frames)) / 5


def test_the_fragment_has_no_ids_no_global_listeners_and_scoped_styles() -> None:
    html = animation_html(FRAMES)
    assert not re.search(r"\sid=", html)
    script = script_of(html)
    assert "document.addEventListener" not in script and "window" not in script and "getElementById" not in script
    assert "root.addEventListener(\"keydown\"" in script
    selectors = style_selectors(html)
    assert selectors and all(s.startswith(".chainrule-player") for s in selectors), selectors
    assert "<body" not in html and "<html" not in html
    no_namespace = animation_html(["<svg><text>one</text></svg>"])
    assert not re.search(r"https?:", no_namespace)  # nothing is fetched from anywhere
    assert set(re.findall(r'src="(\w+):', no_namespace)) == {"data"}


def test_without_javascript_the_last_frame_shows_with_a_note() -> None:
    html = animation_html(FRAMES)
    (static,) = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert base64.b64decode(static).decode() == FRAMES[-1]
    assert "controls need JavaScript" in html
    assert '<div class="cr-controls" style="display: none;">' in html


def test_title_is_escaped_and_cannot_reach_the_template() -> None:
    html = animation_html(FRAMES, title='<script>alert("x")</script> __RUNS__ & \'q\'')
    assert '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; __RUNS__ &amp; &#x27;q&#x27;' in html
    assert html.count("<script>") == 1
    page = animation_page(FRAMES, title="a <b> __PLAYER__")
    assert "<title>a &lt;b&gt; __PLAYER__</title>" in page
    assert page.count('class="chainrule-player"') == 1


def test_empty_title_draws_no_title_line() -> None:
    assert "cr-title\"" not in animation_html(FRAMES, title="")


def test_the_page_is_a_whole_document_around_one_player() -> None:
    page = animation_page(FRAMES, title="f")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert animation_html(FRAMES, title="f") in page


def test_the_same_frames_give_the_same_html_and_other_frames_another_key() -> None:
    key = re.compile(r'data-chainrule-player="([0-9a-f]+)"')
    assert animation_html(FRAMES) == animation_html(FRAMES)
    assert key.search(animation_html(FRAMES)).group(1) != key.search(animation_html(FRAMES[::-1])).group(1)


def test_jupyter_shows_the_player_and_a_short_text() -> None:
    player = animation_html(FRAMES, title="t")
    assert isinstance(player, PlayerHTML) and isinstance(player, str)
    bundle = player._repr_mimebundle_()
    assert bundle["text/html"] == str(player)
    assert bundle["text/plain"] == "step-through player: 2 frames, 't'"


def test_the_interval_and_frame_count_reach_the_script() -> None:
    html = animation_html(FRAMES * 2, interval_ms=250)
    assert "}, 250);" in script_of(html)
    assert 'max="3"' in html and "step 4 / 4" in html


def test_frames_are_svg_documents_in_images() -> None:
    ET.fromstring(frames_in(animation_html(FRAMES))[0])
    assert "data:image/svg+xml;charset=utf-8," in script_of(animation_html(FRAMES))


def test_no_frames_found_in_other_html() -> None:
    with pytest.raises(ValueError, match="no player frames"):
        frames_in("<p>hello</p>")


def test_ipython_shows_the_summary_as_text_not_the_html() -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    data, _ = formatters.DisplayFormatter().format(animation_html(FRAMES, title="t"))
    assert data["text/plain"] == "step-through player: 2 frames, 't'"
    assert data["text/html"].startswith('<div class="chainrule-player"')
