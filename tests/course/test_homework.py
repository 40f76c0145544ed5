"""Homework: student copies leak no solution; the autograder scores solved and blank copies right."""

import json
import re

import pytest
from traitlets.config import Config

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


def test_solved_copy_gets_full_marks_and_unanswered_copy_zero_leaving_no_fake_student(released, capfd):
    course, copies = released
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    scores = homework.round_trip(course)
    assert sorted(scores) == [c.stem for c in copies]
    for name, (solved, blank, maximum) in scores.items():
        assert maximum > 0 and solved == maximum, f"{name}: solved copy got {solved}/{maximum}"
        assert blank == 0, f"{name}: unanswered copy got {blank}/{maximum}"
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before, "the check must not touch the course folder"
    printed = capfd.readouterr()
    assert "without encryption" not in printed.out + printed.err


def test_every_solution_cell_has_a_check_cell_after_it():
    for notebook in homework.assignments():
        cells = json.loads(notebook.read_text())["cells"]
        kinds = [k for c in cells for k in ("solution", "check") if k in c["metadata"].get("tags", [])]
        assert kinds and kinds[0] == "solution"
        assert all(b == "check" for a, b in zip(kinds, kinds[1:]) if a == "solution"), f"{notebook.name}: {kinds}"


def test_the_course_folder_carries_the_settings_nbgrader_reads(released):
    course, _ = released
    namespace = {"get_config": Config}
    exec((course / "nbgrader_config.py").read_text(), namespace)
    written = namespace["c"]
    for key, value in homework.SETTINGS.items():
        section, name = key.split(".")
        assert written[section][name] == value == homework.api(course).config[section][name]
