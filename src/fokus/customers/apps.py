from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "fokus.customers"
    label = "customers"

    def ready(self) -> None:
        from fokus.customers import dashboard

        dashboard.connect()
