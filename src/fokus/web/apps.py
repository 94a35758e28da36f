from django.apps import AppConfig
from django.db.backends.signals import connection_created


class WebConfig(AppConfig):
    name = "fokus.web"
    label = "web"

    def ready(self) -> None:
        from fokus.sqlite import on_connection_created
        from fokus.web import gc

        connection_created.connect(on_connection_created, dispatch_uid="fokus-wal-checkpoint")
        gc.install()
