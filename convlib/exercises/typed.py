"""Answers worked out by hand: where an exercise says "by hand" or "predict", the check reads
the cell that assigned the answer and accepts numbers written out, not a computation.

Written out means constants, lists and tuples of them, arithmetic on them (``6 - 1 - 6 + 20``
is pencil-and-paper work), and ``np.array(...)`` around them. A call of anything else, or a
name (``patch * kern``, ``np.vdot(patch, kern)``, ``im2col_2d(tiny, 2, 2)``) is a computation.

Examples
--------
>>> written_out(ast.parse("fixed = 6 - 1 - 6 + 20").body[0].value)
True
>>> written_out(ast.parse("cols = np.array([[1, 3], [2, 4]])").body[0].value)
True
>>> written_out(ast.parse("fixed = np.vdot(patch, kern)").body[0].value)
False
"""

import ast
import builtins

from ..i18n import _
from .values import read_only

__all__ = ["by_hand_problem", "written_out"]

_ALLOWED = (ast.Constant, ast.List, ast.Tuple, ast.UnaryOp, ast.BinOp, ast.unaryop, ast.operator, ast.Load)
_WRAPPERS = {"np.array", "numpy.array", "tuple", "list"}
_parse, _walk = ast.parse, ast.walk  # captured at import, before any answer cell


def written_out(node):
    """Whether the expression `node` is numbers written out (see the module's docstring)."""
    if isinstance(node, ast.Call) and ast.unparse(node.func) in _WRAPPERS:  # dtype= computes nothing
        return all(written_out(argument) for argument in node.args) and all(k.arg == "dtype" for k in node.keywords)
    return all(isinstance(part, _ALLOWED) for part in _walk(node))


def by_hand_problem(variable):
    """None if the last cell that assigned `variable` wrote its numbers out, else the hint.
    Outside IPython (a script, a test calling the check directly) there is no cell to read: None."""
    value = _last_assignment(variable)
    if value is None or written_out(value):
        return None
    return _("this exercise asks you to work `{variable}` out yourself and write its numbers in the "
             "answer cell (for example `{variable} = np.array([[1, 2], [3, 4]])`), not to compute it").format(
        variable=variable)


def _last_assignment(variable):
    shell = getattr(builtins, "get_ipython", lambda: None)()  # IPython puts it there while a cell runs
    for cell in reversed((shell.user_ns.get("In") or []) if shell is not None else []):
        try:
            tree = _parse(cell)
        except SyntaxError:
            continue
        values = [node.value for node in _walk(tree) if isinstance(node, ast.Assign)
                  and any(isinstance(target, ast.Name) and target.id == variable for target in node.targets)]
        if values:
            return values[-1]
    return None


read_only(__name__)
