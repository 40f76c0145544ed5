# Convolution, Unfolded. Two commands do all the set-up on a fresh machine:
#   make lab    create .venv, install the course, open JupyterLab on notebook 00
#   make test   create .venv, install the test tools, run every test
# Needs only Python 3.10+ and make: no root, no conda.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
SERVER_CONFIG := jupyter-config/jupyter_server_config.d/convlib_jupyter.json

.PHONY: lab test check student slides slides-solutions site notebooks catalogs translations links handout pins clean

# Jupyter refuses to run as root unless told; containers and cloud machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# `make lab LANG=ja` opens a translation (pt_BR, ja, fr) with JupyterLab's menus in that language;
# LANG from the environment (the shell's locale) does not. Each language keeps its own JupyterLab
# settings in build/lab-settings/LANG, started from jupyterlab-settings/LANG (the language pack's locale).
LANGUAGES := pt_BR ja fr
EDITION := $(if $(filter command line,$(origin LANG)),$(LANG)/)
LAB_SETTINGS_DIR := build/lab-settings/$(LANG)

lab: $(VENV)/.lab
ifneq ($(EDITION),)
	@$(if $(filter $(LANG),$(LANGUAGES)),:,echo "LANG must be one of $(LANGUAGES) (or left out for English); got '$(LANG)'" >&2; exit 2)
	mkdir -p $(LAB_SETTINGS_DIR) && cp -rn jupyterlab-settings/$(LANG)/. $(LAB_SETTINGS_DIR)/
	JUPYTERLAB_SETTINGS_DIR=$(LAB_SETTINGS_DIR) $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT) \
		--LabApp.default_url=/lab/tree/notebooks/$(EDITION)00_welcome.ipynb
else
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ALLOW_ROOT) --LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb
endif

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile -rs

check: $(VENV)/.test            ## quick feedback while developing: lint, library tests and doctests
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q -m "not course" convlib tests

student: $(VENV)/.test          ## homework: student copies without solutions
	$(BIN)/python tools/homework.py

# LANG=ja (pt_BR, fr) given on the command line: the slides or site of that translation, in build/.../ja/.
slides: $(VENV)/.test           ## lectures: reveal.js slides that work offline, no answers on them [LANG=ja]
	$(BIN)/python tools/slides.py $(if $(EDITION),--language "$$LANG")

slides-solutions: $(VENV)/.test ## the instructor's decks with the worked solutions [LANG=ja]
	$(BIN)/python tools/slides.py --solutions $(if $(EDITION),--language "$$LANG")

site: $(VENV)/.test             ## the website in build/site/: make site [SOLUTIONS=1] [HUB=https://hub...] [LANG=ja]
	$(BIN)/python tools/website.py $(if $(SOLUTIONS),--solutions) $(if $(HUB),--hub $(HUB)) $(if $(EDITION),--language "$$LANG")

notebooks: $(VENV)/.test        ## re-execute and store both editions of every notebook
	$(BIN)/python tools/notebooks.py build

catalogs: $(VENV)/.test         ## after changing English text: update locales/ and convlib/locales/ (new text untranslated, changed fuzzy)
	$(BIN)/python tools/translate.py catalogs

translations: $(VENV)/.test     ## write and execute solutions/LANG/ and notebooks/LANG/ from English and the catalogs [LANG=ja]
	$(BIN)/python tools/translate.py write $(if $(EDITION),"$$LANG")

# Values travel through the environment ("$$REPO"), so no character of them reaches the shell unquoted.
links: $(VENV)/.lab             ## class links: make links REPO=org/repo HUB=https://hub... [HANDOUT=graded NOTEBOOK= BRANCH= LANG=ja]
	$(BIN)/python tools/links.py "$$REPO" $(if $(HUB),--hub "$$HUB") $(if $(NOTEBOOK),--notebook "$$NOTEBOOK") \
		$(if $(BRANCH),--branch "$$BRANCH") $(if $(HANDOUT),--handout "$$HANDOUT") $(if $(EDITION),--language "$$LANG")

handout: $(VENV)/.lab           ## graded class: the learner's edition and convlib on branch `graded`, from HEAD
	$(BIN)/python tools/handout.py

pins: $(VENV)/.test             ## rewrite constraints.txt from the installed test environment
	$(BIN)/python tools/pins.py

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.10 or newer is needed") if sys.version_info < (3, 10) else None'
	$(PYTHON) -m venv $(VENV)

# Stamps re-run an install only when what it depends on changes.
$(VENV)/.lab: pyproject.toml constraints.txt jupyterlab-settings/overrides.json $(SERVER_CONFIG) | $(BIN)/python
	$(PIP) -e ".[lab]"
	mkdir -p $(LAB_SETTINGS) && cp jupyterlab-settings/overrides.json $(LAB_SETTINGS)/
	@# An editable install skips pyproject's data-files: enable the save hook (convlib_jupyter) by hand.
	mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d && cp $(SERVER_CONFIG) $(VENV)/etc/jupyter/jupyter_server_config.d/
	touch $@

$(VENV)/.test: $(VENV)/.lab
	$(PIP) -e ".[lab,test]"
	touch $@

clean:
	rm -rf build $(VENV)
