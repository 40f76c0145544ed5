"""The course in other languages: gettext catalogs per notebook, and the translated editions.

    python tools/translate.py catalogs           extract the English text; create or update every catalog
                                                 (the notebooks' and convlib's own)
    python tools/translate.py write [LANG ...]   write and execute both editions of each language (default: all)

English ``solutions/`` stays the single source. ``catalogs`` takes the text of every markdown
cell (prose, headings, exercise prompts, speaker notes; never code) of both English editions,
one message per paragraph so that maths and Markdown structure stay whole, into
``locales/templates/<stem>.pot``, and merges it into ``locales/<lang>/LC_MESSAGES/<stem>.po``
as msgmerge does (babel's ``Catalog.update``): a new paragraph arrives untranslated, a changed
one keeps its old translation marked fuzzy, a removed one stays at the end as obsolete (``#~``).
No translation is ever lost. The website's own sentences (tools/website.py's ``MESSAGES``: its
home page and notes) have a catalog of their own, ``site.pot`` / ``site.po``, updated the same way.

convlib speaks the learner's language at run time (``convlib.i18n``), so ``catalogs`` also
writes ``convlib/locales/convlib.pot`` and merges it, by the same rules, into each
``convlib/locales/<lang>/LC_MESSAGES/convlib.po``: every ``_("...")`` in convlib's code (babel's
extractor; a ``# i18n:`` comment above the call reaches the translator), and the texts the
notebooks' code cells hand to the self-checks, which convlib prints translated: ``hint=``, the
keys of ``mistakes=`` and of ``requirements=`` (a code cell is never translated, so its strings
can only be translated there).

``write`` makes, for every notebook whose catalog holds a translation, ``solutions/<lang>/`` and
``notebooks/<lang>/`` from the stored English editions: the same cells, code untouched, each
paragraph translated (English where a message is untranslated or fuzzy), links one folder deeper,
and one line in the setup cell, ``convlib.set_language("<lang>")``; then executes and stores them
as ``tools/notebooks.py`` does. Beside the English folders they need nothing new: nbval collects
them (pyproject's testpaths), ``make lab LANG=ja`` opens ``notebooks/ja/``, and links between
notebooks of one language stay plain file names.
"""

import argparse
import ast
import copy
import datetime
import re

import course
import nbformat
import notebooks as tool
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from IPython.core.inputtransformer2 import TransformerManager
from babel.messages.pofile import read_po, write_po

LOCALES = course.ROOT / "locales"
TEMPLATES = LOCALES / "templates"
SITE = "site"   # the website's catalog (tools/website.py), beside the notebooks' in each language
EDITIONS = (course.INSTRUCTOR, course.LEARNER)
# A fixed date in every header: rebuilding the catalogs from the same text gives the same files.
STAMP = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
HEADER = {"project": "Convolution, Unfolded", "version": "1", "copyright_holder": "the course's authors",
          "msgid_bugs_address": "the course's issue tracker", "creation_date": STAMP, "revision_date": STAMP,
          "fuzzy": False}
CONVLIB = course.ROOT / "convlib"
CONVLIB_LOCALES = CONVLIB / "locales"   # convlib.pot, and <lang>/LC_MESSAGES/convlib.po
# The self-checks a check cell calls, and the arguments whose texts they print.
CHECKS = {"check", "check_function", "check_that", "diagnose", "diagnose_function", "diagnose_that"}
PRINTED = {"hint": "a hint", "mistakes": "the hint for a typical wrong answer",
           "requirements": "what a right answer must satisfy, said when it does not"}
# The pictures a code cell draws with words it gives: convlib translates these words when it draws.
LABELLED = {"sequence_plot": {"title": "a plot's title", "xlabel": "a plot's axis label",
                              "ylabel": "a plot's axis label"}}
TITLED = {"show_images", "images_picture"}   # their panels' titles: the keys (or listed names) in the cell
_BREAK = re.compile(r"(\n(?:[ \t]*\n)+)")   # one or more blank lines: the end of a paragraph
_MATHS_ONLY = re.compile(r"\s*\$\$.*\$\$\s*", re.S)
ANCHORED_LINK = re.compile(r"\]\((?P<notebook>[\w.-]+\.ipynb)#(?P<anchor>[^)\s]+)\)")


def paragraphs(text):
    """`text` cut at blank lines, outside fenced code: [paragraph, break, paragraph, ...];
    ``"".join`` gives `text` back."""
    pieces = _BREAK.split(text)
    merged = [pieces[0]]
    for brk, paragraph in zip(pieces[1::2], pieces[2::2]):
        if merged[-1].count("```") % 2:   # inside a code fence: the blank line belongs to it
            merged[-1] += brk + paragraph
        else:
            merged += [brk, paragraph]
    return merged


def _translatable(paragraph):
    return bool(paragraph.strip()) and not _MATHS_ONLY.fullmatch(paragraph)


def messages(text):
    """The paragraphs of a markdown cell that a translator translates (display maths alone is not)."""
    return [p for p in paragraphs(text)[::2] if _translatable(p)]


def translate_text(text, lookup):
    """`text` with each translatable paragraph replaced by ``lookup(paragraph)``."""
    return "".join(lookup(p) if index % 2 == 0 and _translatable(p) else p
                   for index, p in enumerate(paragraphs(text)))


def translate_notebook(notebook, lookup):
    """A copy of `notebook` whose markdown cells are translated by `lookup`; all else identical."""
    translated = copy.deepcopy(notebook)
    for cell in translated.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_text(cell.source, lookup)
    return translated


def template(lesson):
    """The catalog template of one notebook: every message of both stored English editions."""
    catalog = Catalog(**HEADER)
    for folder in EDITIONS:
        for cell in nbformat.read(folder / lesson.name, as_version=4).cells:
            if cell.cell_type == "markdown":
                notes = ["speaker notes: the instructor's edition only"] if "notes" in tool.tags(cell) else []
                for text in messages(cell.source):
                    catalog.add(text, locations=[(f"{folder.name}/{lesson.name}#{cell.id}", None)],
                                auto_comments=notes)
    return catalog


def catalog_path(language, lesson):
    """Where the catalog of `lesson` (or of the website, SITE) in `language` lives."""
    return LOCALES / language / "LC_MESSAGES" / f"{getattr(lesson, 'stem', lesson)}.po"


def read_catalog(language, lesson):
    """The catalog of `lesson` in `language` (an empty one if there is none yet)."""
    return _read(catalog_path(language, lesson), language)


def _store(catalog, path):
    for message in catalog:
        message.flags.discard("python-format")   # prose: babel takes "10% slower" for a placeholder
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, include_previous=True)


def site_template():
    """The catalog template of the website's own sentences."""
    import website   # here, not at the top: website imports this module

    catalog = Catalog(**HEADER)
    for text in website.MESSAGES:
        catalog.add(text, locations=[("tools/website.py", None)])
    return catalog


def _string(node, strings):
    """The text of a string expression: a literal, a name bound to one, or a sum of those; else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left, strings), _string(node.right, strings)
        return None if left is None or right is None else left + right
    return None


def check_texts(source):
    """[(text, what it is)] that the self-checks called in the code `source` print: ``hint=`` and
    the keys of ``mistakes=`` and ``requirements=`` given as literals (or names bound to them)."""
    tree = ast.parse(TransformerManager().transform_cell(source))   # IPython's magics as Python
    strings = {target.id: text for node in ast.walk(tree) if isinstance(node, ast.Assign)
               for target in node.targets if isinstance(target, ast.Name)
               if (text := _string(node.value, {})) is not None}
    found = []
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        called = ast.unparse(call.func).split(".")[-1]
        if called in TITLED:
            found += _titles(tree)
        for keyword in call.keywords:
            printed = PRINTED if called in CHECKS else LABELLED.get(called, {})
            if keyword.arg in printed:
                nodes = keyword.value.keys if isinstance(keyword.value, ast.Dict) else [keyword.value]
                found += [(text, printed[keyword.arg]) for node in nodes if (text := _string(node, strings))]
    return found


def _titles(tree):
    """The panel titles of a cell that shows images: the string keys of its dicts and the strings
    of its lists (``{"red part": ...}``, ``for name in ["red part", ...]``)."""
    nodes = [key for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys]
    nodes += [item for node in ast.walk(tree) if isinstance(node, ast.List) for item in node.elts]
    return [(node.value, "a picture's panel title") for node in nodes
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def convlib_template():
    """The catalog template of convlib's own messages: its ``_("...")`` and the notebooks' check texts."""
    catalog = Catalog(**{**HEADER, "project": "convlib"})
    for filename, _lineno, text, comments, _context in extract_from_dir(
            CONVLIB, method_map=[("**.py", "python")], keywords={"_": None, "N_": None}, comment_tags=("i18n:",),
            strip_comment_tags=True):
        catalog.add(text, locations=[(f"convlib/{filename}", None)], auto_comments=comments)
    for lesson in course.written():
        for cell in nbformat.read(course.INSTRUCTOR / lesson.name, as_version=4).cells:
            if cell.cell_type == "code":
                for text, what in check_texts(cell.source):
                    catalog.add(text, locations=[(f"solutions/{lesson.name}#{cell.id}", None)],
                                auto_comments=[f"{what}, printed by an exercise's self-check"])
    return catalog


def convlib_catalog_path(language):
    """Where convlib's own catalog in `language` lives (convlib.i18n reads it)."""
    return CONVLIB_LOCALES / language / "LC_MESSAGES" / "convlib.po"


def read_convlib_catalog(language):
    """convlib's catalog in `language` (an empty one if there is none yet)."""
    return _read(convlib_catalog_path(language), language)


def _read(path, language):
    if not path.exists():
        return Catalog(locale=language, **HEADER)
    with path.open("rb") as po:
        return read_po(po, locale=language)


def _merge(pot, path, language):
    """Merge the template `pot` into the catalog at `path` as msgmerge does; say how far it is."""
    catalog = _read(path, language)
    catalog.update(pot, update_creation_date=False)
    catalog.creation_date = catalog.revision_date = STAMP
    _store(catalog, path)
    print(f"{path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path}: {progress(catalog)}")


def update_catalogs():
    """Extract the English text of every notebook, of the website and of convlib, and merge it
    into every language's catalogs."""
    templates = {lesson: template(lesson) for lesson in course.written()} | {SITE: site_template()}
    for lesson, pot in templates.items():
        _store(pot, TEMPLATES / f"{getattr(lesson, 'stem', lesson)}.pot")
        for language in course.LANGUAGES:
            _merge(pot, catalog_path(language, lesson), language)
    pot = convlib_template()
    _store(pot, CONVLIB_LOCALES / "convlib.pot")
    for language in course.LANGUAGES:
        _merge(pot, convlib_catalog_path(language), language)


def _entries(catalog):
    return [message for message in catalog if message.id]


def missing(catalog):
    """The English of every message still to translate: untranslated or fuzzy."""
    return [message.id for message in _entries(catalog) if not message.string or message.fuzzy]


def left_to_translate(language):
    """{notebook stem: the English of its messages still to translate} for `language`, where any."""
    left = {lesson.stem: missing(read_catalog(language, lesson)) for lesson in course.written()}
    return {stem: texts for stem, texts in left.items() if texts}


def progress(catalog):
    """'12/40 translated, 1 fuzzy'."""
    entries = _entries(catalog)
    fuzzy = sum(bool(message.string) and message.fuzzy for message in entries)
    return f"{len(entries) - len(missing(catalog))}/{len(entries)} translated, {fuzzy} fuzzy"


def _done(catalog):
    """{English: translation} of every message translated and not fuzzy."""
    return {message.id: message.string for message in _entries(catalog) if message.string and not message.fuzzy}


def lookup(catalog):
    """A function: English paragraph -> its translation, or the English where there is none."""
    done = _done(catalog)
    return lambda text: done.get(text, text)


def relink(text, language):
    """Markdown links of an English notebook, fixed for a copy one folder deeper, in `language`/."""
    text = text.replace("](../solutions/", f"](../../solutions/{language}/")
    text = re.sub(r"\]\(\.\./(?!\.\./)", "](../../", text)
    return text.replace("urlpath=lab/tree/notebooks/", f"urlpath=lab/tree/notebooks/{language}/")


def language_line(language):
    """The line a translated notebook's setup cell adds."""
    return f'convlib.set_language("{language}")'


def _set_language(notebook, language):
    """Add the language line to the setup cell (the first that imports convlib), after its imports."""
    for cell in notebook.cells:
        lines = cell.source.split("\n")
        if cell.cell_type == "code" and "import convlib" in lines:
            last_import = max(i for i, line in enumerate(lines) if line.startswith(("import ", "from ")))
            lines.insert(last_import + 1, language_line(language))
            cell.source = "\n".join(lines)
            return notebook
    raise ValueError(f"{notebook.metadata.get('title', 'the notebook')} has no setup cell importing convlib")


def heading_anchors(language, lesson):
    """{English anchor: translated anchor} for the translated headings of `lesson` in `language`."""
    def anchor(heading):
        """The anchor of a heading message ('## The map' -> 'The-map')."""
        return course.jupyter_anchor(heading.lstrip("#"))
    return {anchor(english): anchor(translated) for english, translated in _done(read_catalog(language, lesson)).items()
            if english.startswith("#")}


def translate_anchors(text, language):
    """Links to a heading of a notebook (``01_a.ipynb#English-heading``) pointed at the heading as
    translated, so that translators keep link targets exactly as in English."""
    def replace(link):
        """One link, its anchor translated where its notebook has that heading translated."""
        stem = link["notebook"].removesuffix(".ipynb")
        known = {lesson.stem for lesson in course.written()}
        anchors = heading_anchors(language, course.lesson(stem)) if stem in known else {}
        return f"]({link['notebook']}#{anchors.get(link['anchor'], link['anchor'])})"
    return ANCHORED_LINK.sub(replace, text)


def edition(english, language, catalog):
    """The translated edition (not executed) of a stored English notebook."""
    notebook = translate_notebook(english, lookup(catalog))
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_anchors(relink(cell.source, language), language)
    return _set_language(notebook, language)


def translated_lessons(language):
    """The lessons whose catalog in `language` holds at least one translation: they get editions."""
    return [lesson for lesson in course.written()
            if len(missing(catalog := read_catalog(language, lesson))) < len(_entries(catalog))]


def write(language):
    """Write, execute and store both editions of every translated lesson in `language`."""
    for lesson in translated_lessons(language):
        catalog = read_catalog(language, lesson)
        for folder in EDITIONS:
            target = folder / language / lesson.name
            target.parent.mkdir(exist_ok=True)
            notebook = edition(nbformat.read(folder / lesson.name, as_version=4), language, catalog)
            target.write_text(tool.serialise(tool._execute(notebook, target.parent)), encoding="utf-8")
            print(f"stored {target.relative_to(course.ROOT)} ({progress(catalog)})")


def main(argv=None):
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("catalogs", help="extract the English text and update every catalog")
    writer = commands.add_parser("write", help="write and execute the translated editions")
    writer.add_argument("languages", nargs="*", metavar="LANG", help=f"any of {', '.join(course.LANGUAGES)}")
    arguments = parser.parse_args(argv)
    unknown = set(getattr(arguments, "languages", [])) - set(course.LANGUAGES)
    if unknown:
        parser.error(f"LANG must be among {', '.join(course.LANGUAGES)}; got {', '.join(sorted(unknown))}")
    if arguments.command == "catalogs":
        update_catalogs()
    else:
        for language in arguments.languages or course.LANGUAGES:
            write(language)


if __name__ == "__main__":
    main()
