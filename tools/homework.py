"""Homework with nbgrader: student copies without answers, graded automatically, re-released safely.

    python tools/homework.py                        student copies of every notebook, in build/homework/release/
    python tools/homework.py --check                also autograde a solved and an unanswered copy, in a scratch folder
    python tools/homework.py validate NOTEBOOK...   a submission's score, exactly as autograde will give it
    python tools/homework.py feedback ASSIGNMENT    nbgrader's feedback HTML, with the maths rendered offline

build/homework/ is a complete nbgrader course folder (source/, release/ and its
nbgrader_config.py): copy it to a JupyterHub and nbgrader's own commands work there.
`--check` grades its two made-up students in a temporary copy, so no fake student
ever reaches that folder.

Releasing again is safe: what students and graders produced (submitted/, autograded/,
feedback/, gradebook.db, exported grades) is never touched, nbgrader_config.py is written
only when it is missing (so an instructor's due dates stay), and an assignment whose
notebook changed is regenerated after its old source and release are moved aside into
replaced/TIMESTAMP/, never deleted. Student copies carry no speaker notes (`notes` cells).

`validate` exists because `nbgrader validate` trusts the submitted check cells: a student
who deletes or edits one gets "Success!" and then a lower score. This command autogrades
the submission in a scratch copy of the course, where nbgrader puts the locked check cells
(and their hidden tests) back, so its verdict is autograde's.

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
import re
import shutil
import sys
import tempfile
import time
import warnings

import course
import jupyter_server_mathjax
import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

# nbgrader runs the `alembic` command of its environment: make it findable when
# this script is started as .venv/bin/python without activating the venv.
os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])

ROOT = course.ROOT
COURSE = pathlib.Path(os.environ.get("CONVLIB_HOMEWORK", ROOT / "build" / "homework"))  # the course folder
CODE_STUB = course.CODE_STUB
MATHJAX = pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"
# What nbgrader's feedback template loads (its `mathjax()` macro ignores HTMLExporter.mathjax_url).
MATHJAX_CDN = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js"
LOCAL_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the combined configuration jupyter-server-mathjax ships
KEPT = ("submitted", "autograded", "feedback", "gradebook.db", "nbgrader_config.py")  # never touched on release


# The course's nbgrader settings, written into the course folder as nbgrader_config.py
# too, so nbgrader's own commands and formgrader (on a JupyterHub) grade the same way.
SETTINGS = {
    "CourseDirectory.course_id": "convolution-unfolded",
    "ClearSolutions.code_stub": {"python": CODE_STUB},
    "ClearSolutions.text_stub": course.TEXT_STUB,
}


def api(folder=COURSE):
    """nbgrader for the course `folder`: the course's settings, then its nbgrader_config.py on top."""
    config = Config()
    for key, value in SETTINGS.items():
        section, name = key.split(".")
        config[section][name] = value
    if (folder / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config())
    config.CourseDirectory.root = str(folder)
    return NbGraderAPI(config=course.quiet_kernels(config))


def write_config(folder=COURSE):
    """Write nbgrader_config.py unless there is one: an instructor's edits (due dates) stay."""
    path = folder / "nbgrader_config.py"
    if path.exists():
        return
    lines = ["# Written by tools/homework.py when missing, never overwritten: add your settings below",
             "# (due dates: c.CourseDirectory... see the README's Homework section).", "c = get_config()  # noqa: F821"]
    lines += [f"c.{key} = {value!r}" for key, value in SETTINGS.items()]
    path.write_text("\n".join(lines) + "\n")


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


def without_notes(notebook):
    """The instructor's notebook as nbgrader's source: speaker notes (`notes` cells) dropped."""
    source = nbformat.read(notebook, as_version=4)
    source.cells = [c for c in source.cells if "notes" not in c.metadata.get("tags", [])]
    return nbformat.writes(source)


def move_aside(path, folder, stamp):
    """Move `path` (inside the course `folder`) to replaced/`stamp`/, keeping its place."""
    if path.exists():
        target = folder / "replaced" / stamp / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)


def generate(folder=COURSE):
    """Bring source/ and release/ up to date with the instructor's notebooks, keeping everything
    students and graders made; return the paths of the student copies."""
    folder.mkdir(parents=True, exist_ok=True)
    write_config(folder)
    grader, released, stamp = api(folder), [], time.strftime("%Y%m%d-%H%M%S")
    for notebook in assignments():
        source, release = folder / "source" / notebook.stem, folder / "release" / notebook.stem
        released.append(release / notebook.name)
        text = without_notes(notebook)
        if (source / notebook.name).exists() and (source / notebook.name).read_text() == text and released[-1].exists():
            continue
        move_aside(source, folder, stamp)
        move_aside(release, folder, stamp)
        source.mkdir(parents=True)
        (source / notebook.name).write_text(text)
        with _quiet():
            _succeeded(grader.generate_assignment(notebook.stem, force=True), f"release {notebook.name}")
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


def cell_scores(assignment, student, folder=COURSE):
    """{check cell's grade id: (score, max)} of a graded submission."""
    with _quiet(), Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def validate(notebook, folder=COURSE):
    """Autograde a copy of a student's `notebook` (named NN_name.ipynb, as released) in a scratch
    copy of the course; return {check cell: (score, max)}. Deleted or edited check cells are
    put back there, as nbgrader autograde does, so the verdict is the autograder's."""
    with tempfile.TemporaryDirectory() as scratch:
        trial = pathlib.Path(scratch) / "homework"
        trial.mkdir()
        for name in ("nbgrader_config.py", "gradebook.db", "source"):
            (shutil.copytree if (folder / name).is_dir() else shutil.copy)(folder / name, trial / name)
        autograde("validate", [pathlib.Path(notebook)], trial)
        return cell_scores(pathlib.Path(notebook).stem, "validate", trial)


def offline_feedback(assignment, folder=COURSE):
    """Write nbgrader's feedback for `assignment`, loading MathJax from the course folder's own
    copy instead of a CDN; return the HTML files."""
    if not (folder / "mathjax").exists():
        shutil.copytree(MATHJAX, folder / "mathjax")
    with _quiet():
        _succeeded(api(folder).generate_feedback(assignment, force=True), f"write feedback for {assignment}")
    pages = sorted((folder / "feedback").glob(f"*/{assignment}/*.html"))
    for page in pages:
        page.write_text(_local_mathjax(page.read_text(encoding="utf-8"), page, folder), encoding="utf-8")
    return pages


def _local_mathjax(html, page, folder):
    """Load MathJax from the course folder; where the page travels alone (fetched feedback),
    fall back to the CDN."""
    local = os.path.relpath(folder / "mathjax" / "MathJax.js", page.parent)
    tag = re.search(rf'<script src="{re.escape(MATHJAX_CDN)}(\?[^"]*)"> </script>', html)
    if not tag:
        return html
    fallback = (f"<script>window.MathJax || document.write('<script src=\"{MATHJAX_CDN}{tag[1]}\"><\\/script>')"
                "</script>")
    return html.replace(tag[0], f'<script src="{local}?config={LOCAL_CONFIG}"> </script>{fallback}')


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


def _print_validation(notebooks, folder):
    """Print each notebook's verdict; return 0 if every check passes."""
    failed = 0
    for notebook in notebooks:
        scores = validate(notebook, folder)
        score, maximum = sum(s for s, _ in scores.values()), sum(m for _, m in scores.values())
        wrong = [name for name, (s, m) in scores.items() if s < m]
        print(f"{notebook}: {score:g}/{maximum:g} points" + (f"; not passing: {', '.join(wrong)}" if wrong else ""))
        failed += bool(wrong)
    return 1 if failed else 0


def _shown(path):
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main(argv=None):
    """Release the homework (``make student``); with --check, autograde a solved and a blank copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["release", "validate", "feedback"], default="release")
    parser.add_argument("targets", nargs="*", help="notebooks (validate) or assignments (feedback)")
    parser.add_argument("--check", action="store_true", help="autograde the solved and the unanswered copies")
    parser.add_argument("--course", type=pathlib.Path, default=COURSE,
                        help=f"the nbgrader course folder (default: {_shown(COURSE)}, or $CONVLIB_HOMEWORK)")
    args = parser.parse_args(argv)
    folder = args.course.resolve()
    if args.command == "validate":
        return _print_validation(args.targets, folder)
    if args.command == "feedback":
        for page in [p for assignment in args.targets for p in offline_feedback(assignment, folder)]:
            print(f"wrote {_shown(page)}")
        return 0
    released = generate(folder)
    print("student copies:", *[_shown(p) for p in released], sep="\n  ")
    if not args.check:
        return 0
    ok = True
    for name, (solved, blank, maximum) in round_trip(folder).items():
        print(f"{name}: solved copy {solved:g}/{maximum:g}, unanswered copy {blank:g}/{maximum:g}")
        ok &= solved == maximum > 0 and blank == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
