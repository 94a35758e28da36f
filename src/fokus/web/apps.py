from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fokus.web"
    label = "web"
