from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "fokus.kpis"
    label = "kpis"
