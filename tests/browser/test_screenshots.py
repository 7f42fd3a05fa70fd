"""`make screenshots` keeps working: the script photographs the real trained assistant (no fake bot) in Chromium.

Runs the whole script into a temporary folder (about a minute and a half on two cores, plus training when the
model cache is cold); the pictures in docs/screenshots/ are only renewed by `make screenshots` itself."""
from __future__ import annotations

from pathlib import Path

from tests.browser import screenshots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_every_shot_renews_its_picture_from_the_real_assistant(trained_model_path: Path, tmp_path: Path,
                                                               server: str, browser) -> None:
    # `server` first: its fixture skips the browser tests where Debian's Chromium is missing.
    saved = screenshots.take(trained_model_path, tmp_path, browser)
    names = {path.name for path in saved}
    # The pages every checkout has; shots of pages still being built may be skipped by the script.
    assert {"widget.png", "widget-mobile.png", "console-queue.png", "console-conversation.png", "admin.png",
            "trainer.png"} <= names
    for path in saved:
        assert path.read_bytes()[:8] == PNG_SIGNATURE and path.stat().st_size > 10_000, path


def test_docs_screenshots_are_all_renewed_by_a_shot() -> None:
    """Every picture the README may show comes from a Shot, so none of them can be left from a fake bot."""
    names = ({f"{shot.name}.png" for shot in screenshots.SHOTS} | set(screenshots.FROM_BROWSER_TESTS)
             | {"widget-agent.png", "tickets-widget-return.png", "tickets-admin-sla.png"})
    in_docs = {path.name for path in screenshots.REPO_ROOT.joinpath("docs", "screenshots").glob("*.png")}
    assert in_docs <= names, f"pictures without a Shot: {sorted(in_docs - names)}"
