"""Coverage-guided fuzzing of every importer (vCard, CSV, iCalendar, JSON backup) with
atheris; see docs/fuzzing.md. Run all targets for a minute each with
``python -m fuzz.run --seconds 60``."""
