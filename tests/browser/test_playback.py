"""Issue 12 item 6 in a real JupyterLab: two views of one widget play at its speed, not twice as fast.

anywidget gives each view its own model proxy, so a player kept per view (or per proxy) ran once per view.
The notebook shows one widget `w` in two cells (two views of one model) and a widget `one` in a single view.
The page's clock is Playwright's fake one from just before Play is pressed, so "2 steps a second for 2
seconds" is exactly 4 steps, however busy the machine: no timed assertion. Screenshots:
tests/browser/screenshots/playback-view-1.png and -2.png (the two views' controls, both at step 6).
"""

import pytest
from gw_page import Widget, kernel_eval, open_and_run_all
from notebooks import write_notebook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BLOCKS = ["sin", "cos"] * 10  # 20 steps: playing does not reach the end in the time run
CELLS = [
    f"from gradwidget import GradWidget\n\nw = GradWidget(blocks={BLOCKS!r}, x=0.5, speed=2)\nw",
    "w  # the same widget again: a second view of one model",
    f"one = GradWidget(blocks={BLOCKS!r}, x=0.5, speed=2)\none",
]


def counter(view):
    return view.counter.text_content()


def test_two_views_of_one_widget_play_once(page, lab_server, screenshots):
    path = "two_views_playback.ipynb"
    write_notebook(lab_server.root / path, CELLS)
    open_and_run_all(page, lab_server, path, "lab")
    roots = page.locator(".gradwidget")
    expect(roots).to_have_count(3, timeout=30_000)
    first, second, single = (Widget(page, roots.nth(i)).wait_visible() for i in range(3))
    n = len(BLOCKS)
    for view in (first, second, single):
        view.expect_counter(0, n)

    # from here on the page's timers run only when the test moves the clock
    start = page.evaluate("() => Date.now()")
    page.clock.install(time=start)
    page.clock.pause_at(start + 1_000)
    for view in (first, single):
        view.root.get_by_role("button", name="Play", exact=True).click()
    page.clock.run_for(2_000)  # 2 steps a second: 4 steps, once per model
    for view in (first, second, single):
        view.expect_counter(4, n)  # before the fix, the widget shown twice was at step 8
    page.clock.run_for(1_000)
    for view in (first, second, single):
        view.expect_counter(6, n)
    second.root.get_by_role("button", name="Pause", exact=True).click()  # either view pauses the one player
    page.clock.run_for(3_000)
    first.expect_counter(6, n)
    second.expect_counter(6, n)
    single.expect_counter(12, n)
    single.root.get_by_role("button", name="Pause", exact=True).click()
    page.clock.resume()
    for i, view in enumerate((first, second), start=1):
        view.root.locator(".gw-controls").screenshot(path=screenshots / f"playback-view-{i}.png")
    assert kernel_eval(page, "[w.step, w.playing, one.step]") == [6, False, 12]
