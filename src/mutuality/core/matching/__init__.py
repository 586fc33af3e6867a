"""Matching needs to offers: pure stages over batches (see :mod:`.pipeline`)."""
