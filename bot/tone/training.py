"""One training path for the tone model, shared by the Rasa component and the evaluation script."""
from __future__ import annotations

from pathlib import Path

from bot.tone.calibration import fit_calibration
from bot.tone.data import ToneExample, load_tone_examples
from bot.tone.model import ToneModel, ToneModelConfig
from bot.tone.nlu_calm import load_nlu_calm, merge


def training_examples(data_path: str | Path, nlu_path: str | Path | None = None) -> list[ToneExample]:
    """The tone files under `data_path`, plus the NLU examples under `nlu_path` as calm (tone files win)."""
    examples = load_tone_examples(data_path)
    if nlu_path is not None:
        examples = merge(examples, load_nlu_calm(nlu_path))
    return examples


def train_tone_model(
    data_path: str | Path,
    config: ToneModelConfig | None = None,
    nlu_path: str | Path | None = None,
    calibration_path: str | Path | None = None,
) -> tuple[ToneModel, list[ToneExample]]:
    """Train on the tone files (and NLU examples as calm), calibrate on the held-out split when given.

    Returns the model and the examples it was trained on.
    """
    examples = training_examples(data_path, nlu_path)
    model = ToneModel.fit(
        [e.text for e in examples],
        [e.label for e in examples],
        config or ToneModelConfig(),
        valences=[e.valence for e in examples],
    )
    if calibration_path is not None:
        model = model.with_calibration(fit_calibration(model, load_tone_examples(calibration_path)))
    return model, examples
