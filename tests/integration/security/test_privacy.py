"""Privacy end to end: REDACT_TRANSCRIPTS, the retention job started with the app, `python -m handoff purge`."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import update

from handoff.services.context import utc_now
from handoff.store.database import create_engine
from handoff.store.tables import conversations, messages
from tests.faults.app_process import ADMIN_EMAIL, ADMIN_PASSWORD, AppProcess, base_environment
from tests.faults.traffic import admin_headers, get_json, new_conversation, stored_customer_messages
from tests.integration.handoff.web.server import QUIET_ENVIRONMENT, REPO_ROOT

pytestmark = pytest.mark.integration

RETENTION_DAYS = 30
PERSONAL_TEXT = "Ich bin anna.schmidt@beispiel.de, Tel. 0171 2345678, IBAN DE89 3704 0044 0532 0130 00"


async def _backdate(database_url: str, conversation_id: str, days: int) -> None:
    """As if nothing happened in the conversation for `days` days."""
    past = utc_now() - timedelta(days=days)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(conversations).where(conversations.c.id == conversation_id)
                               .values(updated_at=past, created_at=past))
            await conn.execute(update(messages).where(messages.c.conversation_id == conversation_id)
                               .values(created_at=past))
    finally:
        await engine.dispose()


async def _write(base: str, conversation_id: str, token: str, client_id: str, text: str) -> dict:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/api/widget/conversations/{conversation_id}/messages",
                                json={"client_id": client_id, "text": text},
                                headers={"Authorization": f"Bearer {token}"}) as response:
            body = await response.json()
            assert response.status == 200, body
            return body


async def _exists(base: str, headers: dict[str, str], conversation_id: str) -> bool:
    status, _ = await get_json(base, f"/api/admin/conversations/{conversation_id}/export", headers)
    assert status in (200, 404)
    return status == 200


async def test_redaction_retention_schedule_and_purge_command(tmp_path):
    database_url = f"sqlite+aiosqlite:///{tmp_path}/handoff.db"
    environment = base_environment(database_url, REDACT_TRANSCRIPTS="true", RETENTION_DAYS=str(RETENTION_DAYS))
    app = AppProcess(tmp_path, environment)
    app.start()
    try:
        old_id, old_token = await new_conversation(app.base)
        kept_id, kept_token = await new_conversation(app.base)
        reply = await _write(app.base, old_id, old_token, "c1", PERSONAL_TEXT)
        # The bot answered the original (the fake bot echoes it) ...
        assert "anna.schmidt@beispiel.de" in reply["replies"][0]["text"]
        await _write(app.base, kept_id, kept_token, "c1", "Wo bleibt meine Bestellung?")
        headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        # ... but the transcript keeps placeholders only.
        [stored] = await stored_customer_messages(app.base, headers, old_id)
        assert stored["text"] == "Ich bin [EMAIL], Tel. [PHONE], IBAN [IBAN]"
    finally:
        app.stop()

    await _backdate(database_url, old_id, RETENTION_DAYS + 1)
    app.start()  # the retention schedule runs once right after start-up
    try:
        headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        for _ in range(100):
            if not await _exists(app.base, headers, old_id):
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("the retention job did not delete the expired conversation")
        assert await _exists(app.base, headers, kept_id)
    finally:
        app.stop()

    await _backdate(database_url, kept_id, RETENTION_DAYS + 1)
    env = {**os.environ, **QUIET_ENVIRONMENT, **environment}
    result = subprocess.run([sys.executable, "-m", "handoff", "purge"], cwd=REPO_ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "deleted 1 conversations" in result.stdout
    app.start()
    try:
        headers = await admin_headers(app.base, ADMIN_EMAIL, ADMIN_PASSWORD)
        assert not await _exists(app.base, headers, kept_id)
    finally:
        app.stop()
