"""aiosmtpd on 127.0.0.1 for the SMTP client tests, on an ephemeral port printed on stdout.

Every accepted message lands in the Maildir given as first argument, with two headers added
for the tests: X-TLS (the TLS version, or "none") and X-Auth (the AUTH mechanism, or "none").
The Swift side kills this process with SIGKILL: aiosmtpd's event loop ignores SIGTERM.
"""

import argparse
import asyncio
import socket
import ssl

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("maildir")
parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
parser.add_argument("--cert", help="PEM certificate chain of the server")
parser.add_argument("--key", help="PEM private key of the server")
parser.add_argument("--user", help="require AUTH with this user name")
parser.add_argument("--password", help="the password of --user")
parser.add_argument("--exclude-mechanism", action="append", default=[], help="do not offer this AUTH mechanism")
parser.add_argument("--data-delay", type=float, default=0,
                    help="seconds between storing a message and answering 250 (widens the crash window)")
parser.add_argument("--reject-rcpt", action="append", default=[], help="answer RCPT TO for this address with 550")
parser.add_argument("--reject-ehlo", action="store_true", help="answer EHLO with 502, as an RFC 821 server would")
args = parser.parse_args()


class RecordingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in args.reject_rcpt:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # The bytes exactly as received (a parsed and re-generated message would be re-folded),
        # after the test headers.
        tls = server.transport.get_extra_info("ssl_object")
        headers = [
            "X-TLS: " + (tls.version() if tls else "none"),
            "X-Auth: " + str(session.auth_data or "none"),
            "X-RcptTo: " + ", ".join(envelope.rcpt_tos),
        ]
        self.mailbox.add(("\r\n".join(headers) + "\r\n").encode() + envelope.original_content)
        if args.data_delay:
            await asyncio.sleep(args.data_delay)
        return "250 OK"


class FastSMTP(SMTP):
    """aiosmtpd writes a multi-line EHLO reply in several small writes: without TCP_NODELAY,
    Nagle's algorithm and the client's delayed ACK add 40 ms to every connection."""

    def connection_made(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


class OldSMTP(FastSMTP):
    async def smtp_EHLO(self, arg):
        await self.push("502 5.5.1 Command not implemented")


def authenticator(server, session, envelope, mechanism, auth_data):
    valid = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == args.user.encode()
        and auth_data.password == args.password.encode()
    )
    return AuthResult(success=valid, handled=False, auth_data=mechanism if valid else None)


options = {"hostname": "rdv-test-smtp"}
context = None
if args.tls != "none":
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
if args.tls == "starttls":
    options.update(tls_context=context, require_starttls=True)
if args.user:
    options.update(authenticator=authenticator, auth_required=True, auth_exclude_mechanism=args.exclude_mechanism)
    # aiosmtpd only sees TLS it started itself (STARTTLS); with implicit TLS or none, offer AUTH anyway.
    options.update(auth_require_tls=args.tls == "starttls")

handler = RecordingMailbox(args.maildir)
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen()
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
server_ssl = context if args.tls == "implicit" else None
protocol = OldSMTP if args.reject_ehlo else FastSMTP
loop.run_until_complete(loop.create_server(lambda: protocol(handler, loop=loop, **options), sock=listener, ssl=server_ssl))
print(listener.getsockname()[1], flush=True)
loop.run_forever()
