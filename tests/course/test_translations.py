"""The translations (tools/translate.py): catalogs that round-trip, editions whose code is the
English code, updates that never lose a translation, and complete languages that stay complete."""

import copy
import re

import course
import nbformat
import pytest
import translate
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

pytestmark = pytest.mark.course
LESSONS = course.written()


def _identity_catalog(lesson):
    catalog = translate.template(lesson)
    for message in catalog:
        if message.id:
            message.string = message.id
    return catalog


def test_paragraphs_keep_every_character_and_fenced_code_whole():
    text = "# Title\n\nOne $x_i$ paragraph\non two lines.\n\n\n```python\na = 1\n\nb = 2\n```\n\n$$y = x$$\n- a\n- b"
    pieces = translate.paragraphs(text)
    assert "".join(pieces) == text
    assert pieces[::2] == ["# Title", "One $x_i$ paragraph\non two lines.", "```python\na = 1\n\nb = 2\n```",
                           "$$y = x$$\n- a\n- b"]
    assert translate.messages("Text\n\n$$y = x$$") == ["Text"], "display maths alone is not a message"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_a_catalog_of_english_reproduces_the_english_notebooks(lesson):
    lookup = translate.lookup(_identity_catalog(lesson))
    for folder in translate.EDITIONS:
        english = nbformat.read(folder / lesson.name, as_version=4)
        assert translate.translate_notebook(english, lookup) == english


def test_a_translation_replaces_prose_and_keeps_maths_code_and_outputs():
    lesson = course.lesson("00_welcome")
    english = nbformat.read(course.INSTRUCTOR / lesson.name, as_version=4)
    catalog = _identity_catalog(lesson)
    heading = f"# {lesson.heading}"
    catalog[heading].string = "# 00 · Bienvenue"
    written = translate.edition(english, "fr", catalog)
    assert written.cells[0].source == "# 00 · Bienvenue"
    code = [(c.source, c.outputs) for c in english.cells if c.cell_type == "code"]
    assert [(c.source.replace(translate.language_line("fr") + "\n", ""), c.outputs)
            for c in written.cells if c.cell_type == "code"] == code
    assert "../../binder/badge.svg" in written.cells[1].source and "tree/notebooks/fr/" in written.cells[1].source


def test_relinking_points_one_folder_deeper_and_at_the_same_language():
    text = "[s](../solutions/01_a.ipynb) [b](../binder/badge.svg) [n](01_a.ipynb) urlpath=lab/tree/notebooks/01_a.ipynb"
    assert translate.relink(text, "ja") == ("[s](../../solutions/ja/01_a.ipynb) [b](../../binder/badge.svg) "
                                            "[n](01_a.ipynb) urlpath=lab/tree/notebooks/ja/01_a.ipynb")


def _with(catalog, texts):
    template = Catalog(locale=None)
    for text in texts:
        template.add(text)
    updated = copy.deepcopy(catalog)
    updated.update(template, update_creation_date=False)
    return updated


def test_the_update_keeps_translations_and_marks_changed_text_fuzzy():
    catalog = _with(Catalog(locale="fr"), ["The kernel slides over the input.", "Run the setup cell."])
    catalog["The kernel slides over the input."].string = "Le noyau glisse sur l'entrée."
    catalog["Run the setup cell."].string = "Exécutez la cellule de préparation."
    updated = _with(catalog, ["The kernel slides over the whole input.", "Run the setup cell.", "A new paragraph."])
    changed = updated["The kernel slides over the whole input."]
    assert changed.fuzzy and changed.string == "Le noyau glisse sur l'entrée."
    assert changed.previous_id == ["The kernel slides over the input."], "the translator sees what changed"
    assert updated["Run the setup cell."].string == "Exécutez la cellule de préparation."
    assert not updated["Run the setup cell."].fuzzy
    assert not updated["A new paragraph."].string and not updated["A new paragraph."].fuzzy
    assert translate.missing(updated) == ["The kernel slides over the whole input.", "A new paragraph."]
    assert translate.lookup(updated)("The kernel slides over the whole input.") == \
        "The kernel slides over the whole input.", "fuzzy text falls back to English"
    gone = _with(updated, ["A new paragraph."])
    assert gone.obsolete["Run the setup cell."].string == "Exécutez la cellule de préparation.", "kept as obsolete"


@pytest.mark.parametrize("language", course.LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_every_catalog_holds_exactly_the_english_messages(language, lesson):
    """`make catalogs` has run since the English last changed."""
    catalog = translate.read_catalog(language, lesson)
    assert translate.catalog_path(language, lesson).exists(), "run make catalogs"
    english = {m.id for m in translate.template(lesson) if m.id}
    assert {m.id for m in catalog if m.id} == english, "the English text changed: run make catalogs"


@pytest.mark.parametrize("language", course.LANGUAGES)
def test_translated_editions_are_written_in_step_with_english_and_the_catalogs(language):
    """Exactly the lessons with a translation have both editions, and they are what the writer
    makes from the English and the catalog now: the same code cells, the translated prose."""
    for folder in translate.EDITIONS:
        stored = sorted(path.name for path in (folder / language).glob("*.ipynb"))
        assert stored == [lesson.name for lesson in translate.translated_lessons(language)], "run make translations"
    for lesson in translate.translated_lessons(language):
        catalog = translate.read_catalog(language, lesson)
        for folder in translate.EDITIONS:
            english = nbformat.read(folder / lesson.name, as_version=4)
            written = nbformat.read(folder / language / lesson.name, as_version=4)
            expected = translate.edition(english, language, catalog)
            assert [(c.cell_type, c.source) for c in written.cells] == [(c.cell_type, c.source) for c in expected.cells]
            code = [c.source for c in written.cells if c.cell_type == "code"]
            assert [c.replace(translate.language_line(language) + "\n", "") for c in code] == \
                [c.source for c in english.cells if c.cell_type == "code"], "code cells are the English ones"
            assert all(c.execution_count for c in written.cells if c.cell_type == "code"), "stored executed"


def test_a_complete_language_has_nothing_untranslated_or_fuzzy():
    """A language declared complete in tools/course.py fails on any message left to do, in its
    notebooks' catalogs and in convlib's own."""
    assert set(course.COMPLETE) <= set(course.LANGUAGES)
    for language in course.COMPLETE:
        assert translate.left_to_translate(language) == {}, f"{language} is declared complete"
        assert translate.missing(translate.read_convlib_catalog(language)) == [], f"{language}: convlib.po"


def test_what_convlib_po_leaves_to_do_is_found():
    """The check above sees an untranslated and a fuzzy message of convlib.po, and nothing else."""
    catalog = translate.read_convlib_catalog("ja")
    catalog["a complex number"].string = ""
    catalog["✔ {name} is correct"].flags.add("fuzzy")
    assert sorted(translate.missing(catalog)) == sorted(["a complex number", "✔ {name} is correct"])


def test_convlib_catalogs_hold_exactly_what_extraction_finds():
    """`make catalogs` has run since convlib's messages or the notebooks' check texts last changed."""
    english = {m.id for m in translate.convlib_template() if m.id}
    with (translate.CONVLIB_LOCALES / "convlib.pot").open("rb") as pot:
        assert {m.id for m in read_po(pot) if m.id} == english, "run make catalogs"
    for language in course.LANGUAGES:
        catalog = translate.read_convlib_catalog(language)
        assert {m.id for m in catalog if m.id} == english, f"{language}: run make catalogs"


def test_the_check_texts_of_a_code_cell_are_found_with_their_concatenations():
    source = '''%matplotlib inline
tail = "; count again"
exercises.check(y, "():6:0", name="y", hint="slide the window" + tail,
                mistakes={"flipped": w[::-1], f"not {x}": 0})
check_that(w, name="w", requirements={"it must sum to 0": lambda w: w.sum() == 0})
print("not a check text")'''
    assert [text for text, _ in translate.check_texts(source)] == [
        "slide the window; count again", "flipped", "it must sum to 0"]


def test_the_notebooks_check_texts_are_in_convlibs_catalog():
    """A hint the notebooks pass to a check can be translated: 07's concatenated hints included."""
    template = translate.convlib_template()
    hint = "correlating an impulse writes the kernel reversed; full mode starts with the kernel's last weight"
    assert any(m.id.startswith(hint) for m in template if m.id)
    located = [m for m in template if m.id and any(path.startswith("solutions/") for path, _ in m.locations)]
    assert len(located) > 60, "every exercise's hints"
    assert all("#" in path for m in located for path, _ in m.locations if path.startswith("solutions/")), \
        "notebook#cell id"


def test_what_is_left_to_translate_is_found(monkeypatch):
    """The check above sees an untranslated and a fuzzy message, and nothing else."""
    lesson, stored = course.lesson("01_sliding_window"), translate.read_catalog
    catalog = stored("fr", lesson)
    first, second = [message.id for message in catalog if message.id][:2]
    catalog[first].string = ""
    catalog[second].flags.add("fuzzy")
    monkeypatch.setattr(translate, "read_catalog",
                        lambda language, entry: catalog if (language, entry) == ("fr", lesson) else stored(language, entry))
    assert translate.left_to_translate("fr") == {"01_sliding_window": [first, second]}


def test_the_update_command_on_stored_catalogs_keeps_every_translation(tmp_path, monkeypatch):
    """`make catalogs` after a changed English paragraph of notebook 00: its translation turns
    fuzzy, every other stays, and the edition shows the new English there."""
    lesson = course.lesson("00_welcome")
    before = {language: translate.read_catalog(language, lesson) for language in course.LANGUAGES}
    monkeypatch.setattr(translate, "LOCALES", tmp_path / "locales")
    monkeypatch.setattr(translate, "TEMPLATES", tmp_path / "locales" / "templates")
    monkeypatch.setattr(translate, "CONVLIB_LOCALES", tmp_path / "convlib" / "locales")
    for language in course.LANGUAGES:
        copy_of = translate.catalog_path(language, lesson)
        copy_of.parent.mkdir(parents=True)
        copy_of.write_bytes((course.ROOT / copy_of.relative_to(tmp_path)).read_bytes())
    old = "## The map of the course"
    new = "## The map of this course"
    english = translate.template

    def changed_template(entry):
        pot = english(entry)
        if entry == lesson:
            message = pot[old]
            del pot[old]
            pot.add(new, locations=message.locations)
        return pot

    monkeypatch.setattr(translate, "template", changed_template)
    monkeypatch.setattr(course, "written", lambda folder=course.INSTRUCTOR: [lesson])
    translate.update_catalogs()
    for language in course.LANGUAGES:
        catalog = translate.read_catalog(language, lesson)
        assert catalog[new].fuzzy
        text = translate.catalog_path(language, lesson).read_text(encoding="utf-8")
        assert f'#| msgid "{old}"\nmsgid "{new}"' in text, "the translator sees the English it was made for"
        assert translate.missing(catalog) == [new]
        assert translate.lookup(catalog)(new) == new, "the changed paragraph shows in English until translated"
        assert catalog[new].string == before[language][old].string, "its old translation waits for review"
        kept = {m.id: m.string for m in before[language] if m.id and m.id != old}
        assert {m.id: m.string for m in catalog if m.id and m.id != new} == kept, "no other translation changed"


def _heading_anchors(path):
    """The anchors of every heading of a stored notebook, as JupyterLab makes them."""
    cells = nbformat.read(path, as_version=4).cells
    return {course.jupyter_anchor(line.lstrip("#")) for cell in cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("language", course.LANGUAGES)
def test_links_to_a_heading_reach_that_heading_as_translated(language):
    """Translators keep link targets as in English (00_welcome.ipynb#The-map-of-the-course); the
    writer points them at the translated heading, which must exist in the translated notebook."""
    for folder in translate.EDITIONS:
        for path in sorted((folder / language).glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                for link in translate.ANCHORED_LINK.finditer(cell.source if cell.cell_type == "markdown" else ""):
                    assert link["anchor"] in _heading_anchors(path.parent / link["notebook"]), (
                        f"{path.relative_to(course.ROOT)}: {link[0]} points at no heading")


def test_make_knows_the_same_languages_as_the_manifest():
    """`make lab LANG=...` refuses a language the Makefile does not list: the list is the manifest's."""
    listed = re.search(r"^LANGUAGES := (.*)$", (course.ROOT / "Makefile").read_text(), re.M)[1].split()
    assert listed == list(course.LANGUAGES)
    for language in course.LANGUAGES:
        settings = course.ROOT / "jupyterlab-settings" / language / "@jupyterlab" / "translation-extension"
        assert (settings / "plugin.jupyterlab-settings").exists(), f"{language}: JupyterLab's language setting"
