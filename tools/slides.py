"""Lecture slides of every notebook, as reveal.js decks that work offline.

    python tools/slides.py               writes build/slides/NN_name.slides.html
    python tools/slides.py --solutions   writes build/slides/NN_name.solutions.slides.html
    python tools/slides.py --language ja writes build/slides/ja/..., from solutions/ja/

The decks are built from the instructor's edition (solutions/). `lecture` decides
what a slide shows, from the cells themselves (not from stored `slideshow` metadata):

- a markdown cell starting with '# ' or '## ' opens a slide, a '### ' heading a
  sub-slide; in the browser, a slide taller than the 1280x720 canvas is cut at a
  cell boundary into sub-slides below it (tools/slides_template/index.html.j2), so
  a slide holds as many small steps as fit on one screen;
- cells tagged `notes` become speaker notes (press S during the lecture);
- an exercise shows its prompt, never its check cell, and its solution cell only in
  the instructor's solutions deck (`--solutions`), with nbgrader's markers removed;
- navigation cells, live widget cells (their static twin above them is shown) and
  cells tagged `nbval-skip` or `hidden` stay out; `# NBVAL_...` lines are removed;
- cells tagged `not-in-lecture` (a section left for reading at home, so that a deck
  stays one lecture of at most 35 slides) stay out too.

reveal.js comes from the `sphinx-revealjs` package and MathJax 2 from
`jupyter-server-mathjax`; both are copied beside the decks, and MathJax uses the
STIX-Web fonts shipped with it, so the folder can be carried to a lecture hall with
no network. A translated deck (``--language``) is built from the language's edition
(``solutions/<lang>/``, tools/translate.py) into its own folder, with ``<html lang>`` set;
the IPAexGothic font (from the ``matplotlib-fontja`` wheel, as convlib's pictures use) ships
beside every deck and draws Japanese wherever no installed font does. For live widgets in a
lecture, present in JupyterLab instead (View > Appearance > Presentation Mode in JupyterLab 4).
"""

import argparse
import copy
import importlib.resources
import pathlib
import re
import shutil
import sys

import jupyter_server_mathjax
import nbformat
import sphinx_revealjs
from nbconvert import SlidesExporter
from traitlets.config import Config

import course

OUTPUT = course.ROOT / "build" / "slides"
TEMPLATE = pathlib.Path(__file__).resolve().parent / "slides_template"
REVEAL = pathlib.Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
MATHJAX = pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"
# A font that draws Japanese, with its licence; lecture.css asks for it only for kana and kanji.
FONTS = importlib.resources.files("matplotlib_fontja") / "fonts"
FONT_FILES = ("ipaexg.ttf", "IPA_Font_License_Agreement_v1.0.txt")

LEFT_OUT = {"navigation", "nbval-skip", "hidden", "remove-cell", "solutions-link", "not-in-lecture"}
WIDGET = "widgets.explore_"
MARKER = re.compile(r"^\s*# NBVAL_\w+\s*$")
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
PLACEHOLDER = re.compile(r"^\s*[\w, ]+ = \.\.\.(\s*#.*)?$")   # `size = ...  # your answer`


def _tags(cell):
    return set(cell.metadata.get("tags", []))


def is_solution(cell):
    """Whether `cell` holds a worked answer (tagged `solution`, or an nbgrader solution cell)."""
    return "solution" in _tags(cell) or cell.metadata.get("nbgrader", {}).get("solution", False)


def is_check(cell):
    """Whether `cell` checks an answer (tagged `check`, or an nbgrader graded non-solution cell)."""
    grader = cell.metadata.get("nbgrader", {})
    return "check" in _tags(cell) or (grader.get("grade", False) and not grader.get("solution", False))


def shown(cell, solutions=False):
    """Whether a cell of the instructor's notebook appears in a deck."""
    if _tags(cell) & LEFT_OUT or is_check(cell):
        return False
    if is_solution(cell):
        return solutions
    if cell.cell_type == "code":
        lines = cell.source.splitlines()
        return WIDGET not in cell.source and "# NBVAL_SKIP" not in (line.strip() for line in lines)
    return True


def _code_shown(cell):
    """The cell's code without nbval markers, nbgrader markers and answer placeholders."""
    lines, inside = [], False
    for line in cell.source.splitlines():
        marker = SOLUTION_MARKER.match(line)
        if marker:
            inside = marker.group(1) == "BEGIN"
        elif not MARKER.match(line) and not (is_solution(cell) and not inside and PLACEHOLDER.match(line)):
            lines.append(line)
    return "\n".join(lines)


def _slide_type(cell):
    """'#'/'##' headings open a slide, '###' headings a sub-slide (the browser cuts
    what does not fit the screen); notes cells are speaker notes."""
    if "notes" in _tags(cell):
        return "notes"
    if cell.cell_type == "markdown":
        if cell.source.startswith(("# ", "## ")):
            return "slide"
        if cell.source.startswith("### "):
            return "subslide"
    return "-"


def lecture(notebook, solutions=False):
    """A copy of `notebook` holding only what the deck shows, with slide types set."""
    deck = copy.deepcopy(notebook)
    deck.cells = [cell for cell in deck.cells if shown(cell, solutions)]
    for cell in deck.cells:
        if cell.cell_type == "code":
            cell.source = _code_shown(cell)
        cell.metadata["slideshow"] = {"slide_type": _slide_type(cell)}
    return deck


def copy_assets(output):
    """Copy the local reveal.js, MathJax and the Japanese font into `output`, so that the decks work offline."""
    for source, name in ((REVEAL, "reveal"), (MATHJAX, "mathjax")):
        if not (output / name).exists():
            shutil.copytree(source, output / name)
    copy_fonts(output)


def copy_fonts(output):
    """Copy the Japanese font and its licence into `output`/fonts (the website ships it too)."""
    (output / "fonts").mkdir(parents=True, exist_ok=True)
    for name in FONT_FILES:
        (output / "fonts" / name).write_bytes((FONTS / name).read_bytes())


def html_language(language=None):
    """The language tag of a deck's or page's ``<html lang>``: 'pt_BR' -> 'pt-BR', English by default."""
    return (language or "en").replace("_", "-")


def exporter():
    """nbconvert's slides exporter, set up for 1280x720 decks with local reveal.js and MathJax."""
    config = Config()
    config.SlidesExporter.reveal_url_prefix = "reveal"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_transition = "slide"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = "1280"
    config.SlidesExporter.reveal_height = "720"
    config.SlidesExporter.mathjax_url = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATE.parent)]
    config.SlidesExporter.template_name = TEMPLATE.name
    return SlidesExporter(config=config)


def deck_name(notebook, solutions=False):
    """The deck's file name: the notebook's stem, .solutions for the instructor's deck, .slides.html."""
    return f"{notebook.stem}{'.solutions' if solutions else ''}.slides.html"


def build(notebooks, output=OUTPUT, solutions=False, language=None):
    """Write one deck per notebook into `output` (solutions decks if `solutions`), in `language`'s
    ``<html lang>`` (English by default); return their paths."""
    output.mkdir(parents=True, exist_ok=True)
    copy_assets(output)
    slides, written = exporter(), []
    for notebook in notebooks:
        deck = lecture(nbformat.read(notebook, as_version=4), solutions)
        html, _ = slides.from_notebook_node(deck, resources={"metadata": {"name": notebook.stem}})
        # nbconvert's `language_code` takes ISO 639-1 codes only ('pt', never 'pt-BR'): set the tag here
        html = re.sub(r'<html lang="[^"]*"', f'<html lang="{html_language(language)}"', html, count=1)
        path = output / deck_name(notebook, solutions)
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written


def main(argv=None):
    """Build every notebook's deck (``make slides``; ``--solutions`` for the instructor's)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solutions", action="store_true",
                        help="build the instructor's decks that show the worked solutions")
    parser.add_argument("--language", choices=course.LANGUAGES,
                        help="build the decks of a translation, solutions/LANGUAGE/ (default: English)")
    parser.add_argument("--output", type=pathlib.Path,
                        help=f"folder for the decks (default: {OUTPUT.relative_to(course.ROOT)}[/LANGUAGE])")
    args = parser.parse_args(argv)
    output = args.output or OUTPUT / (args.language or "")
    notebooks = course.paths(course.INSTRUCTOR / (args.language or ""))
    for path in build(notebooks, output, solutions=args.solutions, language=args.language):
        print(f"wrote {path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path}")
    print("open them in a browser; press S for speaker notes, F for full screen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
