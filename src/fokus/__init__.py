"""Fokus: KPIs and customer care for small businesses."""

__version__ = "0.1.0"
