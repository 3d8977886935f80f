"""The step-through player in Chromium: several on one page, keys, focus, zoom, no JavaScript."""
from __future__ import annotations

import shutil

import pytest

from autograd import Value, animation_html, backward_frames, save_backward_animation

HOST = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body { font-family: Georgia, serif; margin: 17px; } textarea { font-size: 15px; }</style></head>
<body><h1>A page with players</h1><p>Some text of the host page.</p>
{players_1}<textarea id="typing" rows="2" cols="30"></textarea>{players_2}</body></html>"""


def wide_frame(k: int, width: int = 3000) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="300">'
            f'<rect width="{width}" height="300" fill="#eef"/><text x="20" y="150" font-size="40">frame {k}</text>'
            f'<text x="{width - 300}" y="150" font-size="40">far right {k}</text></svg>')


def seeds_frames() -> list[str]:
    if shutil.which("dot") is None:
        return [wide_frame(k, 600) for k in range(5)]
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    q.label = "q"
    f = (q * z).tanh() - x  # four operations: a first frame and one per operation
    f.label = "f"
    frames = backward_frames(f, edge_grads=True)
    assert len(frames) == 5
    return frames


@pytest.fixture
def host(page):
    """The host page with three players: A, B, and A's very same HTML again."""
    a = animation_html(seeds_frames(), title='f = (x + y) z, "quoted" <b>not bold</b>', interval_ms=40)
    b = animation_html([wide_frame(k) for k in range(3)], title="wide frames", interval_ms=40)
    page.set_content(HOST.replace("{players_1}", a + b).replace("{players_2}", a))
    page.wait_for_selector(".chainrule-player[data-ready] >> nth=2")
    return page


def counters(page) -> list[str]:
    return page.locator(".chainrule-player .cr-counter").all_inner_texts()


def test_three_players_step_independently_with_no_duplicate_ids(host, screenshot) -> None:
    players = host.locator(".chainrule-player")
    assert players.count() == 3
    assert counters(host) == ["step 1 / 5", "step 1 / 3", "step 1 / 5"]
    ids = host.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)")
    assert len(ids) == len(set(ids)) and ids == ["typing"]
    players.nth(0).locator('[data-do="next"]').click()
    players.nth(0).locator('[data-do="next"]').click()
    players.nth(1).locator('[data-do="next"]').click()
    players.nth(2).locator("input[type=range]").fill("4")
    assert counters(host) == ["step 3 / 5", "step 2 / 3", "step 5 / 5"]
    sources = host.evaluate("Array.from(document.querySelectorAll('.cr-view img'), i => i.src)")
    assert len(set(sources)) == 3
    assert players.nth(0).locator(".cr-title").inner_text() == 'f = (x + y) z, "quoted" <b>not bold</b>'
    screenshot(host, "player-three-on-one-page", full_page=True)


def test_keys_move_a_player_only_while_it_has_focus(host, screenshot) -> None:
    host.locator("h1").click()
    host.keyboard.press("ArrowRight")
    host.keyboard.press("End")
    assert counters(host) == ["step 1 / 5", "step 1 / 3", "step 1 / 5"]
    host.locator(".chainrule-player").nth(2).locator(".cr-view").click()  # focus the third player
    host.keyboard.press("ArrowRight")
    host.keyboard.press("ArrowRight")
    assert counters(host) == ["step 1 / 5", "step 1 / 3", "step 3 / 5"]
    host.keyboard.press("End")
    host.keyboard.press("ArrowLeft")
    assert counters(host) == ["step 1 / 5", "step 1 / 3", "step 4 / 5"]
    host.locator(".chainrule-player").nth(1).focus()
    host.keyboard.press("ArrowRight")
    assert counters(host) == ["step 1 / 5", "step 2 / 3", "step 4 / 5"]
    screenshot(host, "player-keys-with-focus", full_page=True)


def test_typing_in_the_page_after_the_players_ran_keeps_its_spaces(host, screenshot) -> None:
    for k in range(3):
        host.locator(".chainrule-player").nth(k).locator('[data-do="play"]').click()
    host.wait_for_function("Array.from(document.querySelectorAll('.cr-counter'), c => c.textContent).join()"
                           " === 'step 5 / 5,step 3 / 3,step 5 / 5'")
    host.locator(".chainrule-player").nth(0).focus()
    host.keyboard.press(" ")  # space plays again, on the focused player only
    assert host.locator('.chainrule-player >> nth=0 >> [data-do="play"]').inner_text() == "pause"
    host.locator("#typing").click()
    host.keyboard.type('print("a b c")')
    assert host.input_value("#typing") == 'print("a b c")'
    assert host.locator('.chainrule-player >> nth=2 >> [data-do="play"]').inner_text() == "play"
    screenshot(host, "player-textarea-after-playing", full_page=True)


def test_players_leave_the_host_page_styles_alone(page) -> None:
    probe = """() => ['body', 'h1', 'p', '#typing'].map(s => {
        const c = getComputedStyle(document.querySelector(s));
        return [s, c.fontFamily, c.fontSize, c.margin, c.color, c.outline].join(' | '); })"""
    page.set_content(HOST.replace("{players_1}", "").replace("{players_2}", ""))
    alone = page.evaluate(probe)
    page.set_content(HOST.replace("{players_1}", animation_html([wide_frame(0)])).replace("{players_2}", ""))
    page.wait_for_selector(".chainrule-player[data-ready]")
    assert page.evaluate(probe) == alone


def test_no_listeners_on_document_or_window(page) -> None:
    # only through the DevTools protocol: playwright's own helpers add window listeners of their own
    page.set_content(HOST.replace("{players_1}", animation_html([wide_frame(0)] * 2)).replace("{players_2}", ""))
    cdp = page.context.new_cdp_session(page)

    def run(expression: str) -> dict:
        return cdp.send("Runtime.evaluate", {"expression": expression})["result"]

    def listener_types(expression: str) -> list[str]:
        listeners = cdp.send("DOMDebugger.getEventListeners", {"objectId": run(expression)["objectId"]})["listeners"]
        return sorted(entry["type"] for entry in listeners)

    run("document.querySelector('.chainrule-player [data-do=next]').click()")
    assert run("document.querySelector('.cr-counter').textContent")["value"] == "step 2 / 2"
    assert listener_types("document") == [] and listener_types("window") == []
    assert listener_types("document.querySelector('.chainrule-player')") == ["keydown"]
    assert listener_types("document.querySelector('.cr-view')") == [
        "pointercancel", "pointerdown", "pointermove", "pointerup"]


def test_zoom_shows_natural_size_and_dragging_pans(host, screenshot) -> None:
    wide = host.locator(".chainrule-player").nth(1)
    view, image = wide.locator(".cr-view"), wide.locator(".cr-view img")
    fitted = image.bounding_box()["width"]
    assert fitted <= view.bounding_box()["width"] + 1
    wide.locator('[data-do="zoom"]').click()
    assert wide.locator(".cr-mode").inner_text() == "natural size"
    assert image.evaluate("i => i.getBoundingClientRect().width") == image.evaluate("i => i.naturalWidth") == 3000
    view.scroll_into_view_if_needed()
    box = view.bounding_box()
    host.mouse.move(box["x"] + 600, box["y"] + 100)
    host.mouse.down()
    host.mouse.move(box["x"] + 100, box["y"] + 100, steps=5)
    host.mouse.up()
    assert view.evaluate("v => v.scrollLeft") == 500
    screenshot(host, "player-natural-size-panned", full_page=True)
    host.keyboard.press("z")  # the player has focus after the drag: z zooms back
    assert image.bounding_box()["width"] == fitted
    assert wide.locator(".cr-mode").inner_text() == "fitted"


def test_a_tall_frame_fits_the_view_height_and_z_says_which_mode(host, screenshot) -> None:
    tall = animation_html([f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="3000">'
                           f'<text x="10" y="2990" font-size="30">bottom {k}</text></svg>' for k in range(2)])
    host.set_content(HOST.replace("{players_1}", tall).replace("{players_2}", ""))
    player = host.locator(".chainrule-player")
    image, view = player.locator(".cr-view img"), player.locator(".cr-view")
    assert image.bounding_box()["height"] <= 0.75 * 900 + 1  # the whole frame, bottom included
    assert view.evaluate("v => v.scrollHeight <= v.clientHeight")
    player.locator(".cr-view").click()
    host.keyboard.press("z")
    assert player.locator(".cr-mode").inner_text() == "natural size"
    assert image.bounding_box()["height"] == 3000
    host.keyboard.press("z")
    assert player.locator(".cr-mode").inner_text() == "fitted"
    small = animation_html([wide_frame(0, 300)])
    host.set_content(HOST.replace("{players_1}", small).replace("{players_2}", ""))
    host.locator(".chainrule-player .cr-view").click()
    host.keyboard.press("z")
    assert host.locator(".cr-mode").inner_text() == "natural size (this frame fits either way)"


def test_the_player_keeps_its_keys_and_space_plays_after_a_button_click(host) -> None:
    seen = host.evaluate("""() => { window.seen = [];
        document.addEventListener('keydown', e => window.seen.push(e.key)); return true; }""")
    assert seen
    player = host.locator(".chainrule-player").nth(0)
    player.locator('[data-do="next"]').click()  # the button has focus now
    assert counters(host)[0] == "step 2 / 5"
    host.keyboard.press(" ")  # plays: does not press "next" again
    assert player.locator('[data-do="play"]').inner_text() == "pause"
    host.keyboard.press(" ")
    assert player.locator('[data-do="play"]').inner_text() == "play"
    for key in ["a", "b", "d", "d", "ArrowUp", "ArrowDown", "ArrowRight", "Enter"]:
        host.keyboard.press(key)
    host.keyboard.press("Escape")  # leaves the player, and the page sees it
    assert host.evaluate("window.seen") == ["Escape"]
    assert not host.evaluate("document.activeElement.closest('.chainrule-player')")


def test_without_javascript_the_last_frame_shows_with_a_note(browser, screenshot) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 900, "height": 700})
    page = context.new_page()
    page.set_content(HOST.replace("{players_1}", animation_html(seeds_frames(), title="no script")).replace(
        "{players_2}", ""))
    player = page.locator(".chainrule-player")
    assert player.locator(".cr-controls").is_hidden()
    assert "controls need JavaScript" in player.locator(".cr-note").inner_text()
    assert player.locator(".cr-view img").evaluate("i => i.complete && i.naturalWidth > 0")
    screenshot(page, "player-without-javascript", full_page=True)
    context.close()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
def test_saved_page_plays_offline(page, tmp_path, screenshot) -> None:
    x, w = Value(0.5, label="x"), Value(-3.0, label="w")
    out = (w * x).tanh()
    out.label = "out"
    path = save_backward_animation(out, tmp_path / "steps.html", title="a neuron <offline>")
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("file:", "data:"))
               else route.continue_())
    page.goto(path.as_uri())
    page.wait_for_selector(".chainrule-player[data-ready]")
    assert page.locator(".cr-title").inner_text() == "a neuron <offline>"
    page.locator(".chainrule-player").focus()
    page.keyboard.press("End")
    assert page.locator(".cr-counter").inner_text() == "step 3 / 3"  # start, *, tanh
    screenshot(page, "player-saved-page", full_page=True)
