"""Lecture slides of every notebook, as reveal.js pages that work offline.

    python tools/slides.py        writes build/slides/NN_name.slides.html

reveal.js comes from the `sphinx-revealjs` package and MathJax from
`jupyter-server-mathjax`; both are copied beside the slides, so the folder can
be carried to a lecture hall with no network. Cells' `slideshow` metadata
(written by tools/notebooks.py) decides what starts a slide. For live widgets
in a lecture, present in JupyterLab instead (View > Presentation Mode).
"""

import pathlib
import shutil
import sys

import jupyter_server_mathjax
import sphinx_revealjs
from nbconvert import SlidesExporter
from traitlets.config import Config

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "build" / "slides"
TEMPLATE = pathlib.Path(__file__).resolve().parent / "slides_template"
REVEAL = pathlib.Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
MATHJAX = pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"


def copy_assets(output):
    for source, name in ((REVEAL, "reveal"), (MATHJAX, "mathjax")):
        if not (output / name).exists():
            shutil.copytree(source, output / name)


def exporter():
    config = Config()
    config.SlidesExporter.reveal_url_prefix = "reveal"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_scroll = True
    config.SlidesExporter.mathjax_url = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATE.parent)]
    config.SlidesExporter.template_name = TEMPLATE.name
    return SlidesExporter(config=config)


def build(notebooks, output=OUTPUT):
    """Write one slide deck per notebook into `output`; return their paths."""
    output.mkdir(parents=True, exist_ok=True)
    copy_assets(output)
    slides, written = exporter(), []
    for notebook in notebooks:
        html, _ = slides.from_filename(str(notebook))
        path = output / f"{notebook.stem}.slides.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written


def main():
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in build(notebooks):
        print(f"wrote {path.relative_to(ROOT)}")
    print("open them in a browser; press S for speaker notes, F for full screen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
