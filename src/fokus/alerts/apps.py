from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "fokus.alerts"
    label = "alerts"

    def ready(self) -> None:
        from fokus.alerts import receivers

        receivers.connect()
