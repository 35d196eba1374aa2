"""Bringing BP3MI's arrival spreadsheets into the log (XLSX and CSV).

- reading: a file's bytes -> a table of text cells (python-calamine, csv), or a clear error;
- columns: the template's columns and matching a sheet's headers to them;
- checking: the entry form's rules applied to each row, duplicates within the sheet and against the
  log, the state of each row;
- report: the template and the report of rejected rows, as files.

Nothing here writes to the database: cases.services.arrival_import_* keep an upload between
requests and cases.services.returnees_import writes the arrivals.
"""
