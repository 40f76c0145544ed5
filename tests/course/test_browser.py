"""A real browser: JupyterLab runs every notebook, and its widgets render and respond.

Needs Debian's Chromium (`apt-get install chromium`); without it these tests skip
with that reason, except in CI (CONVLIB_REQUIRE_BROWSER=1), where they fail.
Screenshots are saved in build/screenshots/.
"""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import course
import pytest

ROOT = course.ROOT
CHROMIUM = pathlib.Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
NOTEBOOKS = course.paths(course.LEARNER) + course.paths(course.INSTRUCTOR)  # both editions
pytestmark = pytest.mark.course
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDGET_FAILURES = ("Error displaying widget", "Loading widget...")

if not CHROMIUM.exists():
    reason = "browser tests skipped: no Chromium at /usr/bin/chromium (install Debian's `chromium` package)"
    if os.environ.get("CONVLIB_REQUIRE_BROWSER"):
        raise RuntimeError(reason.replace("skipped", "required (CONVLIB_REQUIRE_BROWSER=1)"))
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on loopback with a token, serving a copy of both editions (never saved back)."""
    root = tmp_path_factory.mktemp("lab")
    for folder in (course.LEARNER, course.INSTRUCTOR):
        shutil.copytree(folder, root / folder.name)
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(360):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 180 s")
    yield url, token
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def accept_kernel_dialog(page):
    """Answer JupyterLab's "Select Kernel" dialog with its default, as a learner would.

    A busy machine can be slow enough to start the kernel that JupyterLab asks.
    """
    dialog = page.locator(".jp-Dialog:has-text('Select Kernel')")
    if dialog.count() and dialog.first.is_visible():
        dialog.first.locator(".jp-mod-accept").click()


def menu(page, menu_name, item):
    accept_kernel_dialog(page)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.click()
    page.locator(f".lm-MenuBar-itemLabel:text-is('{menu_name}')").click()
    page.locator(f".lm-Menu-itemLabel:text-is('{item}')").click()


def wait_for_kernel(page, url, token, notebook, timeout=180):
    """Wait until the server has an idle kernel for `notebook`'s session."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        accept_kernel_dialog(page)
        with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as response:
            sessions = json.load(response)
        if any(s["path"].endswith(notebook.name) and (s.get("kernel") or {}).get("execution_state") == "idle"
               for s in sessions):
            return
        time.sleep(0.5)
    pytest.fail(f"no idle kernel for {notebook.name} after {timeout} s")


def run_all_cells(page):
    """Run > Run All Cells, then wait until every code cell shows its execution number.

    JupyterLab may show the kernel as idle before it has connected, and a Run All in that
    gap clears the cells without running them (or asks which kernel to use). So the
    stored numbers are cleared first, and Run All is repeated until a cell shows [*] or
    a new number.
    """
    prompts = "[...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]"
    started = f"() => {prompts}.some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"
    menu(page, "Edit", "Clear Outputs of All Cells")
    for _ in range(5):
        menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(started, timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        pytest.fail("Run All Cells never started a cell: the kernel did not connect")
    # Generous: CI machines are shared, and a busy one runs a notebook several times slower.
    page.wait_for_function(
        f"() => {prompts}.length > 0 && {prompts}.every(p => /\\[\\d+\\]/.test(p.textContent))",
        timeout=300_000,
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_notebook_runs_and_its_widgets_respond(lab, browser, notebook):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        check_notebook(page, url, token, notebook)
    finally:  # the last state is the most useful picture when a check fails
        page.screenshot(path=str(SCREENSHOTS / f"{notebook.parent.name}_{notebook.stem}.png"))
        page.close()


def check_notebook(page, url, token, notebook):
    page.goto(f"{url}/lab/tree/{notebook.parent.name}/{notebook.name}?reset&token={token}")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.wait_for(timeout=120_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    wait_for_kernel(page, url, token, notebook)
    time.sleep(1)  # let JupyterLab write what the kernel reported into the notebook's metadata
    dirty = page.locator(".jp-mod-current.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty")
    assert dirty.count() == 0, f"{notebook.name} is marked modified as soon as its kernel starts"
    run_all_cells(page)

    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
    assert not tracebacks, f"{notebook.name} shows errors: {tracebacks[:2]}"

    sliders = panel.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle")
    if "widgets.explore_" in notebook.read_text():
        sliders.first.wait_for(timeout=30_000)
        time.sleep(1)  # let every widget view finish rendering
        text = panel.inner_text()
        assert not [f for f in WIDGET_FAILURES if f in text], f"{notebook.name}: a widget failed to render"
        widget = panel.locator(".jupyter-widgets.widget-vbox").filter(has=page.locator("img")).first
        picture = widget.locator("img").first
        before = picture.get_attribute("src")
        handle = widget.locator(".noUi-handle").first
        handle.focus()
        for _ in range(3):
            handle.press("ArrowRight")
        page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                               arg=[picture.element_handle(), before], timeout=30_000)
        widget.scroll_into_view_if_needed()
