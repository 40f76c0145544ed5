"""The course's Jupyter server extension: notebooks are saved without widget views.

A live widget's output holds a view of a widget model that lives only as long as
its kernel. Saved into the file, it makes a reopened notebook show "Error
displaying widget: model not found". This extension registers a pre-save hook
with the server's contents manager that drops those views (and any saved widget
state), keeping each output's text: the widget's note that says to run the cell.
Re-running the cell brings the live widget back.

Installed with the course (``pip install`` of this project puts
``jupyter_server_config.d/convlib_jupyter.json`` into ``sys.prefix/etc/jupyter``),
so it works in ``make lab``, on Binder and on a JupyterHub whose single-user
image has the course installed. It imports nothing heavy: the server stays small.
"""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(model, **kwargs):
    """Pre-save hook: remove widget views and widget state from a notebook `model` in place.

    An output left with no data at all (a view with no text) is dropped.

    Examples
    --------
    >>> view = {"output_type": "display_data", "metadata": {},
    ...         "data": {"text/plain": "<live widget>", WIDGET_VIEW: {"model_id": "a1"}}}
    >>> model = {"type": "notebook", "content": {"metadata": {"widgets": {}},
    ...          "cells": [{"cell_type": "code", "outputs": [view]}]}}
    >>> strip_widget_views(model)
    >>> model["content"]["metadata"], model["content"]["cells"][0]["outputs"][0]["data"]
    ({}, {'text/plain': '<live widget>'})
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook.get("cells", []):
        if "outputs" not in cell:
            continue
        for output in cell["outputs"]:
            output.get("data", {}).pop(WIDGET_VIEW, None)
        cell["outputs"] = [o for o in cell["outputs"] if o.get("data", True)]


def _jupyter_server_extension_points():
    return [{"module": "convlib_jupyter"}]


def _load_jupyter_server_extension(server_app):
    server_app.contents_manager.register_pre_save_hook(strip_widget_views)
