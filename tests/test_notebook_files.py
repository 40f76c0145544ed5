"""Stored notebooks: normalised, navigable, following the course template."""

import json
import pathlib
import shutil
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import notebooks as tool  # noqa: E402

NOTEBOOKS = tool.numbered_notebooks()


def test_the_course_has_its_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names[0] == "00_welcome.ipynb"
    assert names == sorted(names) and len({n[:2] for n in names}) == len(names), "numbers must be unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_is_normalised_and_executed(path):
    assert tool.problems(path, NOTEBOOKS) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_template(path):
    cells = json.loads(path.read_text())["cells"]
    text = ["".join(c["source"]) for c in cells]
    tags = [c["metadata"].get("tags", []) for c in cells]
    assert text[0].startswith(f"# {path.stem[:2]} · "), "the title comes first"
    assert "navigation" in tags[1] and "navigation" in tags[-1], "navigation after the title and at the end"
    assert any("What you will learn" in t for t in text[:4])
    assert any(t.startswith("## Summary") for t in text), "a summary section"
    assert any(t.startswith("## Exercises") for t in text), "an exercises section"
    exercise_start = next(i for i, t in enumerate(text) if t.startswith("## Exercises"))
    assert all(i > exercise_start for i, t in enumerate(tags) if "solution" in t), "exercises sit at the end"
    for cell, source in zip(cells, text):
        if cell["cell_type"] == "code" and "widgets.explore_" in source:
            assert source.startswith("# NBVAL_IGNORE_OUTPUT"), "live widget cells are not compared"


def test_navigation_links_previous_and_next():
    for index, path in enumerate(NOTEBOOKS):
        navigation = tool.navigation_source(path, NOTEBOOKS)
        assert tool.binder_url(path.name) in navigation
        if index > 0:
            assert f"({NOTEBOOKS[index - 1].name})" in navigation
        if index + 1 < len(NOTEBOOKS):
            assert f"({NOTEBOOKS[index + 1].name})" in navigation


def test_stale_navigation_is_detected(tmp_path):
    copy = tmp_path / NOTEBOOKS[0].name
    shutil.copy(NOTEBOOKS[0], copy)
    notebook = json.loads(copy.read_text())
    notebook["cells"][1]["source"] = "old navigation"
    copy.write_text(json.dumps(notebook, indent=1))
    assert any("not normalised" in p for p in tool.problems(copy, [copy]))


def test_building_twice_gives_identical_files(tmp_path, monkeypatch):
    monkeypatch.setattr(tool, "NOTEBOOKS", ROOT / "notebooks")
    copy = tmp_path / "00_welcome.ipynb"
    shutil.copy(NOTEBOOKS[0], copy)
    tool.build(copy, [copy])
    first = copy.read_bytes()
    tool.build(copy, [copy])
    assert copy.read_bytes() == first
