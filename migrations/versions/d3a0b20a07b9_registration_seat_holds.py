"""registration seat holds: a seat held until the e-mail confirms it

States "held" and "expired" are new values of the String(20) column registrations.state (no
native enum on either database). The partial unique index of active registrations now counts
a live hold as active. Registrations made before holds existed were accepted under the old rule
and count as proven.

Revision ID: d3a0b20a07b9
Revises: 83de61a6c093
Create Date: 2026-12-02 01:33:46.583937

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a0b20a07b9'
down_revision = '83de61a6c093'
branch_labels = None
depends_on = None

OLD_ACTIVE = "state IN ('pending_approval', 'confirmed', 'waitlisted')"
NEW_ACTIVE = "state IN ('pending_approval', 'held', 'confirmed', 'waitlisted')"


def _active_index(batch_op, predicate: str) -> None:
    batch_op.create_index('uq_registrations_active_person', ['event_id', 'person_key'],
                          unique=True, sqlite_where=sa.text(predicate),
                          postgresql_where=sa.text(predicate))


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proven_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hold_expires_at', sa.DateTime(), nullable=True))
        batch_op.drop_index('uq_registrations_active_person')
    op.execute("UPDATE registrations SET proven_at = created_at")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        _active_index(batch_op, NEW_ACTIVE)


def downgrade():
    # Holds were seats: confirm none of them silently; they end as expired holds would.
    op.execute("UPDATE events SET confirmed_count = confirmed_count - (SELECT count(*) FROM "
               "registrations WHERE registrations.event_id = events.id "
               "AND registrations.state = 'held')")
    op.execute("UPDATE registrations SET state = 'cancelled' "
               "WHERE state IN ('held', 'expired')")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('uq_registrations_active_person')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        _active_index(batch_op, OLD_ACTIVE)
        batch_op.drop_column('hold_expires_at')
        batch_op.drop_column('proven_at')
