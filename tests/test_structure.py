"""The package's architecture, checked: imports only go downward, pictures and
widgets stay out of the algorithms, and every lesson module names the notebook
that really teaches it."""

import ast
import pathlib
import re

import course

import convlib

PACKAGE = pathlib.Path(convlib.__file__).parent


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
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = _imports(path)
    return modules


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
    assert "convlib.modes" in _graph()["convlib.im2col"], "the graph must see relative imports"


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
