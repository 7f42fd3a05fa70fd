"""A real IMAP server for the tests: Debian's dovecot (package dovecot-imapd, requirements/debian.txt), started as
a child process with its own configuration in a temporary directory: its own base_dir, a free port on 127.0.0.1,
passwd-file users, maildir storage. Nothing of the machine's own dovecot set-up is used or touched.
With `tls=True` it has a self-signed certificate made by the test (cryptography, for 127.0.0.1 only), requires TLS
before any login (STARTTLS on `port`, implicit TLS on `tls_port`) and `cert_file` is what a client must trust.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone
from ipaddress import IPv4Address
from pathlib import Path

from tests.integration.handoff.mail.smtp_server import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "support"
PASSWORD = "Imap-Test-Passwort-4711"
# A second mailbox whose password is not ASCII (imaplib's LOGIN is ASCII only: the intake uses SASL PLAIN for it).
UMLAUT_USER = "kundendienst"
UMLAUT_PASSWORD = "Grüße-aus-Köln-4711"
# Dovecot never delivers mail as root: when the tests run as root, the mailbox belongs to `nobody`.
NOBODY = 65534

CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
auth_mechanisms = plain login
mail_location = maildir:{base}/mail/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
"""


def available() -> bool:
    return os.path.exists(DOVECOT) and os.access(DOVECOT, os.X_OK)


PLAIN = "ssl = no\ndisable_plaintext_auth = no"
TLS = """\
ssl = required
disable_plaintext_auth = yes
ssl_cert = <{base}/cert.pem
ssl_key = <{base}/key.pem"""


class Dovecot:
    def __init__(self, tls: bool = False) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="nordwind-dovecot-"))
        self.port = free_port()
        self.tls = tls
        self.tls_port = free_port() if tls else 0
        self.cert_file = self.base / "cert.pem"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Dovecot":
        uid, gid = (NOBODY, NOBODY) if os.getuid() == 0 else (os.getuid(), os.getgid())
        os.chmod(self.base, 0o755)
        for name in ("run", "state", "mail", "home"):
            (self.base / name).mkdir()
        for name in ("mail", "home"):
            if os.getuid() == 0:
                os.chown(self.base / name, uid, gid)
        (self.base / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n"
                                         f"{UMLAUT_USER}:{{PLAIN}}{UMLAUT_PASSWORD}::::::\n", encoding="utf-8")
        if self.tls:
            self._make_certificate()
        config = self.base / "dovecot.conf"
        config.write_text(CONFIG.format(base=self.base, port=self.port, tls_port=self.tls_port, uid=uid, gid=gid,
                                        ssl=(TLS if self.tls else PLAIN).format(base=self.base)))
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()} {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def _make_certificate(self) -> None:
        # imported here: only the TLS tests need it (cryptography is already installed, a dependency of Rasa's)
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.now(timezone.utc)
        certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                       .serial_number(x509.random_serial_number())
                       .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
                       .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                                      critical=False)
                       .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                       .sign(key, hashes.SHA256()))
        self.cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_file = self.base / "key.pem"
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        key_file.chmod(0o600)

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # its own session: the master and the login/imap children it started, nothing else
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)
