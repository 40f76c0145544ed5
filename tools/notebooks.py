"""Build, check and start the course's notebooks, in both editions.

    python tools/notebooks.py build [STEM ...]    normalise, execute and store both editions (default: all)
    python tools/notebooks.py check               verify every stored notebook, without executing
    python tools/notebooks.py new STEM            start a notebook from the course template

The instructor's edition in solutions/ is the single source (see tools/course.py).
Building normalises it (navigation cells and the course map written from the
manifest, nbgrader metadata from the `solution` / `check` tags), executes it
and stores it; then it writes the learner's edition into notebooks/ from it:
speaker notes (`notes` cells) dropped, solutions replaced by stubs and hidden tests
removed with nbgrader's own ClearSolutions and ClearHiddenTests preprocessors, a pointer to the worked solutions
under "## Exercises", executed and stored. Storing drops what changes on every
run (widget state, widget-view ids, cell timings), so building twice gives
byte-identical files.
"""

import argparse
import copy
import re
import sys

import course
import nbformat
from convlib_jupyter import strip_widget_views
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
from traitlets.config import Config

GENERATED = ("navigation", "course-map", "solutions-link")  # cells this tool writes; never edit them by hand
# What the server writes when a kernel starts: storing the same keeps a notebook unmodified on opening.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def tags(cell):
    """The cell's tags (an empty list if it has none)."""
    return cell.metadata.get("tags", [])


def _generated_cell(source, tag, cell_id):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.id, cell.metadata = cell_id, {"tags": [tag]}
    return cell


def navigation_source(lesson, folder=course.INSTRUCTOR):
    """Markdown of the navigation bar for `lesson` among the written notebooks."""
    lessons = [entry for entry in course.LESSONS if entry in course.written(folder) or entry == lesson]
    index = [entry.stem for entry in lessons].index(lesson.stem)
    links = []
    if index > 0:
        links.append(f"← [{lessons[index - 1].heading}]({lessons[index - 1].name})")
    links.append(f"[Contents]({course.FIRST}#The-map-of-the-course)")
    if index + 1 < len(lessons):
        links.append(f"[{lessons[index + 1].heading}]({lessons[index + 1].name}) →")
    badge = f"[![Open on Binder](../{course.BADGE})]({course.binder_url(lesson.name)})"
    return " | ".join(links) + "\n\n" + badge


def _solutions_link(lesson):
    return (f"Stuck after a real try? The worked solutions are at the back of the book, in the instructor's "
            f"edition: [solutions/{lesson.name}](../solutions/{lesson.name}).")


def _nbgrader(cell, grade_id):
    """nbgrader metadata for the cells the author tagged `solution` or `check`."""
    base = {"grade_id": grade_id, "schema_version": 3, "task": False}
    if "solution" in tags(cell):
        return base | {"solution": True, "grade": False, "locked": False}
    if "check" in tags(cell):
        points = next((int(t.split("-")[1]) for t in tags(cell) if re.fullmatch(r"points-\d+", t)), 1)
        return base | {"solution": False, "grade": True, "locked": True, "points": points}
    return None


def normalise(notebook, lesson):
    """The instructor's edition as stored: generated cells, nbgrader metadata, no volatile fields."""
    cells = [c for c in notebook.cells if not set(GENERATED) & set(tags(c))]
    navigation = navigation_source(lesson)
    cells = cells[:1] + [_generated_cell(navigation, "navigation", "navigation-top")] + cells[1:]
    cells.append(_generated_cell(navigation, "navigation", "navigation-bottom"))
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## The map of the course"):
            cells.insert(index + 1, _generated_cell(course.map_table(), "course-map", "course-map"))
            break
    counts = {"solution": 0, "check": 0}
    for cell in cells:
        for key in ("slideshow", "nbgrader"):
            cell.metadata.pop(key, None)
        kind = next((t for t in tags(cell) if t in counts), None)
        if kind:
            counts[kind] += 1
            cell.metadata["nbgrader"] = _nbgrader(cell, f"nb{lesson.number}-{kind}-{counts[kind]}")
    notebook.cells = cells
    return _strip_volatile(notebook)


def learner_edition(instructor, lesson):
    """The learner's edition of a normalised instructor's notebook (not executed)."""
    notebook = copy.deepcopy(instructor)
    notebook.cells = [c for c in notebook.cells if "notes" not in tags(c)]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## Exercises"):
            notebook.cells.insert(index + 1, _generated_cell(_solutions_link(lesson), "solutions-link",
                                                             "solutions-link"))
            break
    clear = ClearSolutions(code_stub={"python": course.CODE_STUB}, text_stub=course.TEXT_STUB)
    notebook, _ = clear.preprocess(notebook, {})
    notebook, _ = ClearHiddenTests().preprocess(notebook, {})  # the autograder's tests stay in solutions/
    return notebook


def _shown(path):
    """A notebook's path as the learner sees it: folder/name."""
    return f"{path.parent.name}/{path.name}"


def serialise(notebook):
    """The notebook as the text stored on disk: nbformat's JSON ending in one newline."""
    return nbformat.writes(notebook).rstrip("\n") + "\n"


def _strip_volatile(notebook):
    """Drop what changes from run to run (cell timings, widget state, widget-view ids, where a
    flush split a stream) and pin the kernel: the one place that makes a stored notebook reproducible."""
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    strip_widget_views({"type": "notebook", "content": notebook})  # as the course's save hook does in JupyterLab
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    return notebook


def _execute(notebook, folder):
    """Run every cell in `folder`, as the course's kernel would, then strip the volatile fields."""
    NotebookClient(notebook, timeout=300, kernel_name="python3", record_timing=False,
                   config=course.quiet_kernels(Config()),
                   resources={"metadata": {"path": str(folder)}}).execute()
    return _strip_volatile(notebook)


def build(lesson):
    """Normalise, execute and store both editions of one lesson."""
    source = course.INSTRUCTOR / lesson.name
    instructor = normalise(nbformat.read(source, as_version=4), lesson)
    learner = learner_edition(instructor, lesson)
    source.write_text(serialise(_execute(instructor, course.INSTRUCTOR)), encoding="utf-8")
    print(f"stored {_shown(source)}")
    course.LEARNER.mkdir(exist_ok=True)
    target = course.LEARNER / lesson.name
    target.write_text(serialise(_execute(learner, course.LEARNER)), encoding="utf-8")
    print(f"stored {_shown(target)}")


def _sources(notebook):
    return [(c.cell_type, c.source) for c in notebook.cells]


def problems(lesson):
    """What is wrong with the stored editions of `lesson`, without executing them."""
    found = []
    source = course.INSTRUCTOR / lesson.name
    stored = source.read_text(encoding="utf-8")
    instructor = nbformat.reads(stored, as_version=4)
    if serialise(normalise(nbformat.reads(stored, as_version=4), lesson)) != stored:
        found.append(f"{source.name}: not normalised (generated cells, metadata or widget state out of date)")
    target = course.LEARNER / lesson.name
    if not target.exists():
        found.append(f"notebooks/{lesson.name} is missing")
    elif _sources(nbformat.read(target, as_version=4)) != _sources(learner_edition(instructor, lesson)):
        found.append(f"notebooks/{lesson.name} is not the learner's edition of solutions/{lesson.name}")
    for path in (source, target):
        if path.exists():
            code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
            if any(c.execution_count is None for c in code):
                found.append(f"{_shown(path)}: code cells never executed")
    return found


TEMPLATE = [
    ("markdown", "# {heading}"),
    ("markdown", "**What you will learn**\n- ...\n- ...\n- what it costs.\n\n**Prerequisites:** notebook {previous}."),
    ("code", "import numpy as np\n\nimport convlib\nfrom convlib import viz, widgets\n\n"
             "rng = np.random.default_rng(0)"),
    ("markdown", "## The idea, in plain NumPy\n\nShort prose, a formula, then a small code cell and a check."),
    ("markdown", "notes:Speaker notes for this slide: what to ask the room, what to point at."),
    ("code", "x = np.array([1.0, 2.0, 3.0, 4.0])\nw = np.array([5.0, 6.0, 7.0])\n"
             "y = np.array([x[i:i + 3] @ w for i in range(2)])\n"
             "assert np.allclose(y, convlib.correlate(x, w, mode=\"valid\"))  # the claim, checked\ny"),
    ("markdown", "## Explore\n\nThe static picture first (it reads on GitHub and in slides), then the live widget."),
    ("markdown", "notes:What to do with the widget in the lecture."),
    ("markdown", "## Exercises\n\n### Exercise 1\n\nThe prompt."),
    ("solution", "answer = ...  # your answer\n### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION"),
    ("check", "from convlib.exercises import check\n\n"  # the digest of 1: python -m convlib.exercises 1
              "check(answer, \"():6:490c298449011544\", name=\"answer\",\n"
              "      hint=\"say where in the notebook the learner finds what is needed\")\n"
              "### BEGIN HIDDEN TESTS\nfrom convlib.exercises import grading\n"
              "grading.value(answer, \"():6:490c298449011544\", name=\"answer\")\n### END HIDDEN TESTS"),
    ("markdown", "## Summary\n\n- ...\n- Cost: ..."),
]


def new(stem):
    """Start solutions/STEM.ipynb from the template; STEM must be in the manifest."""
    lesson = course.lesson(stem)
    path = course.INSTRUCTOR / lesson.name
    if path.exists():
        raise SystemExit(f"{path} exists already")
    cells = []
    for kind, text in TEMPLATE:
        text = text.format(heading=lesson.heading, previous=f"{int(lesson.number) - 1:02d}")
        if kind == "markdown":
            notes = text.startswith("notes:")
            cells.append(nbformat.v4.new_markdown_cell(text.removeprefix("notes:"),
                                                       metadata={"tags": ["notes"]} if notes else {}))
        else:
            cells.append(nbformat.v4.new_code_cell(text, metadata={"tags": [kind]} if kind != "code" else {}))
    path.write_text(serialise(normalise(nbformat.v4.new_notebook(cells=cells), lesson)), encoding="utf-8")
    print(f"wrote {_shown(path)}; fill it in, then run `make notebooks`")


def main(argv=None):
    """``build`` (execute and store), ``check`` (verify without executing) or ``new`` (a template)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "check", "new"])
    parser.add_argument("stems", nargs="*", help="notebook names without .ipynb, e.g. 03_flattening_im2col")
    args = parser.parse_args(argv)
    if args.command == "new":
        for stem in args.stems:
            new(stem)
        return 0
    lessons = [course.lesson(s.removesuffix(".ipynb").split("/")[-1]) for s in args.stems] or course.written()
    if args.command == "build":
        for lesson in lessons:
            build(lesson)
        return 0
    found = [p for lesson in lessons for p in problems(lesson)]
    print("\n".join(found) or f"both editions of all {len(lessons)} notebooks are normalised and executed")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
