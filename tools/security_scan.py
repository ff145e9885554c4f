"""`make audit`'s web scan: wapiti against a throwaway instance, anonymous and as each demo role.

Starts gunicorn (production settings, demo data, SQLite in a temporary instance folder) on a
free loopback port, signs in as each demo account through the real login form, writes the
session cookie in wapiti's cookie-jar format, runs wapiti once anonymously and once per role,
then prints a table per run and exits 1 when a run found anything of medium severity or above
or when the server answered any request with a 5xx. Installs nothing: wapiti comes from
.venv-audit (`pip install --group audit`), the app from .venv. Reports stay under
test-artifacts/security-scan/ (git-ignored). Settings, from the environment:

    SCAN_MINUTES   total wall time for all runs (default 14), shared evenly between them
    SCAN_ROLES     "anonymous citizen organiser moderator official admin" or a subset
    SCAN_MODULES   wapiti modules (default: its defaults that stay offline, plus a few)
    WAPITI         the wapiti executable (default .venv-audit/bin/wapiti)
"""

import html.parser
import http.cookiejar
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REPORTS = ROOT / "test-artifacts" / "security-scan"
ROLES = ("anonymous", "citizen", "organiser", "moderator", "official", "admin")
# wapiti's default modules without ssrf (it asks wapiti's server on the Internet) and ssl (no
# TLS on loopback), plus the CSRF and HTTP-method checks. Not crlf: wapiti 3.2.3 crashes in it
# ("database is locked" in its own session store), and Werkzeug refuses CR/LF in headers anyway.
MODULES = "cookieflags,csp,exec,file,http_headers,permanentxss,redirect,sql,upload,xss," \
          "csrf,methods"
# Forms a scan must not submit, or it would sign itself out or erase the account it scans as.
EXCLUDED_PATHS = ("/account/logout", "/account/sessions/end", "/account/delete")
SEVERITIES = ("info", "low", "medium", "high", "critical")  # wapiti's levels 0..4
FAILING_LEVEL = 2  # medium


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_password() -> str:
    sys.path.insert(0, str(ROOT))  # config.py sits beside forum_app/
    from forum_app.accounts.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


class Server:
    """gunicorn serving the demo data as in production, logging every request to a file."""

    def __init__(self, instance: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = instance / "access.log"
        self.error_log = instance / "error.log"
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "FORUM_INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'forum.sqlite'}",
            "UPLOAD_FOLDER": str(instance / "uploads"),
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_BASE_URL": self.url,
            "FLASK_APP": "wsgi",
            # The scanner must reach the code behind the limits (the tests cover the limits).
            "RATELIMIT_ENABLED": "false",
            "SESSION_COOKIE_SECURE": "false",  # plain http on loopback
            "MAIL_SERVER": "",
            "MAIL_DELIVERY": "worker",  # mail stays in the outbox: no mail leaves the machine
        }
        self.process = None

    def seed(self):
        env = self.env | {"FORUM_ENV": "development"}  # seed-demo refuses production
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)

    def start(self):
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--access-logfile", str(self.access_log),
             "--access-logformat", '%(s)s %(m)s "%(U)s"', "--error-logfile", str(self.error_log),
             "wsgi:app"],
            cwd=ROOT, env=self.env | {"FORUM_ENV": "production"})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited early: see {self.error_log}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("gunicorn did not become ready")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)

    def log_lines(self) -> list[str]:
        return self.access_log.read_text(errors="replace").splitlines()


class CsrfField(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        fields = dict(attrs)
        if tag == "input" and fields.get("name") == "csrf_token" and self.token is None:
            self.token = fields.get("value")


def sign_in(server: Server, email: str, password: str) -> http.cookiejar.CookieJar:
    """The real login: the form's CSRF token, then the POST; returns the signed-in cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(server.url + "/account/login") as response:
        parser = CsrfField()
        parser.feed(response.read().decode())
    data = urllib.parse.urlencode({"csrf_token": parser.token, "email": email,
                                   "password": password}).encode()
    with opener.open(server.url + "/account/login", data=data) as response:
        if response.url.endswith("/account/login"):
            raise SystemExit(f"could not sign in as {email}")
    return jar


def still_signed_in(server: Server, cookie_file: Path) -> bool:
    cookies = json.loads(cookie_file.read_text())["127.0.0.1"]["/"]
    header = "; ".join(f"{name}={attrs['value']}" for name, attrs in cookies.items())
    request = urllib.request.Request(server.url + "/account/", headers={"Cookie": header})
    with urllib.request.urlopen(request) as response:
        return "/account/login" not in response.url


def write_cookie_file(jar: http.cookiejar.CookieJar, path: Path):
    """wapiti's JSON cookie jar (wapitiCore/net/jsoncookie.py): {domain: {path: {name: attrs}}},
    an IP address as its own key, a host name with a leading dot."""
    cookies: dict = {}
    for cookie in jar:
        domain = cookie.domain if cookie.domain[0].isdigit() else "." + cookie.domain.lstrip(".")
        cookies.setdefault(domain, {}).setdefault(cookie.path, {})[cookie.name] = {
            "value": cookie.value, "expires": cookie.expires, "secure": cookie.secure,
            "port": None, "version": cookie.version}
    path.write_text(json.dumps(cookies, indent=2))


def run_wapiti(server: Server, role: str, seconds: float, cookie_file: Path | None) -> Path:
    wapiti = os.environ.get("WAPITI", str(ROOT / ".venv-audit" / "bin" / "wapiti"))
    folder = REPORTS / role
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    modules = os.environ.get("SCAN_MODULES", MODULES)
    command = [wapiti, "-u", server.url + "/", "--scope", "folder", "-m", modules,
               "--flush-session", "--no-bugreport", "-v", "1",
               # Few parallel requests with a generous timeout: two gunicorn workers on 2 cores.
               "--tasks", "4", "--timeout", "20",
               "--store-session", str(folder / "session"), "--store-config", str(folder / "config"),
               "--max-scan-time", str(int(seconds)),
               "--max-attack-time", str(int(seconds / 4)),
               "-f", "json", "-o", str(folder / "report.json")]
    for path in EXCLUDED_PATHS:
        command += ["-x", server.url + path]
    if cookie_file:
        command += ["-c", str(cookie_file)]
    with open(folder / "wapiti.log", "w") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    return folder / "report.json"


def findings(report: Path) -> dict[str, int]:
    """Vulnerabilities and anomalies of a wapiti JSON report, counted by severity."""
    counts = dict.fromkeys(SEVERITIES, 0)
    if not report.exists():
        return counts
    data = json.loads(report.read_text())
    for section in ("vulnerabilities", "anomalies"):
        for items in data.get(section, {}).values():
            for item in items:
                counts[SEVERITIES[min(int(item.get("level", 0)), 4)]] += 1
    return counts


def main() -> int:
    roles = os.environ.get("SCAN_ROLES", " ".join(ROLES)).split()
    per_run = float(os.environ.get("SCAN_MINUTES", "14")) * 60 / len(roles)
    REPORTS.mkdir(parents=True, exist_ok=True)
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="forum-scan-") as instance:
        server = Server(Path(instance))
        server.seed()
        server.start()
        try:
            for role in roles:
                cookie_file = None
                if role != "anonymous":
                    cookie_file = REPORTS / f"{role}.cookies.json"
                    write_cookie_file(sign_in(server, f"{role}@demo.forum.mn", demo_password()),
                                      cookie_file)
                before = len(server.log_lines())
                report = run_wapiti(server, role, per_run, cookie_file)
                lines = server.log_lines()[before:]
                errors = [line for line in lines if line.startswith("5")]
                counts = findings(report)
                signed_in = "-" if cookie_file is None else (
                    "yes" if still_signed_in(server, cookie_file) else "NO")
                rows.append((role, len(lines), counts, len(errors), signed_in, report.exists()))
                if errors:
                    (report.parent / "server-5xx.log").write_text("\n".join(errors) + "\n")
                failed |= bool(errors) or not report.exists() or any(
                    counts[name] for name in SEVERITIES[FAILING_LEVEL:])
        finally:
            server.stop()
            shutil.copy(server.error_log, REPORTS / "server-error.log")
    print_summary(rows)
    print(f"Reports: {REPORTS.relative_to(ROOT)}/<role>/report.json, wapiti.log, server-5xx.log")
    return 1 if failed else 0


def print_summary(rows):
    header = f"{'run':<11}{'requests':>9}" + "".join(f"{s:>9}" for s in SEVERITIES) + \
        f"{'5xx':>6}{'signed in':>11}  report"
    print(header)
    print("-" * len(header))
    for role, requests, counts, errors, signed_in, has_report in rows:
        print(f"{role:<11}{requests:>9}" + "".join(f"{counts[s]:>9}" for s in SEVERITIES)
              + f"{errors:>6}{signed_in:>11}  {'ok' if has_report else 'MISSING'}")


if __name__ == "__main__":
    sys.exit(main())
