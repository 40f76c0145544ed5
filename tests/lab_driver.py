"""JupyterLab in Debian's Chromium, driven as a learner would: shared by the browser
test (tests/course/test_browser.py) and the browser benchmark (benchmarks/bench_browser.py).

The server runs on loopback with a token; the page is a playwright page of
Chromium launched from /usr/bin/chromium (never `playwright install`).
"""

import contextlib
import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDGET_FAILURES = ("Error displaying widget", "Loading widget...")
VISIBLE = ".jp-NotebookPanel:not(.lm-mod-hidden)"
EXPLORER = ".jupyter-widgets.widget-vbox:has(> img.widget-image)"  # controls above a picture
EXECUTION_INDICATOR = ".jp-Notebook-ExecutionIndicator"  # the kernel's busy or idle, and a run's progress
CONTROLS = ".widget-slider, .widget-hslider, .widget-toggle-buttons, .widget-dropdown"
PROMPTS = f"[...document.querySelectorAll('{VISIBLE} .jp-CodeCell .jp-InputPrompt')]"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root, port=None, token=None, env=None):
    """A JupyterLab server serving `root`; yields (url, token). Same port and token
    on a restart if given, so that a page can reconnect as after a reboot; `env`
    adds environment variables (JUPYTERLAB_SETTINGS_DIR: a language's settings)."""
    port, token = port or _free_port(), token or secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(360):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise TimeoutError("JupyterLab did not start within 180 s")
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def accept_kernel_dialog(page):
    """Answer JupyterLab's "Select Kernel" dialog with its default, as a learner would.

    A busy machine can be slow enough to start the kernel that JupyterLab asks.
    """
    dialog = page.locator(".jp-Dialog:has-text('Select Kernel')")
    if dialog.count() and dialog.first.is_visible():
        dialog.first.locator(".jp-mod-accept").click()


def menu(page, menu_name, item):
    accept_kernel_dialog(page)
    page.locator(f"{VISIBLE} .jp-Cell").first.click()
    page.locator(f".lm-MenuBar-itemLabel:text-is('{menu_name}')").click()
    page.locator(f".lm-Menu-itemLabel:text-is('{item}')").click()


def wait_for_kernel(page, url, token, name, timeout=180):
    """Wait until the server has an idle kernel for the notebook called `name`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        accept_kernel_dialog(page)
        with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as response:
            sessions = json.load(response)
        if any(s["path"].endswith(name) and (s.get("kernel") or {}).get("execution_state") == "idle"
               for s in sessions):
            return
        time.sleep(0.5)
    raise TimeoutError(f"no idle kernel for {name} after {timeout} s")


def shut_down_kernels(url, token):
    """Stop every kernel of the server (the machine is shared: one at a time is enough)."""
    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


def open_notebook(page, url, token, path):
    """Open `path` (relative to the server's root) in a fresh workspace and wait for its idle kernel."""
    page.goto(f"{url}/lab/tree/{path}?reset&token={token}")
    page.locator(VISIBLE).wait_for(timeout=120_000)
    page.locator(f"{EXECUTION_INDICATOR}[data-status='idle']").first.wait_for(timeout=120_000)
    wait_for_kernel(page, url, token, pathlib.PurePosixPath(path).name)
    return page.locator(VISIBLE)


def run_all_cells(page):
    """Run > Run All Cells, then wait until every code cell shows its execution number.

    JupyterLab may show the kernel as idle before it has connected, and a Run All in that
    gap clears the cells without running them (or asks which kernel to use). So the
    stored numbers are cleared first, and Run All is repeated until a cell shows [*] or
    a new number.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = f"() => {PROMPTS}.some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"
    menu(page, "Edit", "Clear Outputs of All Cells")
    for _ in range(5):
        menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(started, timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        raise TimeoutError("Run All Cells never started a cell: the kernel did not connect")
    # Generous: CI machines are shared, and a busy one runs a notebook several times slower.
    page.wait_for_function(
        f"() => {PROMPTS}.length > 0 && {PROMPTS}.every(p => /\\[\\d+\\]/.test(p.textContent))",
        timeout=300_000,
    )


# In the page: every change of a picture (its src or width attribute, in one task or
# several) is one update; it is painted once decoded and a frame has been drawn.
_WATCH = """img => {
  const log = img.__updates = [];
  if (!window.__lastKey) {
    window.__lastKey = 0;
    const pressed = () => { window.__lastKey = performance.now(); };
    document.addEventListener('keydown', pressed, true);
    document.addEventListener('change', pressed, true);  // a menu's choice
  }
  new MutationObserver(() => {
    const update = {changed: performance.now(), painted: null};
    log.push(update);
    img.decode().catch(() => null).then(() => requestAnimationFrame(() => setTimeout(() => {
      update.painted = performance.now();
    }, 0)));
  }).observe(img, {attributes: true, attributeFilter: ['src', 'width']});
}"""

_SETTLED = """([img, since, quiet, timeout]) => new Promise(resolve => {
  const start = performance.now();
  const poll = () => {
    const log = img.__updates.slice(since), last = log[log.length - 1], now = performance.now();
    const done = last && last.painted !== null && now - last.changed > quiet;
    if (done || now - start > timeout) {
      resolve({updates: log.length, pressed: window.__lastKey, painted: last ? last.painted : null});
    } else {
      setTimeout(poll, 10);
    }
  };
  poll();
})"""


def watch_picture(img):
    """Start counting the updates of a widget's picture (an element handle of its <img>)."""
    img.evaluate(_WATCH)


def updates_so_far(img):
    return img.evaluate("img => img.__updates.length")


def settle(page, img, since, quiet_ms=300, timeout_ms=5000):
    """Wait until the picture has stayed unchanged for `quiet_ms` after its last update.

    Returns (updates since `since`, ms from the last key press to the last update painted,
    None if no update came within `timeout_ms`).
    """
    result = page.evaluate(_SETTLED, [img, since, quiet_ms, timeout_ms])
    latency = None if result["painted"] is None else result["painted"] - result["pressed"]
    return result["updates"], latency


def value_of(control):
    """What a control shows now: a slider's position, a menu's choice, a toggle's active button."""
    return control.evaluate("""c => {
      const handle = c.querySelector('.noUi-handle'), select = c.querySelector('select');
      if (handle) return handle.getAttribute('aria-valuenow');
      if (select) return select.value;
      return c.querySelector('button.mod-active').textContent;
    }""")


def press_next(control):
    """Change a control by one step, as a learner would: an arrow key on a slider's handle
    (Home at its end, back to its start), Enter on a toggle's next button, the next option
    of a menu (chosen as by a click: the notebook takes a menu's arrow keys)."""
    kind = control.get_attribute("class")
    if "toggle-buttons" in kind:
        buttons = control.locator("button")
        active = [i for i in range(buttons.count()) if "mod-active" in buttons.nth(i).get_attribute("class")]
        target = buttons.nth((active[0] + 1) % buttons.count())
    elif "dropdown" in kind:  # JupyterLab's notebook takes the arrow keys: choose the next option
        select = control.locator("select")
        choice = select.evaluate("s => s.options[(s.selectedIndex + 1) % s.options.length].value")
        select.select_option(choice)
        return
    else:
        target = control.locator(".noUi-handle").first
        last = target.evaluate("h => +h.getAttribute('aria-valuenow') >= +h.getAttribute('aria-valuemax')")
    target.focus()
    if "toggle-buttons" in kind:
        target.press("Enter")
    else:
        target.press("Home" if last else "ArrowRight")


def control_label(control):
    return control.locator(".widget-label").first.inner_text() or control.get_attribute("class")
