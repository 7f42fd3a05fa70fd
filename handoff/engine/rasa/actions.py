"""Custom actions in the bot's own process: rasa_sdk's ActionExecutor plugged in where Rasa expects an action server
(`EndpointConfig.request`), so the request/response contract stays exactly the one an external action server sees.
When endpoints.yml names an action_endpoint, Rasa calls that server instead (handoff/engine/rasa/engine.py)."""
from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "actions"
IN_PROCESS_URL = "in-process://actions"


def in_process_action_endpoint_class() -> Any:
    # Imported lazily: importing Rasa costs seconds (TensorFlow) and must not happen at import time.
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor
    from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection
    from rasa_sdk.interfaces import ActionNotFoundException

    class InProcessActionEndpoint(EndpointConfig):
        """An action 'server' that is a function call: rasa_sdk's executor on the same event loop."""

        def __init__(self, package: str = ACTIONS_PACKAGE) -> None:
            super().__init__(url=IN_PROCESS_URL)
            self.executor = ActionExecutor()
            self.executor.register_package(package)
            self.failures = 0

        async def request(self, method: str = "post", subpath: str | None = None,
                          content_type: str | None = "application/json", compress: bool = False,
                          **kwargs: Any) -> Any:
            action_call = kwargs.get("json") or {}
            try:
                return await self.executor.run(action_call)
            except SdkRejection as error:
                # Same meaning as the action server's HTTP 400: let another policy predict.
                raise ActionExecutionRejection(error.action_name, error.message) from error
            except ActionNotFoundException as error:
                self.failures += 1
                raise RasaException(f"No custom action named '{error.action_name}'") from error
            except Exception as error:  # an action's own bug must not take the conversation down
                self.failures += 1
                logger.exception("custom action %s failed", action_call.get("next_action"))
                raise RasaException(f"Custom action '{action_call.get('next_action')}' failed") from error

    return InProcessActionEndpoint
