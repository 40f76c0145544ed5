"""A real browser: JupyterLab runs every notebook, its widgets render and respond with
exactly one new picture per change, a drag leaves no queue of stale pictures, and a
saved notebook reopens after a server restart without a widget error.

Needs Debian's Chromium (`apt-get install chromium`); without it these tests skip
with that reason, except in CI (CONVLIB_REQUIRE_BROWSER=1), where they fail.
Screenshots are saved in build/screenshots/. The JupyterLab driving lives in
tests/lab_driver.py, shared with benchmarks/bench_browser.py.
"""

import json
import os
import shutil

import course
import pytest
import translate

import lab_driver

ROOT = course.ROOT
SCREENSHOTS = ROOT / "build" / "screenshots"
# Both English editions, and in each language the learner's 01 (its widgets draw words too).
NOTEBOOKS = (course.paths(course.LEARNER) + course.paths(course.INSTRUCTOR)
             + [course.LEARNER / language / "01_sliding_window.ipynb" for language in course.LANGUAGES])
WIDGET_NOTE = "<live widget: run the notebook in Jupyter"
pytestmark = pytest.mark.course

if not lab_driver.CHROMIUM.exists():
    reason = "browser tests skipped: no Chromium at /usr/bin/chromium (install Debian's `chromium` package)"
    if os.environ.get("CONVLIB_REQUIRE_BROWSER"):
        raise RuntimeError(reason.replace("skipped", "required (CONVLIB_REQUIRE_BROWSER=1)"))
    pytest.skip(reason, allow_module_level=True)


def _copy_course(root):
    for folder in (course.LEARNER, course.INSTRUCTOR):
        shutil.copytree(folder, root / folder.name)
    return root


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on loopback with a token, serving a copy of both editions (never saved back)."""
    with lab_driver.jupyter_lab(_copy_course(tmp_path_factory.mktemp("lab"))) as (url, token):
        yield url, token


@pytest.fixture(scope="module")
def browser():
    with lab_driver.chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser, request):
    """A fresh page; its last state is saved as a screenshot, the most useful picture when a check fails."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "_").rstrip("]")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.close()


def _assert_no_widget_failure(panel, name):
    text = panel.inner_text()
    assert not [f for f in lab_driver.WIDGET_FAILURES if f in text], f"{name}: a widget failed to render"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).with_suffix("").as_posix())
def test_notebook_runs_and_each_change_draws_one_picture(lab, page, notebook):
    url, token = lab
    panel = lab_driver.open_notebook(page, url, token, notebook.relative_to(ROOT).as_posix())
    page.wait_for_timeout(1000)  # let JupyterLab write what the kernel reported into the notebook's metadata
    dirty = page.locator(".jp-mod-current.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty")
    assert dirty.count() == 0, f"{notebook.name} is marked modified as soon as its kernel starts"
    lab_driver.run_all_cells(page)

    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
    assert not tracebacks, f"{notebook.name} shows errors: {tracebacks[:2]}"
    if "widgets.explore_" not in notebook.read_text():
        return
    explorers = panel.locator(lab_driver.EXPLORER)
    explorers.first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # let every widget view finish rendering
    _assert_no_widget_failure(panel, notebook.name)
    # Each change makes the kernel busy, then idle: shown in the status bar, the notebook's toolbar
    # (a web component that re-measures all its buttons, forcing a layout of the notebook) stays still.
    assert page.locator(f"#jp-main-statusbar {lab_driver.EXECUTION_INDICATOR}").count() == 1
    toolbar = panel.locator(".jp-NotebookPanel-toolbar").element_handle()
    toolbar.evaluate("t => { t.__changes = 0; new MutationObserver(r => { t.__changes += r.length; })"
                     ".observe(t, {subtree: true, childList: true, attributes: true}); }")
    for k in range(explorers.count()):
        explorers.nth(k).scroll_into_view_if_needed()
        img = explorers.nth(k).locator(":scope > img").element_handle()
        lab_driver.watch_picture(img)
        controls = explorers.nth(k).locator(lab_driver.CONTROLS)
        for c in range(controls.count()):
            since, height = lab_driver.updates_so_far(img), explorers.nth(k).bounding_box()["height"]
            lab_driver.press_next(controls.nth(c))
            updates, _ = lab_driver.settle(page, img, since, quiet_ms=500, timeout_ms=30_000)
            label = lab_driver.control_label(controls.nth(c))
            assert updates == 1, f"{notebook.name}, widget {k + 1}, {label!r}: {updates} picture updates for one change"
            assert explorers.nth(k).bounding_box()["height"] == height, \
                f"{notebook.name}, widget {k + 1}, {label!r}: the widget changed height and moved the page below it"
    assert toolbar.evaluate("t => t.__changes") == 0, f"{notebook.name}: a change redrew the notebook's toolbar"


def test_a_drag_leaves_no_queue_of_stale_pictures(lab, page):
    """Dragging the column slider of 01's image widget across the picture: once the learner
    lets go, at most the picture being drawn and the last one arrive (ipywidgets sends one
    change at a time and keeps only the newest), and the last one shows the final column."""
    url, token = lab
    panel = lab_driver.open_notebook(page, url, token, "notebooks/01_sliding_window.ipynb")
    lab_driver.run_all_cells(page)
    explorer = panel.locator(lab_driver.EXPLORER).filter(has=page.locator("select")).first
    explorer.scroll_into_view_if_needed()
    img = explorer.locator(":scope > img").element_handle()
    lab_driver.watch_picture(img)
    column = explorer.locator(".widget-hslider, .widget-slider").filter(has_text="column")
    handle, track = column.locator(".noUi-handle"), column.locator(".noUi-base").bounding_box()
    handle.hover()
    page.mouse.down()
    steps = 60
    for i in range(steps + 1):  # about 60 mouse moves in 0.6 s, each a new column
        page.mouse.move(track["x"] + track["width"] * i / steps, track["y"] + track["height"] / 2)
        page.wait_for_timeout(10)
    since_release = lab_driver.updates_so_far(img)
    page.mouse.up()
    after, _ = lab_driver.settle(page, img, since_release, quiet_ms=1000, timeout_ms=30_000)
    during = since_release
    assert after <= 2, f"{after} pictures arrived after the drag ended: a queue of stale frames"
    assert during + after < steps, "every mouse move was drawn: nothing coalesced the drag's changes"
    assert handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")


def test_a_saved_notebook_reopens_without_widget_errors(tmp_path, browser):
    """Run All, save, restart the server, reopen: each widget shows its note under its
    static twin (no "model not found"), the file holds no widget model ids, and running
    the notebook again brings the live widget back."""
    shutil.copy(course.LEARNER / course.FIRST, tmp_path / course.FIRST)
    saved = tmp_path / course.FIRST
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with lab_driver.jupyter_lab(tmp_path) as (url, token):
            panel = lab_driver.open_notebook(page, url, token, course.FIRST)
            lab_driver.run_all_cells(page)
            panel.locator(lab_driver.EXPLORER).first.wait_for(timeout=30_000)
            before = saved.stat().st_mtime_ns
            lab_driver.menu(page, "File", "Save Notebook")
            page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')")
            for _ in range(100):
                if saved.stat().st_mtime_ns != before:
                    break
                page.wait_for_timeout(100)
        text = saved.read_text()
        notebook = json.loads(text)
        assert any(o.get("execution_count") for c in notebook["cells"] for o in c.get("outputs", [])), "not saved"
        assert "model_id" not in text and "widget-view" not in text and "widgets" not in notebook["metadata"]
        assert WIDGET_NOTE in text

        with lab_driver.jupyter_lab(tmp_path) as (url, token):
            panel = lab_driver.open_notebook(page, url, token, course.FIRST)
            panel.locator(f"text={WIDGET_NOTE}").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1000)
            _assert_no_widget_failure(panel, course.FIRST)
            assert panel.locator(".jp-OutputArea-output img").count() > 0, "the static pictures are gone"
            lab_driver.run_all_cells(page)
            panel.locator(lab_driver.EXPLORER).first.wait_for(timeout=30_000)
            _assert_no_widget_failure(panel, course.FIRST)
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "reopened_after_restart.png"))
        page.close()


# The file browser's "Name" column once the language pack is chosen (the pt-BR pack leaves the menus English).
NAME_COLUMN = {"pt_BR": "Nome", "ja": "名前", "fr": "Nom"}


@pytest.mark.parametrize("language", course.LANGUAGES)
def test_a_language_opens_its_edition_with_jupyterlab_in_that_language(tmp_path, browser, language):
    """As `make lab LANG=...` does: JupyterLab with the language's settings (jupyterlab-settings/LANG,
    the language pack's locale) shows its menus in that language, and the translated 00 opens."""
    settings = shutil.copytree(ROOT / "jupyterlab-settings" / language, tmp_path / "settings")
    heading = translate.lookup(translate.read_catalog(language, course.lesson("00_welcome")))(
        f"# {course.lesson('00_welcome').heading}")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with lab_driver.jupyter_lab(_copy_course(tmp_path / "course"),
                                    env={"JUPYTERLAB_SETTINGS_DIR": str(settings)}) as (url, token):
            lab_driver.open_notebook(page, url, token, f"notebooks/{language}/{course.FIRST}")
            column = page.locator(".jp-DirListing-headerItemText").first
            column.wait_for(timeout=30_000)
            assert column.inner_text().strip() == NAME_COLUMN[language]
            assert page.locator(f"{lab_driver.VISIBLE} h1").first.inner_text().strip(" ¶\n") == heading.lstrip("# ").strip()
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"lab_in_{language}.png"))
        page.close()
