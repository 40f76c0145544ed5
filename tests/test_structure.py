"""The package's architecture, checked: imports only go downward, pictures and
widgets stay out of the algorithms, every lesson module names the notebook
that really teaches it, modules share code only through public names
(:mod:`convlib.internal` for the unchecked helpers), no module is hidden by a
function of the same name, every module stays short, and one letter means one
thing (the kernel length is K; M is the weight matrix)."""

import ast
import importlib
import pathlib
import pkgutil
import re
import types

import course
import pytest

import convlib

PACKAGE = pathlib.Path(convlib.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 320   # "about 300": a module a maintainer reads in one sitting (the rest: room for a fix, not an idea)
def _name(path):
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _imports(path):
    """The convlib modules a file imports (relative imports), anywhere in the file."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            names = [f"{target}.{a.name}" for a in node.names] if not node.module else [target]
            found.update(n for n in names if (PACKAGE.parent / (n.replace(".", "/") + ".py")).exists()
                         or (PACKAGE.parent / n.replace(".", "/")).is_dir())
    return found


def _graph():
    return {_name(path): _imports(path) for path in MODULES}


def _cycle(graph):
    """One import cycle of `graph` (module -> modules it imports) as a list, or None."""
    done, active = set(), []

    def visit(module):
        if module in active:
            return active[active.index(module):] + [module]
        if module in done:
            return None
        active.append(module)
        for dependency in graph.get(module, ()):
            if dependency != "convlib" and not dependency.startswith(module + "."):
                found = visit(dependency)
                if found:
                    return found
        active.pop()
        done.add(module)
        return None

    return next((c for c in map(visit, list(graph)) if c), None)


def test_there_is_no_import_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # the detector detects
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
    assert "convlib.modes" in _graph()["convlib.flattening"], "the graph must see relative imports"


def test_algorithms_never_import_pictures_or_widgets():
    for module, dependencies in _graph().items():
        if not module.startswith(("convlib.viz", "convlib.widgets")) and module != "convlib":
            drawn = [d for d in dependencies if d.startswith(("convlib.viz", "convlib.widgets"))]
            assert not drawn, f"{module} imports {drawn}: pictures call algorithms, never the reverse"
    for module, dependencies in _graph().items():
        if module.startswith("convlib.viz"):
            assert not [d for d in dependencies if d.startswith("convlib.widgets")], f"{module} imports widgets"


def test_every_lesson_module_names_a_notebook_that_uses_it():
    for path in sorted(PACKAGE.glob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
        paragraph = docstring[docstring.find("Taught in"):].split("\n\n")[0] if "Taught in" in docstring else ""
        taught = re.findall(r"``notebooks/(\d\d_\w+)\.ipynb``", paragraph)
        if not taught:
            continue
        public = getattr(__import__(f"convlib.{path.stem}", fromlist=["__all__"]), "__all__", [])
        assert public, f"{path.name} lists no public names in __all__"
        for stem in taught:
            notebook = course.INSTRUCTOR / f"{stem}.ipynb"
            assert notebook.exists(), f"{path.name} points to {notebook.name}, which does not exist"
            used = [name for name in public if re.search(rf"\b{name}\b", notebook.read_text())]
            assert used, f"{path.name} says notebook {stem} teaches it, but the notebook uses none of {public}"


def _private_imports(path):
    """(line, name) of every underscore name this file takes from another convlib module:
    ``from .x import _y`` and ``x._y`` where x is a convlib module it imported."""
    tree, found, modules = ast.parse(path.read_text()), [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            for alias in node.names:
                if alias.name.startswith("_") and alias.name != "_":   # gettext's `_`, convlib.i18n's marker
                    found.append((node.lineno, f"{node.module or '.'}.{alias.name}"))
                modules.add(alias.asname or alias.name)   # `from . import depth` binds a module
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return found


def test_the_private_import_detector_detects(tmp_path):
    path = tmp_path / "example.py"
    path.write_text("from .modes import _check_mode, prepare\nfrom . import layer\nlayer._geometry(1)\n")
    assert _private_imports(path) == [(1, "modes._check_mode"), (3, "layer._geometry")]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_imports_another_modules_underscore_names(path):
    found = _private_imports(path)
    assert not found, (f"{_name(path)} imports private names {found}: publish what other modules need in "
                       "convlib.internal (unchecked helpers) or as a public function")


def _packages():
    return [convlib] + [importlib.import_module(f"convlib.{info.name}") for info in pkgutil.iter_modules(convlib.__path__)
                        if info.ispkg]


def test_no_module_is_shadowed_by_a_function_of_the_same_name():
    """``import convlib.x as m`` must give the module x, not a function x that a package exports."""
    for package in _packages():
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found = getattr(package, info.name)
            assert found is module, f"{package.__name__}.{info.name} is {found!r}, not the module {module.__name__}"
    assert isinstance(convlib.fast, types.ModuleType) and callable(convlib.im2col)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_stays_short(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines: split it, one idea per module"


ALGORITHMS = [path for path in MODULES if path.parent.name in ("convlib", "fast") and path.name != "exercises.py"]


@pytest.mark.parametrize("path", ALGORITHMS, ids=_name)
def test_every_public_name_is_listed_in_all(path):
    """An algorithm module that lists its public names lists all of them: an unlisted public
    function (such as a helper other modules need) belongs in convlib.internal, or gets an underscore."""
    tree = ast.parse(path.read_text())
    listed = next((ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)), None)
    if listed is None:
        return
    defined = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
               and not node.name.startswith("_")]
    assert not set(defined) - set(listed), f"{_name(path)} defines public names missing from __all__"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_the_kernel_length_is_k_not_m(path):
    """Notebook 00's notation: N inputs, K kernel taps; M is the weight matrix, never a length."""
    text = path.read_text()
    assert not re.search(r"N ?[+-] ?M ?[+-] ?1|\bM kernel taps|\(M - 1, M - 1\)", text), \
        f"{_name(path)} writes the kernel length as M"


@pytest.mark.parametrize("path", sorted((PACKAGE.parent / "tools").glob("*.py")), ids=lambda p: p.name)
def test_every_public_function_of_tools_has_a_docstring(path):
    tree = ast.parse(path.read_text())
    missing = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
               and not node.name.startswith("_") and not ast.get_docstring(node)]
    assert not missing, f"tools/{path.name}: {missing} have no docstring"


@pytest.mark.parametrize("path", [p for p in PACKAGE.glob("*.py") if p.stem != "__init__"] + [PACKAGE / "fast"],
                         ids=lambda p: p.stem)
def test_every_module_has_its_test_file(path):
    """tests/ mirrors the code: the tests of convlib/x.py are in tests/test_x.py."""
    assert (PACKAGE.parent / "tests" / f"test_{path.stem}.py").exists(), f"no tests/test_{path.stem}.py"


LESSONS = [path for path in ALGORITHMS if path.parent.name == "convlib" and path.name not in ("images.py", "__init__.py")]


@pytest.mark.parametrize("path", LESSONS, ids=_name)
def test_lesson_modules_hold_no_threads_caches_or_globals(path):
    """Speed machinery (threads, caches, state kept between calls) lives in convlib.fast;
    images.py may keep its decoded portrait."""
    tree = ast.parse(path.read_text())
    found = [f"line {node.lineno}: global" for node in ast.walk(tree) if isinstance(node, ast.Global)]
    found += [f"line {node.lineno}: imports {alias.name}" for node in ast.walk(tree) if isinstance(node, ast.Import)
              for alias in node.names if alias.name in ("threading", "concurrent.futures", "functools")]
    found += [f"line {node.lineno}: imports from {node.module}" for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module in ("threading", "concurrent.futures", "functools")]
    assert not found, f"{_name(path)}: {found}"
