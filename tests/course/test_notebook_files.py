"""Stored notebooks, both editions: normalised, navigable, following the course template,
and the learner's edition never shows a worked solution."""

import json
import re
import shutil

import course
import nbformat
import notebooks as tool
import pytest

pytestmark = pytest.mark.course
LESSONS = course.written()


def cells(path):
    return nbformat.read(path, as_version=4).cells


def text(cell):
    return cell["source"]


def printed(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def test_the_manifest_names_every_stored_notebook_and_nothing_else():
    for folder in (course.INSTRUCTOR, course.LEARNER):
        stored = sorted(p.name for p in folder.glob("*.ipynb"))
        assert stored == [lesson.name for lesson in LESSONS], f"{folder.name}/ and tools/course.py disagree"
    assert LESSONS[0].name == course.FIRST
    numbers = [lesson.number for lesson in course.LESSONS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_both_editions_are_normalised_executed_and_in_step(lesson):
    assert tool.problems(lesson) == []


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_template(lesson):
    source = cells(course.INSTRUCTOR / lesson.name)
    texts, tags = [text(c) for c in source], [c["metadata"].get("tags", []) for c in source]
    assert texts[0] == f"# {lesson.heading}", "the title comes first and matches tools/course.py"
    assert "navigation" in tags[1] and "navigation" in tags[-1], "navigation after the title and at the end"
    assert any("What you will learn" in t for t in texts[:4]) and any("Prerequisites" in t for t in texts[:4])
    assert any(t.startswith("## Summary") for t in texts), "a summary section"
    exercises = next(i for i, t in enumerate(texts) if t.startswith("## Exercises"))
    assert all(i > exercises for i, t in enumerate(tags) if "solution" in t), "exercises sit at the end"
    assert any("notes" in t for t in tags), "speaker notes"
    for cell, source_text, cell_tags in zip(source, texts, tags):
        if cell["cell_type"] == "code" and "widgets.explore_" in source_text:
            assert "nbval-ignore-output" in cell_tags, "live widget cells are not compared"
        assert not re.search(r"^\s*# NBVAL_", source_text, re.M), "nbval markers are cell tags, never shown in a lecture"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_the_learner_never_meets_a_solution_by_accident(lesson):
    instructor, learner = cells(course.INSTRUCTOR / lesson.name), cells(course.LEARNER / lesson.name)
    solutions = [line.strip() for c in instructor if "solution" in c["metadata"].get("tags", [])
                 for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text(c), re.S)
                 for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    shown = "\n".join(text(c) for c in learner)
    assert "BEGIN SOLUTION" not in shown and not [line for line in solutions if line in shown]
    assert not [c for c in learner if "notes" in c["metadata"].get("tags", [])], "speaker notes are the instructor's"
    assert f"../solutions/{lesson.name}" in shown, "a stuck learner is told where the worked solutions are"
    for cell in learner:
        if "check" in cell["metadata"].get("tags", []):
            output = printed(cell)
            assert "✘" in output and "✔" not in output, f"a check of {lesson.name} says {output!r} before any answer"
    if any("solution" in c["metadata"].get("tags", []) for c in instructor):
        checks = [c for c in instructor if "check" in c["metadata"].get("tags", [])]
        assert all("✔" in printed(c) for c in checks)


def test_navigation_links_previous_and_next():
    for index, lesson in enumerate(LESSONS):
        navigation = tool.navigation_source(lesson)
        assert course.binder_url(lesson.name) in navigation
        if index > 0:
            assert f"({LESSONS[index - 1].name})" in navigation
        if index + 1 < len(LESSONS):
            assert f"({LESSONS[index + 1].name})" in navigation


def test_both_course_maps_come_from_the_manifest():
    readme = (course.ROOT / "README.md").read_text()
    assert course.map_table(link=False) in readme
    welcome = [text(c) for c in cells(course.LEARNER / course.FIRST)]
    assert course.map_table() in welcome


def test_stale_navigation_is_detected(tmp_path, monkeypatch):
    for folder in ("solutions", "notebooks"):
        shutil.copytree(course.ROOT / folder, tmp_path / folder)
    monkeypatch.setattr(course, "INSTRUCTOR", tmp_path / "solutions")
    monkeypatch.setattr(course, "LEARNER", tmp_path / "notebooks")
    path = tmp_path / "solutions" / course.FIRST
    notebook = json.loads(path.read_text())
    notebook["cells"][1]["source"] = "old navigation"
    path.write_text(json.dumps(notebook, indent=1))
    assert any("not normalised" in p for p in tool.problems(LESSONS[0]))


def test_building_twice_gives_identical_files_and_new_scaffolds_the_template(tmp_path, monkeypatch):
    (tmp_path / "solutions").mkdir()
    monkeypatch.setattr(course, "INSTRUCTOR", tmp_path / "solutions")
    monkeypatch.setattr(course, "LEARNER", tmp_path / "notebooks")
    tool.new(course.LESSONS[0].stem)
    tool.build(course.LESSONS[0])
    first = [(tmp_path / f / course.FIRST).read_bytes() for f in ("solutions", "notebooks")]
    tool.build(course.LESSONS[0])
    assert [(tmp_path / f / course.FIRST).read_bytes() for f in ("solutions", "notebooks")] == first
    assert tool.problems(course.LESSONS[0]) == []
    learner = nbformat.read(tmp_path / "notebooks" / course.FIRST, as_version=4)
    assert course.CODE_STUB in "".join(c.source for c in learner.cells)


def test_jupyterlab_never_saves_widget_state_into_a_notebook():
    settings = json.loads((course.ROOT / "jupyterlab-settings" / "overrides.json").read_text())
    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is False
