"""Open data: the public, anonymised issues and the whole problem-to-solution record as JSON
and CSV files, one per kind, under CC BY 4.0, with a Frictionless Data Package describing them.

- datasets.py  what each file holds: its fields, their types and meanings (one home)
- records.py   the rows, read from issues and the forum record in batches
- files.py     the files written once per version of the public record and kept on disk
- routes.py    /open-data (the page that lists them) and /open-data/<file>
"""
