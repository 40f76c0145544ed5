"""The lecture decks for everyone: every slide of every deck, opened offline in headless
Chromium, has no serious or critical violation found by axe-core, and every picture on a
slide has its text alternative. (The website's pages: tests/course/test_site.py.)"""

import pytest

import axe_offline
import course
import slides

pytestmark = pytest.mark.course
NOTEBOOKS = course.paths()

# Every slide at once, laid out one under the other as it looks when shown (no transition,
# nothing faded): one axe-core run checks them all, where one run per slide took minutes.
# reveal's own controls, progress bar and slide number are checked first, on the page as shown.
ALL_SLIDES = """() => {
  const style = document.createElement("style");
  style.textContent = `.reveal .slides section { display: block !important; position: static !important;
      transform: none !important; opacity: 1 !important; visibility: visible !important; height: auto !important; }
    .reveal .slides { transform: none !important; position: static !important; overflow: visible !important; }
    .reveal { overflow: visible !important; height: auto !important; }`;
  document.head.appendChild(style);
  document.querySelectorAll(".reveal .slides [aria-hidden], .reveal .slides [hidden]")
      .forEach(e => { e.removeAttribute("aria-hidden"); e.removeAttribute("hidden"); });
  return document.querySelectorAll(".reveal .slides section:not(.stack)").length;
}"""
PICTURES = """() => [...document.querySelectorAll(".reveal .slides img")]
    .filter(img => !img.alt || img.alt.startsWith("No description")).length"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Every default deck as Chromium shows it: {deck name: (problems, violations, pictures without alt)}."""
    axe_offline.need_browser()
    from playwright.sync_api import sync_playwright

    decks = slides.build(NOTEBOOKS, tmp_path_factory.mktemp("slides"))
    found = {}
    with sync_playwright() as playwright:
        browser = axe_offline.launch(playwright)
        for deck in decks:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            problems = axe_offline.open_offline(page, deck, deck.parent)
            page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=20_000)
            page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
            violations = [f"as shown: {line}" for line in axe_offline.axe_violations(page)]
            assert page.evaluate(ALL_SLIDES) > 3, f"{deck.name}: too few slides"
            violations += [f"slides: {line}" for line in axe_offline.axe_violations(page, ".reveal .slides")]
            found[deck.name] = problems, violations, page.evaluate(PICTURES)
            page.close()
        browser.close()
    return found


def test_decks_load_nothing_from_outside_their_folder(reports):
    problems = {name: found[0] for name, found in reports.items() if found[0]}
    assert not problems, problems


def test_no_slide_has_a_serious_or_critical_accessibility_violation(reports):
    found = [f"{name} {line}" for name, (_, violations, _) in reports.items() for line in violations]
    assert not found, f"axe-core found {len(found)} serious or critical violations:\n" + "\n".join(found)


def test_pictures_on_slides_say_what_they_show(reports):
    """Only matplotlib figures drawn outside the kit can lack it; every kit picture has alt text."""
    bare = {name: found[2] for name, found in reports.items() if found[2]}
    kit_only = {name for name in reports if "plt." not in (course.INSTRUCTOR / f"{name.split('.')[0]}.ipynb")
                .read_text(encoding="utf-8")}
    assert not set(bare) & kit_only, f"pictures without alt text on slides: {bare}"
