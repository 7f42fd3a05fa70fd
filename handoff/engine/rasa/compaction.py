"""Rasa trackers of bounded length: a long conversation keeps only its recent turns, plus the state they start from.

Every step of a Rasa turn walks the tracker's whole event list: the store serialises and replays it, the processor
copies it, the dialogue states are rebuilt from it, custom actions receive it as JSON, and the escalation policy
and the repeat guard read it. A turn therefore cost more the longer the conversation was (CPU per turn at turn 500
about 19x turn 10, docs/performance.md). Nothing in a turn needs the whole history: the policies featurize the last
`max_history` turns, the escalation assessment looks at a window of recent customer messages, and the summary at
the last messages. The transcript the agents read lives complete in the service's database, not here.

So once a tracker holds more than `compact_after` customer messages, it is rebuilt from its last `keep` ones,
preceded by what Rasa itself writes when it starts a new session with `carry_over_slots_to_new_session`: an
`action_session_start`, a `session_started` and the slot values (plus the active form, if one is running).
Slots, the form in progress and the recent turns survive; the work per turn stays bounded. Compacting costs one
replay of at most `compact_after` turns and happens once every `compact_after - keep` messages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Customer messages the tracker keeps after a compaction, and how many it may hold before one. The escalation
# window (bot/escalation) is therefore the last 8 to 16 customer messages of a long conversation, and at most
# all of them in a conversation shorter than that: unchanged for every conversation of up to 16 messages.
DEFAULT_KEEP_TURNS = 8
DEFAULT_COMPACT_AFTER_TURNS = 16


@dataclass(frozen=True)
class TrackerWindow:
    keep: int = DEFAULT_KEEP_TURNS
    compact_after: int = DEFAULT_COMPACT_AFTER_TURNS

    def __post_init__(self) -> None:
        if not 1 <= self.keep < self.compact_after:
            raise ValueError(f"need 1 <= keep ({self.keep}) < compact_after ({self.compact_after})")


def _cut_position(events: list[Any], window: TrackerWindow) -> int | None:
    """Where the kept part starts (at the action_listen before a customer message), or None if not due yet."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered

    user_positions = [position for position, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(user_positions) <= window.compact_after:
        return None
    cut = user_positions[-window.keep]
    previous = events[cut - 1] if cut > 0 else None
    if isinstance(previous, ActionExecuted) and previous.action_name == ACTION_LISTEN_NAME:
        cut -= 1
    return cut


def starting_state(before: Any) -> list[Any]:
    """The events a tracker needs to be in `before`'s state: a new session carrying its slots and active form."""
    from rasa.shared.core.constants import ACTION_SESSION_START_NAME
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, LoopInterrupted, SessionStarted, SlotSet

    timestamp = before.events[-1].timestamp if before.events else None
    events: list[Any] = [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=timestamp),
                         SessionStarted(timestamp=timestamp)]
    events += [SlotSet(slot.name, slot.value, timestamp=timestamp)
               for slot in before.slots.values() if slot.value != slot.initial_value]
    loop = before.active_loop
    if loop is not None and loop.name:
        events.append(ActiveLoop(loop.name, timestamp=timestamp))
        if loop.is_interrupted:
            events.append(LoopInterrupted(True, timestamp=timestamp))
    return events


def compacted(tracker: Any, domain: Any, window: TrackerWindow = TrackerWindow()) -> Any:
    """`tracker` itself while it is short enough; else a new tracker with the same state and its recent turns."""
    from rasa.shared.core.trackers import DialogueStateTracker

    events = list(tracker.events)
    cut = _cut_position(events, window)
    if cut is None:
        return tracker
    slots = domain.slots
    before = DialogueStateTracker.from_events(tracker.sender_id, events[:cut], slots)
    return DialogueStateTracker.from_events(tracker.sender_id, starting_state(before) + events[cut:], slots,
                                            max_event_history=tracker._max_event_history,
                                            sender_source=tracker.sender_source)
