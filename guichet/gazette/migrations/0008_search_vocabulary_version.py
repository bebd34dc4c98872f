"""A version of the index's set of words (`SearchVocabulary`), changed when indexing adds words:
each process keeps its typo index (`spelling.VocabularyIndex`) until the version changes. No row
until the first words are indexed (the version is then "")."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gazette', '0007_licencie_family'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchVocabulary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(blank=True, max_length=32)),
            ],
        ),
    ]
