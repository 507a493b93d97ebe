"""Reading and writing files, one module per concern (each imports only those above it):

``atomic``    the one place bytes are written: a file or a whole folder, whole or not at all
``tables``    CSV (UTF-8 / UTF-16) and spreadsheet tables, headers matched to column maps
``ballots``   ballot files: the wide CSV/XLSX form and PrefLib
``folder``    a meeting folder: members, criteria, scores, ``assemble_meeting``
``workbook``  a meeting workbook (reading)
``load``      ``load_meeting``: folder, ``meeting.toml`` or workbook
``template``  the meeting workbook to fill in (writing; owns the default criteria table)
"""
