import pytest

from handoff.settings import DEFAULT_DATABASE_URL, DEFAULT_PORT, Settings, SettingsError

pytestmark = pytest.mark.unit


def test_defaults_when_environment_is_empty():
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.redis_url is None
    assert settings.port == DEFAULT_PORT
    assert settings.cookie_secure is False
    assert settings.admin_password is None


def test_values_are_parsed_with_their_types():
    settings = Settings.from_env({
        "PORT": "8080", "COOKIE_SECURE": "true", "BOT_TIMEOUT_SECONDS": "2.5", "BOT_TRACKERS_KEPT": "200",
        "REDIS_URL": "redis://localhost:6379/0", "LOG_LEVEL": "debug", "RATE_LIMIT_PER_MINUTE": "5",
        "REDIS_NAMESPACE": "shop-staging",
    })
    assert settings.redis_namespace == "shop-staging"
    assert settings.port == 8080
    assert settings.cookie_secure is True
    assert settings.bot_timeout_seconds == 2.5
    assert settings.bot_trackers_kept == 200
    assert settings.redis_url == "redis://localhost:6379/0"
    assert settings.log_level == "DEBUG"
    assert settings.rate_limit_per_minute == 5


@pytest.mark.parametrize("variable, value", [
    ("PORT", "abc"), ("PORT", "70000"), ("COOKIE_SECURE", "vielleicht"), ("SESSION_HOURS", "0"),
    ("LOG_LEVEL", "LOUD"), ("ADMIN_PASSWORD", "short"), ("ADMIN_EMAIL", "admin"),
    ("REDIS_NAMESPACE", "mit leerzeichen"), ("REDIS_NAMESPACE", "a:b"),
])
def test_invalid_values_name_the_variable(variable, value):
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_settings_are_frozen_and_secrets_redacted():
    settings = Settings.from_env({"ADMIN_PASSWORD": "geheim-genug"})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]
    assert settings.redacted()["admin_password"] == "***"


def test_database_url_as_people_write_it_gets_the_async_driver():
    assert Settings.from_env({"DATABASE_URL": "postgresql://nw@db/nordwind"}).database_url == \
        "postgresql+asyncpg://nw@db/nordwind"


def test_database_url_of_an_unsupported_database_is_a_settings_error():
    with pytest.raises(SettingsError, match="DATABASE_URL must start with sqlite:// or postgresql://"):
        Settings.from_env({"DATABASE_URL": "mysql://nw@db/nordwind"})
