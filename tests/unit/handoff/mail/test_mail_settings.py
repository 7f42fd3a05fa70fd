"""SMTP_*, MAIL_*, IMAP_* settings: defaults that let `make run` work without a mail server, clear errors that
name the variable and never echo a password."""
from __future__ import annotations

import pytest

from handoff.settings import Settings, SettingsError

SECRET = "Sehr-Geheim-4711"


def test_without_smtp_settings_nothing_is_sent_and_the_defaults_are_usable():
    mail = Settings.from_env({}).mail
    assert not mail.sending_enabled
    assert mail.from_address == "support@nordwind.local" and mail.from_name == "Nordwind Kundenservice"
    assert mail.reply_domain_or_default == "nordwind.local" and mail.mailbox == "support"
    assert mail.intake_port is None and mail.imap_host is None


def test_full_configuration():
    mail = Settings.from_env({
        "SMTP_HOST": "smtp.example.de", "SMTP_USERNAME": "support", "SMTP_PASSWORD": SECRET,
        "SMTP_SECURITY": "SSL", "MAIL_FROM": "Nordwind <support@example.de>", "MAIL_REPLY_DOMAIN": "reply.example.de",
        "SMTP_INTAKE_PORT": "2525", "IMAP_HOST": "imap.example.de", "IMAP_USERNAME": "support",
        "IMAP_PASSWORD": SECRET}).mail
    assert mail.sending_enabled and mail.smtp_port_or_default == 465 and mail.imap_port_or_default == 993
    assert mail.reply_domain_or_default == "reply.example.de" and mail.intake_port == 2525


@pytest.mark.parametrize("environ,variable", [
    ({"SMTP_SECURITY": "tls"}, "SMTP_SECURITY"),
    ({"SMTP_PORT": "70000"}, "SMTP_PORT"),
    ({"SMTP_PORT": "fünf"}, "SMTP_PORT"),
    ({"SMTP_HOST": "smtp.example.de", "SMTP_PASSWORD": SECRET}, "SMTP_USERNAME"),
    ({"SMTP_USERNAME": "support", "SMTP_PASSWORD": SECRET}, "SMTP_HOST"),
    ({"MAIL_FROM": "support"}, "MAIL_FROM"),
    ({"MAIL_FROM": "Support <support@example.de>\r\nBcc: x@y.de"}, "MAIL_FROM"),
    ({"MAIL_REPLY_DOMAIN": "reply domain"}, "MAIL_REPLY_DOMAIN"),
    ({"MAIL_MAX_ATTEMPTS": "0"}, "MAIL_MAX_ATTEMPTS"),
    ({"IMAP_HOST": "imap.example.de", "IMAP_PASSWORD": SECRET}, "IMAP_USERNAME"),
    ({"IMAP_FOLDER": 'IN"BOX'}, "IMAP_FOLDER"),
    ({"IMAP_SECURITY": "tls"}, "IMAP_SECURITY"),
    ({"IMAP_HOST": "imap.example.de", "IMAP_USERNAME": "u", "IMAP_PASSWORD": SECRET, "IMAP_PORT": "0"}, "IMAP_PORT"),
])
def test_bad_setting_names_the_variable_and_never_the_password(environ, variable):
    with pytest.raises(SettingsError) as error:
        Settings.from_env(environ)
    assert str(error.value).startswith(variable)
    assert SECRET not in str(error.value)


@pytest.mark.parametrize("security,port", [("ssl", 993), ("starttls", 143), ("none", 143), ("STARTTLS", 143)])
def test_imap_security_modes_and_their_default_ports(security, port):
    mail = Settings.from_env({"IMAP_HOST": "imap.example.de", "IMAP_USERNAME": "u", "IMAP_PASSWORD": SECRET,
                              "IMAP_SECURITY": security}).mail
    assert mail.imap_security == security.lower() and mail.imap_port_or_default == port
    explicit = Settings.from_env({"IMAP_HOST": "imap.example.de", "IMAP_USERNAME": "u", "IMAP_PASSWORD": SECRET,
                                  "IMAP_SECURITY": security, "IMAP_PORT": "1143"}).mail
    assert explicit.imap_port_or_default == 1143


def test_bad_imap_security_lists_the_modes():
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"IMAP_SECURITY": "tls"})
    assert str(error.value) == "IMAP_SECURITY must be one of ssl, starttls, none"


def test_redacted_hides_both_passwords():
    settings = Settings.from_env({"SMTP_HOST": "smtp.example.de", "SMTP_USERNAME": "u", "SMTP_PASSWORD": SECRET,
                                  "IMAP_HOST": "imap.example.de", "IMAP_USERNAME": "u", "IMAP_PASSWORD": SECRET})
    assert SECRET not in repr(settings.redacted())


def test_repr_never_shows_a_password():
    settings = Settings.from_env({"SMTP_HOST": "smtp.example.de", "SMTP_USERNAME": "u", "SMTP_PASSWORD": SECRET})
    assert SECRET not in repr(settings.mail)
