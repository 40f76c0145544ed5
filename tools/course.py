"""The course manifest: every notebook, in order, with its title, its idea and the
learner's question it answers. Navigation, the two course maps (README and
notebook 00), homework, slides and the browser test all read it from here.

The course comes in two editions, stored executed in two folders:

- ``solutions/`` holds the instructor's edition: the single source of truth, with the
  worked solutions between nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION``
  markers and the speaker notes. It is the nbgrader source for homework, and the
  "answers at the back of the book" for a learner who is stuck.
- ``notebooks/`` holds the learner's edition that ``make lab``, Binder, a JupyterHub
  link and GitHub show. ``tools/notebooks.py build`` writes it from the instructor's
  edition with nbgrader's own ``ClearSolutions`` preprocessor.
"""

import atexit
import dataclasses
import functools
import pathlib
import shutil
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
LEARNER = ROOT / "notebooks"
INSTRUCTOR = ROOT / "solutions"
REPOSITORY = "convolution-unfolded/convolution-unfolded"  # ORG/REPO on GitHub, for Binder links
FIRST = "00_welcome.ipynb"
# The translations (tools/translate.py): gettext code -> the language's own name. Their editions live in
# solutions/<code>/ and notebooks/<code>/; a language listed in COMPLETE must have every message of
# every catalog translated and none fuzzy (tests/course/test_translations.py).
LANGUAGES = {"pt_BR": "Português (Brasil)", "ja": "日本語", "fr": "Français"}
COMPLETE = tuple(LANGUAGES)
BADGE = "binder/badge.svg"  # the Binder badge, shipped so that it shows with no network (path from ROOT)


@dataclasses.dataclass(frozen=True)
class Lesson:
    stem: str       # file name without .ipynb: "NN_words"
    title: str      # the notebook's "# NN · title" heading, without the number
    idea: str       # one line for the course maps
    question: str   # the learner's question it answers, in their words

    @property
    def number(self):
        """The two-digit number, "03"."""
        return self.stem[:2]

    @property
    def name(self):
        """The file name, "03_flattening_im2col.ipynb"."""
        return f"{self.stem}.ipynb"

    @property
    def heading(self):
        """The number and the title, as the notebook's first heading writes them."""
        return f"{self.number} · {self.title}"


LESSONS = (
    Lesson("00_welcome", "Welcome to Convolution, Unfolded",
           "how the course works: the questions, the notation, cells, widgets, exercises",
           "What does a convolutional layer actually compute?"),
    Lesson("01_sliding_window", "Sliding window: multiply elementwise, then sum",
           "slide a window over the input, multiply elementwise by the kernel, sum",
           "The lecture slide multiplies the window by the filter elementwise and sums: what is one output?"),
    Lesson("02_dot_product", "Dot product: the same sum is a dot product",
           "that multiply-and-sum *is* a dot product of the flattened window and kernel",
           "cs231n says 'dot product', but np.dot of two matrices gives something else: which is it?"),
    Lesson("03_flattening_im2col", "Flattening: im2col, the whole layer as one matrix multiply",
           "put every window in a column: the whole layer becomes one matrix multiply",
           "How do libraries compute a whole layer fast?"),
    Lesson("04_depth", "Depth: a dot product over channels, and the 1x1 convolution",
           "channels: a dot product over depth; a 1x1 convolution is a dense layer at every pixel",
           "Where is the dot product literally a dot product?"),
    Lesson("05_weight_matrix", "The weight matrix: a layer with tied and zero weights",
           "the layer as a sparse matrix with tied weights; full, same, valid; stride, padding, wrap-around",
           "How does a convolution replace the layer's W·a?"),
    Lesson("06_backward_pass", "The backward pass: the weight matrix read backwards",
           "the backward pass read off the matrix; the transposed convolution; learning the weights",
           "What is the backward pass of a convolutional layer?"),
    Lesson("07_flipping", "Flipping: convolution versus cross-correlation",
           "convolution vs cross-correlation, and why deep learning calls one the other",
           "Why flip the kernel, if a CNN does not?"),
    Lesson("08_fft", "The FFT: the convolution theorem, and when it is faster",
           "the convolution theorem, circular vs linear convolution, and when the FFT is faster",
           "What has the FFT to do with convolution, and when does it pay?"),
)


def jupyter_anchor(heading):
    """The anchor JupyterLab gives a heading ('The map of the course' -> 'The-map-of-the-course'),
    so that the notebooks' own links (00_welcome.ipynb#The-map-of-the-course) work on the site too."""
    return heading.strip().replace(" ", "-")


def lesson(stem):
    """The manifest entry for a notebook stem such as '03_flattening_im2col'."""
    for entry in LESSONS:
        if entry.stem == stem:
            return entry
    raise KeyError(f"{stem!r} is not in the course manifest (tools/course.py)")


def written(folder=INSTRUCTOR):
    """The lessons whose notebook exists in `folder`, in course order."""
    return [entry for entry in LESSONS if (folder / entry.name).exists()]


def paths(folder=INSTRUCTOR):
    """Paths of the written notebooks in `folder`, in course order."""
    return [folder / entry.name for entry in written(folder)]


def binder_url(name=FIRST, repository=REPOSITORY, branch="main"):
    """A Binder link that opens notebook `name` of the learner's edition in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{repository}/{branch}?urlpath=lab/tree/notebooks/{name}"


def map_table(link=True):
    """The course map as a Markdown table; written notebooks are links when `link`."""
    rows = ["| notebook | the idea |", "|---|---|"]
    available = {entry.stem for entry in written()}
    for entry in LESSONS[1:]:
        label = f"**{entry.number} · {entry.title.split(':')[0]}**"
        if link and entry.stem in available:
            label = f"[{label}]({entry.name})"
        rows.append(f"| {label} | {entry.idea} |")
    return "\n".join(rows)


# What a learner sees instead of a worked solution (nbgrader's ClearSolutions stubs):
# it runs, and the check below it then says "no answer yet" instead of a traceback.
CODE_STUB = "pass  # YOUR CODE HERE: replace this line with your answer"
TEXT_STUB = "YOUR ANSWER HERE"


def quiet_kernels(config):
    """Start kernels on IPC sockets in the temporary folder: on TCP each kernel warns
    about encryption, and a relative socket path would land in the notebooks' folders."""
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(pathlib.Path(_socket_folder()) / "kernel")
    return config


@functools.cache
def _socket_folder():
    folder = tempfile.mkdtemp(prefix="convolution-unfolded-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
