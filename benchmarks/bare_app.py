"""The ceilings: a bare Flask app answering `{}` (ceiling A: what a request costs at all) and a
bare Flask endpoint doing one INSERT into SQLite (WAL) in its own transaction, nothing else
(ceiling B: what a write costs at all)."""

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


@app.get("/")
def empty():
    return {}


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

