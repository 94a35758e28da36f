from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "fokus.plans"
    label = "plans"
