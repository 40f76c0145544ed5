"""Links that open the course: a Binder badge, and an nbgitpuller link for a JupyterHub.

    python tools/links.py REPO [--hub https://hub.example.edu] [--notebook 00_welcome.ipynb]
                               [--branch main] [--handout self-study|graded] [--language ja]

REPO is a GitHub repository written ORG/REPO, or the address of any git repository
(GitLab, a university's Gitea, a local `file://` clone): whatever `git clone` accepts
over https, http, ssh, git or file. A trailing `.git` is dropped, as git's servers
accept the address without it: nbgitpuller would otherwise clone into a folder named
`REPO.git` and the link's notebook path would not be found.

The nbgitpuller link clones (or updates, keeping the student's edits) the repository
into each user's home on the hub, in a folder named after the repository, then opens
the notebook in JupyterLab. The hub needs nbgitpuller and the course installed in its
single-user image (README, "A university JupyterHub"). Two hand-outs:

- ``self-study``: the whole course, with the instructor's edition (branch ``main``);
- ``graded``: the learner's edition and convlib only (the branch ``make handout`` writes,
  see tools/handout.py), for a class whose exercises are marked.

With ``--language ja`` (pt_BR, fr) both links open the translation, ``notebooks/ja/``
(tools/translate.py); the notebook must have been translated.

Every input is checked and every value in the link is percent-encoded, so a bad
address stops here with a message instead of becoming a link that fails in class.
"""

import argparse
import re
import urllib.parse

import course
import handout

DEFAULT_NOTEBOOK = course.FIRST
HANDOUTS = {"self-study": "main", "graded": handout.BRANCH}  # hand-out -> the branch it lives on
GIT_SCHEMES = ("https", "http", "ssh", "git", "file")
SAFE_TEXT = re.compile(r"[A-Za-z0-9._~/@:+-]+")  # what a repository address may hold, before encoding


class LinkError(ValueError):
    """An input that cannot make a working link; the message says which and why."""


def _fail(argument, allowed, received):
    """Raise LinkError naming the argument, what is allowed and what was received."""
    raise LinkError(f"`{argument}` must be {allowed}; got {received!r}")


def hub_address(text):
    """The hub's base address, checked: http(s), a host, no path tricks, no query; no trailing slash."""
    parts = urllib.parse.urlsplit(text.strip())
    allowed = "an http:// or https:// address of the hub, such as https://hub.example.edu"
    if parts.scheme not in ("http", "https") or not parts.hostname or text != text.strip():
        _fail("hub", allowed, text)
    if parts.query or parts.fragment or parts.username or not SAFE_TEXT.fullmatch(parts.netloc + parts.path or "/"):
        _fail("hub", allowed + " (no spaces, query, fragment or user name)", text)
    if ".." in parts.path.split("/"):
        _fail("hub", allowed + " (no '..' in its path)", text)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def repository_url(text):
    """The git address of REPO: ORG/REPO means GitHub; any other must be a git URL. `.git` is dropped."""
    allowed = f"ORG/REPO (GitHub) or a git repository's address ({', '.join(GIT_SCHEMES)})"
    if re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", text):
        text = f"https://github.com/{text}"
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in GIT_SCHEMES or not SAFE_TEXT.fullmatch(parts.netloc + parts.path):
        _fail("repo", allowed + ", with no spaces", text)
    if parts.query or parts.fragment or parts.password:
        _fail("repo", allowed + ", with no query, fragment or password (the link is shared with a class)", text)
    segments = parts.path.rstrip("/").split("/")
    if ".." in segments or "." in segments or len(segments) < 2 or segments[-1] in ("", ".git"):
        _fail("repo", allowed + ", ending in the repository's name, with no '.' or '..' folders", text)
    if parts.scheme != "file" and not parts.hostname:
        _fail("repo", allowed + ", with a host name", text)
    path = parts.path.rstrip("/").removesuffix(".git")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def clone_folder(repository):
    """The folder nbgitpuller clones `repository` (a checked address) into: its last path segment."""
    return repository.rsplit("/", 1)[1]


def notebook_name(text):
    """A notebook of the course, as its file name; the `.ipynb` may be left out."""
    names = [lesson.name for lesson in course.LESSONS]
    name = text if text.endswith(".ipynb") else f"{text}.ipynb"
    if name not in names:
        _fail("notebook", f"one of the course's notebooks ({', '.join(names)})", text)
    return name


def notebook_path(text, language=None):
    """Where notebook `text` of the learner's edition is, under notebooks/: its name, or in a
    translation `language` 'ja/NAME', which must have been written (tools/translate.py)."""
    name = notebook_name(text)
    if language is None:
        return name
    if language not in course.LANGUAGES:
        _fail("language", f"one of {', '.join(course.LANGUAGES)} (or none, for English)", language)
    translated = [entry.name for entry in course.written(course.LEARNER / language)]
    if name not in translated:
        _fail("notebook", f"a notebook translated into {language} ({', '.join(translated) or 'none yet'})", text)
    return f"{language}/{name}"


def branch_name(text):
    """A branch name git accepts (the common subset of `git check-ref-format`)."""
    bad_part = any(part == "" or part.startswith(".") or part.endswith(".lock") for part in text.split("/"))
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", text) or bad_part or text.startswith("-") or ".." in text:
        _fail("branch", "a git branch name such as main or graded (letters, digits, '.', '_', '-', '/')", text)
    return text


def handout_branch(name):
    """The branch a hand-out lives on: main for self-study, the generated one for a graded class."""
    if name not in HANDOUTS:
        _fail("handout", f"one of {', '.join(HANDOUTS)}", name)
    return HANDOUTS[name]


def binder_link(repository, notebook=DEFAULT_NOTEBOOK, branch="main", language=None):
    """A Binder link opening `notebook` of the learner's edition (in `language`, English by default),
    or None for a repository Binder cannot reach.

    GitHub and gitlab.com have short forms; any other public git server is given by its address.
    """
    url, notebook, branch = repository_url(repository), notebook_path(notebook, language), branch_name(branch)
    parts = urllib.parse.urlsplit(url)
    path = parts.path.strip("/")
    if parts.scheme not in ("https", "http"):
        return None
    if parts.hostname == "github.com":
        return course.binder_url(notebook, path, branch)
    provider, spec = ("gl", path) if parts.hostname == "gitlab.com" else ("git", url)
    return (f"https://mybinder.org/v2/{provider}/{urllib.parse.quote(spec, safe='')}/{branch}"
            f"?urlpath=lab/tree/notebooks/{notebook}")


def binder_badge(repository, notebook=DEFAULT_NOTEBOOK, branch="main", language=None):
    """The Markdown badge of `binder_link`."""
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_link(repository, notebook, branch, language)})"


def nbgitpuller_link(hub, repository, notebook=DEFAULT_NOTEBOOK, branch="main", language=None):
    """The nbgitpuller link: the hub clones `branch` of `repository` into the user's home, then opens
    `notebook` (of the translation `language`, English by default)."""
    url = repository_url(repository)
    query = urllib.parse.urlencode({
        "repo": url,
        "branch": branch_name(branch),
        "urlpath": f"lab/tree/{clone_folder(url)}/notebooks/{notebook_path(notebook, language)}",
    }, quote_via=urllib.parse.quote)
    return f"{hub_address(hub)}/hub/user-redirect/git-pull?{query}"


def _parse(argv):
    """The command line's parser and its parsed arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repository", help="ORG/REPO on GitHub, or any git repository's address")
    parser.add_argument("--hub", help="the JupyterHub's address, e.g. https://hub.example.edu")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK, help="the notebook the link opens")
    parser.add_argument("--handout", default="self-study", choices=HANDOUTS,
                        help="self-study: the whole course; graded: the learner's edition only")
    parser.add_argument("--branch", help="the branch to hand out (default: the hand-out's branch)")
    parser.add_argument("--language", help=f"open a translation: {', '.join(course.LANGUAGES)} (default: English)")
    return parser, parser.parse_args(argv)


def main(argv=None):
    """Print the Binder link and badge, and the hub's nbgitpuller link when --hub is given."""
    parser, args = _parse(argv)
    branch = args.branch or handout_branch(args.handout)
    try:
        binder = binder_link(args.repository, args.notebook, branch, args.language)
        hub = args.hub and nbgitpuller_link(args.hub, args.repository, args.notebook, branch, args.language)
    except LinkError as error:
        parser.error(str(error))
    print("Binder:", binder or "none (Binder reaches only public http(s) repositories)")
    if binder:
        print("Badge: ", binder_badge(args.repository, args.notebook, branch, args.language))
    if hub:
        print("Hub:   ", hub)


if __name__ == "__main__":
    main()
