"""The ceilings: a bare Flask endpoint answering `{}` (A), and one doing one INSERT into SQLite
(WAL), nothing else (B)."""

import os
import sqlite3

from flask import Flask, request

DB = os.environ["BARE_DB"]
app = Flask(__name__)


def _connect():
    connection = sqlite3.connect(DB, timeout=15, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


with _connect() as setup:
    setup.execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, name TEXT, email TEXT)")


@app.post("/insert")
def insert():
    payload = request.get_json()
    connection = _connect()
    try:
        connection.execute("INSERT INTO rows (name, email) VALUES (?, ?)",
                           (payload["name"], payload["email"]))
    finally:
        connection.close()
    return {"ok": True}, 201


@app.get("/empty")
def empty():
    """Ceiling A: what Flask and the server cost for an answer that does nothing."""
    return {}
