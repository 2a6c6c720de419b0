"""Passwords are hashed with Argon2id; a password hashed with PBKDF2 before still signs in and is
rehashed with Argon2id at that sign-in."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

import config.settings as project_settings
from conftest import PASSWORD
from jingmin.org.models import User


@pytest.fixture
def project_hashers(settings):
    # The suite hashes with MD5 for speed; these tests need the project's own list.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


@pytest.mark.django_db
def test_a_new_password_is_hashed_with_argon2id_at_the_set_cost(persona, project_hashers):
    persona.oliver.set_password(PASSWORD)
    assert persona.oliver.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert persona.oliver.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_pbkdf2_password_from_before_signs_in_and_is_upgraded(persona, project_hashers):
    User.objects.filter(pk=persona.oliver.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    response = Client().post(reverse("org:signin"), {"username": "oliver", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    stored = User.objects.get(pk=persona.oliver.pk).password
    assert stored.startswith("argon2$argon2id$")
    # The upgraded hash opens the account again.
    response = Client().post(reverse("org:signin"), {"username": "oliver", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_leaves_an_old_hash_as_it_was(persona, project_hashers):
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=persona.oliver.pk).update(password=old)
    response = Client().post(reverse("org:signin"), {"username": "oliver", "password": "Wrong#Pass1"})
    assert response.status_code == 200
    assert User.objects.get(pk=persona.oliver.pk).password == old
