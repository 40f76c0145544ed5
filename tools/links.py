"""Links that open the course: a Binder badge, and an nbgitpuller link for a JupyterHub.

    python tools/links.py ORG/REPO [--hub https://hub.example.edu] [--notebook 00_welcome.ipynb]

The nbgitpuller link clones (or updates) the repository into each user's home
on the hub, in a folder named after the repository, then opens the notebook
in JupyterLab. The hub needs the nbgitpuller package installed.
"""

import argparse
import urllib.parse

import course

DEFAULT_NOTEBOOK = course.FIRST


def binder_link(repository, notebook=DEFAULT_NOTEBOOK, branch="main"):
    """The mybinder.org address that opens `notebook` of `repository` (ORG/REPO) at `branch`."""
    return course.binder_url(notebook, repository, branch)


def binder_badge(repository, notebook=DEFAULT_NOTEBOOK, branch="main"):
    """A Markdown "launch Binder" badge linking to :func:`binder_link`."""
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_link(repository, notebook, branch)})"


def nbgitpuller_link(hub, repository, notebook=DEFAULT_NOTEBOOK, branch="main"):
    """The address on `hub` that clones or updates `repository` into the user's home, then opens `notebook`."""
    folder = repository.split("/")[1]
    query = urllib.parse.urlencode({
        "repo": f"https://github.com/{repository}",
        "branch": branch,
        "urlpath": f"lab/tree/{folder}/notebooks/{notebook}",
    })
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _repository(text):
    parts = text.split("/")
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(f"the repository must be written ORG/REPO; got {text!r}")
    return text


def main(argv=None):
    """Print the Binder link, its badge and, with --hub, the JupyterHub link."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repository", type=_repository, help="the GitHub repository, ORG/REPO")
    parser.add_argument("--hub", help="the JupyterHub's address, e.g. https://hub.example.edu")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK)
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    print("Binder:", binder_link(args.repository, args.notebook, args.branch))
    print("Badge: ", binder_badge(args.repository, args.notebook, args.branch))
    if args.hub:
        print("Hub:   ", nbgitpuller_link(args.hub, args.repository, args.notebook, args.branch))


if __name__ == "__main__":
    main()
