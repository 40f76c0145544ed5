"""The course as a website: the learner's edition as static pages, built with no network.

    python tools/website.py [--solutions] [--hub https://hub.example.edu] [--output build/site]
                            [--language ja]

Sphinx, myst-nb and sphinx-book-theme turn the stored notebooks into one page each,
without executing anything: what a page shows is what the notebook stores. The course
map and the order of the pages come from the manifest (tools/course.py); each page has
launch buttons that open its notebook on Binder and, given `--hub`, on a JupyterHub
through nbgitpuller, both for the manifest's repository. Sphinx's own search works
offline, and formulas are typeset by the MathJax copy that the slides ship too.

Before the build, a copy of each notebook is prepared for the web: a live widget's
output (text saying "run the notebook") becomes a note to launch the notebook, the
picture above it being its static twin; each picture's text alternative (its output
`alt` metadata) goes where myst-nb reads it; the link to the worked solutions points
at the repository, or, with `--solutions`, at the instructor's edition built beside.

A translation (``--language ja``) is a site of its own in ``build/site/ja/``: the language's
edition (``notebooks/ja/``, tools/translate.py) with Sphinx's ``language`` set, so that the
theme's words and the search (Japanese split into words) are that language's; the home page's
sentences come from the catalog ``locales/<lang>/LC_MESSAGES/site.po`` (``make catalogs``
extracts MESSAGES below into ``locales/templates/site.pot``) and its course map from notebook
00's catalog. A link to a notebook not yet translated opens the English one on GitHub. The
home pages link every edition to the others.
"""

import argparse
import copy
import io
import re
import shutil
import sys
import time

import nbformat

import course
import slides
import translate

OUTPUT = course.ROOT / "build" / "site"
WORK = course.ROOT / "build" / "site-work"   # the prepared sources and Sphinx's doctrees
MATHJAX_CONFIG = {  # as in the slides: MathJax 2 with the STIX-Web fonts it ships, nothing fetched
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None,
                 "linebreaks": {"automatic": True},
                 "styles": {"@font-face": {"font-family": "MathJax_Blank", "src": "local('MathJax_Blank')"}}},
    "messageStyle": "none",
}
GITHUB = f"https://github.com/{course.REPOSITORY}/blob/main"
LESSON_LINK = re.compile(r"\]\((?P<name>\d\d_\w+\.ipynb)(?P<anchor>#[^)\s]*)?\)")

# The site's own sentences, in English; their translations are in the site catalogs (module's docstring).
INTRO = ("An interactive course on what a convolutional layer actually computes: a window sliding over the "
         "input, a dot product, one big matrix multiply, a sparse weight-tied matrix, a flipped kernel, and "
         "the FFT. Every page is a notebook: read it here, or launch it on Binder (the rocket button at the "
         "top of each page) to run it and move its widgets.")
MAP_HEADING = "The map of the course"
NOTEBOOKS_CAPTION = "The notebooks"
SOLUTIONS_HEADING = "Worked solutions"
SOLUTIONS_INTRO = "The instructor's edition, with every exercise solved:"
IN_ENGLISH = "A notebook that is not translated yet opens in English, on GitHub."
OTHER_LANGUAGES = "This course in other languages:"
LAUNCH_NOTE = ("**Live widget.** Launch this notebook to move its controls: the rocket button at the top of "
               "this page opens it on Binder. The picture above is its static twin.")
LAUNCH_NOTE_HUB = ("**Live widget.** Launch this notebook to move its controls: the rocket button at the top of "
                   "this page opens it on Binder or on your JupyterHub. The picture above is its static twin.")
MESSAGES = (INTRO, MAP_HEADING, NOTEBOOKS_CAPTION, SOLUTIONS_HEADING, SOLUTIONS_INTRO, IN_ENGLISH,
            OTHER_LANGUAGES, LAUNCH_NOTE, LAUNCH_NOTE_HUB)


def translator(language=None):
    """English sentence -> its translation in `language` (the site catalog), or the English."""
    return translate.lookup(translate.read_catalog(language, translate.SITE)) if language else str


def edition_folder(edition, language=None):
    """Where an edition's pages are, in the site and in the repository: 'notebooks' or 'notebooks/ja'
    (so that the theme's launch buttons open the language's notebook)."""
    return f"{edition}/{language}" if language else edition


def link_lessons(text, folder, written):
    """`text`'s links to notebooks (``01_a.ipynb#anchor``) put under `folder`; a link to a notebook
    that is not in `written` (names) opens the English notebook on GitHub instead."""
    def replace(link):
        """One link, under `folder` or to GitHub."""
        if link["name"] in written:
            return f"]({folder + '/' if folder else ''}{link['name']}{link['anchor'] or ''})"
        return f"]({GITHUB}/notebooks/{link['name']})"
    return LESSON_LINK.sub(replace, text)


def _launch_note(hub, language=None):
    note = translator(language)(LAUNCH_NOTE_HUB if hub else LAUNCH_NOTE)
    return nbformat.v4.new_output("display_data", data={"text/markdown": note})


def for_the_web(notebook, hub=None, solutions=False, language=None):
    """A copy of `notebook` ready for the site (see the module's docstring)."""
    page = copy.deepcopy(notebook)
    written = {entry.name for entry in course.written(course.LEARNER / (language or ""))}
    solutions_folder = "../" * bool(language) + f"../{edition_folder('solutions', language)}/"
    for cell in page.cells:
        if "solutions-link" in cell.metadata.get("tags", []) and not solutions:
            cell.source = cell.source.replace(f"]({solutions_folder}",
                                              f"]({GITHUB}/{edition_folder('solutions', language)}/")
        if cell.cell_type == "markdown" and language:
            cell.source = link_lessons(cell.source, "", written)
        if cell.cell_type != "code":
            continue
        if slides.WIDGET in cell.source:   # its output is the live widget's text, in the notebook's language
            cell.outputs = [_launch_note(hub, language)]
        alts = [output.metadata["image/png"]["alt"] for output in cell.outputs
                if output.get("metadata", {}).get("image/png", {}).get("alt")]
        if alts:
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": " ".join(alts)}
    return page


def _map(lessons, folder, language=None):
    """The course map: the manifest's, or in a translation the table of notebook 00 as translated."""
    if language:
        table = translate.lookup(translate.read_catalog(language, course.LESSONS[0]))(course.map_table())
        return link_lessons(table, folder, {entry.name for entry in lessons})
    rows = ["| notebook | the idea | the question it answers |", "|---|---|---|"]
    rows += [f"| [{entry.heading}]({folder}/{entry.name}) | {entry.idea} | {entry.question} |" for entry in lessons]
    return "\n".join(rows)


def editions_written():
    """{language code: its own name} of English and every translation with a written learner's edition."""
    return {"en": "English"} | {code: name for code, name in course.LANGUAGES.items()
                                if course.written(course.LEARNER / code)}


def _language_links(language=None):
    """Links from this edition's home page to the others' (raw HTML: they lie outside this Sphinx project)."""
    home = "../" if language else ""
    others = [f'<a href="{home}{"" if code == "en" else code + "/"}index.html" hreflang="{slides.html_language(code)}" '
              f'lang="{slides.html_language(code)}">{name}</a>'
              for code, name in editions_written().items() if code != (language or "en")]
    return f"{translator(language)(OTHER_LANGUAGES)} {' · '.join(others)}\n\n" if others else ""


def _toctree(caption, folder, lessons):
    entries = "\n".join(f"{folder}/{entry.stem}" for entry in lessons)
    return f"```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{entries}\n```\n"


def index_page(lessons, solutions=False, language=None):
    """The home page, in `language` (English by default): what the course is, links to the other
    editions, the course map, and the table of contents."""
    _, notebooks, solved = translator(language), edition_folder("notebooks", language), edition_folder(
        "solutions", language)
    untranslated = language and len(lessons) < len(course.LESSONS)
    text = (f"# Convolution, Unfolded\n\n{_(INTRO)}\n\n{_language_links(language)}"
            f"## {_(MAP_HEADING)}\n\n{_map(lessons, notebooks, language)}\n\n"
            + (f"{_(IN_ENGLISH)}\n\n" if untranslated else "")
            + _toctree(_(NOTEBOOKS_CAPTION), notebooks, lessons))
    if solutions:
        text += (f"\n## {_(SOLUTIONS_HEADING)}\n\n{_(SOLUTIONS_INTRO)} "
                 + ", ".join(f"[{entry.number}]({solved}/{entry.name})" for entry in lessons) + ".\n\n"
                 + _toctree(_(SOLUTIONS_HEADING), solved, lessons))
    return text


def prepare(source, solutions=False, hub=None, language=None):
    """Write the site's sources into `source`: the home page, the prepared notebooks, the badge."""
    shutil.rmtree(source, ignore_errors=True)
    lessons = course.written(course.LEARNER / (language or ""))
    for edition in ["notebooks"] + ["solutions"] * solutions:
        name = edition_folder(edition, language)
        (source / name).mkdir(parents=True)
        for entry in lessons:
            notebook = nbformat.read(course.ROOT / name / entry.name, as_version=4)
            nbformat.write(for_the_web(notebook, hub, solutions, language), source / name / entry.name)
    (source / course.BADGE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(course.ROOT / course.BADGE, source / course.BADGE)
    shutil.copytree(slides.MATHJAX, source / "_static" / "mathjax")
    slides.copy_fonts(source / "_static")   # every home page names 日本語; loaded only where Japanese shows
    (source / "_static" / "japanese.css").write_text(JAPANESE_CSS, encoding="utf-8")
    (source / "index.md").write_text(index_page(lessons, solutions, language), encoding="utf-8")


# The theme's font stacks with IPAexGothic first: its unicode-range leaves Latin letters to the others.
JAPANESE_CSS = """@font-face {
  font-family: "IPAexGothic";
  src: url("fonts/ipaexg.ttf") format("truetype");
  font-weight: 100 900;
  unicode-range: U+3000-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF;
}
html[lang] {
  --pst-font-family-base: "IPAexGothic", var(--pst-font-family-base-system);
  --pst-font-family-heading: "IPAexGothic", var(--pst-font-family-base-system);
  --pst-font-family-monospace: "IPAexGothic", var(--pst-font-family-monospace-system);
}
"""


def configuration(hub=None, language=None):
    """Sphinx's settings (there is no conf.py: everything is here)."""
    return {
        "project": "Convolution, Unfolded",
        "language": language or "en",                   # the theme's words and the search's word splitter
        "html_css_files": ["japanese.css"],
        "html_title": "Convolution, Unfolded",
        "smartquotes": False,                           # the manifest's quotes stay as written
        "extensions": ["myst_nb"],
        "nb_execution_mode": "off",                     # show the stored outputs, never execute
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "myst_heading_anchors": 3,
        "myst_heading_slug_func": "course.jupyter_anchor",
        "myst_update_mathjax": False,                   # MathJax 2 (below) takes its own configuration
        "exclude_patterns": ["**.ipynb_checkpoints"],
        "html_theme": "sphinx_book_theme",
        "html_static_path": ["_static"],
        "html_last_updated_fmt": None,
        "mathjax_path": "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe",
        "mathjax2_config": MATHJAX_CONFIG,
        # The sidebar's search is a plain field: the theme's search button is named "Search" but
        # shows "Search Ctrl+K", which axe-core reports (label-content-name-mismatch, WCAG 2.5.3).
        "html_sidebars": {"**": ["navbar-logo.html", "icon-links.html", "search-field.html", "sbt-sidebar-nav.html"]},
        "html_theme_options": {
            "repository_url": f"https://github.com/{course.REPOSITORY}",
            "repository_branch": "main",
            "path_to_docs": "",
            "use_repository_button": True,
            "navbar_persistent": [],                    # no second search button (see html_sidebars)
            "launch_buttons": {"binderhub_url": "https://mybinder.org", "jupyterhub_url": hub or "",
                               "notebook_interface": "jupyterlab"},
        },
    }


def _clear(output):
    """Empty `output`, keeping the translations' sites that live in its language folders."""
    for path in output.iterdir() if output.is_dir() else []:
        if path.name not in course.LANGUAGES:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def build(output=OUTPUT, solutions=False, hub=None, work=WORK, language=None):
    """Build the site (of `language`'s edition; English by default) into `output`; return Sphinx's
    warnings (an empty list when all is well). Sphinx expects one build per process: run `main`
    (the command line) for each further one."""
    from sphinx.application import Sphinx

    prepare(work / "source", solutions, hub, language)
    _clear(output)
    warnings = io.StringIO()
    app = Sphinx(str(work / "source"), None, str(output), str(work / "doctrees"), "html",
                 confoverrides=configuration(hub, language), status=None, warning=warnings, freshenv=True)
    app.build()
    return [line for line in warnings.getvalue().splitlines() if line.strip()]


def pages(output=OUTPUT):
    """The site's HTML pages that a reader opens: the home page, search and the notebooks."""
    return sorted(path for path in output.rglob("*.html")
                  if not (top := path.relative_to(output).parts[0]).startswith("_") and top not in course.LANGUAGES)


def main(argv=None):
    """The command line: build the site, print its warnings; exit 1 if there were any."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solutions", action="store_true", help="add the instructor's edition with the solutions")
    parser.add_argument("--hub", help="a JupyterHub with nbgitpuller for the launch buttons, e.g. https://hub.uni.edu")
    parser.add_argument("--language", choices=course.LANGUAGES,
                        help="build the site of a translation, notebooks/LANGUAGE/ (default: English)")
    parser.add_argument("--output", type=lambda text: course.ROOT / text,
                        help=f"folder for the site (default: {OUTPUT.relative_to(course.ROOT)}[/LANGUAGE])")
    parser.add_argument("--work", type=lambda text: course.ROOT / text,
                        help=f"folder for the prepared sources (default: {WORK.relative_to(course.ROOT)}[/LANGUAGE])")
    args = parser.parse_args(argv)
    started, edition = time.monotonic(), args.language or ""
    args.output, args.work = args.output or OUTPUT / edition, args.work or WORK / edition
    warnings = build(args.output, args.solutions, args.hub, args.work, args.language)
    print("\n".join(warnings), file=sys.stderr)
    count = len(pages(args.output))
    print(f"wrote {count} pages into {args.output} in {time.monotonic() - started:.0f} s; "
          f"open {args.output / 'index.html'}")
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
