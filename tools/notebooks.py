"""Keep the notebooks consistent: navigation, metadata, and deterministic stored outputs.

    python tools/notebooks.py build [NOTEBOOK ...]   normalise, execute and store (default: all)
    python tools/notebooks.py check                  verify every stored notebook, without executing

Normalising writes the navigation cells (previous / contents / next and an
"Open on Binder" badge) from the numbered file names, sets the slideshow
metadata (markdown cells starting with '# ' or '## ' open a slide; '### ' and
prose after code open a sub-slide) and turns the exercise tags into nbgrader
metadata: `solution` cells become solution cells, `check` cells locked, graded
tests worth one point (or N with a `points-N` tag). Storing drops what changes
on every run (widget state, widget-view ids, cell timings), so building twice
gives byte-identical files.
"""

import argparse
import pathlib
import re
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
REPOSITORY = "convolution-unfolded/convolution-unfolded"  # ORG/REPO on GitHub, for the Binder badge
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NAVIGATION = "navigation"


def numbered_notebooks():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def title(path):
    """The notebook's title: its first markdown heading, without the '#'."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    raise ValueError(f"{path.name}: the first markdown cell must be a '# ' title")


def binder_url(name, repository=REPOSITORY):
    return f"https://mybinder.org/v2/gh/{repository}/main?urlpath=lab/tree/notebooks/{name}"


def navigation_source(path, notebooks):
    """Markdown of the navigation bar for `path` among the numbered `notebooks`."""
    index = notebooks.index(path)
    links = []
    if index > 0:
        links.append(f"← [{title(notebooks[index - 1])}]({notebooks[index - 1].name})")
    links.append(f"[Contents]({notebooks[0].name}#The-map-of-the-course)")
    if index + 1 < len(notebooks):
        links.append(f"[{title(notebooks[index + 1])}]({notebooks[index + 1].name}) →")
    badge = f"[![Open on Binder](https://mybinder.org/badge_logo.svg)]({binder_url(path.name)})"
    return " | ".join(links) + "\n\n" + badge


def _navigation_cell(source, position):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.id = f"navigation-{position}"
    cell.metadata = {"tags": [NAVIGATION], "slideshow": {"slide_type": "skip"}}
    return cell


def _slide_type(cell, previous):
    """'#'/'##' headings open a slide; '###' headings, and prose that follows code,
    open a sub-slide, so each step (prose, code, output) fits on one screen."""
    if cell.cell_type != "markdown":
        return "-"
    if re.match(r"#{1,2} ", cell.source):
        return "slide"
    if cell.source.startswith("### ") or (previous is not None and previous.cell_type == "code"):
        return "subslide"
    return "-"


def _nbgrader(cell, grade_id):
    """nbgrader metadata for the cells the author tagged `solution` or `check`."""
    tags = cell.metadata.get("tags", [])
    base = {"grade_id": grade_id, "schema_version": 3, "task": False}
    if "solution" in tags:
        return base | {"solution": True, "grade": False, "locked": False}
    if "check" in tags:
        points = next((int(t.split("-")[1]) for t in tags if re.fullmatch(r"points-\d+", t)), 1)
        return base | {"solution": False, "grade": True, "locked": True, "points": points}
    return None


def normalise(notebook, path, notebooks):
    """Navigation cells, slideshow and nbgrader metadata, and no volatile fields."""
    cells = [c for c in notebook.cells if NAVIGATION not in c.metadata.get("tags", [])]
    navigation = navigation_source(path, notebooks)
    notebook.cells = cells[:1] + [_navigation_cell(navigation, "top")] + cells[1:] + [
        _navigation_cell(navigation, "bottom")]
    counts = {"solution": 0, "check": 0}
    previous = None
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if NAVIGATION not in cell.metadata.get("tags", []):
            cell.metadata["slideshow"] = {"slide_type": _slide_type(cell, previous)}
            previous = cell
        kind = next((t for t in cell.metadata.get("tags", []) if t in counts), None)
        if kind:
            counts[kind] += 1
        grading = kind and _nbgrader(cell, f"nb{path.stem[:2]}-{kind}-{counts[kind]}")
        if grading:
            cell.metadata["nbgrader"] = grading
        else:
            cell.metadata.pop("nbgrader", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.metadata.get("language_info", {}).pop("version", None)
    return notebook


def serialise(notebook):
    return nbformat.writes(notebook).rstrip("\n") + "\n"


def build(path, notebooks):
    notebook = nbformat.read(path, as_version=4)
    normalise(notebook, path, notebooks)
    NotebookClient(notebook, timeout=300, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    normalise(notebook, path, notebooks)  # drop what execution added
    path.write_text(serialise(notebook), encoding="utf-8")
    print(f"stored {path}")


def problems(path, notebooks):
    """What is wrong with a stored notebook, without executing it."""
    stored = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(stored, as_version=4)
    found = []
    if serialise(normalise(nbformat.reads(stored, as_version=4), path, notebooks)) != stored:
        found.append("not normalised (navigation, metadata or widget state out of date)")
    unexecuted = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and c.execution_count is None]
    if unexecuted:
        found.append(f"code cells never executed: {unexecuted}")
    return [f"{path.name}: {p}" for p in found]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "check"])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = parser.parse_args(argv)
    notebooks = numbered_notebooks()
    if args.command == "build":
        for path in [p.resolve() for p in args.notebooks] or notebooks:
            build(path, notebooks)
        return 0
    found = [p for path in notebooks for p in problems(path, notebooks)]
    print("\n".join(found) or f"all {len(notebooks)} notebooks are normalised and executed")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
