"""Reading and writing other programs' files: vCard, CSV and iCalendar.

Pure: no database, no CLI. Parsers take a binary stream and yield the records of
:mod:`mutuality.core.contacts` (or :class:`~mutuality.core.contacts.Problem` values for
records they cannot use); writers take records and return text.
"""
