"""Lecture slides: one deck per instructor notebook, showing what a learner may see,
readable in a lecture hall, with speaker notes, and working with no network."""

import html
import os
import pathlib
import re
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402
import slides  # noqa: E402

pytestmark = pytest.mark.course

NOTEBOOKS = course.paths()
# Every written translation (solutions/<lang>/, tools/translate.py): the cheap checks run on all of them,
# the browser on the first of each language.
TRANSLATED = {language: course.paths(course.INSTRUCTOR / language) for language in course.LANGUAGES}
EDITIONS = NOTEBOOKS + [path for paths in TRANSLATED.values() for path in paths]
IDS = [path.relative_to(course.INSTRUCTOR).with_suffix("").as_posix() for path in EDITIONS]
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTH = 80  # characters of code that fit the slide's width (tools/slides_template/static/lecture.css)
TEXT_PX = 14  # the smallest text inside a picture, as shown on a 1280x720 slide, readable at the back of a hall
# Pictures that do not say the size of their text (no `font_px` metadata), with the reason they may stay:
# (notebook, first line of the picture's code cell) -> why.
UNMEASURED = {}  # (notebook, picture's code) -> why it draws no measured text; none today
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
    """(default decks, solutions decks) of EDITIONS, in its order; each language's in its own folder."""
    output, default, solved = tmp_path_factory.mktemp("slides"), [], []
    for language, notebooks in [(None, NOTEBOOKS), *TRANSLATED.items()]:
        folder = output / (language or "")
        default += slides.build(notebooks, folder, language=language)
        solved += slides.build(notebooks, folder, solutions=True, language=language)
    return default, solved


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


def test_a_pictures_alt_text_and_text_size_reach_its_img(tmp_path):
    from convlib import viz

    data, metadata = viz.kernel_grid([[1.0, -1.0]], "a kernel")._repr_mimebundle_()
    cell = new_code_cell("viz.kernel_grid(w)", outputs=[new_output("display_data", data, metadata=metadata)])
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 09 · Picture"), cell]), tmp_path / "09_picture.ipynb")
    (deck,) = slides.build([tmp_path / "09_picture.ipynb"], tmp_path / "slides")
    (img,) = re.findall(r"<img [^>]*>", deck.read_text(encoding="utf-8"))
    assert f'alt="{html.escape(metadata["image/png"]["alt"])}"' in img
    assert f'data-font-px="{viz.kit.STYLE["font"]}"' in img


def test_main_builds_the_decks_it_is_asked_for(tmp_path):
    assert slides.main(["--solutions", "--output", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.html")) == sorted(
        slides.deck_name(n, solutions=True) for n in NOTEBOOKS)


@pytest.mark.parametrize("language", [language for language, paths in TRANSLATED.items() if paths])
def test_main_builds_a_translations_decks_in_its_language(tmp_path, language):
    assert slides.main(["--language", language, "--output", str(tmp_path)]) == 0
    decks = sorted(tmp_path.glob("*.html"))
    assert [p.name for p in decks] == [slides.deck_name(n) for n in TRANSLATED[language]]
    tag = language.replace("_", "-")
    assert all(f'<html lang="{tag}"' in deck.read_text(encoding="utf-8") for deck in decks)
    assert (tmp_path / "fonts" / "ipaexg.ttf").is_file() and (tmp_path / "reveal" / "dist" / "reveal.js").is_file()


def test_an_unknown_language_is_refused(capsys):
    with pytest.raises(SystemExit):
        slides.main(["--language", "de"])
    assert "argument --language: invalid choice: 'de'" in capsys.readouterr().err


# --- the decks built from the course's notebooks ------------------------------------

def test_every_notebook_has_decks_that_load_nothing_from_the_network(decks):
    default, solutions = decks
    assert [d.relative_to(d.parents[1] if d.parent.name in course.LANGUAGES else d.parent).as_posix()
            for d in default] == [f"{n.with_suffix('').relative_to(course.INSTRUCTOR)}.slides.html" for n in EDITIONS]
    assert [d.name for d in solutions] == [f"{n.stem}.solutions.slides.html" for n in EDITIONS]
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


@pytest.mark.parametrize("index", range(len(EDITIONS)), ids=IDS)
def test_default_deck_shows_no_solution_no_check_and_no_test_markers(decks, index):
    notebook, deck = nbformat.read(EDITIONS[index], as_version=4), decks[0][index]
    shown, text = code_lines(deck), html.unescape(deck.read_text(encoding="utf-8"))
    leaked = [line for line in solution_lines(notebook) if line in shown and line not in taught_lines(notebook)]
    assert not leaked, f"{deck.name} shows solution lines: {leaked}"
    checks = [line for line in check_lines(notebook) if line in shown]
    assert not checks, f"{deck.name} shows check cell code: {checks}"
    assert "NBVAL" not in text, f"{deck.name} shows an nbval marker"
    assert "<live widget" not in text, f"{deck.name} shows a live widget's placeholder"
    assert "widgets.explore_" not in text, f"{deck.name} shows a live widget cell"


@pytest.mark.parametrize("index", range(len(EDITIONS)), ids=IDS)
def test_solutions_deck_shows_every_solution_line_and_no_check_cell(decks, index):
    notebook, deck = nbformat.read(EDITIONS[index], as_version=4), decks[1][index]
    shown, text = code_lines(deck), deck.read_text(encoding="utf-8")
    missing = [line for line in solution_lines(notebook) if line not in shown]
    assert not missing, f"{deck.name} lacks solution lines: {missing}"
    checks = [line for line in check_lines(notebook) if line in shown]
    assert not checks, f"{deck.name} shows check cell code: {checks}"
    assert "NBVAL" not in text and "SOLUTION" not in text, f"{deck.name} shows a marker"


@pytest.mark.parametrize("notebook", EDITIONS, ids=IDS)
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


@pytest.mark.parametrize("notebook", EDITIONS, ids=IDS)
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
  const slides = [...document.querySelectorAll(".reveal .slides > section > section")];
  const pictures = [...document.querySelectorAll(".reveal .slides img")].map(img => ({
      fontPx: img.dataset.fontPx ? parseFloat(img.dataset.fontPx) : null,
      shown: img.clientHeight, natural: img.naturalHeight,
      slide: slides.indexOf(img.closest(".reveal .slides > section > section")) + 1,
      code: (img.closest(".jp-Cell").querySelector("div.highlight > pre") || {textContent: ""})
          .textContent.split("\\n")[0],
  }));
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
    text: document.body.innerText, language: document.documentElement.lang,
    japaneseFont: [...document.fonts].filter(f => f.family.includes("IPAexGothic")).map(f => f.status),
    notesPlugin: Reveal.hasPlugin("notes"),
    notes: document.querySelectorAll(".reveal .slides aside.notes").length,
    overflowing, oversized, tall, wideOutputs, pictures, height: Reveal.getConfig().height,
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


def browser_decks(decks):
    """What Chromium measures: every English default deck, one solutions deck, and each language's first deck
    (all English pictures and code; the translations' text, longer in French, drawn in Japanese)."""
    default = decks[0]
    firsts = [default[EDITIONS.index(paths[0])] for paths in TRANSLATED.values() if paths]
    return default[:len(NOTEBOOKS)] + decks[1][:1] + firsts


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
        for deck in browser_decks(decks):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            problems = _open(page, deck)
            report = page.evaluate(RENDERING, WIDTH)
            page.evaluate("Reveal.configure({transition: 'none'})")
            report["screenshot_slide"] = page.evaluate(FORMULA_SLIDE)
            page.wait_for_timeout(200)
            page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
            language = deck.parent.name if deck.parent.name in course.LANGUAGES else None
            name = f"{language}_{deck.name}" if language else deck.name
            page.screenshot(path=str(screenshots / f"slides_{name.removesuffix('.slides.html')}.png"))
            reports[name] = report | {"problems": problems, "edition": language}
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


def test_text_inside_every_picture_is_at_least_14_px_on_the_slide(rendered):
    """Each picture says the size of its smallest text (data-font-px, from convlib's `font_px`
    metadata); on the slide that text is drawn at font_px * shown height / natural height."""
    small, unmeasured, exempt_seen = [], [], set()
    for name, report in rendered.items():
        notebook = name.split(".")[0]
        for picture in report["pictures"]:
            where = f"{name} slide {picture['slide']}, picture of `{picture['code']}`"
            assert picture["natural"] > 0, f"{where}: not loaded"
            if picture["fontPx"] is None:
                exempt_seen.add((notebook, picture["code"]))
                if (notebook, picture["code"]) not in UNMEASURED:
                    unmeasured.append(where)
                continue
            shown = picture["fontPx"] * picture["shown"] / picture["natural"]
            if shown < TEXT_PX:
                small.append(f"{where}: text drawn {picture['fontPx']:g} px, shown "
                             f"{picture['shown']}/{picture['natural']} of its height = {shown:.1f} px")
    assert not unmeasured, ("pictures that do not say the size of their text (draw them with convlib.viz, "
                            "or list them in UNMEASURED with a reason): " + "; ".join(unmeasured))
    assert not small, f"text inside pictures smaller than {TEXT_PX} px on the slide:\n" + "\n".join(small)
    assert set(UNMEASURED) <= exempt_seen, f"UNMEASURED lists pictures no deck shows: {set(UNMEASURED) - exempt_seen}"


def test_every_picture_of_the_solutions_decks_is_in_the_default_decks():
    """Only the default decks and one solutions deck are measured in Chromium: that covers every
    picture as long as no worked solution draws one."""
    drawn = [f"{path.name} cell {index}" for path in NOTEBOOKS
             for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
             if slides.is_solution(cell) and any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))]
    assert not drawn, f"solution cells that draw pictures, not measured on a slide: {drawn}"


def test_every_deck_is_one_lecture_of_at_most_35_slides(rendered):
    counts = {name: report["slides"] for name, report in rendered.items() if ".solutions." not in name}
    assert len(counts) == len(NOTEBOOKS) + sum(bool(paths) for paths in TRANSLATED.values())
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


def test_each_deck_says_its_language_and_japanese_is_drawn_in_the_shipped_font(rendered):
    """<html lang> for screen readers and hyphenation; IPAexGothic (fonts/, unicode-range) loaded where
    Japanese is shown, since Chromium on Debian has no Japanese font, and never fetched elsewhere."""
    for name, report in rendered.items():
        assert report["language"] == slides.html_language(report["edition"]), name
        if report["edition"] == "ja":
            assert "loaded" in report["japaneseFont"], f"{name}: IPAexGothic not loaded: {report['japaneseFont']}"
        else:
            assert "loaded" not in report["japaneseFont"], f"{name} loads the Japanese font it does not need"
