"""The autograder's hidden tests: a verdict that a learner's cells cannot change.

Each check cell of the instructor's edition ends with a block between nbgrader's
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``. nbgrader removes it from the student
copies (and ``tools/notebooks.py`` from the learner's edition) and puts it back, with the whole
locked cell, when it autogrades. The block calls one of

===================================================  ===========================================
:func:`value` ``(answer, digest, name=)``             the answer's :func:`~convlib.exercises.digest`
:func:`function` ``(f, inputs, digests, name=)``      f's outputs, one digest per input, and no
                                                      call of a ``forbidden`` library shortcut
:func:`properties` ``(answer, test, name=)``          ``test``, code that asserts on ``answer``,
                                                      passes in a fresh Python
===================================================  ===========================================

and raises :class:`~convlib.exercises.ExerciseNotSolved` (the cell scores 0) or prints nothing.

Why nothing a learner's cell redefines or patches changes the score:

- The hidden tests never use the self-checks (``check``, ``convlib.exercises._Key``), which a
  cell can redefine or patch: ``_Key.matches = lambda s, a: True`` fools the visible check only.
- They hold no reference implementation to patch: the right outputs are digests.
- Everything they compute with (digests, copies, the shortcut watch, the subprocess call) was
  captured when ``convlib`` was imported, in the notebook's first cell, before any answer cell
  ran; and this module and :mod:`~convlib.exercises.values` are read-only, so reassigning
  ``np.round``, ``convlib.correlate`` or ``convlib.exercises.grading.value`` changes nothing.
- :func:`properties` judges in a fresh interpreter (isolated mode, the environment captured at
  import) that receives only the answer's numbers: what the notebook patched does not exist there.

What it does not stop, like nbgrader itself: a notebook file edited outside JupyterLab, a
deliberate ``vars(module)[name] = ...``, or a cell that replaces IPython's error display.

Examples
--------
>>> value((5, 8), "(2,):6:fb7c19f344db5810", name="shape")
>>> value((5, 9), "(2,):6:fb7c19f344db5810", name="shape")
Traceback (most recent call last):
convlib.exercises.values.ExerciseNotSolved: shape: the autograder's hidden test finds this answer wrong
"""

import copy
import json
import os
import subprocess
import sys

from ..i18n import _
from .typed import by_hand_problem
from .watch import TIME_LIMIT, Watch, time_limit
from .values import ExerciseNotSolved, digest, numbers_of, read_only

__all__ = ["function", "properties", "value"]

# Captured at import, before any answer cell runs.
_deepcopy, _run, _dumps, _PYTHON, _ENVIRONMENT = copy.deepcopy, subprocess.run, json.dumps, sys.executable, dict(
    os.environ)
_PROGRAM = """import json, sys
import numpy as np
answer = np.array(json.loads(sys.stdin.read()), dtype=float)
exec(compile(sys.argv[1], "the hidden test", "exec"), {"np": np, "answer": answer})
"""


def _fail(name, why=None):
    why = why or _("the autograder's hidden test finds this answer wrong")
    raise ExerciseNotSolved(_("{name}: {message}").format(name=name, message=why))


def _matches(answer, expected):
    array, problem = numbers_of(answer, _("the answer"))
    return problem is None and digest(array, int(expected.split(":")[-2])) == expected


def value(answer, expected, *, name, by_hand=None):
    """Pass if `answer` has the digest `expected` (and, with `by_hand`, the variable of that name
    was written out in its cell, not computed); else raise ExerciseNotSolved."""
    if not _matches(answer, expected):
        _fail(name)
    if by_hand and by_hand_problem(by_hand):
        _fail(name, _("the answer is computed, not worked out by hand"))


def function(learners, inputs, expected, *, name, forbidden=None):
    """Pass if ``learners(*inputs[i])`` has the digest ``expected[i]`` for every i, calling
    none of the `forbidden` functions ({name: function}); else raise ExerciseNotSolved."""
    if not callable(learners):
        _fail(name, _("the answer is not a function"))
    for args, wanted in zip(inputs, expected, strict=True):
        with time_limit(TIME_LIMIT), Watch(forbidden or {}) as watch:
            try:
                output = learners(*_deepcopy(tuple(args)))
            except (Exception, SystemExit, KeyboardInterrupt) as error:  # the learner's code, even exit() or Ctrl-C
                _fail(name, _("the function raised {type}").format(type=type(error).__name__))
        if watch.used:
            _fail(name, _("the function calls {names}, which this exercise rules out").format(
                names=", ".join(watch.used)))
        if not _matches(output, wanted):
            _fail(name)


def properties(answer, test, *, name):
    """Pass if the Python code `test`, run in a fresh interpreter with `np` (NumPy) and `answer`
    (the answer as a float array), raises nothing; else raise ExerciseNotSolved."""
    array, problem = numbers_of(answer, _("the answer"))
    if problem:
        _fail(name, problem)
    judged = _run([_PYTHON, "-I", "-c", _PROGRAM, test], input=_dumps(array.tolist()), env=_ENVIRONMENT,
                  capture_output=True, text=True, timeout=300)
    if judged.returncode != 0:
        _fail(name)


read_only(__name__)
