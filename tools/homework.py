"""Homework with nbgrader: student copies without solutions, graded automatically.

    python tools/homework.py           student copies of every notebook, in build/homework/release/
    python tools/homework.py --check   also autograde a solved and an unanswered copy, in a temporary folder

build/homework/ is a complete nbgrader course folder (source/, release/ and its
nbgrader_config.py): copy it to a JupyterHub and nbgrader's own commands work there.
`--check` grades its two made-up students in a temporary copy, so no fake student
ever reaches that folder.

Each notebook is one nbgrader assignment named after its file, so an
instructor can hand them out one week at a time. The instructor's edition in
solutions/ is the nbgrader source: its exercise cells carry the metadata that
tools/notebooks.py writes from the `solution` / `check` tags.
"""

import argparse
import contextlib
import logging
import os
import pathlib
import shutil
import sys
import tempfile
import warnings

import course
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from traitlets.config import Config

# nbgrader runs the `alembic` command of its environment: make it findable when
# this script is started as .venv/bin/python without activating the venv.
os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])

ROOT = course.ROOT
COURSE = ROOT / "build" / "homework"
CODE_STUB = course.CODE_STUB


# The course's nbgrader settings, written into the course folder as nbgrader_config.py
# too, so nbgrader's own commands and formgrader (on a JupyterHub) grade the same way.
SETTINGS = {
    "CourseDirectory.course_id": "convolution-unfolded",
    "ClearSolutions.code_stub": {"python": CODE_STUB},
    "ClearSolutions.text_stub": course.TEXT_STUB,
}


def api(folder=COURSE):
    """nbgrader's API for the course folder `folder`, configured from SETTINGS."""
    config = Config()
    for key, value in SETTINGS.items():
        section, name = key.split(".")
        config[section][name] = value
    config.CourseDirectory.root = str(folder)
    return NbGraderAPI(config=course.quiet_kernels(config))


def write_config(folder=COURSE):
    """Write `folder`/nbgrader_config.py from SETTINGS, for instructors who run nbgrader by hand."""
    lines = ["# Written by tools/homework.py; edit SETTINGS there, not here.", "c = get_config()  # noqa: F821"]
    lines += [f"c.{key} = {value!r}" for key, value in SETTINGS.items()]
    (folder / "nbgrader_config.py").write_text("\n".join(lines) + "\n")


def assignments():
    """Instructor's notebooks that have exercises: the ones worth handing out."""
    return [p for p in course.paths() if '"solution": true' in p.read_text()]


def _succeeded(result, what):
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not {what}:\n{result['error']}\n{result['log']}")


@contextlib.contextmanager
def _quiet():
    """Keep nbgrader's routine log lines and warnings from the instructor's screen."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's own SQLAlchemy noise
        previous = logging.root.manager.disable
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(previous)


def generate(folder=COURSE):
    """Copy the notebooks in as sources and release student copies; return their paths."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    write_config(folder)
    grader, released = api(folder), []
    for notebook in assignments():
        source = folder / "source" / notebook.stem
        source.mkdir(parents=True)
        shutil.copy(notebook, source)
        with _quiet():
            _succeeded(grader.generate_assignment(notebook.stem, force=True), f"release {notebook.name}")
        released.append(folder / "release" / notebook.stem / notebook.name)
    return released


def autograde(student, copies, folder=COURSE):
    """Submit `copies` (one per assignment) as `student`; return {assignment: (score, max)}."""
    grader, scores = api(folder), {}
    for copy in copies:
        submitted = folder / "submitted" / student / copy.stem
        submitted.mkdir(parents=True, exist_ok=True)
        shutil.copy(copy, submitted)
        with _quiet():
            _succeeded(grader.autograde(copy.stem, student, force=True, create=True), f"autograde {copy.name}")
    with _quiet(), Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        for copy in copies:
            submission = gradebook.find_submission(copy.stem, student)
            scores[copy.stem] = (submission.score, submission.max_score)
    return scores


def round_trip(folder):
    """Autograde the instructor's solved copies and the released blank ones in a copy
    of the course `folder`; return {assignment: (solved score, blank score, max)}."""
    with tempfile.TemporaryDirectory() as scratch:
        trial = pathlib.Path(scratch) / "homework"
        shutil.copytree(folder, trial)
        released = sorted((trial / "release").glob("*/*.ipynb"))
        solved = autograde("solved", assignments(), trial)
        blank = autograde("unanswered", released, trial)
    return {name: (solved[name][0], blank[name][0], solved[name][1]) for name in solved}


def main(argv=None):
    """Release the homework (``make student``); with --check, autograde a solved and a blank copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="autograde the solved and the unanswered copies")
    args = parser.parse_args(argv)
    released = generate()
    print("student copies:", *[p.relative_to(ROOT) for p in released], sep="\n  ")
    if not args.check:
        return 0
    ok = True
    for name, (solved, blank, maximum) in round_trip(COURSE).items():
        print(f"{name}: solved copy {solved:g}/{maximum:g}, unanswered copy {blank:g}/{maximum:g}")
        ok &= solved == maximum > 0 and blank == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
