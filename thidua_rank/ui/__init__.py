"""The Voilà pages: one base page and the meeting pages (projector, chair, clerk, delegate),
plus the analyst's dashboard. Only this package imports ipywidgets."""
