"""The service layer: every rule and every unit of work. See :mod:`mutuality.services.app`."""
