import uuid
from datetime import datetime, timedelta, timezone

import pytest

from handoff.store import conversations, csat, handoffs, messages
from handoff.training.annotate import (
    CONFIRM, CORRECT, DISMISS, TONE_EXAMPLE, AlreadyAnnotated, AnnotationError, Annotator, annotate,
    pending_exports,
)
from handoff.training.inbox import (
    FALLBACK, HANDOFF, LOW_CONFIDENCE, NEGATIVE_CSAT, TONE, InboxFilter, review_inbox,
)

pytestmark = pytest.mark.unit

T0 = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)
INTENTS = ("order_status", "greet", "return_item")
TRAINER = Annotator(id="agent-1", name="Tina Trainer")


class Seed:
    def __init__(self, conn) -> None:
        self.conn = conn
        self.seq: dict[str, int] = {}

    async def conversation(self) -> str:
        conversation_id = str(uuid.uuid4())
        await conversations.insert_conversation(self.conn, {
            "id": conversation_id, "token_hash": "x" * 64, "channel": "widget", "status": "bot",
            "priority": 0, "created_at": T0, "updated_at": T0, "last_seq": 0, "locale": "de"})
        return conversation_id

    async def message(self, conversation_id, text, minutes, sender="customer", intent="greet",
                      confidence=0.95, tone_label="calm") -> str:
        message_id = str(uuid.uuid4())
        self.seq[conversation_id] = self.seq.get(conversation_id, 0) + 1
        await messages.insert_message(self.conn, {
            "id": message_id, "conversation_id": conversation_id, "seq": self.seq[conversation_id],
            "message_type": "incoming" if sender == "customer" else "outgoing", "sender_type": sender,
            "private": False, "text": text, "intent": intent if sender == "customer" else None,
            "confidence": confidence if sender == "customer" else None,
            "tone_label": tone_label if sender == "customer" else None,
            "created_at": T0 + timedelta(minutes=minutes)})
        return message_id


@pytest.fixture
async def seeded(engine):
    async with engine.begin() as conn:
        seed = Seed(conn)
        ids = {}
        c1 = await seed.conversation()
        ids["fine"] = await seed.message(c1, "Hallo", 0)
        ids["fallback"] = await seed.message(c1, "Moin, mien Krams is nich da. Ich heiße Jana Kowalski", 1,
                                             intent="nlu_fallback", confidence=0.3)
        ids["unsure"] = await seed.message(c1, "Kann ich das umtauschen?", 2, intent="return_item",
                                           confidence=0.5)
        c2 = await seed.conversation()
        ids["angry"] = await seed.message(c2, "Das ist eine Frechheit!!!", 3, intent="order_status",
                                          tone_label="frustrated")
        await handoffs.insert_handoff(conn, {"id": str(uuid.uuid4()), "conversation_id": c2, "reasons": [],
                                         "requested_at": T0 + timedelta(minutes=4), "summary": {}})
        await seed.message(c2, "Ihre Sendung NW-123456 ging verloren, ich erstatte Ihnen den Betrag.", 5,
                           sender="agent")
        ids["after_handoff"] = await seed.message(c2, "Ok danke", 6)
        c3 = await seed.conversation()
        ids["rated_badly"] = await seed.message(c3, "Wo ist mein Geld", 7, intent="refund_status",
                                                confidence=0.9)
        await csat.insert_csat(conn, {"conversation_id": c3, "rating": 1,
                                      "created_at": T0 + timedelta(minutes=8)})
    return ids


async def _inbox(engine, **filters):
    async with engine.connect() as conn:
        return await review_inbox(conn, InboxFilter(**filters))


async def test_ranked_by_how_sure_a_misunderstanding_is_with_reasons(engine, seeded):
    items = await _inbox(engine)
    by_id = {item.message_id: item for item in items}
    assert items[0].message_id == seeded["fallback"]
    assert set(by_id) == {seeded["fallback"], seeded["unsure"], seeded["angry"], seeded["rated_badly"]}
    assert by_id[seeded["fallback"]].reasons == [FALLBACK]
    assert by_id[seeded["unsure"]].reasons == [LOW_CONFIDENCE]
    assert by_id[seeded["angry"]].reasons == [HANDOFF, TONE]
    rated_badly = by_id[seeded["rated_badly"]]
    assert rated_badly.reasons == [NEGATIVE_CSAT] and rated_badly.csat_rating == 1


async def test_texts_and_agent_hints_are_redacted(engine, seeded):
    by_id = {item.message_id: item for item in await _inbox(engine)}
    assert by_id[seeded["fallback"]].text == "Moin, mien Krams is nich da. Ich heiße [NAME]"
    assert by_id[seeded["angry"]].agent_hints == [
        "Ihre Sendung [ORDER_NUMBER] ging verloren, ich erstatte Ihnen den Betrag."]


async def test_filters_by_reason_intent_and_date(engine, seeded):
    assert [i.message_id for i in await _inbox(engine, reason=TONE)] == [seeded["angry"]]
    assert [i.message_id for i in await _inbox(engine, intent="return_item")] == [seeded["unsure"]]
    window = await _inbox(engine, since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=4))
    assert {i.message_id for i in window} == {seeded["unsure"], seeded["angry"]}


async def test_annotated_messages_drop_out_and_only_redacted_text_is_stored(engine, seeded):
    async with engine.begin() as conn:
        stored = await annotate(conn, seeded["fallback"], CORRECT, TRAINER, T0, INTENTS,
                                intent="order_status")
        await annotate(conn, seeded["unsure"], CONFIRM, TRAINER, T0, INTENTS)
        await annotate(conn, seeded["angry"], TONE_EXAMPLE, TRAINER, T0, INTENTS, tone_label="frustrated")
        await annotate(conn, seeded["rated_badly"], DISMISS, TRAINER, T0, INTENTS)
    assert stored["text"] == "Moin, mien Krams is nich da. Ich heiße [NAME]"
    assert (stored["annotated_by"], stored["annotator_name"]) == ("agent-1", "Tina Trainer")
    assert await _inbox(engine) == []
    async with engine.connect() as conn:
        pending = await pending_exports(conn)
    assert [(p["action"], p["intent"], p["tone_label"]) for p in pending] == [
        (CORRECT, "order_status", None), (CONFIRM, "return_item", None), (TONE_EXAMPLE, None, "frustrated")]


@pytest.mark.parametrize("action, options, field", [
    ("correct", {"intent": "no_such_intent"}, "intent"),
    ("correct", {}, "intent"),
    ("tone", {"tone_label": "furious"}, "tone_label"),
    ("shout", {}, "action"),
])
async def test_invalid_annotations_name_the_field(engine, seeded, action, options, field):
    async with engine.begin() as conn:
        with pytest.raises(AnnotationError) as error:
            await annotate(conn, seeded["unsure"], action, TRAINER, T0, INTENTS, **options)
    assert error.value.field == field


async def test_a_fallback_cannot_be_confirmed_and_nothing_is_annotated_twice(engine, seeded):
    async with engine.begin() as conn:
        with pytest.raises(AnnotationError):
            await annotate(conn, seeded["fallback"], CONFIRM, TRAINER, T0, INTENTS)
        await annotate(conn, seeded["fallback"], DISMISS, TRAINER, T0, INTENTS)
    async with engine.begin() as conn:
        with pytest.raises(AlreadyAnnotated):
            await annotate(conn, seeded["fallback"], CORRECT, TRAINER, T0, INTENTS, intent="greet")
