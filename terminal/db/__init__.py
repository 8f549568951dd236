"""Persistence: peewee models behind a proxy, SQLite or PostgreSQL chosen by URL."""
