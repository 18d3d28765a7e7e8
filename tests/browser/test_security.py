"""Issue 7 §3 in a real JupyterLab: hostile strings reach the page only as text.

A notebook written here puts script-shaped strings everywhere the learner's code reaches the page: Variable
names (slider labels, node labels, the code view, the narration), a Function class name made with type(),
error messages from a learner's forward and backward, a custom block name (register_block refuses it: the
error is checked instead), and code typed into the code box. Each test then checks that the text is shown as
typed and that nothing ran: window.__pwned is still undefined, no dialog opened, and no element with an
event-handler attribute, a javascript: link, an <img> or a <script> appeared.
The same widgets are then written by save_html and opened from file:// with the network blocked: the
exported page shows the same strings as text, and nothing runs there either.
Screenshots: tests/browser/screenshots/security-*.png.
"""

import numpy as np
import pytest
from gw_cells import NotebookPage, cell, cell_widget, notebook_fixtures, set_range
from gw_page import WAIT_MS, Widget, _has, kernel_eval
from offline_page import open_offline, page_status
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "</script><script>window.__pwned=2</script>"
JS_URL = "javascript:window.__pwned=3"
CLASS_NAME = "<img src=x onerror=window.__pwned=4>"
OUTPUT_NAME = "<svg onload=alert(5)>"  # a dialog, if it ever ran
FORWARD_ERROR = '<img src=x onerror="window.__pwned=6"> in forward'
BACKWARD_ERROR = (
    '<img src=x onerror="window.__pwned=7"> </script><script>window.__pwned=8</script> javascript:alert(9)'
)
BLOCK_NAME = '<img src=x onerror="window.__pwned=10">'
CODE = 'y = square("<img src=x onerror=window.__pwned=11>")'

CELLS = [
    "import numpy as np\n\nimport gradwidget as gw\n"
    "from gradwidget import Function, GradWidget, Variable, register_block, show\n"
    f"IMG, SCRIPT, JS_URL = {IMG!r}, {SCRIPT!r}, {JS_URL!r}",
    # 1: Variable names
    "a = Variable(np.array(0.5), name=IMG)\n"
    "b = Variable(np.array(1.5), name=SCRIPT)\n"
    "c = Variable(np.array(0.2), name=JS_URL)\n"
    "y = gw.sin(a) * b + c\n"
    f"y.name = {OUTPUT_NAME!r}\n"
    "named = show(y)\nnamed",
    # 2: a Function class name (its backward is wrong, so the gradient check's flag carries the name too)
    "def _forward(self, x):\n    return x ** 2\n\n\n"
    "def _backward(self, gy):\n    return gy\n\n\n"
    f"Hostile = type({CLASS_NAME!r}, (Function,), {{'forward': _forward, 'backward': _backward}})\n"
    "classy = show(gw.exp(Hostile()(Variable(np.array(0.7), name='x'))))\nclassy",
    # 3: error messages, from a backward and (past x = 1) from a forward
    "class Raises(Function):\n"
    "    def forward(self, x):\n"
    "        if np.any(x > 1):\n"
    f"            raise ValueError({FORWARD_ERROR!r})\n"
    "        return x * 2\n\n"
    "    def backward(self, gy):\n"
    f"        raise ValueError({BACKWARD_ERROR!r})\n\n\n"
    "errs = show(gw.square(Raises()(Variable(np.array(0.5), name='x'))))\nerrs",
    # 4: a custom block's name must be an identifier
    "try:\n"
    f"    register_block({BLOCK_NAME!r}, Raises)\n"
    "except ValueError as error:\n"
    '    print("refused:", error)',
    # 5: a stack whose code box gets hostile text
    'stack = GradWidget(blocks=["square", "exp"], x=0.5)\nstack',
]
NAMED, CLASSY, ERRS, BLOCK, STACK = 1, 2, 3, 4, 5


def nothing_ran(nb):
    """No script from a hostile string ran, and none of them became an element."""
    page = nb.page
    assert page.evaluate("() => typeof window.__pwned") == "undefined", page.evaluate("() => window.__pwned")
    assert nb.dialogs == [], f"a dialog opened: {nb.dialogs}"
    fetched = [url for url in nb.requests if url.rstrip("/").endswith("/x")]
    assert fetched == [], f"an <img src=x> was loaded: {fetched}"
    found = page.evaluate(
        """() => {
            const bad = [];
            for (const el of document.querySelectorAll("*")) {
                for (const attr of el.getAttributeNames()) {
                    if (attr.startsWith("on")) bad.push(`${el.tagName}[${attr}]`);
                }
                const href = el.getAttribute("href") || el.getAttribute("xlink:href") || "";
                if (/^\\s*javascript:/i.test(href)) bad.push(`${el.tagName}[href=${href}]`);
            }
            const inside = ".gradwidget img, .gradwidget script, .gradwidget iframe";
            for (const el of document.querySelectorAll(inside)) bad.push(el.outerHTML);
            return bad;
        }"""
    )
    assert found == [], f"hostile text became markup: {found}"


nb, page = notebook_fixtures("lab-hostile.ipynb", CELLS, after_each=nothing_ran)


def test_variable_names_are_text(page, screenshots):
    w = cell_widget(page, NAMED)
    root = w.root
    expect(root.locator("label.gw-x-label")).to_have_text([IMG, SCRIPT, JS_URL])
    for name in (IMG, SCRIPT, JS_URL):
        expect(root.get_by_role("slider", name=name, exact=True)).to_be_visible()
    titles = root.locator('g[data-kind="variable"] > title')
    expect(titles).to_have_count(6)
    assert sorted(titles.all_text_contents()) == sorted([IMG, SCRIPT, JS_URL, "a", "b", OUTPUT_NAME])
    code = root.locator("pre.gw-code")
    expect(code).to_have_text(kernel_eval(page, "named.code"))
    expect(code).to_contain_text(f"a = sin({IMG})")
    expect(code).to_contain_text(f"b = a * {SCRIPT}")
    expect(code).to_contain_text(f"{OUTPUT_NAME} = b + {JS_URL}")
    # the narration names the sliders as typed
    x = set_range(root.get_by_role("slider", name=IMG, exact=True), 1.0)
    expect(w.live).to_contain_text(f"{IMG} = {x:.4g}", timeout=WAIT_MS)
    expect(w.live).to_contain_text(f"{SCRIPT} = 1.5")
    w.run_all_button.click()
    w.expect_counter(3, 3)
    expect(root.locator(".gw-card-target")).to_have_text(f"\u2192 {IMG}.grad")  # Sin's input
    root.screenshot(path=screenshots / "security-names.png")


def test_function_class_name_is_text(page, screenshots):
    w = cell_widget(page, CLASSY)
    root = w.root
    fn = w.node("f0")
    expect(fn.locator(":scope > title")).to_have_text(CLASS_NAME)
    expect(fn).to_have_attribute("aria-label", CLASS_NAME)
    expect(root.locator("pre.gw-code")).to_have_text(f"a = {CLASS_NAME}()(x)\ny = exp(a)")
    # flagged (its backward returns gy): the badge names it
    expect(fn).to_have_class(_has("flagged"))
    expect(fn.locator(".gw-flag")).to_have_attribute(
        "aria-label", f"Gradient check failed: {CLASS_NAME}.backward disagrees with numerical_diff"
    )
    w.run_all_button.click()
    w.expect_counter(2, 2)
    card = root.locator(".gw-card")
    expect(card.locator(".gw-card-title")).to_have_text(f"Step 2 of 2: {CLASS_NAME} backward")
    expect(card.locator(".gw-card-norule")).to_have_text(
        f"No rule to show for {CLASS_NAME}: give the class its local derivative as a rule "
        '(for a cube, rule = "3 * x**2") or pass rule= to register_block. These numbers are backprop\'s.'
    )
    expect(w.live).to_contain_text(f"Step 2 of 2: {CLASS_NAME} backward", timeout=WAIT_MS)
    root.locator("summary.gw-section-title", has_text="Gradient check").click()
    row = root.locator('tr[data-function="f0"]')
    expect(row.locator("th")).to_have_text(CLASS_NAME)
    expect(row).to_have_attribute("data-flagged", "true")
    root.screenshot(path=screenshots / "security-class-name.png")


def test_error_messages_are_text(page, screenshots):
    w = cell_widget(page, ERRS)
    root = w.root
    message = f"Raises.backward raised ValueError: {BACKWARD_ERROR}"
    fn = w.node("f0")
    expect(fn).to_have_class(_has("failed"))
    expect(fn).to_have_attribute("data-error", message)
    expect(w.alert).to_have_text(message)
    lines = " ".join(fn.locator("text.error-text tspan").all_text_contents())
    assert lines.startswith("\u26a0 Raises.backward raised ValueError: <img src=x"), lines
    assert kernel_eval(page, "errs.error") == message
    root.screenshot(path=screenshots / "security-backward-error.png")
    # past x = 1 the forward raises: its message shows on the node and in the alert, as text
    set_range(w.slider, 1.5)
    forward = f"Raises.forward raised ValueError: {FORWARD_ERROR}"
    expect(w.alert).to_have_text(forward, timeout=WAIT_MS)
    expect(fn).to_have_attribute("data-error", forward)
    assert kernel_eval(page, "errs.error") == forward
    set_range(w.slider, 0.5)
    expect(w.alert).to_have_text(message, timeout=WAIT_MS)


def test_block_name_must_be_an_identifier(page):
    output = cell(page, BLOCK).locator(".jp-OutputArea-output")
    expect(output).to_have_text(
        f"refused: A block name must be a Python identifier that is not a keyword, like 'cube'; "
        f"got {BLOCK_NAME!r}.\n"
    )
    assert kernel_eval(page, f"{BLOCK_NAME!r} in gw.functions.BLOCKS") is False
    stack = cell_widget(page, STACK)
    expect(stack.root.locator("button.gw-add")).to_have_count(len(kernel_eval(page, "stack.palette")))
    assert all(name.isidentifier() for name in kernel_eval(page, "stack.palette"))


def test_code_text_is_text(page, screenshots):
    w = cell_widget(page, STACK)
    box = w.root.get_by_role("textbox", name="Code")
    problem = w.root.locator(".gw-code-problem")
    refused = {
        CODE: '`"<img src=x onerror=window.__pwned=11>"` is not one.',  # quoted as typed
        JS_URL: "Write y = ... or just the expression",
        SCRIPT: "That is not a Python expression",
        IMG: "That is not a Python expression",
    }
    for text, reason in refused.items():
        box.fill(text)
        box.press("Enter")
        expect(box).to_have_attribute("aria-invalid", "true", timeout=WAIT_MS)
        expect(problem).to_contain_text(reason)
        expect(w.alert).to_contain_text(reason)
        expect(box).to_have_value(text)
        if text == CODE:
            w.root.screenshot(path=screenshots / "security-code.png")
    assert kernel_eval(page, "stack.blocks") == ["square", "exp"]
    expect(w.function_nodes).to_have_count(2)
    np.testing.assert_allclose(kernel_eval(page, "float(stack.output.data)"), np.exp(0.25))


def test_exported_page_keeps_hostile_text_as_text(browser, nb, lab_server, tmp_path, screenshots):
    """The same widgets written by save_html and opened from file:// offline: every hostile string is shown
    as typed (the state is inlined in a script element, so "</script>" must not end it), and nothing ran."""
    path = lab_server.root / "hostile.html"
    kernel_eval(nb.page, "True", code=f"gw.save_html({str(path)!r}, named, classy, errs, stack, title=IMG)")
    exported = NotebookPage(browser)
    try:
        network = open_offline(exported.page, path, tmp_path / "site")
        page = exported.page
        assert page_status(page) == "ready"
        expect(page.locator("h1")).to_have_text(IMG)
        roots = page.locator(".gradwidget")
        expect(roots).to_have_count(4)
        named = roots.nth(0)
        expect(named.locator("label.gw-x-label")).to_have_text([IMG, SCRIPT, JS_URL])
        titles = named.locator('g[data-kind="variable"] > title')
        expect(titles).to_have_count(6)  # the nodes out of the first view are drawn when the page is idle
        assert sorted(titles.all_text_contents()) == sorted([IMG, SCRIPT, JS_URL, "a", "b", OUTPUT_NAME])
        expect(named.locator("pre.gw-code")).to_contain_text(f"b = a * {SCRIPT}")
        expect(roots.nth(1).locator('g[data-node-id="f0"] > title')).to_have_text(CLASS_NAME)
        errs = roots.nth(2)
        message = f"Raises.backward raised ValueError: {BACKWARD_ERROR}"
        expect(errs.locator('g[data-node-id="f0"]')).to_have_attribute("data-error", message)
        expect(errs.get_by_role("alert")).to_have_text(message)
        # offline: stepping the hostile widget works and still only writes text
        stepped = Widget(page, named)
        if stepped.reset_button.is_enabled():  # the live test before stepped it to the end
            stepped.reset_button.click()
        stepped.expect_counter(0, 3)
        stepped.run_all_button.click()
        expect(named.locator(".gw-card-target")).to_have_text(f"\u2192 {IMG}.grad")
        named.screenshot(path=screenshots / "security-exported.png")
        nothing_ran(exported)
        assert network.blocked == [], network.blocked
    finally:
        exported.close()
