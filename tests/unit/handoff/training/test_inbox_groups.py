"""The Prüfliste groups identical and near-identical messages, most frequent first; one annotation for a group."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from handoff.store import conversations, messages
from handoff.training.annotate import CORRECT, AnnotationError, Annotator, annotate
from handoff.training.inbox import (
    FALLBACK, InboxFilter, InboxItem, annotate_group, group_items, review_groups, review_inbox, wording_key,
)

pytestmark = pytest.mark.unit

T0 = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)
INTENTS = ("order_status", "greet")
TRAINER = Annotator(id="agent-1", name="Tina Trainer")


def item(text, minutes=0, score=5.0, intent="nlu_fallback"):
    return InboxItem(message_id=str(uuid.uuid4()), conversation_id="c", text=text, intent=intent, confidence=0.3,
                     tone_label="calm", created_at=T0 + timedelta(minutes=minutes), reasons=[FALLBACK], score=score)


@pytest.mark.parametrize("first, second", [
    ("Wo ist mein Paket??", "wo ist MEIN paket"),
    ("Bestellung 12345 kommt nicht", "Bestellung 987 kommt nicht!"),
    ("Hallooooo, jemand da?", "hallo jemand da"),
    ("Grüße, mein Päckchen fehlt", "Gruesse mein Paeckchen fehlt"),
    ("Ich bin [NAME], meine Nummer ist [PHONE]", "ich bin [NAME] meine nummer ist [PHONE]"),
])
def test_identical_wordings_share_a_key(first, second):
    assert wording_key(first) == wording_key(second)


def test_different_questions_keep_their_own_keys():
    assert wording_key("Wo ist mein Paket?") != wording_key("Wo ist meine Rechnung?")


def test_groups_count_first_and_last_seen_and_rank_by_frequency():
    items = [item("Wo ist mein Paket?", 0), item("wo ist mein paket", 30), item("Wo ist mein Packet", 60),
             item("Wo ist mein Paket!!", 90), item("Rechnung bitte nochmal", 10, score=9.0),
             item("Kann ich per Nachnahme zahlen", 20), item("Kann ich per Nachnahme zahlen?", 40)]
    groups = group_items(items)
    # 4 about the parcel (one with a typo: near-identical), 2 about cash on delivery, then the single one,
    # though its score is higher: the most frequent failure comes first.
    assert [g.count for g in groups] == [4, 2, 1]
    parcel = groups[0].to_dict()
    assert parcel["text"] == "Wo ist mein Paket!!"                  # the newest wording
    assert parcel["first_seen"] == T0.isoformat()
    assert parcel["last_seen"] == (T0 + timedelta(minutes=90)).isoformat()
    assert len(parcel["message_ids"]) == 4 and parcel["intents"] == [{"intent": "nlu_fallback", "count": 4}]
    assert groups[2].items[0].text == "Rechnung bitte nochmal"


class Seed:
    def __init__(self, conn):
        self.conn = conn

    async def conversation_with(self, text, minutes, intent="nlu_fallback", confidence=0.3):
        conversation_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
        await conversations.insert_conversation(self.conn, {
            "id": conversation_id, "token_hash": "x" * 64, "channel": "widget", "status": "bot", "priority": 0,
            "created_at": T0, "updated_at": T0, "last_seq": 0, "locale": "de"})
        await messages.insert_message(self.conn, {
            "id": message_id, "conversation_id": conversation_id, "seq": 1, "message_type": "incoming",
            "sender_type": "customer", "private": False, "text": text, "intent": intent, "confidence": confidence,
            "tone_label": "calm", "created_at": T0 + timedelta(minutes=minutes)})
        return message_id


async def test_one_annotation_labels_the_whole_group_and_skips_what_was_annotated_meanwhile(engine):
    async with engine.begin() as conn:
        seed = Seed(conn)
        ids = [await seed.conversation_with(text, n) for n, text in
               enumerate(["Wo bleibt mein Zeug", "wo bleibt mein zeug?", "Wo bleibt mein Zeug!!", "Moin"])]
    async with engine.connect() as conn:
        groups = await review_groups(conn, InboxFilter())
    assert [g.count for g in groups] == [3, 1]
    members = groups[0].to_dict()["message_ids"]
    assert set(members) == set(ids[:3])
    async with engine.begin() as conn:
        await annotate(conn, ids[1], CORRECT, TRAINER, T0, INTENTS, intent="order_status")   # someone else, first
    async with engine.begin() as conn:
        result = await annotate_group(conn, members, CORRECT, TRAINER, T0, INTENTS, intent="order_status")
    assert result.skipped == [ids[1]] and len(result.annotated) == 2
    async with engine.connect() as conn:
        assert [i.message_id for i in await review_inbox(conn)] == [ids[3]]


async def test_an_invalid_group_annotation_labels_nobody(engine):
    async with engine.begin() as conn:
        seed = Seed(conn)
        ids = [await seed.conversation_with("blubb", n) for n in range(2)]
    with pytest.raises(AnnotationError):
        async with engine.begin() as conn:
            await annotate_group(conn, ids, CORRECT, TRAINER, T0, INTENTS, intent="no_such_intent")
    async with engine.connect() as conn:
        assert len(await review_inbox(conn)) == 2
