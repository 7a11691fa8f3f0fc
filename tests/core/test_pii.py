from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from apps.core.pii import (
    EncryptedTextField,
    PIIDecryptionError,
    decrypt,
    encrypt,
    mask,
    pii_hash,
    sensitive_lookup,
    set_sensitive,
)
from apps.core.validators import normalize_id_number

ID_NUMBER = "11010519491231002X"


@pytest.fixture(scope="module")
def guardian_model() -> Iterator[type[models.Model]]:
    # An isolated registry keeps this model out of makemigrations and the real app registry.
    with isolate_apps("apps.core"):

        class PiiTestGuardian(models.Model):
            id_number = EncryptedTextField(blank=True)
            id_number_hash = models.CharField(max_length=64, blank=True, db_index=True)
            bank_account = EncryptedTextField(null=True, blank=True)
            # Nullable on purpose: set_sensitive must then write NULL, not "".
            bank_account_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return f"PiiTestGuardian {self.pk}"

        yield PiiTestGuardian


def test_decrypt_returns_what_encrypt_was_given():
    assert decrypt(encrypt(ID_NUMBER)) == ID_NUMBER


def test_round_trip_keeps_chinese_text():
    assert decrypt(encrypt("迁安市 张三")) == "迁安市 张三"


def test_ciphertext_never_contains_the_plaintext():
    assert ID_NUMBER not in encrypt(ID_NUMBER)
    assert ID_NUMBER.lower() not in encrypt(ID_NUMBER).lower()


def test_encrypting_twice_gives_different_ciphertexts():
    assert encrypt(ID_NUMBER) != encrypt(ID_NUMBER)


def test_decrypting_under_another_key_raises_a_clear_error():
    token = encrypt(ID_NUMBER)

    other_key = Fernet.generate_key().decode()
    with override_settings(PII_ENCRYPTION_KEY=other_key), pytest.raises(PIIDecryptionError):
        decrypt(token)


def test_decryption_error_does_not_quote_the_stored_value():
    with pytest.raises(PIIDecryptionError) as caught:
        decrypt("not-a-token-130283")

    assert "130283" not in str(caught.value)
    assert caught.value.__suppress_context__ is True


def test_hash_is_stable():
    assert pii_hash(ID_NUMBER) == pii_hash(ID_NUMBER)


def test_hash_is_64_hex_characters():
    digest = pii_hash(ID_NUMBER)

    assert len(digest) == 64
    assert set(digest) <= set("0123456789abcdef")


def test_hash_differs_under_another_key():
    digest = pii_hash(ID_NUMBER)

    with override_settings(PII_HASH_KEY="another-hash-key"):
        assert pii_hash(ID_NUMBER) != digest


def test_hash_is_not_a_plain_sha256():
    import hashlib

    assert pii_hash(ID_NUMBER) != hashlib.sha256(ID_NUMBER.encode()).hexdigest()


def test_hash_applies_the_given_normaliser():
    assert pii_hash(" 11010519491231002x", normalize=normalize_id_number) == pii_hash(ID_NUMBER)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("130283199001011234", "1302**********1234"),
        ("11010519491231002X", "1101**********002X"),
        ("6222021234567890123", "6222***********0123"),
        ("123456789", "1234*6789"),
        ("12345678", "****5678"),
        ("123456", "***456"),
        ("1234", "**34"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_examples(value, expected):
    assert mask(value) == expected


def test_mask_of_a_mobile_number_keeps_three_and_four():
    assert mask("13800138000", keep_start=3, keep_end=4) == "138****8000"


def test_field_refuses_an_exact_lookup(guardian_model):
    field = guardian_model._meta.get_field("id_number")

    with pytest.raises(FieldError, match="id_number_hash"):
        field.get_lookup("exact")


@pytest.mark.parametrize("lookup", ["iexact", "contains", "startswith", "in", "gt"])
def test_field_refuses_other_lookups(guardian_model, lookup):
    with pytest.raises(FieldError):
        guardian_model._meta.get_field("id_number").get_lookup(lookup)


def test_field_allows_an_isnull_lookup(guardian_model):
    assert guardian_model._meta.get_field("id_number").get_lookup("isnull") is not None


def test_filtering_a_queryset_on_the_encrypted_field_is_refused(guardian_model):
    # Building the query is enough; no table is touched.
    with pytest.raises(FieldError, match="encrypted"):
        guardian_model.objects.filter(id_number=ID_NUMBER)


def test_filtering_on_isnull_builds_a_query(guardian_model):
    assert "IS NULL" in str(guardian_model.objects.filter(bank_account__isnull=True).query)


def test_field_encrypts_on_the_way_to_the_database(guardian_model):
    stored = guardian_model._meta.get_field("id_number").get_prep_value(ID_NUMBER)

    assert stored != ID_NUMBER
    assert decrypt(stored) == ID_NUMBER


def test_field_decrypts_on_the_way_from_the_database(guardian_model):
    field = guardian_model._meta.get_field("id_number")

    assert field.from_db_value(encrypt(ID_NUMBER), None, None) == ID_NUMBER


@pytest.mark.parametrize("value", [None, ""])
def test_field_keeps_empty_values_as_they_are(guardian_model, value):
    field = guardian_model._meta.get_field("bank_account")

    assert field.get_prep_value(value) == value
    assert field.from_db_value(value, None, None) == value


def test_field_to_python_returns_plaintext(guardian_model):
    assert guardian_model._meta.get_field("id_number").to_python(ID_NUMBER) == ID_NUMBER


def test_field_deconstructs_to_its_import_path(guardian_model):
    name, path, args, kwargs = guardian_model._meta.get_field("bank_account").deconstruct()

    assert (name, path, args) == ("bank_account", "apps.core.pii.EncryptedTextField", [])
    assert kwargs == {"null": True, "blank": True}


def test_set_sensitive_stores_normalised_value_and_its_hash(guardian_model):
    guardian = guardian_model()

    set_sensitive(guardian, "id_number", " 11010519491231002x", normalize=normalize_id_number)

    assert guardian.id_number == ID_NUMBER
    assert guardian.id_number_hash == pii_hash(ID_NUMBER)


def test_set_sensitive_returns_the_normalised_value(guardian_model):
    stored = set_sensitive(guardian_model(), "id_number", "11010519491231002x", normalize=str.upper)

    assert stored == ID_NUMBER


def test_set_sensitive_clears_the_hash_for_an_empty_value(guardian_model):
    guardian = guardian_model(id_number=ID_NUMBER, id_number_hash=pii_hash(ID_NUMBER))

    set_sensitive(guardian, "id_number", "")

    assert (guardian.id_number, guardian.id_number_hash) == ("", "")


def test_set_sensitive_uses_null_hash_when_the_hash_field_is_nullable(guardian_model):
    guardian = guardian_model()

    set_sensitive(guardian, "bank_account", None)

    assert (guardian.bank_account, guardian.bank_account_hash) == (None, None)


def test_set_sensitive_refuses_a_field_without_a_hash_column(guardian_model):
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        set_sensitive(guardian_model(), "name", "张三")


def test_sensitive_lookup_matches_what_set_sensitive_stored(guardian_model):
    guardian = guardian_model()
    set_sensitive(guardian, "id_number", ID_NUMBER, normalize=normalize_id_number)

    lookup = sensitive_lookup("id_number", "11010519491231002x", normalize=normalize_id_number)

    assert lookup == {"id_number_hash": guardian.id_number_hash}


@pytest.fixture
def guardian_table(guardian_model):
    # PostgreSQL DDL is transactional: the table goes away with the test's rollback.
    with connection.schema_editor() as editor:
        editor.create_model(guardian_model)
    return guardian_model


@pytest.mark.django_db
def test_database_column_holds_ciphertext_and_the_model_reads_plaintext(guardian_table):
    guardian = guardian_table()
    set_sensitive(guardian, "id_number", ID_NUMBER, normalize=normalize_id_number)
    guardian.save()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number FROM {guardian_table._meta.db_table}")
        (stored,) = cursor.fetchone()
    assert ID_NUMBER not in stored
    assert guardian_table.objects.get(pk=guardian.pk).id_number == ID_NUMBER


@pytest.mark.django_db
def test_bulk_created_rows_are_found_by_their_hash(guardian_table):
    guardians = []
    for raw in ["11010519491231002x", "11010119900307803X"]:
        guardian = guardian_table()
        set_sensitive(guardian, "id_number", raw, normalize=normalize_id_number)
        guardians.append(guardian)
    guardian_table.objects.bulk_create(guardians)

    found = guardian_table.objects.filter(
        **sensitive_lookup("id_number", " 11010519491231002X", normalize=normalize_id_number)
    )

    assert list(found.values_list("id_number", flat=True)) == [ID_NUMBER]
