"""Lecture slides: one deck per instructor notebook, showing what a learner may see,
readable in a lecture hall, with speaker notes, and working with no network."""

import html
import os
import pathlib
import re
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402
import slides  # noqa: E402

pytestmark = pytest.mark.course

NOTEBOOKS = course.paths()
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTH = 80  # characters of code that fit the slide's width (tools/slides_template/static/lecture.css)
BEGIN, END = re.compile(r"^\s*### BEGIN SOLUTION\s*$"), re.compile(r"^\s*### END SOLUTION\s*$")


def solution_lines(notebook):
    """The stripped, non-empty lines between nbgrader's solution markers."""
    lines = []
    for cell in notebook.cells:
        inside = False
        for line in cell.source.splitlines():
            if BEGIN.match(line) or END.match(line):
                inside = bool(BEGIN.match(line))
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def check_lines(notebook):
    return [line.strip() for cell in notebook.cells if slides.is_check(cell)
            for line in cell.source.splitlines() if line.strip()]


def code_lines(deck):
    """The stripped lines of every code block (<pre>) of a deck, as a reader sees them."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", deck.read_text(encoding="utf-8"), re.S)
    return {line.strip() for block in blocks for line in html.unescape(re.sub(r"<[^>]+>", "", block)).splitlines()}


def taught_lines(notebook):
    """Lines of code the default deck shows on purpose: a solution line that is also in
    the lesson's own code (the loop of notebook 01 inside an exercise) is no leak."""
    return {line.strip() for cell in slides.lecture(notebook).cells if cell.cell_type == "code"
            for line in cell.source.splitlines()}


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    output = tmp_path_factory.mktemp("slides")
    return slides.build(NOTEBOOKS, output), slides.build(NOTEBOOKS, output, solutions=True)


# --- choosing the cells: a small notebook with every kind of cell ---------------------

def _toy():
    return new_notebook(cells=[
        new_markdown_cell("# 09 · Toy"),
        new_markdown_cell("nav", metadata={"tags": ["navigation"]}),
        new_markdown_cell("## A section\n\nSome prose."),
        new_markdown_cell("Say this aloud.", metadata={"tags": ["notes"]}),
        new_code_cell("x = 1"),
        new_markdown_cell("Prose after code."),
        new_code_cell("# NBVAL_IGNORE_OUTPUT\nshow(x)"),
        new_code_cell("# NBVAL_IGNORE_OUTPUT\nwidgets.explore_toy(x)"),
        new_code_cell("# NBVAL_SKIP\nslow()"),
        new_code_cell("hidden()", metadata={"tags": ["nbval-skip"]}),
        new_markdown_cell("### Exercise 1\n\nCompute y."),
        new_code_cell("y = ...  # your answer\n### BEGIN SOLUTION\ny = 2 * x\n### END SOLUTION",
                      metadata={"tags": ["solution"], "nbgrader": {"solution": True, "grade": False}}),
        new_code_cell("check(y, 2)", metadata={"tags": ["check"], "nbgrader": {"solution": False, "grade": True}}),
        new_markdown_cell("## Summary"),
    ])


def test_lecture_chooses_cells_and_slide_types():
    deck = slides.lecture(_toy())
    shown = [(c.source, c.metadata.slideshow["slide_type"]) for c in deck.cells]
    assert shown == [
        ("# 09 · Toy", "slide"),
        ("## A section\n\nSome prose.", "slide"),
        ("Say this aloud.", "notes"),
        ("x = 1", "-"),
        ("Prose after code.", "-"),
        ("show(x)", "-"),
        ("### Exercise 1\n\nCompute y.", "subslide"),
        ("## Summary", "slide"),
    ]


def test_solutions_deck_shows_the_solution_without_markers_but_never_the_check():
    sources = [c.source for c in slides.lecture(_toy(), solutions=True).cells]
    assert "y = 2 * x" in sources
    assert not [s for s in sources if "SOLUTION" in s or "check(" in s or "..." in s]


def test_lecture_leaves_the_notebook_alone():
    notebook = _toy()
    before = nbformat.writes(notebook)
    slides.lecture(notebook, solutions=True)
    assert nbformat.writes(notebook) == before


def test_notes_cells_become_reveal_speaker_notes(tmp_path):
    nbformat.write(_toy(), tmp_path / "09_toy.ipynb")
    (deck,) = slides.build([tmp_path / "09_toy.ipynb"], tmp_path / "slides")
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', deck.read_text(encoding="utf-8"), re.S)
    assert len(notes) == 1 and "Say this aloud." in notes[0]


def test_main_builds_the_decks_it_is_asked_for(tmp_path):
    assert slides.main(["--solutions", "--output", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.html")) == sorted(
        slides.deck_name(n, solutions=True) for n in NOTEBOOKS)


# --- the decks built from the course's notebooks ------------------------------------

def test_every_notebook_has_decks_that_load_nothing_from_the_network(decks):
    default, solutions = decks
    assert [d.name for d in default] == [f"{n.stem}.slides.html" for n in NOTEBOOKS]
    assert [d.name for d in solutions] == [f"{n.stem}.solutions.slides.html" for n in NOTEBOOKS]
    for deck in default + solutions:
        text = deck.read_text(encoding="utf-8")
        assets = re.findall(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]+)"', text)
        assert any(a.endswith("dist/reveal.js") for a in assets) and any("MathJax.js" in a for a in assets)
        remote = [a for a in assets if re.match(r"([a-z]+:)?//", a)]
        assert not remote, f"{deck.name} loads {remote}"
        for asset in assets:
            if not asset.startswith("data:"):
                assert (deck.parent / asset.split("?")[0]).is_file(), f"{deck.name}: missing {asset}"
        assert text.count("<section") > 3, f"{deck.name} should have several slides"


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=[n.stem for n in NOTEBOOKS])
def test_default_deck_shows_no_solution_no_check_and_no_test_markers(decks, index):
    notebook, deck = nbformat.read(NOTEBOOKS[index], as_version=4), decks[0][index]
    shown, text = code_lines(deck), html.unescape(deck.read_text(encoding="utf-8"))
    leaked = [line for line in solution_lines(notebook) if line in shown and line not in taught_lines(notebook)]
    assert not leaked, f"{deck.name} shows solution lines: {leaked}"
    checks = [line for line in check_lines(notebook) if line in shown]
    assert not checks, f"{deck.name} shows check cell code: {checks}"
    assert "NBVAL" not in text, f"{deck.name} shows an nbval marker"
    assert "<live widget" not in text, f"{deck.name} shows a live widget's placeholder"
    assert "widgets.explore_" not in text, f"{deck.name} shows a live widget cell"


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=[n.stem for n in NOTEBOOKS])
def test_solutions_deck_shows_every_solution_line_and_no_check_cell(decks, index):
    notebook, deck = nbformat.read(NOTEBOOKS[index], as_version=4), decks[1][index]
    shown, text = code_lines(deck), deck.read_text(encoding="utf-8")
    missing = [line for line in solution_lines(notebook) if line not in shown]
    assert not missing, f"{deck.name} lacks solution lines: {missing}"
    checks = [line for line in check_lines(notebook) if line in shown]
    assert not checks, f"{deck.name} shows check cell code: {checks}"
    assert "NBVAL" not in text and "SOLUTION" not in text, f"{deck.name} shows a marker"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_code_on_slides_fits_the_width(notebook):
    source = nbformat.read(notebook, as_version=4)
    too_long = {}
    for solutions in (False, True):
        for cell in slides.lecture(source, solutions).cells:
            if cell.cell_type == "code":
                for line in cell.source.splitlines():
                    if len(line) > WIDTH:
                        too_long[line] = f"  ({len(line)} chars) {line}"
    assert not too_long, (f"{notebook.name}: {len(too_long)} code lines shown on slides are longer "
                          f"than {WIDTH} characters:\n" + "\n".join(too_long.values()))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_every_section_has_speaker_notes(notebook):
    sections, current = {}, None
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            current = cell.source.splitlines()[0]
            sections[current] = False
        elif current and "notes" in cell.metadata.get("tags", []):
            sections[current] = True
    silent = [heading for heading, noted in sections.items() if not noted]
    assert sections, f"{notebook.name} has no '## ' sections"
    assert not silent, (f"{notebook.name}: {len(silent)} of {len(sections)} sections have no cell tagged "
                        f"`notes` before the next '## ' heading: {silent}")


# --- in a real browser, offline ----------------------------------------------------

RENDERING = """(width) => {
  const H = MathJax.OutputJax["HTML-CSS"];
  const families = [...document.querySelectorAll(".MathJax span")]
      .filter(s => s.childNodes.length && s.childNodes[0].nodeType === 3)
      .map(s => getComputedStyle(s).fontFamily);
  const style = document.createElement("style");   // lay out every slide to measure it
  style.textContent = ".reveal .slides section { display: block !important; }";
  document.head.appendChild(style);
  const overflowing = [...document.querySelectorAll(".reveal .slides div.highlight > pre")]
      .filter(pre => Math.max(...pre.textContent.split("\\n").map(l => l.length)) <= width
                     && pre.scrollWidth > pre.clientWidth + 1)
      .map(pre => pre.textContent.split("\\n")[0]);
  const oversized = [...document.querySelectorAll(".reveal .slides img")]
      .filter(img => img.offsetWidth > Reveal.getConfig().width || img.offsetHeight > Reveal.getConfig().height)
      .map(img => img.offsetWidth + "x" + img.offsetHeight);
  const tall = [...document.querySelectorAll(".reveal .slides > section > section")]
      .map((slide, index) => [slide, index + 1])
      .filter(([slide]) => slide.scrollHeight > slide.clientHeight + 1)
      .map(([slide, number]) => `slide ${number}, ${slide.scrollHeight} px: ` + slide.innerText.slice(0, 60));
  const wideOutputs = [...document.querySelectorAll(".reveal .slides .jp-OutputArea-output pre")]
      .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
      .map(pre => pre.textContent.split("\\n").find(l => l.length > width) || pre.textContent.slice(0, 60));
  const pre = document.querySelector(".reveal .slides div.highlight > pre");
  const line = pre.appendChild(document.createElement("span"));
  line.textContent = "x".repeat(width);
  const eighty = [line.offsetWidth, pre.clientWidth - 2 * parseFloat(getComputedStyle(pre).paddingLeft)];
  line.remove();
  style.remove();
  return {
    eighty,
    fontInUse: H.fontInUse, webFonts: !!H.webFonts, imageFonts: !!H.imgFonts,
    formulas: document.querySelectorAll(".MathJax, .MathJax_Display").length,
    stixGlyphs: families.filter(f => f.includes("STIXMathJax")).length, glyphs: families.length,
    stixLoaded: [...document.fonts].filter(f => f.family.includes("STIXMathJax") && f.status === "loaded").length,
    errors: document.querySelectorAll(".MathJax_Error, merror").length,
    text: document.body.innerText,
    notesPlugin: Reveal.hasPlugin("notes"),
    notes: document.querySelectorAll(".reveal .slides aside.notes").length,
    overflowing, oversized, tall, wideOutputs, height: Reveal.getConfig().height,
    slides: document.querySelectorAll(".reveal .slides > section > section").length,
  };
}"""

FORMULA_SLIDE = """() => {
  const slide = [...document.querySelectorAll(".reveal .slides > section > section")]
      .find(s => s.querySelector(".MathJax_Display") && s.querySelector("div.highlight"))
      || document.querySelector(".reveal .slides .MathJax").closest("section");
  const {h, v} = Reveal.getIndices(slide);
  Reveal.slide(h, v);
  return [h, v];
}"""


def _open(page, deck):
    """Open a deck from file:// with every request outside its folder blocked; return
    the problems seen: blocked, failed or unanswered requests and script errors."""
    folder, problems, asked, answered = deck.parent.as_uri() + "/", [], [], set()

    def route(request_route):
        url = request_route.request.url
        if url.startswith(folder):
            asked.append(url)
            request_route.continue_()
        else:
            problems.append(f"blocked request outside the deck's folder: {url}")
            request_route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("requestfinished", lambda r: answered.add(r.url))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.goto(deck.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20_000)
    page.wait_for_function("window.lecturePaginated === true", timeout=20_000)   # slides cut to fit
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
    problems += [f"not answered from the folder: {url}" for url in asked if url not in answered]
    return problems


def _need_chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CONVLIB_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required in CI (CONVLIB_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("slide rendering check skipped: no Chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def rendered(decks):
    """Every deck as headless Chromium shows it, offline: {deck name: report}."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    screenshots = ROOT / "build" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    reports = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for deck in decks[0] + decks[1][:1]:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            problems = _open(page, deck)
            report = page.evaluate(RENDERING, WIDTH)
            page.evaluate("Reveal.configure({transition: 'none'})")
            report["screenshot_slide"] = page.evaluate(FORMULA_SLIDE)
            page.wait_for_timeout(200)
            page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
            page.screenshot(path=str(screenshots / f"slides_{deck.name.removesuffix('.slides.html')}.png"))
            reports[deck.name] = report | {"problems": problems}
            page.close()
        browser.close()
    return reports


def test_decks_load_only_files_from_their_folder(rendered):
    for name, report in rendered.items():
        assert not report["problems"], f"{name}: " + "\n".join(report["problems"])


def test_formulas_are_typeset_with_mathjax_web_fonts(rendered):
    for name, report in rendered.items():
        assert report["formulas"] > 0, f"{name}: no formula was typeset"
        assert (report["fontInUse"], report["webFonts"], report["imageFonts"]) == ("STIX-Web", True, False), (
            f"{name}: MathJax fell back from its STIX-Web web fonts: {report['fontInUse']=}, "
            f"{report['webFonts']=}, {report['imageFonts']=}")
        assert report["stixLoaded"] > 0 and report["stixGlyphs"] == report["glyphs"] > 0, (
            f"{name}: formulas are not drawn in STIXMathJax fonts "
            f"({report['stixGlyphs']} of {report['glyphs']} glyphs; {report['stixLoaded']} fonts loaded)")
        assert report["errors"] == 0 and "Math Processing Error" not in report["text"], f"{name}: a formula failed"
        for warning in ("image fonts", "web fonts", "Web-Fonts", "fontdata"):
            assert warning not in report["text"], f"{name}: MathJax warns about fonts ({warning!r})"


def test_code_and_pictures_fit_the_slide(rendered):
    for name, report in rendered.items():
        width, room = report["eighty"]
        assert width <= room, f"{name}: {WIDTH} characters of code take {width} px, a code cell has {room} px"
        assert not report["overflowing"], f"{name}: code of <= {WIDTH} chars overflows: {report['overflowing']}"
        assert not report["oversized"], f"{name}: pictures larger than the slide: {report['oversized']}"


def test_every_slide_fits_a_1280x720_screen(rendered):
    for name, report in rendered.items():
        assert report["height"] == 720
        assert not report["tall"], f"{name}: slides taller than the screen (a single cell too tall?): {report['tall']}"
        assert not report["wideOutputs"], f"{name}: output lines wider than the slide: {report['wideOutputs']}"


def test_every_deck_is_one_lecture_of_at_most_35_slides(rendered):
    counts = {name: report["slides"] for name, report in rendered.items() if ".solutions." not in name}
    assert len(counts) == len(NOTEBOOKS)
    too_long = {name: n for name, n in counts.items() if n > 35}
    assert not too_long, f"decks longer than a 50-minute lecture (tag a section `not-in-lecture`): {too_long}"


def test_a_slide_taller_than_the_screen_is_cut_at_a_cell_boundary(tmp_path):
    _need_chromium()
    from playwright.sync_api import sync_playwright

    cells = [new_markdown_cell("# 09 · Long"), new_markdown_cell("## One section"), new_code_cell("x = 1")]
    cells += [new_markdown_cell(f"Paragraph {i}: " + "words " * 60) for i in range(8)]
    nbformat.write(new_notebook(cells=cells), tmp_path / "09_long.ipynb")
    (deck,) = slides.build([tmp_path / "09_long.ipynb"], tmp_path / "slides")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        problems = _open(page, deck)
        report = page.evaluate(RENDERING, WIDTH)
        parts = page.evaluate("[...document.querySelectorAll('.reveal .slides > section:nth-child(2) > section')]"
                              ".map(s => s.innerText)")
        browser.close()
    assert not problems and not report["tall"], (problems, report["tall"])
    assert len(parts) >= 2, "eight long paragraphs do not fit one slide"
    shown = "\n".join(parts)
    assert all(shown.count(f"Paragraph {i}:") == 1 for i in range(8)), "every paragraph once, none lost"


def test_decks_have_speaker_notes_for_press_s(rendered):
    for name, report in rendered.items():
        assert report["notesPlugin"], f"{name}: reveal's notes plugin is not registered (S would do nothing)"
    silent = [name for name, report in rendered.items() if report["notes"] == 0]
    assert not silent, f"decks with no speaker notes (no <aside class='notes'>): {silent}"


def test_pressing_s_opens_the_speaker_view_with_the_notes(tmp_path):
    _need_chromium()
    from playwright.sync_api import sync_playwright

    nbformat.write(_toy(), tmp_path / "09_toy.ipynb")
    (deck,) = slides.build([tmp_path / "09_toy.ipynb"], tmp_path / "slides")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        problems = _open(page, deck)
        page.evaluate("Reveal.slide(1, 0)")   # '## A section', which has the notes
        with page.expect_popup(timeout=10_000) as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_function("document.querySelector('.speaker-controls-notes')"
                                  " && document.querySelector('.speaker-controls-notes').innerText"
                                  ".includes('Say this aloud.')", timeout=10_000)
        assert speaker.title() == "reveal.js - Speaker View"
        browser.close()
    assert not problems, problems
