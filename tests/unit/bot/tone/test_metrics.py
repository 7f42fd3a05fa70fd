from pathlib import Path

import pytest

from bot.tone import external, metrics
from bot.tone.evaluate import expected_calibration_error

pytestmark = pytest.mark.unit


def test_per_label_scores_and_confusion() -> None:
    truth = ["calm", "calm", "frustrated", "abusive", "abusive"]
    predicted = ["calm", "frustrated", "frustrated", "abusive", "calm"]
    evaluation = metrics.evaluate(truth, predicted, ("calm", "frustrated", "abusive"))
    assert evaluation.confusion == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    assert evaluation.per_label["calm"].precision == pytest.approx(0.5)
    assert evaluation.per_label["frustrated"].f1 == pytest.approx(2 / 3)
    assert evaluation.per_label["abusive"].recall == pytest.approx(0.5)
    assert evaluation.macro_f1 == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)
    assert evaluation.accuracy == pytest.approx(0.6)


def test_binary_collapses_handoff_labels() -> None:
    assert metrics.binary(["calm", "abusive", "frustrated"], ("frustrated", "abusive"), "h", "n") == ["n", "h", "h"]


def test_calibration_error_is_zero_when_scores_match_rates() -> None:
    assert expected_calibration_error([0.0, 0.0, 1.0, 1.0], [False, False, True, True]) == pytest.approx(0.0)
    assert expected_calibration_error([0.95, 0.95], [False, False]) == pytest.approx(0.95)


def test_external_readers_clean_tweets(tmp_path: Path) -> None:
    (tmp_path / "germeval2018").mkdir()
    (tmp_path / "germeval2018" / "training.txt").write_text(
        "@jemand Das ist ein Test|LBR|zweite Zeile https://example.org\tOTHER\tOTHER\n", encoding="utf-8"
    )
    (tmp_path / "germeval2017").mkdir()
    (tmp_path / "germeval2017" / "dev.tsv").write_text(
        "id\ttext\trelevance\tsentiment\taspects\nx1\tZug zu spät\ttrue\tnegative\t\nx2\tNachricht\tfalse\tneutral\t\n",
        encoding="utf-8",
    )
    rows_2018 = external.load_germeval_2018(tmp_path)
    assert [(r.text, r.label) for r in rows_2018] == [("Das ist ein Test zweite Zeile", "OTHER")]
    rows_2017 = external.load_germeval_2017(tmp_path)
    assert [(r.text, r.label, r.relevant) for r in rows_2017] == [
        ("Zug zu spät", "negative", True), ("Nachricht", "neutral", False)
    ]


def test_external_halves_are_fixed_by_the_text_and_split_the_rows() -> None:
    texts = [f"Nachricht Nummer {n}" for n in range(200)]
    halves = [external.half(text) for text in texts]
    assert halves == [external.half(text) for text in texts]  # the same row always lands in the same half
    assert 60 < halves.count(external.CHECK) < 140


def test_germeval_2018_test_split_is_read_only_when_present(tmp_path: Path) -> None:
    (tmp_path / "germeval2018").mkdir()
    assert external.load_germeval_2018_test(tmp_path) is None
    (tmp_path / "germeval2018" / "germeval2018.test.txt").write_text(
        "Ein Satz|LBR|noch einer\tOFFENSE\tINSULT\nkaputt\n", encoding="utf-8"
    )
    rows = external.load_germeval_2018_test(tmp_path)
    assert [(r.text, r.label, r.half) for r in rows] == [("Ein Satz noch einer", "OFFENSE", external.CHECK)]
