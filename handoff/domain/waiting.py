"""An honest wait estimate for the queue: never promise less than the numbers support."""
from __future__ import annotations

import math
from statistics import median
from typing import Sequence

# Below this many finished handoffs the measured handling time is too noisy; use the configured default.
MIN_SAMPLES = 3
# A few seconds of slack for the claim itself; keeps "0 minutes" from ever being shown.
MIN_WAIT_MINUTES = 1


def handling_minutes(recent_seconds: Sequence[float], default_minutes: float) -> float:
    """Typical minutes an agent spends on one conversation; the median resists one very long chat."""
    if len(recent_seconds) < MIN_SAMPLES:
        return default_minutes
    return max(median(recent_seconds) / 60.0, 0.5)


def estimate_wait_minutes(position: int, agents_online: int, minutes_per_conversation: float) -> int | None:
    """Minutes until a person answers the customer at `position` (1 = next); None if nobody is online.

    Everyone ahead and the customer themself must be taken by the online agents in turn; rounding up keeps
    the promise honest.
    """
    if agents_online <= 0 or position <= 0:
        return None
    rounds = math.ceil(position / agents_online)
    return max(MIN_WAIT_MINUTES, math.ceil(rounds * minutes_per_conversation))


def wait_phrase(minutes: int | None) -> str:
    """German phrase for the estimate, coarse for long waits so it does not sound more precise than it is."""
    if minutes is None:
        return "Die Wartezeit kann ich gerade nicht abschätzen."
    if minutes <= 1:
        return "Die Wartezeit beträgt voraussichtlich etwa eine Minute."
    if minutes <= 10:
        return f"Die Wartezeit beträgt voraussichtlich etwa {minutes} Minuten."
    rounded = int(math.ceil(minutes / 5.0) * 5)
    if rounded < 60:
        return f"Die Wartezeit beträgt voraussichtlich bis zu {rounded} Minuten."
    return "Die Wartezeit beträgt voraussichtlich über eine Stunde."


def position_phrase(position: int) -> str:
    if position == 1:
        return "Sie sind als Nächstes an der Reihe."
    return f"Vor Ihnen warten noch {position - 1} Personen." if position > 2 else "Vor Ihnen wartet noch eine Person."
