import pytest

from handoff.training.progress import ProgressParser, clock_seconds

pytestmark = pytest.mark.unit

RASA_OUTPUT = (
    "2026-11-23 15:54:12 INFO     rasa.engine.training.hooks  - "
    "Starting to train component 'DIETClassifier'.\n"
    "Epochs:   0%|          | 0/30 [00:00<?, ?it/s]"
    "\rEpochs:   3%|▎         | 1/30 [00:45<22:07, 45.77s/it]"
    "\rEpochs:  23%|██▎       | 7/30 [01:04<01:48,  4.73s/it, t_loss=3.33, i_acc=0.952]"
)


def test_component_epoch_elapsed_and_time_left_from_a_bar_being_redrawn():
    parser = ProgressParser()
    parser.feed(RASA_OUTPUT)
    progress = parser.progress
    assert (progress.component, progress.epoch, progress.epochs) == ("DIETClassifier", 7, 30)
    assert (progress.elapsed_seconds, progress.remaining_seconds) == (64, 108)


def test_chunks_split_anywhere_give_the_same_result():
    whole, pieces = ProgressParser(), ProgressParser()
    whole.feed(RASA_OUTPUT)
    for start in range(0, len(RASA_OUTPUT), 7):
        pieces.feed(RASA_OUTPUT[start:start + 7])
    assert pieces.progress.to_dict() == whole.progress.to_dict()


def test_next_component_resets_the_epochs_and_remembers_the_finished_one():
    parser = ProgressParser()
    parser.feed(RASA_OUTPUT + "\n2026-11-23 INFO hooks - Starting to train component 'TEDPolicy'.\n")
    progress = parser.progress
    assert progress.component == "TEDPolicy" and progress.epoch is None
    assert progress.components_done == ["DIETClassifier"]


def test_saved_model_path_and_log_tail_without_bar_redraws():
    parser = ProgressParser()
    parser.feed(RASA_OUTPUT + "\rProcessed actions: 45it [00:00, 8348.17it/s, # examples=45]\n"
                "Your Rasa model is trained and saved at '/tmp/m/candidate-1.tar.gz'.\n")
    parser.close()
    assert parser.progress.model_path == "/tmp/m/candidate-1.tar.gz"
    assert not any("Epochs:" in line or "Processed" in line for line in parser.progress.log_tail)


@pytest.mark.parametrize("value, seconds", [("00:45", 45), ("22:07", 1327), ("1:02:03", 3723), ("?", None)])
def test_clock_seconds(value, seconds):
    assert clock_seconds(value) == seconds
