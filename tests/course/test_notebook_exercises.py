"""Every exercise of every instructor notebook, found from its nbgrader metadata.

For each solution cell and the check cell after it, with the notebook's earlier code cells
run first: the worked solution passes; nbgrader's unanswered stub says "no answer yet" and
raises nothing; every listed mistake gets its own hint; transposed, flipped, negated,
all-zero and string versions of the right answer are rejected with a hint; and the check
cell never shows a number that is the answer.
"""

import collections
import contextlib
import copy
import dataclasses
import functools
import io
import pathlib
import re

import matplotlib
import nbformat
import numpy as np
import pytest
import scipy.signal
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

import convlib
from convlib import exercises, i18n

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import course  # noqa: E402  (tools/, on pytest's pythonpath)

pytestmark = pytest.mark.course

CHECKS = {"check": exercises.check, "check_function": exercises.check_function, "check_that": exercises.check_that}
DIAGNOSE = {"check": exercises.diagnose, "check_function": exercises.diagnose_function,
            "check_that": exercises.diagnose_that}
NEAR_MISSES = {"transposed": np.transpose, "flipped": np.flip, "negated": np.negative, "all zero": np.zeros_like}


@dataclasses.dataclass(frozen=True)
class Exercise:
    path: pathlib.Path
    index: int   # the solution cell; the check cell comes right after it
    number: str  # as the prose numbers it: "2", or "2a" and "2b" for two answer cells

    def __str__(self):
        return f"{self.path.stem}-ex{self.number}"


@functools.cache
def notebook(path):
    return nbformat.read(path, as_version=4)


@functools.cache
def learners_edition(path):
    """The notebook after nbgrader's ClearSolutions (the course's code stub) and ClearHiddenTests."""
    cleared, _ = ClearSolutions(code_stub={"python": course.CODE_STUB}).preprocess(copy.deepcopy(notebook(path)), {})
    cleared, _ = ClearHiddenTests().preprocess(cleared, {})
    return cleared


@functools.cache
def translated(path, language):
    """The instructor's edition of `path` in `language` (solutions/<language>/): its code cells are
    the English ones (tests/course/test_translations.py), its prose and convlib's words translated."""
    return nbformat.read(path.parent / language / path.name, as_version=4)


def find_exercises():
    """Every solution cell, numbered by the "### Exercise N" heading above it."""
    found = []
    for path in course.paths():
        heading, solutions = "", []
        for index, cell in enumerate(notebook(path).cells):
            if cell.cell_type == "markdown" and (match := re.search(r"^### Exercise (\d+)", cell.source, re.M)):
                heading = match[1]
            if cell.metadata.get("nbgrader", {}).get("solution"):
                solutions.append((heading or str(len(solutions) + 1), index))
        parts = collections.Counter(number for number, _ in solutions)
        seen = collections.Counter()
        for number, index in solutions:
            seen[number] += 1
            label = number + "abcdefgh"[seen[number] - 1] if parts[number] > 1 else number
            found.append(Exercise(path, index, label))
    return found


EXERCISES = find_exercises()


def python(source):
    """A cell's code without IPython magics (%line, %%cell, !shell)."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def run(source, namespace, where):
    """Execute a cell in `namespace`; return what it printed."""
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(compile(python(source), where, "exec"), namespace)
    plt.close("all")
    return printed.getvalue()


@functools.cache
def before(exercise, edition=notebook):
    """The namespace after the code cells above the exercise's solution cell (run once per edition)."""
    namespace = {"__name__": "__main__"}
    for index, cell in enumerate(edition(exercise.path).cells[:exercise.index]):
        if cell.cell_type == "code":
            try:
                run(cell.source, namespace, f"{exercise.path.name}, cell {index}")
            except Exception as error:
                raise pytest.fail.Exception(f"cell {index} of {exercise.path.name} (id {cell.get('id')}), above "
                                            f"{exercise}, raises {type(error).__name__}: {error}", pytrace=False) from None
    return namespace


def cells(exercise, edition=notebook):
    solution, check = edition(exercise.path).cells[exercise.index:exercise.index + 2]
    assert solution.cell_type == check.cell_type == "code"
    assert check.metadata.get("nbgrader", {}).get("grade"), f"{exercise}: the cell after the solution must be its check"
    return solution.source, check.source


def answered(exercise, monkeypatch, edition=notebook, above=None):
    """Run the exercise's cells on a copy of `before` (the cells above in edition `above`, by default
    `edition`); return the checks called and the printed lines."""
    namespace, calls = dict(before(exercise, above or edition)), []
    for name, original in CHECKS.items():
        def recorder(*args, _name=name, _original=original, **kwargs):
            calls.append((_name, args, kwargs))
            return _original(*args, **kwargs)
        monkeypatch.setattr(exercises, name, recorder)
        namespace.update({key: recorder for key, value in namespace.items() if value is original})
    solution, check = cells(exercise, edition)
    run(solution, namespace, f"{exercise}, solution")
    printed = run(check, namespace, f"{exercise}, check")
    assert calls, f"{exercise}: the check cell calls none of {list(CHECKS)}"
    return calls, printed.splitlines()


def diagnose(kind, args, kwargs, answer):
    """The recorded check's message for another answer (a value, or a function for check_function)."""
    # by_hand reads the answer's cell in a running notebook (tested in tests/test_exercises.py)
    options = {k: v for k, v in kwargs.items() if k not in ("name", "by_hand")}
    return DIAGNOSE[kind](answer, *args[1:], **options)


def allowed(kind, kwargs):
    """Hints a wrong answer may get: its listed mistake's, or the exercise's own."""
    if kind == "check_that":
        return list(kwargs["requirements"])
    assert kwargs.get("hint"), "every exercise gives a hint for wrong answers that are not listed mistakes"
    return list(kwargs.get("mistakes") or {}) + [kwargs["hint"]]


def transformed(kind, answer, transform):
    """The answer (or, for a function, its output) changed by `transform`."""
    if kind == "check_function":
        return lambda *args: transform(np.asarray(answer(*args), dtype=float))
    return transform(np.asarray(answer, dtype=float))


def differs(kind, args, changed):
    if kind == "check_function":
        function, _, inputs = args
        return any(not same(changed(*a), function(*a)) for a in inputs)
    return not same(changed, args[0])


def trivial(kind, args, transform):
    """Whether `transform` leaves every answer of this many dimensions unchanged (a number, a 1-D array)."""
    output = args[0](*next(iter(args[2]))) if kind == "check_function" else args[0]
    unchanged = {0: (np.transpose, np.flip), 1: (np.transpose,)}
    return transform in unchanged.get(np.ndim(output), ())


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b)


ids = [str(e) for e in EXERCISES]


def test_every_notebook_with_a_solution_cell_is_found():
    assert {e.path.stem for e in EXERCISES} >= {"00_welcome", "01_sliding_window", "02_dot_product",
                                                "03_flattening_im2col"}


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_the_solution_passes(exercise, monkeypatch):
    calls, printed = answered(exercise, monkeypatch)
    assert [diagnose(kind, args, kwargs, args[0]) for kind, args, kwargs in calls] == [None] * len(calls)
    assert printed == [f"✔ {kwargs['name']} is correct" for _, _, kwargs in calls]


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_the_stub_says_no_answer_yet_and_raises_nothing(exercise, monkeypatch):
    solution, _ = cells(exercise, learners_edition)
    assert course.CODE_STUB in solution and "BEGIN SOLUTION" not in solution
    calls, printed = answered(exercise, monkeypatch, learners_edition)
    assert len(printed) == len(calls) and all(line.startswith("✘ ") and "no answer yet" in line for line in printed)


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_the_stub_scores_zero_under_nbgrader(exercise, monkeypatch):
    before(exercise, learners_edition)  # the cells above, run as in JupyterLab (their checks would raise)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(exercises.ExerciseNotSolved, match="no answer yet"):
        answered(exercise, monkeypatch, learners_edition)


# The wrong answers behind mistakes that a check cell lists as digests (so that it holds no
# reference implementation), by the start of their hint: for a value, made from the right
# answer; for a function, the mistaken function.
WRONG = {
    "that is the 'same' mode: pad enough": lambda x, w: scipy.signal.correlate2d(x, w, mode="same"),
    "you flipped the kernel: a layer multiplies": lambda x, w: scipy.signal.convolve2d(x, w, mode="full"),
    "you flipped the kernel: a layer pairs": lambda windows, w: np.array([np.vdot(v, w[::-1, ::-1]) for v in windows]),
    "one row per window is the transpose": np.transpose,
    "that is the matrix of the convolution": np.transpose,
    "you correlated with the kernel as it is": lambda g, w: scipy.signal.correlate2d(g, w, mode="full"),
    "that is the correlation: the product of spectra": lambda x, w: np.correlate(x, w, "full"),
    # 06 Ex1: 4x4 kernel, stride 3, padding 1, 7 outputs taken back, output_padding 0, 1, 2
    "you left the padding out": lambda _: tuple((7 - 1) * 3 + (4 - 1) + op + 1 for op in (0, 1, 2)),
    "you subtracted the padding once": lambda _: tuple((7 - 1) * 3 - 1 + (4 - 1) + op + 1 for op in (0, 1, 2)),
    # 06 Ex4: the weight gradient of one image, or the batch's mean, instead of the batch's sum
    "that is the first image's gradient only": lambda g, x, k, s, p: batch_weight_gradient(g[:1], x[:1], k, s, p),
    "that is the batch's mean": lambda g, x, k, s, p: batch_weight_gradient(g, x, k, s, p) / len(x),
}


def batch_weight_gradient(g, x, kernel_size, stride, padding):
    """dL/dw of a batch, from convlib's layer backward pass (not from the notebook's solution)."""
    weight = np.zeros((g.shape[1], x.shape[1], kernel_size, kernel_size))
    return convlib.conv2d_backward(g, x, weight, stride, padding)[1]


def is_digests(wrong):
    return isinstance(wrong, str) or (isinstance(wrong, (list, tuple)) and all(isinstance(d, str) for d in wrong))


def mistaken(kind, args, text, wrong):
    """The wrong answer a listed mistake stands for."""
    if not is_digests(wrong):
        return wrong
    maker = next((f for start, f in WRONG.items() if text.startswith(start)), None)
    assert maker, f"the mistake {text!r} is listed as digests: add its wrong answer to WRONG"
    return maker if kind == "check_function" else maker(args[0])


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_every_listed_mistake_gets_its_own_hint(exercise, monkeypatch):
    calls, _ = answered(exercise, monkeypatch)
    for kind, args, kwargs in calls:
        unwatched = {k: v for k, v in kwargs.items() if k != "forbidden"}  # mistakes made with a library
        for text, wrong in (kwargs.get("mistakes") or {}).items():
            assert diagnose(kind, args, unwatched, mistaken(kind, args, text, wrong)) == text


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
@pytest.mark.parametrize("near_miss", NEAR_MISSES)
def test_near_misses_are_rejected_with_a_hint(exercise, near_miss, monkeypatch):
    calls, _ = answered(exercise, monkeypatch)
    for kind, args, kwargs in calls:
        if trivial(kind, args, NEAR_MISSES[near_miss]):
            continue
        changed = transformed(kind, args[0], NEAR_MISSES[near_miss])
        assert differs(kind, args, changed), f"the exercise's data cannot tell a {near_miss} answer from the right one"
        message = diagnose(kind, args, kwargs, changed)
        assert message is not None, f"a {near_miss} answer is accepted"
        hints = allowed(kind, kwargs)
        assert message in hints or any(h in message for h in hints) or message.startswith("your answer has shape"), (
            f"a {near_miss} answer gets {message!r}, neither a listed mistake's hint nor the exercise's")


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_a_string_answer_is_rejected(exercise, monkeypatch):
    calls, _ = answered(exercise, monkeypatch)
    for kind, args, kwargs in calls:
        text = (lambda *a, f=args[0]: str(f(*a))) if kind == "check_function" else str(args[0])
        assert "text (a string in quotes)" in diagnose(kind, args, kwargs, text)


@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_the_check_cell_never_shows_the_answer(exercise, monkeypatch):
    """A value may stand in the check cell only if it comes from fresh random data; else a digest."""
    calls, _ = answered(exercise, monkeypatch)
    again, _ = answered(exercise, monkeypatch)  # the notebook's generators have moved on
    check = notebook(exercise.path).cells[exercise.index + 1]
    for (kind, args, _), (_, args_again, _) in zip(calls, again):
        if kind != "check" or isinstance(args[1], str):
            continue
        assert np.ndim(args[0]) > 0 and not same(args[1], args_again[1]), (
            "the answer is computed from fixed data in the check cell: give its digest instead")
    for kind, args, kwargs in calls:
        if kind == "check" and np.ndim(args[0]) == 0:
            value = float(args[0])
            text = str(int(value)) if value.is_integer() else repr(value)
            number = re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w.])")
            shown = [check.source, *map(str, check.get("outputs", [])), *(kwargs.get("mistakes") or {}), kwargs["hint"]]
            assert not any(number.search(line) for line in shown), f"the check cell shows the answer {text}"


def test_exercises_by_hand_or_with_the_fft_enforce_it():
    """01 Ex2, 06 Ex2 and 08 Ex3 rule library convolutions out: the right answer computed with
    one gets the shortcut hint, not a pass."""
    enforced = {str(e) for e in EXERCISES if "forbidden=shortcuts()" in notebook(e.path).cells[e.index + 1].source}
    assert {"01_sliding_window-ex2", "06_backward_pass-ex2", "08_fft-ex3"} <= enforced
    with pytest.MonkeyPatch.context() as monkeypatch:
        for exercise in (e for e in EXERCISES if str(e) in enforced):
            for kind, args, kwargs in answered(exercise, monkeypatch)[0]:
                right = args[0]
                def cheat(*a, right=right):
                    np.convolve([1.0], [1.0])   # a library convolution on the way
                    return right(*a)
                message = diagnose(kind, args, kwargs, cheat)
                assert message and message.startswith("your function calls numpy.convolve"), (exercise, message)


# --- the same exercises in each translated edition --------------------------------------------


@pytest.fixture
def speaking(request):
    """convlib speaks the test's language, and English again afterwards."""
    convlib.set_language(request.param)
    yield request.param
    convlib.set_language("en")


def in_language(language):
    """The edition function of `language`'s instructor notebooks, for `cells` and `answered`."""
    return functools.partial(translated, language=language)


@pytest.mark.parametrize("speaking", course.LANGUAGES, indirect=True)
@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_a_translated_exercise_speaks_its_language(exercise, speaking, monkeypatch):
    """In solutions/<language>/ (the cells above the exercise run as in English: the same code), the
    solution passes with the verdict in that language, and each listed mistake gets its hint
    translated; nothing the check prints is left in English."""
    calls, printed = answered(exercise, monkeypatch, in_language(speaking), above=notebook)
    verdicts = [i18n._("✔ {name} is correct").format(name=kwargs["name"]) for _, _, kwargs in calls]
    assert printed == verdicts and verdicts != [f"✔ {kwargs['name']} is correct" for _, _, kwargs in calls]
    for kind, args, kwargs in calls:
        unwatched = {k: v for k, v in kwargs.items() if k != "forbidden"}
        for text, wrong in (kwargs.get("mistakes") or {}).items():
            hint = diagnose(kind, args, unwatched, mistaken(kind, args, text, wrong))
            assert hint == i18n._(text) != text, f"{exercise}: the hint {text[:40]!r}... is not translated"
        if kind != "check_that":
            assert i18n._(kwargs["hint"]) != kwargs["hint"], f"{exercise}: its hint is not translated"


@pytest.mark.parametrize("speaking", course.LANGUAGES, indirect=True)
@pytest.mark.parametrize("exercise", EXERCISES, ids=ids)
def test_a_translated_stub_says_no_answer_yet_in_its_language(exercise, speaking, monkeypatch):
    """The learner's edition in `language`, unanswered: each check says "no answer yet" (as a
    placeholder or as a function that returns None) in that language."""
    cleared = functools.partial(_cleared, language=speaking)
    calls, printed = answered(exercise, monkeypatch, cleared, above=learners_edition)
    convlib.set_language("en")
    _, english = answered(exercise, monkeypatch, cleared, above=learners_edition)
    assert len(printed) == len(calls) and all("no answer yet" in line for line in english)
    assert all(line.startswith("✘ ") and line != said for line, said in zip(printed, english)), printed


@functools.cache
def _cleared(path, language):
    """The learner's edition of `path` in `language`, as nbgrader makes it from the instructor's."""
    cleared, _ = ClearSolutions(code_stub={"python": course.CODE_STUB}).preprocess(
        copy.deepcopy(translated(path, language)), {})
    return ClearHiddenTests().preprocess(cleared, {})[0]
