"""Hot-path statements whose SQL is built once per database dialect, then rerun with new values.

peewee renders a query's SQL anew on every call: about 0.3 ms for a 25-column select, twenty
times what SQLite then needs to run it. A checkout issues some twenty statements, so the ones
the counter runs on every sale are declared here once, as a function of their parameters,
and peewee's own cursor wrappers still turn the rows into models with the fields' converters.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import peewee as pw

from .database import proxy


@dataclass(frozen=True)
class _Slot:
    """Where, in a compiled statement's parameters, the ``index``-th argument goes."""

    index: int
    converter: Callable[[Any], Any] | None


class Param(pw.Node):
    """A value given at call time; converted by the field it is compared with or stored in."""

    def __init__(self, index: int, converter: Callable[[Any], Any] | None = None) -> None:
        self.index = index
        self.converter = converter

    def __sql__(self, ctx: pw.Context) -> pw.Context:
        ctx._values.append(_Slot(self.index, self.converter or ctx.state.converter))
        return ctx.literal(ctx.state.param or "?")


class Statement:
    """``build(*params)`` returns a peewee query; calling the statement runs it with values.

    The query must not depend on the values in any other way than through the params
    (no ``in_()`` of a list whose length varies, no Python branching on them).
    """

    def __init__(self, build: Callable[..., Any]) -> None:
        self._build = build
        self._arity = len(inspect.signature(build).parameters)
        self._compiled: dict[type, tuple[Any, str, list[Any]]] = {}

    def _run(self, args: tuple[Any, ...]) -> tuple[Any, Any]:
        if len(args) != self._arity:
            raise TypeError(f"statement takes {self._arity} values, got {len(args)}")
        db = proxy.obj
        compiled = self._compiled.get(type(db))  # the SQL text depends on the dialect only
        if compiled is None:
            query = self._build(*(Param(i) for i in range(self._arity)))
            sql, params = query.sql()
            compiled = self._compiled[type(db)] = (query, sql, params)
        query, sql, params = compiled
        values = [_bind(p, args) if isinstance(p, _Slot) else p for p in params]
        return query, db.execute_sql(sql, values)

    def rows(self, *args: Any) -> Iterator[Any]:
        query, cursor = self._run(args)
        return iter(query._get_cursor_wrapper(cursor))

    def first(self, *args: Any) -> Any:
        return next(self.rows(*args), None)

    def scalar(self, *args: Any) -> Any:
        _, cursor = self._run(args)
        row = cursor.fetchone()
        return None if row is None else row[0]

    def returned(self, *args: Any) -> Any:
        """The first column of the one row an ``UPDATE ... RETURNING`` gave, or None;
        every row is fetched, so the statement is finished before the transaction goes on."""
        _, cursor = self._run(args)
        rows = cursor.fetchall()
        return rows[0][0] if rows else None

    def execute(self, *args: Any) -> int:
        """Run an UPDATE, INSERT or DELETE; the number of rows it touched."""
        _, cursor = self._run(args)
        return int(cursor.rowcount)


def _bind(slot: _Slot, args: tuple[Any, ...]) -> Any:
    value = args[slot.index]
    return value if slot.converter is None else slot.converter(value)


M = TypeVar("M", bound=pw.Model)

_inserts: dict[tuple[type, tuple[str, ...]], Statement] = {}


def insert(model: type[M], **values: Any) -> M:
    """``model.create(**values)`` for hot paths: defaults filled, SQL compiled once."""
    for field in model._meta.sorted_fields:
        if field.name not in values and field.default is not None:
            values[field.name] = field.default() if callable(field.default) else field.default
    names = tuple(values)
    statement = _inserts.get((model, names))
    if statement is None:
        fields = [model._meta.fields[name] for name in names]

        def build(*params: Param) -> Any:
            return model.insert({f: Param(p.index, f.db_value) for f, p in
                                 zip(fields, params, strict=True)})

        build.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(f"p{i}", inspect.Parameter.POSITIONAL_ONLY)
             for i in range(len(names))])
        statement = _inserts[(model, names)] = Statement(build)
    statement.execute(*values.values())
    return model(**values)
