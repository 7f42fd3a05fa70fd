"""A real IMAP server for the tests: Debian's dovecot (package dovecot-imapd, requirements/debian.txt), started as
a child process with its own configuration in a temporary directory: its own base_dir, a free port on 127.0.0.1,
one passwd-file user, maildir storage. Nothing of the machine's own dovecot set-up is used or touched.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.integration.handoff.mail.smtp_server import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "support"
PASSWORD = "Imap-Test-Passwort-4711"
# Dovecot never delivers mail as root: when the tests run as root, the mailbox belongs to `nobody`.
NOBODY = 65534

CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
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
    port = 0
  }}
}}
"""


def available() -> bool:
    return os.path.exists(DOVECOT) and os.access(DOVECOT, os.X_OK)


class Dovecot:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="nordwind-dovecot-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> "Dovecot":
        uid, gid = (NOBODY, NOBODY) if os.getuid() == 0 else (os.getuid(), os.getgid())
        os.chmod(self.base, 0o755)
        for name in ("run", "state", "mail", "home"):
            (self.base / name).mkdir()
        for name in ("mail", "home"):
            if os.getuid() == 0:
                os.chown(self.base / name, uid, gid)
        (self.base / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        config = self.base / "dovecot.conf"
        config.write_text(CONFIG.format(base=self.base, port=self.port, uid=uid, gid=gid))
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
