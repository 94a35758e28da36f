from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "fokus.dataio"
    label = "dataio"
