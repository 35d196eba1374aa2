from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_national_dashboard")]

    operations = [
        migrations.AddIndex(
            model_name="stageevent",
            index=models.Index(
                condition=models.Q(("kind__in", ["p19_returned", "tahap1_sent"])),
                fields=["case", "kind", "on"],
                name="stageevent_file_steps",
            ),
        ),
    ]
