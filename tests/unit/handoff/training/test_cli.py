import json
import uuid
from datetime import datetime, timezone

import pytest

from handoff.store import conversations, messages
from handoff.training.cli import parse_arguments, run
from handoff.training.project import Project
from handoff.training.runtime import Trainer

pytestmark = pytest.mark.unit

T0 = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)
DOMAIN = 'version: "3.1"\nintents:\n  - greet\n  - order_status:\n      use_entities: true\n'


@pytest.fixture
def project(tmp_path) -> Project:
    (tmp_path / "project" / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "project" / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    return Project.at(tmp_path / "project")


async def _fallback_message(engine) -> str:
    conversation_id, message_id = str(uuid.uuid4()), str(uuid.uuid4())
    async with engine.begin() as conn:
        await conversations.insert_conversation(conn, {
            "id": conversation_id, "token_hash": "x" * 64, "channel": "rest", "status": "bot", "priority": 0,
            "created_at": T0, "updated_at": T0, "last_seq": 1, "locale": "de"})
        await messages.insert_message(conn, {
            "id": message_id, "conversation_id": conversation_id, "seq": 1, "message_type": "incoming",
            "sender_type": "customer", "private": False, "text": "Wat is mit mien Paket, Herr Hansen?",
            "intent": "nlu_fallback", "confidence": 0.2, "created_at": T0})
    return message_id


async def test_inbox_annotate_and_patch_from_the_shell(ctx, project, capsys):
    message_id = await _fallback_message(ctx.db)
    trainer = Trainer.create(ctx, project)

    assert await run(parse_arguments(["inbox", "--reason", "fallback"]), trainer) == 0
    inbox = json.loads(capsys.readouterr().out)
    assert [(i["message_id"], i["text"]) for i in inbox] == [
        (message_id, "Wat is mit mien Paket, Herr [NAME]?")]

    command = ["annotate", message_id, "correct", "--intent", "order_status", "--by", "Tina"]
    await run(parse_arguments(command), trainer)
    assert json.loads(capsys.readouterr().out)["annotator_name"] == "Tina"

    await run(parse_arguments(["export", "--patch"]), trainer)
    patch = capsys.readouterr().out
    assert "+- intent: order_status" in patch and "+    - Wat is mit mien Paket, Herr [NAME]?" in patch
    assert not project.annotated_nlu.exists()

    await run(parse_arguments(["models"]), trainer)
    assert json.loads(capsys.readouterr().out) == []


def test_the_override_needs_the_admin_flag_to_mean_anything():
    arguments = parse_arguments(["promote", "m-1", "--by", "Ada", "--admin", "--override-reason", "Demo"])
    assert (arguments.admin, arguments.override_reason) == (True, "Demo")
    with pytest.raises(SystemExit):
        parse_arguments(["annotate", "m-1", "shout", "--by", "Tina"])
