"""Alembic's environment for the store: runs migrations on the engine ``db.upgrade`` hands over
(no alembic.ini: the URL comes from uprooted's settings or ``--db``)."""

from __future__ import annotations

from alembic import context

from uprooted.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
