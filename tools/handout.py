"""The graded hand-out: a git branch with the learner's edition and convlib only.

    python tools/handout.py [--source HEAD] [--branch graded] [--repo .]

A graded class must not reach the worked solutions. This writes a commit on BRANCH
(default `graded`) that holds only what a student needs: notebooks/ (the learner's
edition, without its pointer to the worked solutions and its Binder badge, which opens
the public course), convlib/ and the files that install it (pyproject.toml,
constraints.txt, binder/, jupyterlab-settings/, the save hook convlib_jupyter.py and its
jupyter-config/), and a short README. No solutions/,
tests/, tools/ or speaker notes. It is read from the committed SOURCE with git's
plumbing: the working tree and the current branch are left as they are. Each build is
a new commit on top of the branch's last one, so a student's next nbgitpuller pull is
an ordinary merge that keeps their edits; building again with nothing changed adds
nothing. Publish with `git push origin graded`, and hand out `make links HANDOUT=graded ...`.
"""

import argparse
import os
import subprocess

import course
import nbformat

BRANCH = "graded"
FOLDERS = ("notebooks/", "convlib/", "binder/", "jupyterlab-settings/", "jupyter-config/")
FILES = ("pyproject.toml", "constraints.txt", ".gitignore", "convlib_jupyter.py")
DROPPED_TAGS = ("solutions-link",)  # the learner's pointer to solutions/, which the hand-out does not have
ANSWER_MARKS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS")
PUBLIC_COURSE = "mybinder.org"  # the navigation's Binder badge: the whole public course, solutions included
README = """# Convolution, Unfolded: the class hand-out

The learner's edition of the course (`notebooks/`) and its helper package (`convlib/`).
Start with `notebooks/00_welcome.ipynb`. Your edits are yours: when the course is
updated, following the class link again merges the update into your copy.

This branch is generated from the course repository by `make handout`; do not edit it.
"""


def _git(repo, *args, stdin=None, env=None):
    """Run git in `repo` and return its output (bytes); a failure raises with git's message."""
    result = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                            env=env and {**os.environ, **env})
    if result.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.decode().strip()}")
    return result.stdout


def _included(path):
    """Whether the file at `path` (relative to the repository) belongs in the hand-out."""
    return path.startswith(FOLDERS) or path in FILES


def _tags(cell):
    """The tags of a notebook cell."""
    return set(cell.metadata.get("tags", []))


def learner_notebook(text):
    """A learner's notebook (JSON text) as a graded class gets it: without the pointer to the
    worked solutions, and without the Binder badge, which opens the public course and its solutions/."""
    notebook = nbformat.reads(text, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if not _tags(cell) & set(DROPPED_TAGS)]
    for cell in notebook.cells:
        if "navigation" in _tags(cell):
            cell.source = "\n".join(line for line in cell.source.splitlines() if PUBLIC_COURSE not in line).strip()
    return nbformat.writes(notebook) + "\n"


def _blob(repo, content):
    """Store `content` (text) in `repo` and return its blob's id."""
    return _git(repo, "hash-object", "-w", "--stdin", stdin=content.encode()).decode().strip()


def handout_entries(repo, source):
    """The hand-out's index lines (`mode sha<TAB>path`) built from commit `source` of `repo`."""
    entries = []
    for line in _git(repo, "ls-tree", "-r", "-z", source).decode().split("\0"):
        if not line:
            continue
        meta, path = line.split("\t", 1)
        mode, _, sha = meta.split()
        if not _included(path):
            continue
        if path.startswith("notebooks/") and path.endswith(".ipynb"):
            sha = _blob(repo, learner_notebook(_git(repo, "cat-file", "blob", sha).decode()))
        entries.append(f"{mode} {sha}\t{path}")
    entries.append(f"100644 {_blob(repo, README)}\tREADME.md")
    return entries


def _tree(repo, entries):
    """Write a tree of the index lines `entries` through a temporary index; the real index is untouched."""
    index = {"GIT_INDEX_FILE": str(_git(repo, "rev-parse", "--absolute-git-dir").decode().strip()) + "/handout-index"}
    try:
        _git(repo, "read-tree", "--empty", env=index)
        _git(repo, "update-index", "--index-info", stdin="\n".join(entries).encode() + b"\n", env=index)
        return _git(repo, "write-tree", env=index).decode().strip()
    finally:
        os.remove(index["GIT_INDEX_FILE"])


def _identity(repo):
    """Git needs an author to commit: the repository's own, else one naming this tool."""
    if subprocess.run(["git", "-C", str(repo), "config", "user.email"], capture_output=True).returncode == 0:
        return None
    name, email = "Convolution, Unfolded hand-out", "handout@localhost"
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}


def build(repo=course.ROOT, source="HEAD", branch=BRANCH):
    """Write the hand-out of commit `source` on `branch` of `repo`; return (commit, whether it is new)."""
    source = _git(repo, "rev-parse", "--verify", f"{source}^{{commit}}").decode().strip()
    tree = _tree(repo, handout_entries(repo, source))
    leaks = answers_in(repo, tree)
    if leaks:
        raise RuntimeError(f"the hand-out of {source[:12]} would show answers: {'; '.join(leaks)}")
    parent = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "-q", f"refs/heads/{branch}"],
                            capture_output=True, text=True).stdout.strip()
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}").decode().strip() == tree:
        return parent, False
    message = f"Graded hand-out of {source[:12]}: the learner's edition and convlib only (tools/handout.py)"
    commit = _git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message,
                  env=_identity(repo)).decode().strip()
    _git(repo, "update-ref", f"refs/heads/{branch}", commit, parent or "0" * 40)
    return commit, True


def answers_in(repo, tree=BRANCH):
    """What in `tree` (a branch, commit or tree) could show an answer: solutions, tests, tools,
    answer markers, speaker notes, a link to solutions/ or to the public course."""
    found = []
    for path in filter(None, _git(repo, "ls-tree", "-r", "--name-only", "-z", tree).decode().split("\0")):
        if path.split("/")[0] in ("solutions", "tests", "tools"):
            found.append(f"{path} is in the hand-out")
        else:
            found += _answers_in_file(path, _git(repo, "show", f"{tree}:{path}").decode(errors="replace"))
    return found


def _answers_in_file(path, text):
    """What in one file of the hand-out could show an answer. nbgrader's markers hold answers
    in notebooks and text; in convlib's code they are only named (the grading module's docs)."""
    found = [f"{path} contains {mark!r}" for mark in ANSWER_MARKS if mark in text and not path.endswith(".py")]
    if path.endswith(".ipynb"):
        found += [f"{path} has speaker notes or a link to solutions/"
                  for cell in nbformat.reads(text, as_version=4).cells if {"notes", *DROPPED_TAGS} & _tags(cell)]
        if PUBLIC_COURSE in text:
            found.append(f"{path} links to the public course ({PUBLIC_COURSE})")
    return found


def main(argv=None):
    """Build the hand-out branch and say what to do with it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="HEAD", help="the commit of the course to hand out (default HEAD)")
    parser.add_argument("--branch", default=BRANCH, help=f"the branch to write (default {BRANCH})")
    parser.add_argument("--repo", default=course.ROOT, help="the course repository (default: this one)")
    args = parser.parse_args(argv)
    commit, new = build(args.repo, args.source, args.branch)
    print(f"{args.branch}: {commit[:12]} {'written' if new else 'already up to date'} "
          f"(the learner's edition of {args.source} and convlib, no solutions)")
    print(f"Publish it with `git push origin {args.branch}`, then hand out "
          f"`make links HANDOUT=graded REPO=... HUB=...`")


if __name__ == "__main__":
    main()
