# The idempotency keys belong to the API app now (api/0001 took the model and its rows).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
        ('dataio', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='IdempotencyKey')],
            database_operations=[],
        ),
    ]
