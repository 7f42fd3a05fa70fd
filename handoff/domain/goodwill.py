"""Goodwill (Kulanz) within set limits: kinds, limits, the decision grant-or-request, and the customer's words.

Pure, standard library only. Money is always integer cents (never floats): amounts, limits and totals.

An agent's grant is decided against two limits of its kind, set by admins: per case (all goodwill of the kind granted
on agent authority in one conversation or ticket, including this one) and per agent per calendar month (everything
of the kind the agent granted on their own authority). Within both it is granted at once; above either it becomes a
request that a supervisor or admin approves or declines. Approved requests were the approver's decision, so they do
not use up the agent's own monthly allowance or the case allowance.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Mapping

from handoff.domain.lifecycle import Lifecycle, TransitionRefused

# --- Kinds ---
KIND_VOUCHER = "voucher"
KIND_PARTIAL_REFUND = "partial_refund"
KIND_FREE_RETURN_SHIPPING = "free_return_shipping"
GOODWILL_KINDS = (KIND_VOUCHER, KIND_PARTIAL_REFUND, KIND_FREE_RETURN_SHIPPING)
KIND_LABELS_DE = {KIND_VOUCHER: "Gutschein", KIND_PARTIAL_REFUND: "Teilerstattung",
                  KIND_FREE_RETURN_SHIPPING: "Kostenlose Rücksendung"}

# 10 000 € in cents: no single grant or limit is larger (a typo guard, and the bound every amount is checked against).
MAX_AMOUNT_CENTS = 1_000_000
MAX_REASON_CHARS = 1000
MIN_REASON_CHARS = 3

# Defaults until an admin sets limits: (per case, per agent per month), in cents.
DEFAULT_LIMITS = {
    KIND_VOUCHER: (2_000, 20_000),
    KIND_PARTIAL_REFUND: (3_000, 30_000),
    KIND_FREE_RETURN_SHIPPING: (695, 10_000),
}


class GrantStatus(str, Enum):
    GRANTED = "granted"        # within the limits: decided by the agent, confirmed to the customer at once
    REQUESTED = "requested"    # above a limit: waits for a supervisor or admin
    APPROVED = "approved"      # a request a supervisor or admin approved: confirmed to the customer then
    DECLINED = "declined"      # a request a supervisor or admin declined: the customer is told nothing by us


class GrantTrigger(str, Enum):
    APPROVED = "approved"
    DECLINED = "declined"


STATUS_LABELS_DE = {GrantStatus.GRANTED: "gewährt", GrantStatus.REQUESTED: "zur Freigabe",
                    GrantStatus.APPROVED: "freigegeben", GrantStatus.DECLINED: "abgelehnt"}
# The one transition table of a grant. Granted, approved and declined are final.
TRANSITIONS = {
    (GrantStatus.REQUESTED, GrantTrigger.APPROVED): GrantStatus.APPROVED,
    (GrantStatus.REQUESTED, GrantTrigger.DECLINED): GrantStatus.DECLINED,
}
# Statuses where the customer got the goodwill; statuses that use up the agent's and the case's allowance.
GIVEN = frozenset({GrantStatus.GRANTED, GrantStatus.APPROVED})
COUNTS_TOWARD_LIMITS = frozenset({GrantStatus.GRANTED})


class InvalidGrantTransition(TransitionRefused):
    def explain(self) -> str:
        # (str, Enum) members hash as their word: a stored word finds its label, an unknown one stays.
        label = STATUS_LABELS_DE.get(self.current, self.current)
        return f"Über diese Kulanz ist schon entschieden ({label})."


GRANT_LIFECYCLE = Lifecycle(GrantStatus, GrantTrigger, TRANSITIONS, InvalidGrantTransition)
next_grant_status = GRANT_LIFECYCLE.next_status


class InvalidGoodwill(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field, self.message = field_name, message


def format_cents(cents: int) -> str:
    """1250 -> '12,50 €'; 123456 -> '1.234,56 €' (German notation, integer arithmetic only)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"


def check_amount(value: Any, field_name: str = "amount_cents", allow_zero: bool = False) -> int:
    """An amount in whole cents: an int (not a bool, not a float), positive, at most MAX_AMOUNT_CENTS."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidGoodwill(field_name, "Betrag in ganzen Cent erwartet (z. B. 1250 für 12,50 €).")
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidGoodwill(field_name, "Der Betrag muss größer als 0 sein." if not allow_zero
                              else "Der Betrag darf nicht negativ sein.")
    if value > MAX_AMOUNT_CENTS:
        raise InvalidGoodwill(field_name, f"Höchstens {format_cents(MAX_AMOUNT_CENTS)}.")
    return value


def check_kind(value: Any) -> str:
    if value not in GOODWILL_KINDS:
        raise InvalidGoodwill("kind", "Unbekannte Art der Kulanz; erlaubt: Gutschein (voucher), Teilerstattung "
                                      "(partial_refund), kostenlose Rücksendung (free_return_shipping).")
    return value


@dataclass(frozen=True)
class Limit:
    per_case_cents: int
    per_agent_month_cents: int


@dataclass(frozen=True)
class GoodwillLimits:
    limits: Mapping[str, Limit]

    @classmethod
    def defaults(cls) -> "GoodwillLimits":
        return cls({kind: Limit(*values) for kind, values in DEFAULT_LIMITS.items()})

    def for_kind(self, kind: str) -> Limit:
        return self.limits.get(kind) or Limit(*DEFAULT_LIMITS[kind])

    def to_dict(self) -> dict[str, Any]:
        return {kind: {"per_case_cents": self.for_kind(kind).per_case_cents,
                       "per_agent_month_cents": self.for_kind(kind).per_agent_month_cents,
                       "label": KIND_LABELS_DE[kind]} for kind in GOODWILL_KINDS}

    @classmethod
    def from_dict(cls, data: Any) -> "GoodwillLimits":
        """Every kind given is checked; kinds not given keep their defaults. Labels are ignored."""
        if not isinstance(data, Mapping):
            raise InvalidGoodwill("limits", "Objekt je Art erwartet: {\"voucher\": {\"per_case_cents\": 2000, "
                                            "\"per_agent_month_cents\": 20000}, ...}.")
        limits = dict(cls.defaults().limits)
        for kind, value in data.items():
            check_kind(kind)
            if not isinstance(value, Mapping):
                raise InvalidGoodwill(kind, "Objekt mit per_case_cents und per_agent_month_cents erwartet.")
            per_case = check_amount(value.get("per_case_cents"), f"{kind}.per_case_cents", allow_zero=True)
            per_month = check_amount(value.get("per_agent_month_cents"), f"{kind}.per_agent_month_cents",
                                     allow_zero=True)
            if per_month < per_case:
                raise InvalidGoodwill(f"{kind}.per_agent_month_cents",
                                      "Das Monatslimit darf nicht kleiner sein als das Limit pro Fall.")
            limits[kind] = Limit(per_case, per_month)
        return cls(limits)


@dataclass(frozen=True)
class Decision:
    status: GrantStatus
    reasons: tuple[str, ...]     # German, empty when granted: why it needs approval


def decide(limit: Limit, amount_cents: int, case_total_cents: int, month_total_cents: int) -> Decision:
    """Granted when the case total and the agent's month total, with this amount, stay within the limits (at the
    limit is within); else a request, with every limit it goes over named."""
    reasons = []
    if case_total_cents + amount_cents > limit.per_case_cents:
        reasons.append(f"über dem Limit pro Fall von {format_cents(limit.per_case_cents)} "
                       f"(in diesem Fall bisher {format_cents(case_total_cents)})")
    if month_total_cents + amount_cents > limit.per_agent_month_cents:
        reasons.append(f"über Ihrem Monatslimit von {format_cents(limit.per_agent_month_cents)} "
                       f"(diesen Monat bisher {format_cents(month_total_cents)})")
    return Decision(GrantStatus.REQUESTED if reasons else GrantStatus.GRANTED, tuple(reasons))


def month_start(local_now: datetime) -> datetime:
    """The first instant of `local_now`'s calendar month, in the same time zone (the company's, not UTC)."""
    return local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def confirmation_text(kind: str, amount_cents: int) -> str:
    """What the customer reads in their conversation once the goodwill is theirs: concrete, short, German."""
    amount = format_cents(amount_cents)
    if kind == KIND_VOUCHER:
        # No address may be known (a chat without one): the code's way to the customer is the team's to choose.
        return (f"Als Entgegenkommen erhalten Sie von uns einen Gutschein über {amount}. Den Gutscheincode "
                "bekommen Sie von uns, und Sie können ihn bei Ihrer nächsten Bestellung einlösen.")
    if kind == KIND_PARTIAL_REFUND:
        return (f"Als Entgegenkommen erstatten wir Ihnen {amount}. Das Geld geht auf das Zahlungsmittel zurück, "
                "mit dem Sie bezahlt haben, und ist meist innerhalb weniger Tage dort.")
    return (f"Ihre Rücksendung ist für Sie kostenlos: Wir übernehmen die Versandkosten bis {amount}. Das "
            "Rücksendeetikett bekommen Sie von uns.")


def agent_summary(kind: str, amount_cents: int, status: GrantStatus) -> str:
    """One line for the agents' side (ticket history, activity notice)."""
    return f"Kulanz: {KIND_LABELS_DE[kind]} über {format_cents(amount_cents)} – {STATUS_LABELS_DE[status]}"
