from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KpisConfig(AppConfig):
    name = "fokus.kpis"
    label = "kpis"

    def ready(self) -> None:
        from fokus.kpis.stamps import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self)
