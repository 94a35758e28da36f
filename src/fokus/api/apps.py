from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fokus.api"
    label = "api"
