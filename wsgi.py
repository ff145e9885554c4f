"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`.

Before serving, once per process (in gunicorn's master with --preload, so every worker forks
ready): the ORM's mappers are configured (else each worker's first request spent about a
second on it), and everything loaded so far is moved out of the garbage collector's sight
(gc.freeze): the app's modules, catalogues and mappers live as long as the process, yet each
full collection walked all of them again (about 220,000 objects; 2 ms per registration on
average, in pauses of tens of milliseconds).
"""

import gc

from sqlalchemy.orm import configure_mappers

from forum_app import create_app

app = create_app()
configure_mappers()
gc.freeze()
