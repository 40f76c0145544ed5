"""Binder and nbgitpuller links point at the right repository, branch and notebook, and
`make links` refuses an input that would make a broken or unsafe link, saying why."""

import json
import os
import subprocess
import urllib.parse

import pytest

import course
import handout
import links


def _fields(link):
    address, query = link.split("?")
    return address, urllib.parse.parse_qs(query)


def test_binder_link_opens_the_notebook_in_jupyterlab():
    assert links.binder_link("uni/course", "01_sliding_window.ipynb") == (
        "https://mybinder.org/v2/gh/uni/course/main?urlpath=lab/tree/notebooks/01_sliding_window.ipynb")


def test_nbgitpuller_link_clones_into_the_repository_folder():
    address, fields = _fields(links.nbgitpuller_link("https://hub.example.edu/", "uni/course"))
    assert address == "https://hub.example.edu/hub/user-redirect/git-pull"
    assert fields == {"repo": ["https://github.com/uni/course"], "branch": ["main"],
                      "urlpath": ["lab/tree/course/notebooks/00_welcome.ipynb"]}


@pytest.mark.parametrize("repo, url, folder", [
    ("https://github.com/uni/course.git", "https://github.com/uni/course", "course"),
    ("https://gitlab.com/uni/group/deep-learning.git/", "https://gitlab.com/uni/group/deep-learning", "deep-learning"),
    ("ssh://git@git.uni.edu:2222/teach/course.git", "ssh://git@git.uni.edu:2222/teach/course", "course"),
    ("file:///srv/git/course.git", "file:///srv/git/course", "course"),
])
def test_any_git_address_is_accepted_and_its_git_suffix_dropped(repo, url, folder):
    _, fields = _fields(links.nbgitpuller_link("https://hub.uni.edu", repo, "08_fft", "graded"))
    assert fields == {"repo": [url], "branch": ["graded"], "urlpath": [f"lab/tree/{folder}/notebooks/08_fft.ipynb"]}


def test_every_value_is_percent_encoded_and_the_hub_may_live_under_a_path():
    link = links.nbgitpuller_link("https://uni.edu/jupyter/", "https://git.uni.edu/a+b/c@d", branch="spring/2027")
    assert link.startswith("https://uni.edu/jupyter/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.uni.edu%2Fa%2Bb%2Fc%40d&")
    assert "&branch=spring%2F2027&" in link and " " not in link


def test_binder_reaches_gitlab_and_other_public_servers_but_not_local_ones():
    assert links.binder_link("https://gitlab.com/uni/group/course.git", branch="graded") == (
        "https://mybinder.org/v2/gl/uni%2Fgroup%2Fcourse/graded?urlpath=lab/tree/notebooks/00_welcome.ipynb")
    assert links.binder_link("https://git.uni.edu/course").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgit.uni.edu%2Fcourse/main?")
    assert links.binder_link("file:///srv/git/course") is None


@pytest.mark.parametrize("hub, message", [
    ("javascript:alert(1)", r"`hub` must be an http:// or https:// address of the hub, such as https://hub.example.edu; got 'javascript:alert\(1\)'"),
    ("hub.example.edu", r"`hub` must be an http:// or https:// address .*; got 'hub.example.edu'"),
    ("https://hub.example.edu/my hub", r"\(no spaces, query, fragment or user name\); got 'https://hub.example.edu/my hub'"),
    ("https://hub.example.edu/?next=https://evil.example", r"\(no spaces, query, fragment or user name\); got"),
    ("https://admin@hub.example.edu", r"\(no spaces, query, fragment or user name\); got 'https://admin@hub.example.edu'"),
    ("https://hub.example.edu/a/../b", r"\(no '..' in its path\); got 'https://hub.example.edu/a/../b'"),
])
def test_a_bad_hub_is_refused(hub, message):
    with pytest.raises(ValueError, match=message):
        links.nbgitpuller_link(hub, "uni/course")


@pytest.mark.parametrize("repo, message", [
    ("course", r"`repo` must be ORG/REPO \(GitHub\) or a git repository's address \(https, http, ssh, git, file\), with no spaces; got 'course'"),
    ("uni/my course", r"with no spaces; got 'uni/my course'"),
    ("javascript:alert(1)", r"with no spaces; got 'javascript:alert\(1\)'"),
    ("https://github.com/uni/../course", r"ending in the repository's name, with no '.' or '..' folders; got 'https://github.com/uni/../course'"),
    ("https://github.com/uni/course?ref=x#top", r"with no query, fragment or password \(the link is shared with a class\)"),
    ("https://me:secret@git.uni.edu/course", r"with no query, fragment or password"),
    ("https:///course", r"with a host name; got 'https:///course'"),
    ("https://github.com/uni/.git", r"ending in the repository's name"),
])
def test_a_bad_repository_is_refused(repo, message):
    with pytest.raises(ValueError, match=message):
        links.nbgitpuller_link("https://hub.example.edu", repo)


@pytest.mark.parametrize("branch", ["a..b", "-main", "feature/", ".hidden", "main.lock", "a b", "x?y", "a@{1}"])
def test_a_bad_branch_is_refused(branch):
    with pytest.raises(ValueError, match=r"`branch` must be a git branch name such as main or graded .*; got "):
        links.nbgitpuller_link("https://hub.example.edu", "uni/course", branch=branch)


def test_an_unknown_notebook_is_refused_with_the_course_list():
    with pytest.raises(ValueError, match=r"`notebook` must be one of the course's notebooks \(00_welcome.ipynb, .*08_fft.ipynb\); got '../../etc/passwd'"):
        links.nbgitpuller_link("https://hub.example.edu", "uni/course", "../../etc/passwd")


TRANSLATED = {language: [entry.name for entry in course.written(course.LEARNER / language)]
              for language in course.LANGUAGES}
WRITTEN = [(language, names[0]) for language, names in TRANSLATED.items() if names]


@pytest.mark.parametrize("language, notebook", WRITTEN)
def test_both_links_can_open_a_translation(language, notebook):
    assert links.binder_link("uni/course", notebook, language=language) == (
        f"https://mybinder.org/v2/gh/uni/course/main?urlpath=lab/tree/notebooks/{language}/{notebook}")
    _, fields = _fields(links.nbgitpuller_link("https://hub.uni.edu", "uni/course", notebook, "graded", language))
    assert fields["urlpath"] == [f"lab/tree/course/notebooks/{language}/{notebook}"]
    assert (course.LEARNER / language / notebook).is_file(), "the link opens a notebook that exists"


def test_an_unknown_language_or_an_untranslated_notebook_is_refused():
    with pytest.raises(ValueError, match=r"`language` must be one of pt_BR, ja, fr \(or none, for English\); got 'de'"):
        links.binder_link("uni/course", language="de")
    untranslated = [(language, entry.name) for language, names in TRANSLATED.items() for entry in course.LESSONS
                    if entry.name not in names]
    if untranslated:   # every notebook is translated once the translations are complete
        language, name = untranslated[0]
        with pytest.raises(ValueError, match=rf"`notebook` must be a notebook translated into {language} \(.*\); "
                                             rf"got '{name}'"):
            links.nbgitpuller_link("https://hub.uni.edu", "uni/course", name, language=language)


def test_the_graded_handout_is_its_generated_branch():
    assert links.handout_branch("self-study") == "main" and links.handout_branch("graded") == handout.BRANCH
    with pytest.raises(ValueError, match=r"`handout` must be one of self-study, graded; got 'exam'"):
        links.handout_branch("exam")


def test_command_line(capsys):
    links.main(["uni/course", "--hub", "https://hub.example.edu", "--handout", "graded", "--notebook", "03_flattening_im2col"])
    out = capsys.readouterr().out
    assert "Binder: https://mybinder.org/v2/gh/uni/course/graded?urlpath=lab/tree/notebooks/03_flattening_im2col.ipynb" in out
    assert "Hub:    https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Funi%2Fcourse&branch=graded&" in out


def test_command_line_errors_name_the_argument(capsys):
    with pytest.raises(SystemExit):
        links.main(["uni/course", "--hub", "javascript:alert(1)"])
    assert "error: `hub` must be an http:// or https:// address" in capsys.readouterr().err


@pytest.mark.parametrize("language, notebook", WRITTEN[:1])
def test_command_line_and_make_links_open_a_translation(capsys, language, notebook):
    links.main(["uni/course", "--hub", "https://hub.example.edu", "--language", language, "--notebook", notebook])
    out = capsys.readouterr().out
    assert f"Binder: https://mybinder.org/v2/gh/uni/course/main?urlpath=lab/tree/notebooks/{language}/{notebook}" in out
    printed = _make_links("REPO=uni/course", "HUB=https://hub.example.edu", f"LANG={language}", f"NOTEBOOK={notebook}")
    assert printed.returncode == 0, printed.stderr
    assert f"urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F{language}%2F{notebook}" in printed.stdout


def _make_links(*assignments):
    """`make links` with only these variables (none from this environment or an outer make)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "REPO", "HUB", "HANDOUT", "NOTEBOOK", "BRANCH")}
    env["LANG"] = "C.UTF-8"   # the shell's locale: `make links` opens English unless LANG= is given to make
    return subprocess.run(["make", "--no-print-directory", "-s", "-o", ".venv/.lab", "links", *assignments],
                          cwd=course.ROOT, capture_output=True, text=True, env=env)


def test_make_links_passes_every_option_and_quotes_the_values():
    options = ["REPO=https://gitlab.com/uni/course.git", "HUB=https://hub.example.edu", "HANDOUT=graded",
               "NOTEBOOK=05_weight_matrix"]
    refused = _make_links(*options, "BRANCH=fall; echo leaked")
    assert refused.returncode != 0 and "leaked" not in refused.stdout
    assert "`branch` must be a git branch name such as main or graded" in refused.stderr
    printed = _make_links(*options)
    assert printed.returncode == 0, printed.stderr
    assert ("Hub:    https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgitlab.com%2Funi%2Fcourse"
            "&branch=graded&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F05_weight_matrix.ipynb") in printed.stdout


def test_readme_badge_opens_the_first_notebook_of_the_course_repository():
    readme = (course.ROOT / "README.md").read_text()
    assert links.binder_link(course.REPOSITORY) in readme


# --- The graded hand-out (tools/handout.py) ------------------------------------------------

def _git(work, *args):
    return subprocess.run(["git", "-C", str(work), *args], check=True, capture_output=True, text=True).stdout


def published_course(folder):
    """This checkout's files (uncommitted edits included) committed as `main` of a new repository."""
    work = folder / "convolution-unfolded"
    for name in filter(None, _git(course.ROOT, "ls-files", "-z").split("\0")):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes((course.ROOT / name).read_bytes())
    _git(folder, "init", "--quiet", "--initial-branch=main", str(work))
    _git(work, "config", "user.name", "Instructor")
    _git(work, "config", "user.email", "instructor@localhost")
    commit(work, "The course")
    return work


def commit(work, message):
    _git(work, "add", "--all")
    _git(work, "commit", "--quiet", "-m", message)


@pytest.fixture
def work(tmp_path):
    return published_course(tmp_path)


@pytest.mark.course
def test_the_graded_handout_holds_the_learners_edition_and_convlib_and_no_answer(work):
    handout.build(work)
    files = _git(work, "ls-tree", "-r", "--name-only", handout.BRANCH).split()
    assert {name.split("/")[0] for name in files} == {
        ".gitignore", "README.md", "binder", "constraints.txt", "convlib", "convlib_jupyter.py", "jupyter-config",
        "jupyterlab-settings", "notebooks", "pyproject.toml"}
    assert [name for name in files if name.startswith("convlib/")] == _git(work, "ls-files", "convlib").split()
    learners = [name for name in _git(work, "ls-files", "notebooks").split() if name.endswith(".ipynb")]
    assert [name for name in files if name.endswith(".ipynb")] == learners, "every language's learner's edition"
    assert {name.split("/")[1] for name in learners if name.count("/") == 2} == {
        language for language, names in TRANSLATED.items() if names}
    assert not [name for name in files if name.startswith("solutions")], "no instructor's edition, in any language"
    for name in files:
        text = _git(work, "show", f"{handout.BRANCH}:{name}")
        if not name.endswith(".py"):  # convlib's grading module names the markers in its docs
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, name
        if name.endswith(".ipynb"):
            assert "solutions/" not in text and "mybinder.org" not in text, name
            cells = json.loads(text)["cells"]
            learner = json.loads((work / name).read_text())["cells"]
            assert [cell["id"] for cell in cells] == [cell["id"] for cell in learner if cell["id"] != "solutions-link"]
            assert not [cell for cell in cells if "notes" in cell["metadata"].get("tags", [])]
    assert _git(work, "status", "--porcelain") == "" and _git(work, "branch", "--show-current") == "main\n"


@pytest.mark.course
def test_rebuilding_the_handout_adds_a_commit_only_when_the_course_changed(work):
    first, new = handout.build(work)
    assert new and handout.build(work) == (first, False)
    (work / "notebooks" / "errata.md").write_text("Notebook 03: the second figure's title is fixed.\n")
    commit(work, "Errata")
    second, new = handout.build(work)
    assert new and _git(work, "rev-parse", f"{second}^").strip() == first  # a student's next pull merges it
    assert "errata.md" in _git(work, "ls-tree", "--name-only", f"{handout.BRANCH}:notebooks")


@pytest.mark.course
def test_the_handout_refuses_to_publish_an_answer(work):
    path = work / "notebooks" / course.FIRST
    path.write_text(path.read_text().replace('"source": [', '"source": [\n    "### BEGIN SOLUTION\\n",', 1))
    commit(work, "An answer slipped into the learner's edition")
    with pytest.raises(RuntimeError, match=r"the hand-out of [0-9a-f]{12} would show answers: notebooks/00_welcome.ipynb contains 'BEGIN SOLUTION'"):
        handout.build(work)
    assert _git(work, "branch", "--list", handout.BRANCH) == ""
