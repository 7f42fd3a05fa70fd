"""One training path for the tone model, shared by the Rasa component and the evaluation script."""
from __future__ import annotations

from pathlib import Path

from bot.tone.data import ToneExample, load_tone_examples
from bot.tone.model import ToneModel, ToneModelConfig


def train_tone_model(data_path: str | Path, config: ToneModelConfig | None = None) -> tuple[ToneModel, list[ToneExample]]:
    """Train on every `tone:` YAML file under `data_path`; returns the model and the examples it saw."""
    examples = load_tone_examples(data_path)
    model = ToneModel.fit(
        [e.text for e in examples],
        [e.label for e in examples],
        config or ToneModelConfig(),
        valences=[e.valence for e in examples],
    )
    return model, examples
