"""The partner directory (municipalities, organisations, contacts) moves here from partners.
State only: the tables partners created keep their names (db_table) and every row."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('partners', '0003_meetings_agendas_action_items'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Municipality',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=6, unique=True, validators=[django.core.validators.RegexValidator('^GM[0-9]{4}$', 'A municipality code is GM followed by four digits, e.g. GM0363.')], verbose_name='CBS code')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('province', models.CharField(max_length=50, verbose_name='province')),
                        ('valid_from', models.DateField(blank=True, null=True, verbose_name='valid from')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to')),
                    ],
                    options={
                        'verbose_name': 'municipality',
                        'verbose_name_plural': 'municipalities',
                        'db_table': 'partners_municipality',
                        'ordering': ['name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('code__regex', '^GM[0-9]{4}$')), name='municipality_code_format')],
                    },
                ),
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('dtv', 'DTenV'), ('avim', 'Aliens police (AVIM)'), ('municipality', 'Municipality'), ('coa', 'COA location'), ('iom', 'IOM'), ('vwn', 'VluchtelingenWerk'), ('embassy', 'Embassy or consulate'), ('court', 'Court'), ('kmar', 'Royal Marechaussee (KMar)'), ('ind', 'IND'), ('guardian', 'Guardian (Nidos)'), ('other', 'Other')], max_length=20, verbose_name='kind')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('country', models.CharField(blank=True, max_length=2, verbose_name='country (ISO 3166-1)')),
                        ('address', models.CharField(blank=True, max_length=300, verbose_name='address')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='directory.municipality', verbose_name='municipality')),
                    ],
                    options={
                        'verbose_name': 'organisation',
                        'verbose_name_plural': 'organisations',
                        'db_table': 'partners_organisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Contact',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('role', models.CharField(blank=True, max_length=100, verbose_name='role')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='partner_contact', to=settings.AUTH_USER_MODEL, verbose_name='login')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='directory.organisation')),
                    ],
                    options={
                        'verbose_name': 'contact',
                        'verbose_name_plural': 'contacts',
                        'db_table': 'partners_contact',
                        'ordering': ['name'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='organisation',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'embassy'), _negated=True), models.Q(('country', ''), _negated=True), _connector='OR'), name='embassy_has_country'),
                ),
                migrations.AddConstraint(
                    model_name='organisation',
                    constraint=models.UniqueConstraint(fields=('kind', 'name'), name='organisation_unique_name'),
                ),
            ],
        ),
    ]
