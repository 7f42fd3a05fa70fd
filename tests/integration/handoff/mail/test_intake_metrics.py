"""A customer's e-mail counts in nordwind_messages_total{channel="email", sender_type="customer"}; a bulk or own
mail that is dropped does not."""
from __future__ import annotations

import pytest

from handoff.metrics import record
from handoff.services.mail_intake import CUSTOMER_MAIL_OUTCOMES, receive_mail
from tests.integration.handoff.mail.conftest import CORPUS, EXPECTED

pytestmark = pytest.mark.integration


def _customer_mails() -> float:
    return record.start().registry.get_sample_value("nordwind_messages_total",
                                                    {"channel": "email", "sender_type": "customer"})


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_customer_mails_are_counted_once_and_dropped_ones_not(mail_ctx):
    counted = 0
    for name in sorted(EXPECTED["mails"]):
        before = _customer_mails()
        result = await receive_mail(mail_ctx, (CORPUS / name).read_bytes(), "smtp")
        grew = _customer_mails() - before
        assert grew == (1 if result.outcome in CUSTOMER_MAIL_OUTCOMES else 0), (name, result.outcome)
        counted += int(grew)
        again = _customer_mails()
        await receive_mail(mail_ctx, (CORPUS / name).read_bytes(), "smtp")   # a second delivery: a duplicate
        assert _customer_mails() == again
    assert counted >= 1
