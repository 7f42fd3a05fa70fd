"""`python -m handoff serve` ends its start-up with a short banner."""
from __future__ import annotations

from handoff.__main__ import banner


def test_banner_shows_the_password_only_when_the_admin_was_just_created() -> None:
    first = banner("http://localhost:5005", "admin@nordwind.local", "s3cret-generated", False)
    later = banner("http://localhost:5005", "admin@nordwind.local", None, False)
    assert "s3cret-generated" in first and "shown only now" in first
    assert "password" in later and "s3cret" not in later
    for text in (first, later):
        assert "http://localhost:5005/console/" in text and "Ctrl+C" in text
        assert len(text.splitlines()) <= 12


def test_banner_with_a_password_from_the_environment_never_prints_it() -> None:
    text = banner("http://localhost:5005", "admin@nordwind.local", None, True)
    assert "ADMIN_PASSWORD" in text


def test_a_taken_port_is_named_before_anything_loads() -> None:
    import socket

    from handoff.__main__ import port_taken

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port_taken("127.0.0.1", port)
    assert port_taken("127.0.0.1", port) is None
