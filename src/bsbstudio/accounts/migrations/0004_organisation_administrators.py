"""Make the group that holds the organisation administrator role (may start evaluations)."""

from django.db import migrations

GROUP = "Organisation administrators"


def create_group(apps, schema_editor):
    """The group, with Django's own permission to add an evaluation."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # On a fresh database permissions are made only after all migrations (post_migrate), so
    # make this one now; post_migrate then finds it and leaves it as it is.
    content_type, _ = ContentType.objects.get_or_create(app_label="evaluations", model="evaluation")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="add_evaluation",
        defaults={"name": "Can add evaluation"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def delete_group(apps, schema_editor):
    """Undo: remove the group (its members lose the role)."""
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_invitation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
