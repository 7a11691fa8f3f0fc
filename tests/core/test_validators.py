from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.validators import (
    CREDIT_CODE_ALPHABET,
    id_number_birth_date,
    id_number_check_character,
    make_credit_code,
    make_id_number,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

# Checked by hand: digits x weights (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) sum to 167,
# 167 mod 11 = 2, and "10X98765432"[2] is "X".
HAND_CHECKED_ID_NUMBER = "11010519491231002X"
# 1*7+1*9+0+1*5+0+1*4+1*2+9*1+9*6+0+0+3*9+0+7*5+8*8+0+3*2 = 222, 222 mod 11 = 2 -> "X".
HAND_CHECKED_ID_NUMBER_1990 = "11010119900307803X"
# Check digit right (weighted sum 195, 195 mod 11 = 8 -> "4") but born in 1880.
CHECK_DIGIT_VALID_BORN_1880 = "440524188001010014"
# Sum of alphabet values x weights (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) is 538,
# 538 mod 31 = 11, 31 - 11 = 20, and the alphabet's 20th character (from 0) is "L".
HAND_CHECKED_CREDIT_CODE = "91110000600037341L"
# Letters inside the body (M = 21, Y = 30): the weighted sum is 1640, 1640 mod 31 = 28,
# 31 - 28 = 3, so the check character is the digit "3".
HAND_CHECKED_CREDIT_CODE_LETTERS = "91350100M000100Y43"

ID_NUMBER_CHARACTERS = "0123456789X"


def _error_code(validate, value) -> str:
    with pytest.raises(ValidationError) as caught:
        validate(value)
    return caught.value.code


def test_hand_checked_id_number_is_valid():
    validate_id_number(HAND_CHECKED_ID_NUMBER)


def test_second_hand_checked_id_number_is_valid():
    validate_id_number(HAND_CHECKED_ID_NUMBER_1990)


def test_id_number_with_right_check_digit_but_born_in_1880_is_refused():
    assert _error_code(validate_id_number, CHECK_DIGIT_VALID_BORN_1880) == "id_number_birth_date"


def test_generated_qianan_id_number_is_valid():
    number = make_id_number(birth=date(2023, 5, 17), sequence=42)

    assert number[:14] == "13028320230517"
    assert number[14:17] == "042"
    validate_id_number(number)


def test_generator_uses_qianan_region_by_default():
    assert make_id_number().startswith("130283")


def test_generator_refuses_a_sequence_beyond_three_digits():
    with pytest.raises(ValueError):
        make_id_number(sequence=1000)


def test_lowercase_x_is_normalised_to_uppercase():
    assert normalize_id_number("11010519491231002x") == HAND_CHECKED_ID_NUMBER


def test_lowercase_x_passes_validation():
    validate_id_number("11010519491231002x")


def test_spaces_inside_an_id_number_are_removed():
    assert normalize_id_number(" 110105 19491231 002x ") == HAND_CHECKED_ID_NUMBER


def test_full_width_id_number_is_normalised_to_ascii():
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == HAND_CHECKED_ID_NUMBER


def test_check_digit_mismatch_is_refused():
    assert _error_code(validate_id_number, "110105194912310021") == "id_number_check_digit"


def test_check_digit_message_is_the_documented_one():
    with pytest.raises(ValidationError) as caught:
        validate_id_number("110105194912310021")

    with translation.override("en"):
        assert caught.value.messages == [
            "Enter a valid resident ID number: the check digit does not match."
        ]


def test_id_number_of_seventeen_characters_is_refused_as_format():
    assert _error_code(validate_id_number, HAND_CHECKED_ID_NUMBER[:17]) == "id_number_format"


def test_id_number_with_a_letter_in_the_body_is_refused_as_format():
    assert _error_code(validate_id_number, "1101051949123100AX") == "id_number_format"


def test_id_number_starting_with_nine_is_refused_as_format():
    body = "9" + HAND_CHECKED_ID_NUMBER[1:17]
    number = body + id_number_check_character(body)

    assert _error_code(validate_id_number, number) == "id_number_format"


def test_id_number_starting_with_zero_is_refused_as_format():
    body = "0" + HAND_CHECKED_ID_NUMBER[1:17]
    number = body + id_number_check_character(body)

    assert _error_code(validate_id_number, number) == "id_number_format"


def test_empty_id_number_is_refused_as_format():
    assert _error_code(validate_id_number, "") == "id_number_format"


def test_arabic_indic_digits_are_not_taken_for_ascii_digits():
    # NFKC leaves these as they are; they must not slip through a Unicode-aware \d.
    assert _error_code(validate_id_number, "١" * 18) == "id_number_format"


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000"])
def test_id_number_with_an_unreal_birth_date_is_refused(birth):
    body = "110105" + birth + "002"
    number = body + id_number_check_character(body)

    assert _error_code(validate_id_number, number) == "id_number_birth_date"


def test_id_number_born_tomorrow_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)

    assert _error_code(validate_id_number, make_id_number(birth=tomorrow)) == (
        "id_number_birth_date"
    )


def test_id_number_born_today_is_accepted():
    validate_id_number(make_id_number(birth=timezone.localdate()))


def test_id_number_born_before_1900_is_refused():
    number = make_id_number(birth=date(1899, 12, 31))

    assert _error_code(validate_id_number, number) == "id_number_birth_date"


def test_id_number_born_on_first_day_of_1900_is_accepted():
    validate_id_number(make_id_number(birth=date(1900, 1, 1)))


def test_birth_date_is_read_from_the_id_number():
    assert id_number_birth_date(HAND_CHECKED_ID_NUMBER) == date(1949, 12, 31)


def test_birth_date_of_an_invalid_id_number_raises():
    with pytest.raises(ValidationError):
        id_number_birth_date("110105194912310021")


def test_error_messages_never_repeat_the_id_number():
    with pytest.raises(ValidationError) as caught:
        validate_id_number("110105194912310021")

    assert "110105" not in " ".join(caught.value.messages)


@settings(max_examples=200, deadline=None)
@given(
    region=st.from_regex(r"[1-8][0-9]{5}", fullmatch=True),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_every_generated_id_number_is_valid(region, birth, sequence):
    validate_id_number(make_id_number(region=region, birth=birth, sequence=sequence))


@settings(max_examples=200, deadline=None)
@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=10),
    lowercase=st.booleans(),
)
def test_changing_one_character_of_an_id_number_is_refused(
    birth, sequence, position, shift, lowercase
):
    number = make_id_number(birth=birth, sequence=sequence)
    # A non-zero shift within digits + X always gives a different character.
    original_index = ID_NUMBER_CHARACTERS.index(number[position])
    replacement = ID_NUMBER_CHARACTERS[(original_index + shift) % 11]
    changed = number[:position] + replacement + number[position + 1 :]

    with pytest.raises(ValidationError):
        validate_id_number(changed.lower() if lowercase else changed)


def test_hand_checked_credit_code_is_valid():
    validate_credit_code(HAND_CHECKED_CREDIT_CODE)


def test_hand_checked_credit_code_with_letters_is_valid():
    validate_credit_code(HAND_CHECKED_CREDIT_CODE_LETTERS)


def test_generator_appends_the_credit_code_check_character():
    assert make_credit_code(HAND_CHECKED_CREDIT_CODE[:17]) == HAND_CHECKED_CREDIT_CODE


def test_generator_refuses_a_body_with_a_forbidden_letter():
    with pytest.raises(ValueError):
        make_credit_code("9111000060003734I")


def test_credit_code_is_normalised_to_uppercase_without_spaces():
    assert normalize_credit_code(" 91350100m000100y43 ") == HAND_CHECKED_CREDIT_CODE_LETTERS


def test_lowercase_credit_code_passes_validation():
    validate_credit_code("91350100m000100y43")


def test_credit_code_of_wrong_length_is_refused():
    assert _error_code(validate_credit_code, HAND_CHECKED_CREDIT_CODE[:17]) == (
        "credit_code_length"
    )


def test_credit_code_length_message_names_the_lengths():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(HAND_CHECKED_CREDIT_CODE[:17])

    with translation.override("en"):
        assert caught.value.messages == [
            "Enter a valid unified social credit code: it has 18 characters, this one has 17."
        ]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_credit_code_with_a_forbidden_letter_is_refused(letter):
    code = "9111000060003734" + letter + "L"

    assert _error_code(validate_credit_code, code) == "credit_code_character"


def test_forbidden_letter_message_names_the_character_and_position():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91110000600037341O")

    with translation.override("en"):
        assert "“O” at position 18" in caught.value.messages[0]


def test_credit_code_check_character_mismatch_is_refused():
    assert _error_code(validate_credit_code, "91110000600037341M") == (
        "credit_code_check_character"
    )


@settings(max_examples=200, deadline=None)
@given(body=st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
def test_every_generated_credit_code_is_valid(body):
    validate_credit_code(make_credit_code(body))


@settings(max_examples=200, deadline=None)
@given(
    body=st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17),
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=30),
)
def test_changing_one_character_of_a_credit_code_is_refused(body, position, shift):
    code = make_credit_code(body)
    # A non-zero shift within the alphabet always gives a different, allowed character.
    original_index = CREDIT_CODE_ALPHABET.index(code[position])
    replacement = CREDIT_CODE_ALPHABET[(original_index + shift) % 31]
    changed = code[:position] + replacement + code[position + 1 :]

    with pytest.raises(ValidationError) as caught:
        validate_credit_code(changed)
    assert caught.value.code == "credit_code_check_character"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("86-138-0013-8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        (" 199 0000 0000 ", "19900000000"),
    ],
)
def test_mobile_number_is_normalised(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["13800138000", "+86 138 0013 8000", "86 19912345678"])
def test_mainland_mobile_number_is_accepted(raw):
    validate_mobile(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "12800138000",
        "1380013800",
        "138001380001",
        "23800138000",
        "",
        "1380013800a",
        "+1 13800138000",
    ],
)
def test_invalid_mobile_number_is_refused(raw):
    assert _error_code(validate_mobile, raw) == "mobile_format"


def test_eleven_digit_number_starting_with_86_is_not_stripped():
    # 86 is only a country code when 13 digits remain; otherwise the number stays as typed.
    assert normalize_mobile("86123456789") == "86123456789"
