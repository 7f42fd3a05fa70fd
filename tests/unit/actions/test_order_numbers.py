import pytest

from actions.order_numbers import is_canonical_order_number, normalise_order_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "typed",
    ["NW-482913", "nw482913", "NW 482913", "482913", "nw-482913", "Nw482913", "meine Nummer ist NW-482913.",
     "Bestellnr.: 482913, danke"],
)
def test_customer_spellings_become_the_canonical_number(typed):
    assert normalise_order_number(typed) == "NW-482913"


@pytest.mark.parametrize(
    "typed",
    ["", None, "12345", "NW-48291", "4829134", "NW-4829134", "+49 40 1234567", "weiß ich nicht", "NW-ABCDEF",
     "00340434161094042557"],
)
def test_text_without_exactly_six_digits_is_no_order_number(typed):
    assert normalise_order_number(typed) is None


def test_two_different_numbers_are_ambiguous():
    assert normalise_order_number("NW-482913 oder NW-731055") is None


def test_the_same_number_twice_is_fine():
    assert normalise_order_number("NW-482913, also 482913") == "NW-482913"


def test_canonical_form_check():
    assert is_canonical_order_number("NW-482913")
    assert not is_canonical_order_number("nw482913")
    assert not is_canonical_order_number("NW-48291")
