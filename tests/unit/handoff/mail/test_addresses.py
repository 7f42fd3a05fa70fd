"""Addresses a customer types, and reply tokens."""
from __future__ import annotations

import pytest

from handoff.mail.addresses import InvalidAddress, new_reply_token, tokens_in, validate_address


@pytest.mark.parametrize("typed,normal", [
    ("anna.schmidt@gmx.de", "anna.schmidt@gmx.de"),
    ("  Anna.Schmidt@GMX.DE ", "Anna.Schmidt@gmx.de"),
    ("info+shop@müller-bau.de", "info+shop@xn--mller-bau-q9a.de"),
])
def test_valid(typed, normal):
    assert validate_address(typed) == normal


@pytest.mark.parametrize("typed", [
    "", "anna", "anna@", "@gmx.de", "anna@gmx", "anna@@gmx.de", "an na@gmx.de", "anna@gmx.de\r\nBcc: x@y.de",
    "anna..b@gmx.de", ".anna@gmx.de", "jörg@gmx.de", "anna@-gmx.de", "anna@gmx.123", "a" * 65 + "@gmx.de",
    "anna@" + "a" * 250 + ".de", "Anna <anna@gmx.de>",
])
def test_invalid_with_a_german_reason(typed):
    with pytest.raises(InvalidAddress) as error:
        validate_address(typed)
    assert str(error.value)[0].isupper() and str(error.value).endswith(".")


def test_tokens_are_random_160_bits_and_found_case_insensitively():
    tokens = {new_reply_token() for _ in range(1000)}
    assert len(tokens) == 1000
    token = tokens.pop()
    assert len(token) == 32   # 32 base32 characters = 160 bits
    found = tokens_in([f"SUPPORT+{token.upper()}@Nordwind.Example", "anna@gmx.de",
                       f"support+{token}@other.example", "support+short@nordwind.example"],
                      "support", "nordwind.example")
    assert found == [token]


@pytest.mark.parametrize("typed", ["anna@gmx", "anna@gmx.de\r\nBcc: x@y.de", "an..na@gmx.de", "anna@-gmx.de"])
def test_what_customers_type_is_validated_by_the_same_rules(typed):
    from handoff.services.errors import ValidationError
    from handoff.services.text_input import clean_email

    with pytest.raises(ValidationError) as error:
        clean_email(typed)
    assert error.value.field == "email" and error.value.message.endswith(".")


def test_typed_address_comes_back_normalised():
    from handoff.services.text_input import clean_email

    assert clean_email("  Anna.Schmidt@GMX.de ") == "Anna.Schmidt@gmx.de"
