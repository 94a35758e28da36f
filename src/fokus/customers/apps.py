from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "fokus.customers"
    label = "customers"
