from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "fokus.alerts"
    label = "alerts"
