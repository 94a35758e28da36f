from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fokus.demo"
    label = "demo"
