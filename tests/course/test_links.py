"""Binder and nbgitpuller links point at the right repository, branch and notebook."""

import urllib.parse

import pytest

import course
import links


def test_binder_link_opens_the_notebook_in_jupyterlab():
    assert links.binder_link("uni/course", "01_sliding_window.ipynb") == (
        "https://mybinder.org/v2/gh/uni/course/main?urlpath=lab/tree/notebooks/01_sliding_window.ipynb")


def test_nbgitpuller_link_clones_into_the_repository_folder():
    link = links.nbgitpuller_link("https://hub.example.edu/", "uni/course")
    address, query = link.split("?")
    assert address == "https://hub.example.edu/hub/user-redirect/git-pull"
    fields = urllib.parse.parse_qs(query)
    assert fields == {"repo": ["https://github.com/uni/course"], "branch": ["main"],
                      "urlpath": ["lab/tree/course/notebooks/00_welcome.ipynb"]}


def test_command_line(capsys):
    links.main(["uni/course", "--hub", "https://hub.example.edu"])
    out = capsys.readouterr().out
    assert "Binder: https://mybinder.org/v2/gh/uni/course/main" in out and "Hub:    https://hub.example.edu/hub" in out


def test_a_malformed_repository_is_refused(capsys):
    with pytest.raises(SystemExit):
        links.main(["course"])
    assert "the repository must be written ORG/REPO; got 'course'" in capsys.readouterr().err


def test_readme_badge_opens_the_first_notebook_of_the_course_repository():
    readme = (course.ROOT / "README.md").read_text()
    assert links.binder_link(course.REPOSITORY) in readme
