from django.apps import AppConfig


class UiConfig(AppConfig):
    """What every page shares: the base template, styles, charts, form fields, formats."""

    name = "fokus.ui"
    label = "ui"
