"""The live meeting pages (ipywidgets, served by Voilà from ``dashboards/``).

Each page is a class built on :class:`thidua_rank.app.common.Page`; a dashboard notebook only
constructs one for the meeting the server was started on and displays it.
"""
