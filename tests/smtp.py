"""A real SMTP server on the loopback, for the tests that check what leaves by mail (the
reminders, notifications, citizens' mail): it refuses (451) while `refuse` is set and keeps every
message it accepted in `received`. The `smtp` fixture (tests/conftest.py) points Django at it."""

import email
import email.policy
import socketserver
import threading
import time

import pytest


class SmtpServer(socketserver.ThreadingTCPServer):
    """A real SMTP server on the loopback that refuses mail (451) until told to accept it."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.refuse = True
        self.received: list[bytes] = []
        # Seconds the server takes over each sender (MAIL FROM), before any message is given to
        # it: a client killed meanwhile has delivered nothing (tests/integration/test_drill_*).
        self.mail_delay = 0.0

    def env(self) -> dict[str, str]:
        """The environment of a process (a worker) that sends its mail here."""
        host, port = self.server_address
        return {"EMAIL_HOST": host, "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sibina-test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO", "RCPT", "RSET", "NOOP")):
                self.reply("250 ok")
            elif command.startswith("MAIL"):
                time.sleep(self.server.mail_delay)
                self.reply("451 4.3.0 coba lagi nanti" if self.server.refuse else "250 ok")
            elif command == "DATA":
                self.reply("354 kirim")
                body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.received.append(body)
                self.reply("250 diterima")
            elif command == "QUIT":
                self.reply("221 sampai jumpa")
                return
            else:
                self.reply("502 tidak dikenal")


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def messages(server: SmtpServer) -> list[email.message.EmailMessage]:
    """The accepted mails, parsed: `msg["To"]`, `msg["Subject"]`, `body(msg)`."""
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in server.received]


def body(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
