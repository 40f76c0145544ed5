"""Homework: student copies leak no solution; the autograder scores solved and blank copies right."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config

from convlib.exercises import digest

import homework

pytestmark = [pytest.mark.course, pytest.mark.filterwarnings("ignore:.*not in session")]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def sources(path):
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    return course, homework.generate(course)


def test_every_notebook_with_exercises_is_released(released):
    _, copies = released
    assert [c.stem for c in copies] == [n.stem for n in homework.assignments()]
    assert "00_welcome" in [c.stem for c in copies]


def solution_cells(path):
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution")]


def test_no_solution_leaks_into_a_student_copy(released):
    _, copies = released
    for source, copy in zip(homework.assignments(), copies):
        solutions = [line.strip() for cell in solution_cells(source) for block in SOLUTION.findall(cell)
                     for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
        assert solutions, f"{source.name} has no solution lines to hide"
        student_cells = solution_cells(copy)
        assert len(student_cells) == len(solution_cells(source))
        for cell in student_cells:
            assert "BEGIN SOLUTION" not in cell and "END SOLUTION" not in cell
            assert homework.CODE_STUB in cell
            leaked = [line for line in solutions if line in cell]
            assert not leaked, f"{copy.name} shows the solution lines {leaked}"
        assert "### BEGIN SOLUTION" not in copy.read_text()


def test_every_solution_cell_has_a_check_cell_after_it():
    for notebook in homework.assignments():
        cells = json.loads(notebook.read_text())["cells"]
        kinds = [k for c in cells for k in ("solution", "check") if k in c["metadata"].get("tags", [])]
        assert kinds and kinds[0] == "solution"
        assert all(b == "check" for a, b in zip(kinds, kinds[1:]) if a == "solution"), f"{notebook.name}: {kinds}"


def test_every_check_cell_ends_with_its_hidden_test():
    """The grade comes from the hidden test, which a student's cell cannot patch."""
    for notebook in homework.assignments():
        for cell in nbformat.read(notebook, as_version=4).cells:
            if "check" in cell.metadata.get("tags", []):
                assert re.search(r"\n### BEGIN HIDDEN TESTS\nfrom convlib.exercises import grading\n(.+\n)*"
                                 r"### END HIDDEN TESTS$", cell.source), f"{notebook.name}: {cell.source[:60]}"


def test_the_course_folder_carries_the_settings_nbgrader_reads(released):
    course, _ = released
    namespace = {"get_config": Config}
    exec((course / "nbgrader_config.py").read_text(), namespace)
    written = namespace["c"]
    for key, value in homework.SETTINGS.items():
        section, name = key.split(".")
        assert written[section][name] == value == homework.api(course).config[section][name]


# --- A term of homework: release, submit, grade, feed back, export, release again -----------------

NBGRADER = [sys.executable, "-m", "nbgrader"]


def first_two():
    """00 and 01: enough for every round trip below, and quick to autograde."""
    return homework.assignments()[:2]


def nbgrader(folder, *args):
    done = subprocess.run([*NBGRADER, *args], cwd=folder, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    """A course one student has handed in 00 and 01 to, autograded, with feedback, exported
    grades and an instructor's own setting in nbgrader_config.py."""
    folder = tmp_path_factory.mktemp("term") / "homework"
    homework.generate(folder)
    with (folder / "nbgrader_config.py").open("a") as config:
        config.write("c.Execute.timeout = 123  # the instructor's own setting\n")
    answered = [answered_copy(folder / "release" / n.stem / n.name, n) for n in first_two()]
    homework.autograde("ada", [submit(copy, folder, "ada") for copy in answered], folder)
    homework.offline_feedback(first_two()[1].stem, folder)
    nbgrader(folder, "export", "--to", "grades.csv")
    return folder


def files(folder, parts=homework.KEPT + ("grades.csv",)):
    return {p.relative_to(folder): p.read_bytes() for part in parts if part != "gradebook.db"
            for p in ([folder / part] if (folder / part).is_file() else sorted((folder / part).rglob("*")))
            if p.is_file()}


def grades(folder):
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        return {(s.assignment.name, s.student.id): s.score for a in gradebook.assignments for s in a.submissions}


def test_releasing_again_keeps_every_grade_and_file_and_moves_replaced_ones_aside(term, monkeypatch):
    kept, scored = files(term), grades(term)
    assert scored == {("00_welcome", "ada"): 3.0, ("01_sliding_window", "ada"): 3.0}
    assert "00_welcome" in (term / "grades.csv").read_text()
    homework.generate(term)                       # nothing changed: nothing moves
    assert not (term / "replaced").exists()
    fixed = first_two()[1]
    old_source = (term / "source" / fixed.stem / fixed.name).read_text()
    original = homework.without_notes
    monkeypatch.setattr(homework, "without_notes",   # the instructor fixes a typo in 01
                        lambda path: original(path).replace("Sliding window", "Sliding windows", 1))
    homework.generate(term)
    assert files(term) == kept and grades(term) == scored
    assert homework.api(term).config.Execute.timeout == 123
    (moved,) = (term / "replaced").glob(f"*/source/{fixed.stem}/{fixed.name}")
    assert moved.read_text() == old_source
    assert list((term / "replaced").glob(f"*/release/{fixed.stem}/{fixed.name}"))
    assert "Sliding windows" in (term / "release" / fixed.stem / fixed.name).read_text()


def notes(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells if "notes" in c.metadata.get("tags", [])]


def test_student_copies_and_feedback_carry_no_speaker_notes_and_no_hidden_tests(released, term):
    _, copies = released
    for source, copy in zip(homework.assignments(), copies):
        assert notes(source), f"{source.name} has no speaker notes to keep out"
        text = copy.read_text()
        assert not notes(copy) and not any(n[:60] in text for n in notes(source))
        assert "HIDDEN TESTS" not in text and "grading." not in text
    (page,) = (term / "feedback" / "ada" / first_two()[1].stem).glob("*.html")
    assert not any(n[:60] in page.read_text() for n in notes(first_two()[1]))


def test_check_cells_of_student_copies_are_read_only_and_undeletable(released):
    for copy in released[1]:
        checks = [c for c in nbformat.read(copy, as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert checks and all(c.metadata.deletable is False and c.metadata.editable is False for c in checks)


def test_feedback_renders_maths_from_the_course_folder(term):
    (page,) = (term / "feedback" / "ada" / first_two()[1].stem).glob("*.html")
    html = page.read_text()
    local = re.search(r'<script src="([^"]*MathJax\.js)[^"]*"', html)[1]   # the first MathJax it loads
    assert (page.parent / local).resolve().is_file()
    assert html.count(homework.MATHJAX_CDN) == 1 and "window.MathJax || document.write(" in html  # only a fallback


def answered_copy(release, source):
    """The student copy with the worked answers typed into its answer cells."""
    answers = {c.metadata.nbgrader.grade_id: c.source for c in nbformat.read(source, as_version=4).cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    copy = nbformat.read(release, as_version=4)
    copy.metadata["assignment"] = release.stem
    for cell in copy.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = re.sub(r"^\s*### (BEGIN|END) SOLUTION\n", "", answers[cell.metadata.nbgrader.grade_id], flags=re.M)
    return copy


def submit(copy, folder, name):
    path = folder / "scratch" / name / copy_name(copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(copy, path)
    return path


def copy_name(copy):
    return copy.metadata["assignment"] + ".ipynb"


def tampered(release, source):
    """A student copy answered right, then spoilt in the ways validate used to miss."""
    def with_change(change):
        copy = answered_copy(release, source)
        change(copy.cells)
        return copy
    checks = lambda cells: [c for c in cells if c.metadata.get("nbgrader", {}).get("grade")]  # noqa: E731
    return {
        "deleted check": with_change(lambda cells: cells.remove(checks(cells)[0])),
        "wrong answer, edited check": with_change(lambda cells: [
            setattr(checks(cells)[1], "source", "pass"),
            *[setattr(c, "source", "w_shape = (3, 8, 5, 5)") for c in cells if c.source.startswith("w_shape =")]]),
        "renamed answer": with_change(lambda cells: [setattr(c, "source", c.source.replace("alexnet_shape =", "shape ="))
                                                     for c in cells if "alexnet_shape =" in c.source]),
    }


# nbgrader validate's verdicts that tools/homework.py validate replaces by autograde's score
NBGRADER_VALIDATE_SAYS = {"deleted check": "Success! Your notebook passes all the tests.",
                          "wrong answer, edited check": "THE CONTENTS OF 1 TEST CELL(S) HAVE CHANGED!"}


def test_validate_gives_autogrades_verdict_for_deleted_edited_and_renamed_checks(term):
    release, source = term / "release" / "00_welcome" / "00_welcome.ipynb", first_two()[0]
    for what, copy in tampered(release, source).items():
        path = submit(copy, term, re.sub(r"\W+", "_", what))
        validated = homework.validate(path, term)
        graded = homework.autograde(re.sub(r"\W+", "_", what), [path], term)["00_welcome"]
        assert sum(s for s, _ in validated.values()) == graded[0] < graded[1], what
        assert sum(m for _, m in validated.values()) == graded[1]
        if what in NBGRADER_VALIDATE_SAYS:   # nbgrader's own validate, on the same file
            assert NBGRADER_VALIDATE_SAYS[what] in nbgrader(term, "validate", str(path))
    out = subprocess.run([sys.executable, "tools/homework.py", "validate", str(path), "--course", str(term)],
                         cwd=homework.ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 1 and "not passing" in out.stdout, out.stdout + out.stderr


ATTACK = """import convlib.exercises
import numpy as np
convlib.exercises._Key.matches = lambda self, array: True   # the one-line attack
def check(*args, **kwargs):                                  # a cell that redefines the checks
    print("✔ correct")
check_function = check_that = check
for name in ("check", "check_function", "check_that"):
    setattr(convlib.exercises, name, check)
np.allclose = lambda *args, **kwargs: True
np.round = lambda a, *args, **kwargs: a
"""


def test_patching_the_checks_from_a_cell_does_not_change_the_score(term):
    """The one-line attack of issue 18, checks redefined and NumPy helpers patched: the
    unanswered copies still score 0 and the answered ones full marks."""
    blank, solved = [], []
    for source in first_two():
        release = term / "release" / source.stem / source.name
        for copy, into, kind in ((nbformat.read(release, as_version=4), blank, "blank"),
                                 (answered_copy(release, source), solved, "solved")):
            copy.metadata["assignment"] = source.stem
            setup = next(i for i, c in enumerate(copy.cells) if c.cell_type == "code")
            copy.cells.insert(setup + 1, nbformat.v4.new_code_cell(ATTACK))
            into.append(submit(copy, term, f"attack-{kind}"))
    assert all(score == 0 for score, _ in homework.autograde("mallory", blank, term).values())
    assert all(score == top > 0 for score, top in homework.autograde("grace", solved, term).values())


# --- The README's Homework section: every command in it runs ---------------------------------------

def readme_blocks():
    text = (homework.ROOT / "README.md").read_text()
    section = text[text.index("\n## Homework\n"):text.index("\n## For maintainers")]
    return [block.strip().splitlines() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def shell(command, cwd, env):
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def hand_in(course_folder, exchange, env, home):
    """A student fetches 01, answers it and submits it through the exchange, as on a hub."""
    options = f"--course convolution-unfolded --Exchange.root={exchange}"
    shell(f"nbgrader fetch_assignment 01_sliding_window {options}", home, env)
    release = course_folder / "release" / "01_sliding_window" / "01_sliding_window.ipynb"
    nbformat.write(answered_copy(release, first_two()[1]), home / "01_sliding_window" / "01_sliding_window.ipynb")
    shell(f"nbgrader submit 01_sliding_window {options}", home, env)


def test_every_command_of_the_readmes_homework_section_runs(tmp_path):
    """Each line of the section's code blocks runs as written, with the course folder
    build/homework moved to a scratch folder (CONVLIB_HOMEWORK) and the FFT race recorded into
    a scratch copy of the package, run once instead of three times."""
    course_folder, exchange, home = tmp_path / "homework", tmp_path / "exchange", tmp_path / "student"
    exchange.mkdir(mode=0o777)
    home.mkdir()
    env = {**os.environ, "CONVLIB_HOMEWORK": str(course_folder),
           "PATH": os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ["PATH"]])}
    blocks = readme_blocks()
    assert [b[0] for b in blocks] == ["make student", "cd build/homework",
                                      ".venv/bin/python tools/homework.py validate "
                                      "build/homework/submitted/*/01_sliding_window/01_sliding_window.ipynb",
                                      '.venv/bin/python -m convlib.exercises "(5, 8)"',
                                      ".venv/bin/python benchmarks/bench_fft_race.py --record"]
    release, check = blocks[0]
    shell(release, homework.ROOT, env)
    before = sorted(p.relative_to(course_folder) for p in course_folder.rglob("*"))
    printed = shell(check, homework.ROOT, env)
    for name in (n.stem for n in homework.assignments()):
        assert re.search(rf"^{name}: solved copy (\d+)/\1, unanswered copy 0/\1$", printed, re.M), printed
    assert sorted(p.relative_to(course_folder) for p in course_folder.rglob("*")) == before, "--check left traces"
    with (course_folder / "nbgrader_config.py").open("a") as config:
        config.write(f"c.Exchange.root = {str(exchange)!r}\n")
    for line in blocks[1][1:]:
        shell(line, course_folder, env)
        if line.startswith("nbgrader release_assignment"):
            hand_in(course_folder, exchange, env, home)
    rows = (course_folder / "grades.csv").read_text().splitlines()
    assert any(r.startswith("01_sliding_window,2027-01-15 17:00:00,") and r.endswith(",3.0,3.0") for r in rows), rows
    validate, feedback, give_back = (line.replace("build/homework", str(course_folder)) for line in blocks[2])
    assert re.search(r": 3/3 points$", shell(validate, homework.ROOT, env), re.M)
    shell(feedback, homework.ROOT, env)
    shell(give_back.removeprefix(f"cd {course_folder} && "), course_folder, env)
    assert list((exchange / "convolution-unfolded" / "feedback").rglob("*.html"))
    assert shell(blocks[3][0], homework.ROOT, env).split() == [digest((5, 8))]
    package = tmp_path / "package"
    (package / "benchmarks").mkdir(parents=True)
    shutil.copy(homework.ROOT / "benchmarks" / "bench_fft_race.py", package / "benchmarks")
    shutil.copytree(homework.ROOT / "convlib", package / "convlib")
    race = blocks[4][0].replace(".venv/bin/python", sys.executable) + " --repeat 1 --runs 1"
    shell(race, package, {**env, "PYTHONPATH": str(package)})
    assert "RECORDED_RACE = " in (package / "convlib" / "fft_race.py").read_text()


def test_feedback_maths_is_typeset_with_no_network(term):
    """In headless Chromium, with every request that is not a local file refused."""
    chromium = pathlib.Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("CONVLIB_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required in CI (CONVLIB_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("feedback rendering check skipped: no Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    (page_file,) = (term / "feedback" / "ada" / first_two()[1].stem).glob("*.html")
    refused = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                   else (refused.append(route.request.url), route.abort()))
        page.goto(page_file.as_uri())
        page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.isReady", timeout=60000)
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
        typeset = page.evaluate("() => document.querySelectorAll('.MathJax_CHTML, .MathJax, .MathJax_SVG').length")
        errors = page.evaluate("() => document.querySelectorAll('.MathJax_Error, [data-mjx-error]').length")
        browser.close()
    assert typeset > 0 and errors == 0 and not [u for u in refused if "mathjax" in u.lower()], (typeset, refused)
