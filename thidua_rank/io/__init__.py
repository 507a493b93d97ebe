"""Reading and writing files: tables (CSV/XLSX), meeting folders, ballot files (and PrefLib),
the meeting workbook (read) and its template (write), and the one atomic-write helper every
writer goes through."""
