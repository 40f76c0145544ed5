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
import translate
import website

pytestmark = pytest.mark.course
HUB = "https://hub.example.edu"
LESSONS = course.written(course.LEARNER)
# One translation is built and opened in Chromium (each takes about a minute): Japanese, whose search
# needs a word splitter and whose text a font the site ships. Its pages hold whichever lessons are written.
LANGUAGE = "ja"
TRANSLATED = course.written(course.LEARNER / LANGUAGE)
EDITIONS = set(website.editions_written())


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
def translated_site(tmp_path_factory):
    """The site of LANGUAGE's edition, with a JupyterHub: (folder, Sphinx's warnings)."""
    if not TRANSLATED:
        pytest.fail(f"notebooks/{LANGUAGE}/ holds no notebook: run `make translations`")
    return build(tmp_path_factory.mktemp("site-translated"), "--hub", HUB, "--language", LANGUAGE)


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


# --- a translation's site ------------------------------------------------------------

def test_a_translations_site_builds_without_a_warning_in_its_language(translated_site):
    folder, warnings = translated_site
    assert warnings == [], "\n".join(warnings)
    stems = [f"notebooks/{LANGUAGE}/{entry.stem}.html" for entry in TRANSLATED]
    assert [p.relative_to(folder).as_posix() for p in website.pages(folder)] == sorted(
        ["genindex.html", "index.html", "search.html"] + stems)
    for path in website.pages(folder):
        assert soup(path).html["lang"] == LANGUAGE, path.name
    menu = [a["href"] for a in soup(folder / "index.html").select("nav.bd-docs-nav a.reference.internal")]
    assert menu == stems


def test_a_translations_home_page_is_in_its_language(translated_site):
    home = soup(translated_site[0] / "index.html").get_text(" ")
    _ = website.translator(LANGUAGE)
    for sentence in (website.INTRO, website.MAP_HEADING):
        assert _(sentence) != sentence and _(sentence) in home, f"not translated on the home page: {sentence!r}"
    assert (_(website.IN_ENGLISH) in home) == (len(TRANSLATED) < len(course.LESSONS))
    table = translate.lookup(translate.read_catalog(LANGUAGE, course.LESSONS[0]))(course.map_table())
    titles = re.findall(r"\[\*\*(.+?)\*\*\]", table)
    assert len(titles) == len(course.LESSONS) - 1 and all(title in home for title in titles), "the translated map"


@pytest.mark.parametrize("entry", TRANSLATED, ids=lambda e: e.stem)
def test_a_translations_launch_buttons_open_its_notebook(translated_site, entry):
    path = translated_site[0] / "notebooks" / LANGUAGE / f"{entry.stem}.html"
    hrefs = [a["href"] for a in soup(path).select("a[href]")]
    assert links.binder_link(course.REPOSITORY, entry.name, language=LANGUAGE) in hrefs
    hub = [href for href in hrefs if href.startswith(f"{HUB}/hub/user-redirect/git-pull?")]
    assert len(hub) == 1 and _hub_query(hub[0]) == _hub_query(
        links.nbgitpuller_link(HUB, course.REPOSITORY, entry.name, language=LANGUAGE))
    if "widgets.explore_" in (course.LEARNER / LANGUAGE / entry.name).read_text(encoding="utf-8"):
        note = website.translator(LANGUAGE)(website.LAUNCH_NOTE_HUB).replace("**", "")
        assert note != website.LAUNCH_NOTE_HUB.replace("**", "") and note in soup(path).get_text()


def test_a_link_to_a_notebook_not_yet_translated_opens_the_english_one():
    text = "[**01 · x**](01_sliding_window.ipynb) and [00](00_welcome.ipynb#top)"
    assert website.link_lessons(text, "notebooks/ja", {"00_welcome.ipynb"}) == (
        f"[**01 · x**]({website.GITHUB}/notebooks/01_sliding_window.ipynb) and [00](notebooks/ja/00_welcome.ipynb#top)")


def test_the_editions_link_to_each_other(site, translated_site):
    def languages(home):
        return {a["hreflang"]: a["href"] for a in soup(home).select("a[hreflang]")}
    tag = {code: code.replace("_", "-") for code in EDITIONS}
    assert languages(site[0] / "index.html") == {tag[code]: f"{code}/index.html" for code in EDITIONS - {"en"}}
    assert languages(translated_site[0] / "index.html") == {
        tag[code]: "../index.html" if code == "en" else f"../{code}/index.html" for code in EDITIONS - {LANGUAGE}}


def test_the_site_catalogs_are_complete_and_current():
    """Every language has every sentence of the site translated, none fuzzy, and the template
    holds exactly the sentences tools/website.py uses (run `make catalogs` after changing them)."""
    with (translate.TEMPLATES / f"{translate.SITE}.pot").open("rb") as pot:
        assert [m.id for m in translate.read_po(pot) if m.id] == list(website.MESSAGES)
    for language in course.LANGUAGES:
        catalog = translate.read_catalog(language, translate.SITE)
        assert translate.missing(catalog) == [], f"{language}: site.po has untranslated or fuzzy sentences"
        assert {m.id for m in catalog if m.id} == set(website.MESSAGES)


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
    return open_every_page(site[0], "convolution")


@pytest.fixture(scope="module")
def opened_translation(translated_site):
    """The same for LANGUAGE's site, searched for a word of its own (the translated 'convolution')."""
    return open_every_page(translated_site[0], SEARCHED[LANGUAGE])


SEARCHED = {"ja": "畳み込み", "fr": "convolution", "pt_BR": "convolução"}


def open_every_page(folder, query):
    """Every page of the site in `folder` as Chromium shows it from file://, and the number of
    results its search page gives for `query`: {page: report, "search results": count}."""
    axe_offline.need_browser()
    from playwright.sync_api import sync_playwright

    reports = {}
    with sync_playwright() as playwright:
        browser = axe_offline.launch(playwright)
        for path in website.pages(folder):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems = axe_offline.open_offline(page, path, folder)
            maths = page.evaluate(TYPESET)
            reports[path.relative_to(folder).as_posix()] = maths | {
                "problems": problems, "violations": axe_offline.axe_violations(page),
                "raw": page.evaluate("document.body.innerText.split('$$').length - 1"),
                "japaneseFont": page.evaluate("[...document.fonts].filter(f => f.family === 'IPAexGothic')"
                                              ".map(f => f.status)")}
            page.close()
        page = browser.new_page()
        axe_offline.open_offline(page, folder / "search.html", folder)
        page.goto((folder / "search.html").as_uri() + "?q=" + urllib.parse.quote(query))
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


def test_a_translations_pages_load_nothing_from_outside_and_are_accessible(opened_translation):
    pages = {name: report for name, report in opened_translation.items() if name.endswith(".html")}
    problems = {name: report["problems"] for name, report in pages.items() if report["problems"]}
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
    found = [f"{name}: {line}" for name, report in pages.items() for line in report["violations"]]
    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(found)
    for entry in TRANSLATED:
        report = pages[f"notebooks/{LANGUAGE}/{entry.stem}.html"]
        assert report["errors"] == 0 and report["raw"] == 0, f"{entry.stem}: formulas left as TeX: {report}"


def test_a_translations_search_finds_its_own_words_offline(opened_translation):
    assert opened_translation["search results"] >= 1, f"no result for {SEARCHED[LANGUAGE]!r}"


def test_japanese_is_drawn_in_the_font_the_site_ships(opened, opened_translation):
    """Debian's Chromium has no Japanese font: the site's IPAexGothic draws it (its unicode-range
    keeps it unloaded on a page with no Japanese)."""
    assert "loaded" in opened_translation["index.html"]["japaneseFont"]
    assert "loaded" in opened["index.html"]["japaneseFont"], "the English home page names 日本語"
    assert "loaded" not in opened[f"notebooks/{LESSONS[1].stem}.html"]["japaneseFont"]
