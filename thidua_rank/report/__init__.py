"""Documents for people: the outcome as text (:mod:`~thidua_rank.report.text`), the counting
minutes as blocks (:mod:`~thidua_rank.report.minutes`) rendered to Word
(:mod:`~thidua_rank.report.docx`), and Excel workbooks of the outcome and of the analyst's tables
(:mod:`~thidua_rank.report.xlsx`). Files are written through
:func:`thidua_rank.io.atomic.atomic_write` (whole or not at all, mode 0600)."""
