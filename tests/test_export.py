"""Exported pages without a browser: what save_html writes, how it escapes, and what it refuses.

The browser half (the page opened from file:// with the network blocked, stepping and playing) is
tests/browser/test_offline.py.
"""

import base64
import hashlib
import json
import re

import numpy as np
import pytest

import gradwidget as gw
from gradwidget.export import ExportError, saved_entries, script_json, with_csp

STATE = re.compile(r'<script type="application/json" id="gradwidget-state">(.*?)</script>', re.DOTALL)


def saved_state(page):
    """The page's saved state, read as the page reads it."""
    return json.loads(STATE.search(page)[1])


def test_a_page_holds_each_widget_with_its_buffers_and_no_network_address(tmp_path):
    w = gw.GradWidget(blocks=["square", "exp"], x=0.7)
    w.step = 1
    x = gw.Variable(0.5, name="x")
    g = gw.show(x * gw.Variable(1.5, name="w"))
    path = gw.save_html(tmp_path / "lesson.html", w, g, title="Backprop")
    page = path.read_text(encoding="utf-8")
    widgets = saved_state(page)["widgets"]
    assert [entry["id"] for entry in widgets] == [w.model_id, g.model_id]
    state = widgets[0]["state"]
    assert (state["x"], state["step"], state["blocks"]) == (0.7, 1, ["square", "exp"])
    assert "_esm" not in state and "layout" not in state  # the bundle is inlined once, not per widget
    row = next(b for b in widgets[0]["buffers"] if b["path"] == ["numbers", "row"])
    at = state["graph"]["layout"]["columns"]["values"]  # where the row holds the values, as the page reads it
    values = np.frombuffer(base64.b64decode(row["data"]), "<f8")[at["offset"] : at["offset"] + at["count"]]
    np.testing.assert_allclose(values, [0.7, 0.7**2, np.exp(0.7**2)], rtol=1e-15)
    assert any(b["path"][:2] == ["tables", 0] for b in widgets[0]["buffers"]), "its table travels too"
    assert page.count('class="gradwidget-mount"') == 2
    assert "<h1>Backprop</h1>" in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page), "the page points at no address"
    assert w.save_html(tmp_path / "one.html").exists()


def test_hostile_text_cannot_end_the_state_script():
    hostile = '</script><script>alert(1)</script><!-- <img src=x onerror="alert(2)">&amp;'
    text = script_json({"name": hostile})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": hostile}


def test_hostile_names_and_titles_stay_text(tmp_path):
    name = "</script><script>window.__pwned=1</script>"
    x = gw.Variable(0.5, name=name)
    page = gw.save_html(tmp_path / "h.html", gw.show(gw.sin(x)), title="<b>t</b></title>").read_text()
    lower = page.lower()
    assert lower.count("</script") == lower.count("<script"), "every script ends where it should"
    assert "<title>&lt;b&gt;t&lt;/b&gt;&lt;/title&gt;</title>" in page
    assert saved_state(page)["widgets"][0]["state"]["names"] == [name]


def test_only_the_pages_own_scripts_may_run():
    page = with_csp(
        "<html><head></head><body><script>a()</script><script type='application/json'>{}</script>"
        '<script type="module">b()</script></body></html>'
    )
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', page)[1]
    digests = [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in ("a()", "b()")]
    assert policy.startswith("default-src 'none'; script-src ")
    assert all(f"'sha256-{d}'" in policy for d in digests)
    assert "unsafe-inline" not in policy.split(";")[1], "no injected handler or script may run"


def test_what_save_html_refuses_says_how_to_fix_it(tmp_path):
    w = gw.GradWidget()
    with pytest.raises(ExportError, match="at least one widget"):
        gw.save_html(tmp_path / "a.html")
    with pytest.raises(ExportError, match="ending in .html"):
        w.save_html(tmp_path / "a.txt")
    with pytest.raises(ExportError, match="not IntSlider"):
        import ipywidgets

        gw.save_html(tmp_path / "a.html", ipywidgets.IntSlider())
    w.close()
    with pytest.raises(ExportError, match="closed"):
        w.save_html(tmp_path / "a.html")


def test_a_notebooks_saved_state_gets_its_dropped_defaults_back():
    w = gw.GradWidget(blocks=["sin"], x=1.0)
    full = w.get_state()
    dropped = {k: v for k, v in full.items() if k not in ("step", "lang", "playing", "numbers")}
    dropped["numbers"] = {"check_errors": {}}
    notebook = {
        "m1": {"model_name": "AnyModel", "state": dropped, "buffers": []},
        "m2": {"model_name": "IntSliderModel", "state": {"value": 3}},
    }
    entries = saved_entries(notebook)
    assert list(entries) == ["m1"], "only gradwidgets"
    state = entries["m1"]["state"]
    assert (state["step"], state["lang"], state["playing"], state["blocks"]) == (0, "en", False, ["sin"])


def test_the_page_pings_and_python_answers():
    w = gw.GradWidget()
    sent = []
    w.send = lambda content, buffers=None: sent.append(content)
    states = []
    w.send_state = lambda key=None: states.append(key)

    def page_says(content):
        w._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})

    page_says({"type": "gradwidget:ping"})
    assert sent == [{"type": "gradwidget:pong"}]
    page_says({"type": "gradwidget:resync"})
    assert "x" in states[0] and "numbers" in states[0] and not any(k.startswith("_") for k in states[0])
    page_says("junk")
    assert len(sent) == 1 and len(states) == 1
    w.close()
