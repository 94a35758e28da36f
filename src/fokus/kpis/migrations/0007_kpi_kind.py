from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0006_no_target_per_interval_without_interval"),
    ]

    operations = [
        migrations.AddField(
            model_name="kpi",
            name="kind",
            field=models.CharField(blank=True, max_length=40, verbose_name="kind"),
        ),
    ]
