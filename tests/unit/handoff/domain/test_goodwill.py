"""Goodwill limits in integer cents: the decision at the limit and one cent above, formatting, validation."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from handoff.domain import goodwill as d

LIMIT = d.Limit(per_case_cents=2_000, per_agent_month_cents=10_000)


def test_at_the_limit_is_granted_and_one_cent_above_is_a_request():
    assert d.decide(LIMIT, 2_000, 0, 0).status == d.GrantStatus.GRANTED
    above = d.decide(LIMIT, 2_001, 0, 0)
    assert above.status == d.GrantStatus.REQUESTED and len(above.reasons) == 1
    assert d.decide(LIMIT, 500, 1_500, 0).status == d.GrantStatus.GRANTED
    assert d.decide(LIMIT, 501, 1_500, 0).status == d.GrantStatus.REQUESTED


def test_the_monthly_total():
    assert d.decide(LIMIT, 1_000, 0, 9_000).status == d.GrantStatus.GRANTED
    both = d.decide(LIMIT, 2_001, 0, 9_000)
    assert both.status == d.GrantStatus.REQUESTED and len(both.reasons) == 2
    assert "Monatslimit von 100,00 € (diesen Monat bisher 90,00 €)" in both.reasons[1]


def test_money_is_formatted_in_german_from_integer_cents():
    assert d.format_cents(1250) == "12,50 €"
    assert d.format_cents(5) == "0,05 €"
    assert d.format_cents(123456789) == "1.234.567,89 €"


@pytest.mark.parametrize("value", [0, -1, 1.5, 12.0, "100", True, None, d.MAX_AMOUNT_CENTS + 1])
def test_amounts_must_be_positive_whole_cents_within_bounds(value):
    with pytest.raises(d.InvalidGoodwill):
        d.check_amount(value)


def test_limits_are_validated_and_merged_with_the_defaults():
    limits = d.GoodwillLimits.from_dict({"voucher": {"per_case_cents": 0, "per_agent_month_cents": 0}})
    assert limits.for_kind("voucher") == d.Limit(0, 0)
    assert limits.for_kind("partial_refund") == d.Limit(*d.DEFAULT_LIMITS["partial_refund"])
    for bad in ({"voucher": {"per_case_cents": 100, "per_agent_month_cents": 50}},
                {"voucher": {"per_case_cents": 1.5, "per_agent_month_cents": 50}},
                {"cash": {"per_case_cents": 1, "per_agent_month_cents": 1}}, {"voucher": 5}, []):
        with pytest.raises(d.InvalidGoodwill):
            d.GoodwillLimits.from_dict(bad)


def test_transitions_and_month_start():
    assert d.next_grant_status("requested", d.GrantTrigger.APPROVED) == d.GrantStatus.APPROVED
    for final in ("granted", "approved", "declined"):
        with pytest.raises(d.InvalidGrantTransition):
            d.next_grant_status(final, d.GrantTrigger.DECLINED)
    berlin = ZoneInfo("Europe/Berlin")
    start = d.month_start(datetime(2025, 4, 1, 0, 30, tzinfo=berlin))
    assert start == datetime(2025, 4, 1, tzinfo=berlin)   # 22:30 UTC on 31 March is April in Berlin


def test_confirmations_name_the_amount():
    for kind in d.GOODWILL_KINDS:
        assert "12,50 €" in d.confirmation_text(kind, 1250)
