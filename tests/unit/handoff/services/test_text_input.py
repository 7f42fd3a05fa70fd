"""Free text people type: the optional note (closing an incident, deciding on goodwill)."""
import pytest

from handoff.services.errors import ValidationError
from handoff.services.text_input import optional_note

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("blank", [None, "", "   \n "])
def test_a_blank_note_is_no_note(blank):
    assert optional_note(blank, 10) is None


def test_a_note_is_trimmed_and_may_fill_the_limit():
    assert optional_note("  Paket ist da \n", 12) == "Paket ist da"


def test_a_note_over_the_limit_is_refused_with_the_field_and_the_limit():
    with pytest.raises(ValidationError) as refused:
        optional_note("x" * 11, 10, field="close_note")
    assert refused.value.field == "close_note"
    assert "10 Zeichen" in refused.value.message
