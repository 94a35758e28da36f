from django.apps import AppConfig


class CliConfig(AppConfig):
    """The command base of ``fokus`` and the commands that run its processes."""

    name = "fokus.cli"
    label = "cli"
