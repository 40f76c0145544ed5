"""The course as a website: the learner's edition as static pages, built with no network.

    python tools/website.py [--solutions] [--hub https://hub.example.edu] [--output build/site]

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
"""

import argparse
import copy
import io
import shutil
import sys
import time

import nbformat

import course
import slides

OUTPUT = course.ROOT / "build" / "site"
WORK = course.ROOT / "build" / "site-work"   # the prepared sources and Sphinx's doctrees
MATHJAX_CONFIG = {  # as in the slides: MathJax 2 with the STIX-Web fonts it ships, nothing fetched
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None,
                 "linebreaks": {"automatic": True},
                 "styles": {"@font-face": {"font-family": "MathJax_Blank", "src": "local('MathJax_Blank')"}}},
    "messageStyle": "none",
}
WIDGET_OUTPUT = "<live widget"
LAUNCH_NOTE = ("**Live widget.** Launch this notebook to move its controls: the rocket button at the top of "
               "this page opens it on Binder{hub}. The picture above is its static twin.")


def _launch_note(hub):
    note = LAUNCH_NOTE.format(hub=" or on your JupyterHub" if hub else "")
    return nbformat.v4.new_output("display_data", data={"text/markdown": note})


def for_the_web(notebook, hub=None, solutions=False):
    """A copy of `notebook` ready for the site (see the module's docstring)."""
    page = copy.deepcopy(notebook)
    for cell in page.cells:
        if "solutions-link" in cell.metadata.get("tags", []) and not solutions:
            cell.source = cell.source.replace("](../solutions/", f"](https://github.com/{course.REPOSITORY}"
                                                                  "/blob/main/solutions/")
        if cell.cell_type != "code":
            continue
        if any(WIDGET_OUTPUT in output.get("data", {}).get("text/plain", "") for output in cell.outputs):
            cell.outputs = [_launch_note(hub)]
        alts = [output.metadata["image/png"]["alt"] for output in cell.outputs
                if output.get("metadata", {}).get("image/png", {}).get("alt")]
        if alts:
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": " ".join(alts)}
    return page


def _map(lessons, folder):
    rows = ["| notebook | the idea | the question it answers |", "|---|---|---|"]
    rows += [f"| [{entry.heading}]({folder}/{entry.name}) | {entry.idea} | {entry.question} |" for entry in lessons]
    return "\n".join(rows)


def _toctree(caption, folder, lessons):
    entries = "\n".join(f"{folder}/{entry.stem}" for entry in lessons)
    return f"```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{entries}\n```\n"


def index_page(lessons, solutions=False):
    """The home page: what the course is, the course map, and the table of contents."""
    text = ("# Convolution, Unfolded\n\n"
            "An interactive course on what a convolutional layer actually computes: a window sliding over the "
            "input, a dot product, one big matrix multiply, a sparse weight-tied matrix, a flipped kernel, and "
            "the FFT. Every page is a notebook: read it here, or launch it on Binder (the rocket button at the "
            "top of each page) to run it and move its widgets.\n\n"
            f"## The map of the course\n\n{_map(lessons, 'notebooks')}\n\n"
            + _toctree("The notebooks", "notebooks", lessons))
    if solutions:
        text += ("\n## Worked solutions\n\nThe instructor's edition, with every exercise solved: "
                 + ", ".join(f"[{entry.number}](solutions/{entry.name})" for entry in lessons) + ".\n\n"
                 + _toctree("Worked solutions", "solutions", lessons))
    return text


def prepare(source, solutions=False, hub=None):
    """Write the site's sources into `source`: the home page, the prepared notebooks, the badge."""
    shutil.rmtree(source, ignore_errors=True)
    lessons = course.written(course.LEARNER)
    editions = [(course.LEARNER, "notebooks")] + ([(course.INSTRUCTOR, "solutions")] if solutions else [])
    for folder, name in editions:
        (source / name).mkdir(parents=True)
        for entry in lessons:
            notebook = nbformat.read(folder / entry.name, as_version=4)
            nbformat.write(for_the_web(notebook, hub, solutions), source / name / entry.name)
    (source / course.BADGE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(course.ROOT / course.BADGE, source / course.BADGE)
    shutil.copytree(slides.MATHJAX, source / "_static" / "mathjax")
    (source / "index.md").write_text(index_page(lessons, solutions), encoding="utf-8")


def configuration(hub=None):
    """Sphinx's settings (there is no conf.py: everything is here)."""
    return {
        "project": "Convolution, Unfolded",
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


def build(output=OUTPUT, solutions=False, hub=None, work=WORK):
    """Build the site into `output`; return Sphinx's warnings (an empty list when all is well).
    Sphinx expects one build per process: run `main` (the command line) for each further one."""
    from sphinx.application import Sphinx

    prepare(work / "source", solutions, hub)
    shutil.rmtree(output, ignore_errors=True)
    warnings = io.StringIO()
    app = Sphinx(str(work / "source"), None, str(output), str(work / "doctrees"), "html",
                 confoverrides=configuration(hub), status=None, warning=warnings, freshenv=True)
    app.build()
    return [line for line in warnings.getvalue().splitlines() if line.strip()]


def pages(output=OUTPUT):
    """The site's HTML pages that a reader opens: the home page, search and the notebooks."""
    return sorted(path for path in output.rglob("*.html") if not path.relative_to(output).parts[0].startswith("_"))


def main(argv=None):
    """The command line: build the site, print its warnings; exit 1 if there were any."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solutions", action="store_true", help="add the instructor's edition with the solutions")
    parser.add_argument("--hub", help="a JupyterHub with nbgitpuller for the launch buttons, e.g. https://hub.uni.edu")
    parser.add_argument("--output", type=lambda text: course.ROOT / text, default=OUTPUT,
                        help=f"folder for the site (default: {OUTPUT.relative_to(course.ROOT)})")
    parser.add_argument("--work", type=lambda text: course.ROOT / text, default=WORK,
                        help=f"folder for the prepared sources (default: {WORK.relative_to(course.ROOT)})")
    args = parser.parse_args(argv)
    started = time.monotonic()
    warnings = build(args.output, args.solutions, args.hub, args.work)
    print("\n".join(warnings), file=sys.stderr)
    count = len(pages(args.output))
    print(f"wrote {count} pages into {args.output} in {time.monotonic() - started:.0f} s; "
          f"open {args.output / 'index.html'}")
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
