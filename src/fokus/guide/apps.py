from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "fokus.guide"
    label = "guide"
