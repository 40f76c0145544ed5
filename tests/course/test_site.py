"""The course as a website (tools/website.py): built with no network from the stored
notebooks, a page per notebook in the manifest's order, launch buttons for Binder and a
JupyterHub, widgets replaced by a note, every picture with its text alternative, the worked
solutions only when asked for; and every page opened offline in Chromium: nothing fetched from
outside the site, formulas typeset, search working, no serious or critical axe-core violation."""

import json
import re
import subprocess
import sys
import urllib.parse

import nbformat
import pytest
from bs4 import BeautifulSoup

import axe_offline
import course
import links
import website

pytestmark = pytest.mark.course
HUB = "https://hub.example.edu"
LESSONS = course.written(course.LEARNER)


def build(folder, *options):
    """Run `tools/website.py` as `make site` does (Sphinx wants one build per process):
    the site's folder and Sphinx's warnings."""
    done = subprocess.run([sys.executable, str(course.ROOT / "tools" / "website.py"), "--output", str(folder / "site"),
                           "--work", str(folder / "work"), *options], capture_output=True, text=True, timeout=600)
    assert "wrote" in done.stdout, done.stderr
    return folder / "site", [line for line in done.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The default site, with a JupyterHub: (folder, Sphinx's warnings)."""
    return build(tmp_path_factory.mktemp("site"), "--hub", HUB)


@pytest.fixture(scope="module")
def site_with_solutions(tmp_path_factory):
    return build(tmp_path_factory.mktemp("site-solutions"), "--solutions")


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(folder, edition, entry):
    return folder / edition / f"{entry.stem}.html"


def test_the_site_builds_without_a_warning(site, site_with_solutions):
    assert site[1] == [], "\n".join(site[1])
    assert site_with_solutions[1] == [], "\n".join(site_with_solutions[1])


def test_every_notebook_is_a_page_in_the_manifests_order(site):
    folder, _ = site
    assert [p.relative_to(folder).as_posix() for p in website.pages(folder)] == sorted(
        ["genindex.html", "index.html", "search.html"] + [f"notebooks/{entry.stem}.html" for entry in LESSONS])
    menu = [a["href"] for a in soup(folder / "index.html").select("nav.bd-docs-nav a.reference.internal")]
    assert menu == [f"notebooks/{entry.stem}.html" for entry in LESSONS]
    home = soup(folder / "index.html").get_text()
    assert all(entry.heading in home and entry.question in home for entry in LESSONS)


def _hub_query(url):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


@pytest.mark.parametrize("entry", LESSONS, ids=lambda e: e.stem)
def test_launch_buttons_open_the_notebook_on_binder_and_on_the_hub(site, entry):
    hrefs = [a["href"] for a in soup(page(site[0], "notebooks", entry)).select("a[href]")]
    assert course.binder_url(entry.name) in hrefs
    hub = [href for href in hrefs if href.startswith(f"{HUB}/hub/user-redirect/git-pull?")]
    assert len(hub) == 1, hrefs
    assert _hub_query(hub[0]) == _hub_query(links.nbgitpuller_link(HUB, course.REPOSITORY, entry.name))


def stored_alts(path):
    """The text alternatives that a notebook's pictures carry in its stored outputs."""
    notebook = nbformat.read(path, as_version=4)
    return [output.metadata["image/png"]["alt"] for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if output.get("metadata", {}).get("image/png", {}).get("alt")]


@pytest.mark.parametrize("entry", LESSONS, ids=lambda e: e.stem)
def test_pictures_keep_their_text_alternative_on_the_site(site, entry):
    images = soup(page(site[0], "notebooks", entry)).select(".cell_output img")
    alts = [img.get("alt", "") for img in images]
    expected = stored_alts(course.LEARNER / entry.name)
    assert expected, f"{entry.name} stores no picture with alt text (run `make notebooks`)"
    assert [alt for alt in alts if alt in expected] == expected


@pytest.mark.parametrize("entry", LESSONS, ids=lambda e: e.stem)
def test_widgets_are_a_launch_note_below_their_static_twin(site, entry):
    text = page(site[0], "notebooks", entry).read_text(encoding="utf-8")
    widgets = (course.LEARNER / entry.name).read_text(encoding="utf-8").count("widgets.explore_")
    assert "&lt;live widget" not in text and "<live widget" not in text
    assert text.count("Live widget.") >= min(widgets, 1)


def test_the_badge_and_every_asset_ship_with_the_site(site):
    folder, _ = site
    for path in website.pages(folder):
        for tag in soup(path).select("script[src], link[href], img[src]"):
            url = tag.get("src") or tag.get("href")
            if tag.name == "link" and "stylesheet" not in tag.get("rel", []) and "preload" not in tag.get("rel", []):
                continue
            assert not re.match(r"([a-z]+:)?//", url), f"{path.name} loads {url}"
            assert (path.parent / urllib.parse.unquote(url.split("?")[0].split("#")[0])).is_file(), (
                f"{path.name}: missing {url}")
    badges = soup(page(folder, "notebooks", LESSONS[0])).select("img[alt='Open on Binder']")
    assert badges and all(img["src"].endswith(".svg") for img in badges)


def solution_lines(entry):
    source = nbformat.read(course.INSTRUCTOR / entry.name, as_version=4)
    return [line.strip() for cell in source.cells if cell.metadata.get("nbgrader", {}).get("solution")
            for line in cell.source.split("### BEGIN SOLUTION")[-1].split("### END SOLUTION")[0].splitlines()
            if line.strip()]


@pytest.mark.parametrize("entry", LESSONS, ids=lambda e: e.stem)
def test_worked_solutions_only_when_asked_for(site, site_with_solutions, entry):
    assert not (site[0] / "solutions").exists()
    learner = page(site[0], "notebooks", entry).read_text(encoding="utf-8")
    solved = soup(page(site_with_solutions[0], "solutions", entry)).get_text()
    lines = solution_lines(entry)
    assert all(line in solved for line in lines)
    if lines:
        assert course.CODE_STUB.split("#")[0].strip() in learner and "BEGIN SOLUTION" not in learner
        assert f"https://github.com/{course.REPOSITORY}/blob/main/solutions/{entry.name}" in learner
        assert "../solutions/" in page(site_with_solutions[0], "notebooks", entry).read_text(encoding="utf-8")


def test_search_index_holds_every_page(site):
    folder, _ = site
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", (folder / "searchindex.js").read_text()).group(1))
    assert {"index", *(f"notebooks/{entry.stem}" for entry in LESSONS)} <= set(index["docnames"])
    assert {"convolut", "kernel", "fft"} <= set(index["terms"])


def test_the_anchor_of_a_heading_is_jupyterlabs():
    assert course.jupyter_anchor("The map of the course") == "The-map-of-the-course"


# --- in a real browser, offline ------------------------------------------------------

TYPESET = """() => new Promise(done => {
  if (!window.MathJax || !MathJax.Hub) { done({formulas: 0, errors: 0, mathjax: false}); return; }
  MathJax.Hub.Queue(() => done({formulas: document.querySelectorAll(".MathJax, .MathJax_Display").length,
                                errors: document.querySelectorAll(".MathJax_Error, merror").length,
                                mathjax: true}));
})"""


@pytest.fixture(scope="module")
def opened(site):
    """Every page of the site as Chromium shows it from file://: {page: report}."""
    axe_offline.need_browser()
    from playwright.sync_api import sync_playwright

    folder, reports = site[0], {}
    with sync_playwright() as playwright:
        browser = axe_offline.launch(playwright)
        for path in website.pages(folder):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = axe_offline.open_offline(page, path, folder)
            maths = page.evaluate(TYPESET)
            reports[path.relative_to(folder).as_posix()] = maths | {
                "problems": problems, "violations": axe_offline.axe_violations(page),
                "raw": page.evaluate("document.body.innerText.split('$$').length - 1")}
            page.close()
        page = browser.new_page()
        axe_offline.open_offline(page, folder / "search.html", folder)
        page.goto((folder / "search.html").as_uri() + "?q=convolution")
        page.wait_for_selector("#search-results li, .search li", timeout=30_000)
        reports["search results"] = page.locator("#search-results li, .search li").count()
        browser.close()
    return reports


def test_pages_load_nothing_from_outside_the_site(opened):
    problems = {name: report["problems"] for name, report in opened.items() if name.endswith(".html")
                and report["problems"]}
    assert not problems, json.dumps(problems, indent=1)


def test_formulas_are_typeset_by_the_local_mathjax(opened):
    for entry in LESSONS:
        report = opened[f"notebooks/{entry.stem}.html"]
        if "$" in (course.LEARNER / entry.name).read_text(encoding="utf-8"):
            assert report["mathjax"] and report["formulas"] > 0, f"{entry.stem}: no formula typeset: {report}"
        assert report["errors"] == 0 and report["raw"] == 0, f"{entry.stem}: formulas left as TeX: {report}"


def test_no_page_has_a_serious_or_critical_accessibility_violation(opened):
    found = [f"{name}: {line}" for name, report in opened.items() if name.endswith(".html")
             for line in report["violations"]]
    assert not found, f"axe-core found {len(found)} serious or critical violations:\n" + "\n".join(found)


def test_search_finds_the_course_offline(opened):
    assert opened["search results"] >= len(LESSONS) // 2
