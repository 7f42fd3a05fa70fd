"""Where one project's training inputs live; configurable, so tests and dry runs work on a copy of data/."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from handoff.settings import Settings

ANNOTATED_FILE = "annotated.yml"
CANDIDATES_DIR = "candidates"
PREVIOUS_DIR = "previous"
# What `rasa train` and the evaluation read; copied for a throw-away project.
PROJECT_FILES = ("config.yml", "domain.yml", "endpoints.yml", "credentials.yml")
PROJECT_DIRS = ("data", "bot", "actions")
CODE_ROOT = Path(__file__).resolve().parents[2]
HELD_OUT_FILES = ("nlu_holdout.yml", "tone_holdout.yml", "test_stories.yml")
TONE_HOLDOUT_DIR = "tone"   # tests/tone/: the held-out tone files


@dataclass(frozen=True)
class Project:
    root: Path
    models_dir: Path
    # A different config.yml for training (e.g. fewer epochs on a laptop); the project's own by default.
    training_config: Path | None = None

    @classmethod
    def at(cls, root: Path, models_dir: Path | None = None, training_config: Path | None = None) -> "Project":
        root = root.resolve()
        return cls(root, (models_dir or root / "models").resolve(),
                   training_config.resolve() if training_config else None)

    @classmethod
    def from_settings(cls, settings: "Settings", default_models: Path | None = None) -> "Project":
        """TRAINING_PROJECT_ROOT (default: the directory the service was started in), TRAINING_MODELS_DIR,
        TRAINING_CONFIG, read once with the other settings (handoff/settings.py)."""
        models = settings.training_models_dir
        config = settings.training_config
        return cls.at(Path(settings.training_project_root), Path(models) if models else default_models,
                      Path(config) if config else None)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def nlu_dir(self) -> Path:
        return self.data_dir / "nlu"

    @property
    def tone_dir(self) -> Path:
        return self.data_dir / "tone"

    @property
    def annotated_nlu(self) -> Path:
        return self.nlu_dir / ANNOTATED_FILE

    @property
    def annotated_tone(self) -> Path:
        return self.tone_dir / ANNOTATED_FILE

    @property
    def domain(self) -> Path:
        return self.root / "domain.yml"

    @property
    def config(self) -> Path:
        return self.training_config or self.root / "config.yml"

    @property
    def nlu_holdout(self) -> Path:
        return self.root / "tests" / "nlu_holdout.yml"

    @property
    def tone_holdout(self) -> Path:
        return self.root / "tests" / "tone_holdout.yml"

    @property
    def test_stories(self) -> Path:
        return self.root / "tests" / "test_stories.yml"

    @property
    def candidates_dir(self) -> Path:
        return self.models_dir / CANDIDATES_DIR

    @property
    def previous_dir(self) -> Path:
        return self.models_dir / PREVIOUS_DIR

    def relative(self, path: Path) -> str:
        return str(path.resolve().relative_to(self.root))


def domain_intents(domain_path: Path) -> list[str]:
    """Intent names of a domain.yml (entries are names or one-key mappings with options)."""
    document = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    names = []
    for entry in document.get("intents") or ():
        names.append(next(iter(entry)) if isinstance(entry, dict) else str(entry))
    return names


def copy_project(source: Path, target: Path) -> Project:
    """A throw-away copy of everything training and evaluation read (tests, dry runs)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_DIRS:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=ignore, dirs_exist_ok=True)
    (target / "tests").mkdir(exist_ok=True)
    for name in HELD_OUT_FILES:
        if (source / "tests" / name).exists():
            shutil.copy2(source / "tests" / name, target / "tests" / name)
    if (source / "tests" / TONE_HOLDOUT_DIR).is_dir():
        shutil.copytree(source / "tests" / TONE_HOLDOUT_DIR, target / "tests" / TONE_HOLDOUT_DIR, dirs_exist_ok=True)
    return Project.at(target)


def subprocess_environment(project: Project) -> dict[str, str]:
    """Environment for `rasa train` / evaluation children: the project's packages first, quiet TensorFlow."""
    env = dict(os.environ)
    # The project copy first (its bot/ components are what gets trained), then this code base (handoff/).
    paths = (str(project.root), str(CODE_ROOT), env.get("PYTHONPATH", ""))
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PYTHONUNBUFFERED"] = "1"
    return env
