"""Documents for people, in the state's format (Decree 30/2020/NĐ-CP) where they go into the
award dossier.

- :mod:`~thidua_rank.report.layout`: the page model (A4, margins, font) and the
  :class:`~thidua_rank.report.layout.Block` every document is made of;
- :mod:`~thidua_rank.report.minutes`: the counting minutes as blocks;
- :mod:`~thidua_rank.report.documents`: the dossier (counting minutes, meeting minutes, proposal
  list, cover letter, paper ballots) and :func:`~thidua_rank.report.documents.write_documents`;
- :mod:`~thidua_rank.report.docx` and :mod:`~thidua_rank.report.pdf` (typst, fonts embedded)
  render the same blocks; :mod:`~thidua_rank.report.template` fills a province's own Word
  template (docxtpl);
- :mod:`~thidua_rank.report.text`: the outcome as console text;
  :mod:`~thidua_rank.report.xlsx`: Excel workbooks.

Files are written through :func:`thidua_rank.io.atomic.atomic_write` (whole or not at all,
mode 0600)."""
