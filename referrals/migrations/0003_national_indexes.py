from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_text_limits")]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["to_agency", "-sent_at", "-id"], name="referral_inbox"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["to_agency", "sent_at", "status", "due_at", "answered_at"], name="referral_dashboard"
            ),
        ),
    ]
