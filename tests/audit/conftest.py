"""Fixtures of the audit tests: a superuser's admin client, in one place.

Admin requires a session that passed two-factor login; ``admin_client_as`` gives one through the
shared ``verified_client`` fixture, so a change to how admin log-in works is adapted here only.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def superuser(django_user_model):
    """A superuser with a name, as the admin pages see one."""
    return django_user_model.objects.create_superuser(
        username="root", password="pw-root-long-enough", first_name="Sigrid", last_name="Sjef"
    )


@pytest.fixture
def admin_browser(verified_client, superuser):
    """The test client, logged in to admin as the superuser (two-factor login done)."""
    return verified_client(superuser)
