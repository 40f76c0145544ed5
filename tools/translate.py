"""The course in other languages: gettext catalogs per notebook, and the translated editions.

    python tools/translate.py catalogs           extract the English text; create or update every catalog
    python tools/translate.py write [LANG ...]   write and execute both editions of each language (default: all)

English ``solutions/`` stays the single source. ``catalogs`` takes the text of every markdown
cell (prose, headings, exercise prompts, speaker notes; never code) of both English editions,
one message per paragraph so that maths and Markdown structure stay whole, into
``locales/templates/<stem>.pot``, and merges it into ``locales/<lang>/LC_MESSAGES/<stem>.po``
as msgmerge does (babel's ``Catalog.update``): a new paragraph arrives untranslated, a changed
one keeps its old translation marked fuzzy, a removed one stays at the end as obsolete (``#~``).
No translation is ever lost. The website's own sentences (tools/website.py's ``MESSAGES``: its
home page and notes) have a catalog of their own, ``site.pot`` / ``site.po``, updated the same way.

``write`` makes, for every notebook whose catalog holds a translation, ``solutions/<lang>/`` and
``notebooks/<lang>/`` from the stored English editions: the same cells, code untouched, each
paragraph translated (English where a message is untranslated or fuzzy), links one folder deeper,
and one line in the setup cell, ``convlib.set_language("<lang>")``; then executes and stores them
as ``tools/notebooks.py`` does. Beside the English folders they need nothing new: nbval collects
them (pyproject's testpaths), ``make lab LANG=ja`` opens ``notebooks/ja/``, and links between
notebooks of one language stay plain file names.
"""

import argparse
import copy
import datetime
import re

import course
import nbformat
import notebooks as tool
from babel.messages.catalog import Catalog
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
    path = catalog_path(language, lesson)
    if not path.exists():
        return Catalog(locale=language, **HEADER)
    with path.open("rb") as po:
        return read_po(po, locale=language)


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


def update_catalogs():
    """Extract the English text of every notebook and of the website and merge it into every language's catalog."""
    templates = {lesson: template(lesson) for lesson in course.written()} | {SITE: site_template()}
    for lesson, pot in templates.items():
        _store(pot, TEMPLATES / f"{getattr(lesson, 'stem', lesson)}.pot")
        for language in course.LANGUAGES:
            catalog = read_catalog(language, lesson)
            catalog.update(pot, update_creation_date=False)
            catalog.revision_date = STAMP
            _store(catalog, catalog_path(language, lesson))
            print(f"{catalog_path(language, lesson).relative_to(LOCALES.parent)}: {progress(catalog)}")


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
        return course.jupyter_anchor(heading.lstrip("#"))
    return {anchor(english): anchor(translated) for english, translated in _done(read_catalog(language, lesson)).items()
            if english.startswith("#")}


def translate_anchors(text, language):
    """Links to a heading of a notebook (``01_a.ipynb#English-heading``) pointed at the heading as
    translated, so that translators keep link targets exactly as in English."""
    def replace(link):
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
