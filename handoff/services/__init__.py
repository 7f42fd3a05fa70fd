"""Use cases of the handoff service. Each one is one transaction; domain events go on the bus after commit.

Modules: `conversations` (start/find/read), `customer` (write, ticket, CSAT), `bot_routing` (claim a customer
message, ask the bot, store its answer once), `routing_sweep` (re-route what a dead process left), `handoffs` (request,
queue), `agent` (claim, reply, note, hand back, transfer, resolve), `auth` (agents, login, sessions, presence),
`admin` (canned replies, business hours, export, delete). All take a `ServiceContext` (context.py) first.

Deviations from the brief's signatures (additions only):
- `customer.customer_writes(ctx, conversation_id, client_id, text) -> (message, duplicate, replies)` = receive+route;
  a duplicate gets replies only when its first routing never finished (claim absent or stale).
- `customer.route_customer_message` (= `bot_routing.route_customer_message`) may be called again for the same
  message: the claim on `messages.routing_started_at` decides; `routing_sweep.route_unrouted_messages(ctx)`.
- `handoffs.request_handoff` returns the resulting status ("queued" or "ticket").
- `handoffs.queue_position(ctx, conversation_id) -> (position, wait_minutes)` for the widget `state` frame.
- `conversations.get_conversation(ctx, id)` (no token check; for agents) .
- `auth.login` returns `Login` (iterable as `agent, session_token, csrf_token`; also has `expires_at`);
  `auth.csrf_for_session(ctx, token)`; `auth.create_agent(..., role="agent", capacity=3)`;
  `update_agent(ctx, agent_id, *, display_name, role, active, capacity, password)`.
- `agent.resolve(ctx, conversation_id, agent_id | None)`; hand_back/transfer/resolve/claim return ConversationView.

Errors (errors.py) → HTTP: ValidationError 422 (`field`, `message`), NotFound 404, Forbidden 403,
AuthenticationFailed 401, Conflict/AlreadyClaimed 409, InvalidTransition 409.

Bus payloads (published only after commit; `publishing.py` is the one place that builds them):
- `conversation.<id>`:
  `{"type": "message", "conversation_id", "message": <MessageView.to_public()>, "detail": <MessageView.to_dict()>}`
      public messages only; forward `message` to customers, `detail` (intent, tone, sender_id) to agents.
  `{"type": "note", "conversation_id", "detail": <MessageView.to_dict()>}`  private agent note: NEVER to customers.
  `{"type": "state", "conversation_id", "status", "assignee_id", "queue_position", "wait_minutes"}`
  `{"type": "typing", "conversation_id", "sender_type": "customer"|"agent"|"bot"}`
  `{"type": "csat_requested", "conversation_id"}`
  `{"type": "deleted", "conversation_id"}`
- `queue`: `{"type": "queue_changed", "conversation_id", "status", "reason": <trigger or event name>}` and
  `{"type": "message", "conversation_id", ...}` for customer messages while queued/agent (agents refetch `queue()`).
- `agent.<id>`: `{"type": "assigned", "conversation_id"}` after a claim; `{"type": "unassigned", "conversation_id"}`
  after hand back / transfer / resolve.
"""
