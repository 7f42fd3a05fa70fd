"""A lifecycle: one transition table over a status enum and a trigger enum, and the questions asked of it.

Each lifecycle (conversation, ticket, incident, goodwill grant) keeps its own table in its own module; this is
the one place that reads a table: what follows a status on a trigger, whether it may, where a trigger starts.
"""
from __future__ import annotations

from enum import Enum
from typing import Generic, Mapping, TypeVar

StatusT = TypeVar("StatusT", bound=Enum)
TriggerT = TypeVar("TriggerT", bound=Enum)


def _word(value: Enum | str) -> str:
    # str() of a (str, Enum) member is 'Kind.NAME'; errors and logs want the stored word.
    return value.value if isinstance(value, Enum) else str(value)


class TransitionRefused(Exception):
    """A step the lifecycle's table does not have, from the stored words `current` and `trigger`; a
    lifecycle's own error says it in its words (`explain`), for the console where people read it."""

    def __init__(self, current: Enum | str, trigger: Enum | str) -> None:
        self.current, self.trigger = _word(current), _word(trigger)
        super().__init__(self.explain())

    def explain(self) -> str:
        return f"transition not allowed: from status '{self.current}' on trigger '{self.trigger}'"


class Lifecycle(Generic[StatusT, TriggerT]):
    """`refused` is the lifecycle's own TransitionRefused."""

    def __init__(self, statuses: type[StatusT], triggers: type[TriggerT],
                 table: Mapping[tuple[StatusT, TriggerT], StatusT], refused: type[TransitionRefused]) -> None:
        self.statuses, self.triggers, self.table, self.refused = statuses, triggers, table, refused

    def next_status(self, current: StatusT | str, trigger: TriggerT | str) -> StatusT:
        """The status `trigger` leads to from `current`; the lifecycle's error if the table has no such step
        (unknown words included: a status read from the database may be one an older version wrote)."""
        try:
            return self.table[(self.statuses(current), self.triggers(trigger))]
        except (KeyError, ValueError):
            raise self.refused(current, trigger) from None

    def allows(self, current: StatusT | str, trigger: TriggerT | str) -> bool:
        try:
            self.next_status(current, trigger)
        except self.refused:
            return False
        return True

    def sources_of(self, trigger: TriggerT) -> frozenset[StatusT]:
        """States from which `trigger` is allowed; used to build conditional UPDATEs (WHERE status IN ...)."""
        return frozenset(current for (current, step) in self.table if step == trigger)
