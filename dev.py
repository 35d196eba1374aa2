#!/usr/bin/env python3
"""The newcomer's two commands, needing nothing but Python 3.11+:

    python3 dev.py demo    set up .venv, create the SQLite demo database, print the logins and serve it
    python3 dev.py test    set up .venv and run the whole test suite (PostgreSQL when DATABASE_URL is set)

Anything after "test" goes to pytest (python3 dev.py test tests/cases -x).
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args: str, env: dict | None = None) -> None:
    completed = subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_venv() -> None:
    """Create .venv and install the project with its test tools, again only when pyproject.toml changed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        say("Creating .venv")
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # Debian/Ubuntu ship venv's pip separately
            sys.exit(f"Could not create .venv ({exc}). On Debian or Ubuntu: sudo apt install python3-venv")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{digest}"
    if not stamp.exists():
        say("Installing dependencies (first run takes a minute)")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(str(PYTHON), "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()


def demo(args: list[str]) -> None:
    port = os.environ.get("PORT", "8000")
    env = {"DEBUG": "True", "DATABASE_URL": os.environ.get("DEMO_DATABASE_URL", "")}
    manage = [str(PYTHON), "manage.py"]
    say(f"Preparing the demo database ({env['DATABASE_URL'] or 'SQLite file db.sqlite3'})")
    run(*manage, "migrate", "--verbosity", "0", env=env)
    run(*manage, "seed_demo", *args, env=env)
    say(f"Open http://127.0.0.1:{port}/ and log in with an account above (Ctrl+C stops the server)")
    run(*manage, "runserver", f"127.0.0.1:{port}", env=env)


def test(args: list[str]) -> None:
    target = os.environ.get("DATABASE_URL") or "SQLite (set DATABASE_URL for PostgreSQL)"
    say(f"Running the test suite against {target}")
    run(str(PYTHON), "-m", "pytest", *args)


COMMANDS = {"demo": demo, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    ensure_venv()
    COMMANDS[sys.argv[1]](sys.argv[2:])
