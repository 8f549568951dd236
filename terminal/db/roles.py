"""The PostgreSQL role a chain's terminals connect as: it reads and writes the shop's tables,
may only add to the audit log and the closed days, and owns nothing.

The owner of the tables (the role that created the database and runs the migrations) grants
it, after creating the database and after every upgrade (a new table needs its grant)::

    CREATE ROLE member_terminal LOGIN PASSWORD '…';
    -- then, connected to the database as the owner, the statements of terminal_role_grants()

A terminal's role owns no table, so it can neither drop the trigger that refuses UPDATE,
DELETE and TRUNCATE on ``audit_entry`` (``migrations.APPEND_ONLY_SQL``) nor grant itself more.
"""

from __future__ import annotations

import re

from .summaries import SUMMARIES

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
APPEND_ONLY_TABLES = ("audit_entry", "day_close", "programme_version")


def terminal_role_grants(role: str, schema: str = "public") -> list[str]:
    """The GRANT and REVOKE statements, in order, for the terminals' role ``role``."""
    for name in (role, schema):
        if not _NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a plain PostgreSQL name (a-z, 0-9, _)")
    statements = [
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
        # the owner migrates; a terminal only reads which version it has
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{schema}"."schema_migration" '
        f'FROM "{role}"',
    ]
    statements += [f'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON '
                   f'"{schema}"."{table}" FROM "{role}"' for table in APPEND_ONLY_TABLES]
    # the running totals are the triggers' to write (their functions run as the owner)
    statements += [f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{schema}"."{s.table}" '
                   f'FROM "{role}"' for s in SUMMARIES]
    return statements
