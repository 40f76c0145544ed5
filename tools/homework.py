"""Homework with nbgrader: student copies without solutions, graded automatically.

    python tools/homework.py           student copies of every notebook, in build/homework/release/
    python tools/homework.py --check   also autograde the solved and the unanswered copy

build/homework/ is a complete nbgrader course folder (source/, release/ and its
nbgrader_config.py): copy it to a JupyterHub and nbgrader's own commands work there.

Each notebook is one nbgrader assignment named after its file, so an
instructor can hand them out one week at a time. The instructor's notebooks in
notebooks/ are the nbgrader source: their exercise cells carry the metadata
that tools/notebooks.py writes from the `solution` / `check` tags.
"""

import argparse
import os
import pathlib
import shutil
import sys
import warnings

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from traitlets.config import Config

# nbgrader runs the `alembic` command of its environment: make it findable when
# this script is started as .venv/bin/python without activating the venv.
os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE = ROOT / "build" / "homework"
# What a student sees instead of a solution: it runs, and the check below it
# then says "no answer yet" instead of showing a traceback.
CODE_STUB = "pass  # YOUR CODE HERE: replace this line with your answer"


# The course's nbgrader settings, written into the course folder as nbgrader_config.py
# too, so nbgrader's own commands and formgrader (on a JupyterHub) grade the same way.
SETTINGS = {
    "CourseDirectory.course_id": "convolution-unfolded",
    "ClearSolutions.code_stub": {"python": CODE_STUB},
    "ClearSolutions.text_stub": "YOUR ANSWER HERE",
}


def api(course=COURSE):
    config = Config()
    for key, value in SETTINGS.items():
        section, name = key.split(".")
        config[section][name] = value
    config.CourseDirectory.root = str(course)
    return NbGraderAPI(config=config)


def write_config(course=COURSE):
    lines = ["# Written by tools/homework.py; edit SETTINGS there, not here.", "c = get_config()  # noqa: F821"]
    lines += [f"c.{key} = {value!r}" for key, value in SETTINGS.items()]
    (course / "nbgrader_config.py").write_text("\n".join(lines) + "\n")


def assignments():
    """Notebooks that have exercises: the ones worth handing out."""
    return [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if '"solution": true' in p.read_text()]


def _succeeded(result, what):
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not {what}:\n{result['error']}\n{result['log']}")


def generate(course=COURSE):
    """Copy the notebooks in as sources and release student copies; return their paths."""
    shutil.rmtree(course, ignore_errors=True)
    course.mkdir(parents=True)
    write_config(course)
    grader, released = api(course), []
    for notebook in assignments():
        source = course / "source" / notebook.stem
        source.mkdir(parents=True)
        shutil.copy(notebook, source)
        _succeeded(grader.generate_assignment(notebook.stem, force=True), f"release {notebook.name}")
        released.append(course / "release" / notebook.stem / notebook.name)
    return released


def autograde(student, copies, course=COURSE):
    """Submit `copies` (one per assignment) as `student`; return {assignment: (score, max)}."""
    grader, scores = api(course), {}
    for copy in copies:
        submitted = course / "submitted" / student / copy.stem
        submitted.mkdir(parents=True, exist_ok=True)
        shutil.copy(copy, submitted)
        _succeeded(grader.autograde(copy.stem, student, force=True, create=True), f"autograde {copy.name}")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for copy in copies:
            submission = gradebook.find_submission(copy.stem, student)
            scores[copy.stem] = (submission.score, submission.max_score)
    return scores


def main(argv=None):
    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy noise
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="autograde the solved and the unanswered copies")
    args = parser.parse_args(argv)
    released = generate()
    print("student copies:", *[p.relative_to(ROOT) for p in released], sep="\n  ")
    if not args.check:
        return 0
    solved = autograde("instructor", assignments())
    blank = autograde("unanswered", released)
    ok = True
    for name in solved:
        print(f"{name}: solved copy {solved[name][0]:g}/{solved[name][1]:g}, "
              f"unanswered copy {blank[name][0]:g}/{blank[name][1]:g}")
        ok &= solved[name][0] == solved[name][1] > 0 and blank[name][0] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
