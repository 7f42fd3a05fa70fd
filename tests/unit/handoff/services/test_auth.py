import pytest

from handoff.services import presence
from handoff.services import auth
from handoff.services.errors import AuthenticationFailed, Conflict, ValidationError

pytestmark = pytest.mark.unit
PASSWORD = "correct horse battery"


async def test_login_session_and_logout(ctx, clock):
    created = await auth.create_agent(ctx, "Anna@Nordwind.example", "Anna", PASSWORD, role="trainer")
    agent, token, csrf = await auth.login(ctx, "anna@nordwind.example ", PASSWORD, ip="127.0.0.1")
    assert agent == created and agent.email == "anna@nordwind.example"
    assert await auth.agent_for_session(ctx, token) == created
    assert await auth.csrf_for_session(ctx, token) == csrf
    assert auth.csrf_matches(csrf, csrf) and not auth.csrf_matches(csrf, "forged")
    await auth.logout(ctx, token)
    with pytest.raises(AuthenticationFailed):
        await auth.agent_for_session(ctx, token)


async def test_session_expires(ctx, clock):
    await auth.create_agent(ctx, "a@nordwind.example", "Anna", PASSWORD)
    login = await auth.login(ctx, "a@nordwind.example", PASSWORD)
    clock.advance(hours=12, seconds=1)
    with pytest.raises(AuthenticationFailed):
        await auth.agent_for_session(ctx, login.session_token)


async def test_lockout_after_five_failures_for_fifteen_minutes(ctx, clock):
    await auth.create_agent(ctx, "a@nordwind.example", "Anna", PASSWORD)
    messages = set()
    for _ in range(5):
        with pytest.raises(AuthenticationFailed) as error:
            await auth.login(ctx, "a@nordwind.example", "wrong password!!")
        messages.add(str(error.value))
    with pytest.raises(AuthenticationFailed) as locked:
        await auth.login(ctx, "a@nordwind.example", PASSWORD)   # right password, but locked
    with pytest.raises(AuthenticationFailed) as unknown:
        await auth.login(ctx, "nobody@nordwind.example", PASSWORD)
    assert messages == {str(locked.value)} == {str(unknown.value)}   # generic, reveals nothing
    clock.advance(minutes=15, seconds=1)
    assert (await auth.login(ctx, "a@nordwind.example", PASSWORD)).agent.email == "a@nordwind.example"


async def test_deactivated_agent_loses_sessions(ctx):
    anna = await auth.create_agent(ctx, "a@nordwind.example", "Anna", PASSWORD)
    login = await auth.login(ctx, "a@nordwind.example", PASSWORD)
    updated = await auth.update_agent(ctx, anna.id, active=False, capacity=5, role="admin")
    assert (updated.active, updated.capacity, updated.role) == (False, 5, "admin")
    with pytest.raises(AuthenticationFailed):
        await auth.agent_for_session(ctx, login.session_token)
    with pytest.raises(AuthenticationFailed):
        await auth.login(ctx, "a@nordwind.example", PASSWORD)


async def test_validation_and_duplicates(ctx):
    with pytest.raises(ValidationError) as short:
        await auth.create_agent(ctx, "a@nordwind.example", "Anna", "kurz")
    assert short.value.field == "password"
    with pytest.raises(ValidationError):
        await auth.create_agent(ctx, "a@nordwind.example", "Anna", PASSWORD, role="king")
    await auth.create_agent(ctx, "a@nordwind.example", "Anna", PASSWORD)
    with pytest.raises(Conflict):
        await auth.create_agent(ctx, "A@nordwind.example", "Anna 2", PASSWORD)
    with pytest.raises(ValidationError):
        await presence.choose_status(ctx, "x", "asleep")


async def test_ensure_admin_generates_once(ctx):
    generated = await auth.ensure_admin(ctx, "admin@nordwind.example")
    assert generated and len(generated) >= 20
    assert (await auth.login(ctx, "admin@nordwind.example", generated)).agent.role == "admin"
    assert await auth.ensure_admin(ctx, "admin@nordwind.example") is None
    assert [a.role for a in await auth.list_agents(ctx)] == ["admin"]


async def test_status_feeds_presence(ctx):
    anna = await auth.create_agent(ctx, "a@nordwind.example", "Anna", PASSWORD)
    await presence.choose_status(ctx, anna.id, "online")
    assert await ctx.presence.online_agents() == {anna.id}
    await presence.choose_status(ctx, anna.id, "away")
    assert await ctx.presence.online_agents() == set()
