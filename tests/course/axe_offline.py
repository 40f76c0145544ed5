"""Headless Chromium that may read only one folder, and axe-core run in it: shared by the
browser checks of the website (tests/course/test_site.py) and of the slide decks
(tests/course/test_accessibility.py).

axe-core comes from npm, like Chromium from Debian: `.ci/run` installs it into build/npm.
Without either, the checks skip with that reason, except in CI (CONVLIB_REQUIRE_BROWSER=1).
"""

import os
import pathlib

import pytest

import course

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = course.ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("serious", "critical")

# axe's violations of the impacts asked for, one line each: rule, impact, element and its HTML.
RUN_AXE = """async ([context, impacts]) => {
  const result = await axe.run(context ? document.querySelector(context) : document,
                               {resultTypes: ["violations"]});
  return result.violations.filter(v => impacts.includes(v.impact)).flatMap(v => v.nodes.map(
      n => `${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.html.replace(/\\s+/g, " ").slice(0, 160)}`));
}"""


def need_browser():
    """Skip (or, in CI, fail) when Chromium or axe-core is missing."""
    missing = [name for name, path in (("Chromium (apt-get install chromium)", CHROMIUM),
                                       ("axe-core (npm install --prefix build/npm axe-core)", AXE))
               if not path.exists()]
    if missing:
        reason = f"browser accessibility checks need {' and '.join(missing)}"
        if os.environ.get("CONVLIB_REQUIRE_BROWSER"):
            pytest.fail(reason + " (required in CI: CONVLIB_REQUIRE_BROWSER=1)")
        pytest.skip(reason)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_offline(page, path, folder):
    """Open `path` from file:// with every request outside `folder` blocked; return the list
    that collects what went wrong (blocked or failed requests, script errors)."""
    inside, problems = folder.as_uri() + "/", []

    def block(request_route):
        problems.append(f"blocked a request outside {folder.name}/: {request_route.request.url}")
        request_route.abort()

    # Only what leaves the folder is intercepted: Chromium fails file:// requests with a query
    # string (style.css?digest=...) that a route lets through.
    page.route(lambda url: not url.startswith((inside, "data:")), block)
    failed, answered = {}, set()
    page.on("requestfailed", lambda r: failed.setdefault(r.url, r.failure))
    page.on("requestfinished", lambda r: answered.add(r.url))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.goto(path.as_uri(), wait_until="load")
    # With interception on, Chromium may ask for a stylesheet twice and cancel one copy: only a
    # file that never arrived is a problem.
    problems += [f"failed: {url} ({why})" for url, why in failed.items() if url not in answered
                 and url.startswith(inside)]
    return problems


def axe_violations(page, context=None):
    """Serious and critical axe-core violations in the page (or in the element `context`)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, [context, list(IMPACTS)])
