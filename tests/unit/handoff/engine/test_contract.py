"""The bot seam: which optional capabilities an engine has is answered by the contract, not by attribute probing."""
from handoff.engine.contract import (
    BotEngine,
    DomainFacts,
    DomainView,
    ModelStatus,
    ModelSwap,
    ResponseLookup,
    TrackerDeletion,
    capability,
    model_loaded,
)
from tests.fakes import FakeBotEngine, NoModelEngine, ProcessFakeEngine


class ResponsesOnly(FakeBotEngine):
    def responses(self, name: str) -> list[str]:
        return ["Das ist ärgerlich."] if name == "utter_ack_frustration" else []

    def domain(self) -> DomainFacts:
        return DomainFacts(intents=("greet",), responses={"utter_ack_frustration": ("Das ist ärgerlich.",)})


def test_a_plain_engine_has_only_the_contract():
    bot = FakeBotEngine()
    assert isinstance(bot, BotEngine)
    assert all(capability(bot, kind) is None
               for kind in (ModelSwap, TrackerDeletion, ResponseLookup, DomainView, ModelStatus))
    assert model_loaded(bot)   # without ModelStatus an engine always has its model


def test_capabilities_are_found_by_what_the_engine_can_do():
    swappable = ProcessFakeEngine("model-a")
    assert capability(swappable, ModelSwap) is swappable
    assert capability(swappable, TrackerDeletion) is swappable
    assert capability(swappable, ResponseLookup) is None
    looked_up = capability(ResponsesOnly(), ResponseLookup)
    assert looked_up is not None and looked_up.responses("utter_ack_frustration") == ["Das ist ärgerlich."]
    view = capability(ResponsesOnly(), DomainView)
    assert view is not None and view.domain().intents == ("greet",)


def test_model_status():
    assert not model_loaded(NoModelEngine())
    assert model_loaded(ProcessFakeEngine("model-a"))
    assert not model_loaded(None)
