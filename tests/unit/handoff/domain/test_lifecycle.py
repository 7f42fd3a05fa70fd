"""The one reader of transition tables (handoff/domain/lifecycle.py), on a table of its own."""
from enum import Enum

import pytest

from handoff.domain.lifecycle import Lifecycle, TransitionRefused

pytestmark = pytest.mark.unit


class Door(str, Enum):   # (str, Enum) like the incident and goodwill lifecycles: str() is not the stored word
    SHUT = "shut"
    OPEN = "open"
    LOCKED = "locked"


class Push(str, Enum):
    OPENED = "opened"
    SHUT = "shut"
    LOCKED = "locked"


class DoorStuck(TransitionRefused):
    def explain(self) -> str:
        return f"Die Tür ist {self.current}: {self.trigger} geht nicht."


DOOR = Lifecycle(Door, Push, {
    (Door.SHUT, Push.OPENED): Door.OPEN,
    (Door.OPEN, Push.SHUT): Door.SHUT,
    (Door.SHUT, Push.LOCKED): Door.LOCKED,
}, DoorStuck)


def test_next_status_follows_the_table_from_enums_and_stored_words():
    assert DOOR.next_status(Door.SHUT, Push.OPENED) is Door.OPEN
    assert DOOR.next_status("open", "shut") is Door.SHUT


@pytest.mark.parametrize(("current", "trigger"), [
    (Door.LOCKED, Push.OPENED),    # not in the table
    ("ajar", "opened"),            # a status no version of the table knows
    ("shut", "kicked"),            # a trigger no version of the table knows
])
def test_a_step_outside_the_table_raises_the_lifecycles_own_error_with_the_stored_words(current, trigger):
    with pytest.raises(DoorStuck) as refused:
        DOOR.next_status(current, trigger)
    words = (getattr(current, "value", current), getattr(trigger, "value", trigger))
    assert (refused.value.current, refused.value.trigger) == words
    assert str(refused.value) == f"Die Tür ist {words[0]}: {words[1]} geht nicht."
    assert not DOOR.allows(current, trigger)


def test_allows_and_sources_of():
    assert DOOR.allows("shut", Push.LOCKED)
    assert DOOR.sources_of(Push.SHUT) == {Door.OPEN}
    assert DOOR.sources_of(Push.OPENED) == {Door.SHUT}
