# The idempotency keys move from the data app to the API app, which alone uses them:
# the model is taken over as it is, then its table is renamed (its rows are kept).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_invitations'),
        ('dataio', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IdempotencyKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=255)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('method', models.CharField(max_length=8)),
                        ('path', models.CharField(max_length=500)),
                        ('status_code', models.PositiveSmallIntegerField()),
                        ('response', models.TextField(help_text='the JSON body sent, byte for byte')),
                        ('created_at', models.DateTimeField(db_index=True)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                    ],
                    options={
                        'db_table': 'dataio_idempotencykey',
                        'constraints': [models.UniqueConstraint(fields=('organisation', 'key'), name='idempotency_key_per_org')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='idempotencykey', table=None),
    ]
