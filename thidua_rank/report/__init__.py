"""Documents for people: the outcome as text, the counting minutes (Word) and the Excel
workbook of the outcome."""
