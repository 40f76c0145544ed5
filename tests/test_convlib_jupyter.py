"""The Jupyter server extension that saves notebooks without widget views."""

import json
import subprocess
import sys

import course
import nbformat
import pytest

import convlib_jupyter

CONFIG = course.ROOT / "jupyter-config" / "jupyter_server_config.d" / "convlib_jupyter.json"


def _executed_notebook_with_a_widget():
    """A notebook as JupyterLab sends it to be saved after running a widget cell."""
    view = nbformat.v4.new_output("execute_result", execution_count=1, data={
        "text/plain": "<live widget: run the notebook in Jupyter to use its row controls>",
        convlib_jupyter.WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "0123abcd"}})
    bare_view = nbformat.v4.new_output("display_data", data={convlib_jupyter.WIDGET_VIEW: {"model_id": "4567"}})
    text = nbformat.v4.new_output("stream", text="kept\n")
    cells = [nbformat.v4.new_markdown_cell("# title"),
             nbformat.v4.new_code_cell("widgets.explore_blur(image)", outputs=[view, bare_view, text])]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"0123abcd": {}}}}
    return json.loads(nbformat.writes(notebook))


def test_the_hook_drops_widget_views_and_state_and_keeps_the_note():
    model = {"type": "notebook", "content": _executed_notebook_with_a_widget()}
    convlib_jupyter.strip_widget_views(model=model, path="a.ipynb", contents_manager=None)
    saved = json.dumps(model["content"])
    assert "model_id" not in saved and convlib_jupyter.WIDGET_VIEW not in saved and "widget-state" not in saved
    outputs = model["content"]["cells"][1]["outputs"]
    assert [o["output_type"] for o in outputs] == ["execute_result", "stream"]
    assert list(outputs[0]["data"]) == ["text/plain"]
    assert "".join(outputs[0]["data"]["text/plain"]).startswith("<live widget: run the notebook in Jupyter")
    nbformat.validate(nbformat.from_dict(model["content"]))


def test_the_hook_leaves_other_files_alone():
    model = {"type": "file", "content": "application/vnd.jupyter.widget-view+json"}
    convlib_jupyter.strip_widget_views(model=dict(model))
    assert model == {"type": "file", "content": "application/vnd.jupyter.widget-view+json"}


@pytest.mark.course  # starts Jupyter: ~10 s, too slow for `make check`
def test_the_installed_course_enables_the_extension_in_jupyter_server():
    assert json.loads(CONFIG.read_text()) == {"ServerApp": {"jpserver_extensions": {"convlib_jupyter": True}}}
    listed = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"],
                            capture_output=True, text=True, timeout=120)
    lines = (listed.stdout + listed.stderr).splitlines()
    assert any("convlib_jupyter" in line and "enabled" in line for line in lines), lines
    assert any("convlib_jupyter" in line and "OK" in line for line in lines), lines


def test_every_way_of_installing_the_course_ships_the_config():
    """pip's data-files for a plain install (Binder's postBuild, a hub image); an editable
    install skips those, so `make lab` copies the file itself."""
    relative = CONFIG.relative_to(course.ROOT).as_posix()
    assert relative in (course.ROOT / "pyproject.toml").read_text()
    installs = [line for line in (course.ROOT / "binder" / "postBuild").read_text().splitlines() if "pip install" in line]
    assert installs and not any(" -e " in line for line in installs), "postBuild must install the course plainly"
    assert CONFIG.name in (course.ROOT / "Makefile").read_text()
