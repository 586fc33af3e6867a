"""The pure domain: immutable records and the arithmetic over them, with no I/O."""
