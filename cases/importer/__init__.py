"""Bringing BP3MI's arrival spreadsheets into the log (XLSX and CSV): the whole unit.

- reading: a file's bytes -> a table of text cells (python-calamine, csv), or a clear error;
- columns: the template's columns and matching a sheet's headers to them;
- checking: the entry form's rules applied to each row (a stored row is an ImportRow), duplicates
  within the sheet and against the log, the state of each row;
- report: the template and the report of rejected rows, as files;
- services: the writes: an upload kept between requests (arrival_import_*), and returnees_import,
  which writes the arrivals for the pages and the import_arrivals command alike;
- forms, views, urls: the pages under /kepulangan/impor/ (templates/cases/import_*.html).

Reading, columns, checking and report write nothing to the database.
"""
