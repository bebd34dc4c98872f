"""Passwords are stored as the settings say (Argon2), whatever the suite does for speed: the root
conftest hashes with MD5 except in tests marked `production_password_hashing`."""

import pytest
from django.contrib.auth.hashers import get_hasher


@pytest.mark.production_password_hashing
@pytest.mark.django_db
def test_an_agent_s_password_is_stored_with_argon2(make_agent):
    agent = make_agent("hachage", "mail_clerk", "SGG-BC")
    agent.set_password("une phrase de passe assez longue")
    agent.save()
    assert get_hasher().algorithm == "argon2"
    assert agent.password.startswith("argon2$")
    agent.refresh_from_db()
    assert agent.check_password("une phrase de passe assez longue")


@pytest.mark.django_db
def test_the_suite_hashes_fast_elsewhere(make_agent):
    assert get_hasher().algorithm == "md5"
