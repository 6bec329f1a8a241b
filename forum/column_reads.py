"""Per-reader reads of plain columns, run on the session's connection with SQL rendered once.

Every signed-in page asks a handful of small questions of its own (the reader's unread marks,
counts, likes, bookmarks, reply draft, the page's topic ids). Through SQLAlchemy's execution
path each costs about 0.2 ms of Python beyond the query itself: looking the compiled form up,
expanding IN lists, building an execution context and a result. Those statements are built
once and kept (module-level, per shape), so their SQL for this database, with each IN list's
length, can be rendered once too; after that a read is the driver's own execute.

SQLAlchemy still does all of the SQL: it compiles and expands the statement
(`construct_expanded_state`) and supplies every bind and result type conversion. Only the
per-call bookkeeping is skipped, and with it SQLAlchemy's statement events: while anything
listens to them (the tests' query counters, profiling), reads take SQLAlchemy's own path so
every statement is seen. A driver error is raised through that path too, so callers get
SQLAlchemy's exceptions and a lost connection is dropped from the pool as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import Select

from forum.extensions import db

# Statements × dialects × IN-list lengths rendered so far. Kept statements with a list page's
# few lengths need a few hundred; a statement built per call adds one each time, so past the
# bound everything is forgotten and the kept ones are rendered again (a millisecond each).
MAX_PREPARED = 1000
_prepared: dict[tuple, _Prepared | None] = {}


def read_columns(statement: Select, parameters: Mapping[str, Any] | None = None) -> Rows:
    """The rows of a statement that selects plain columns (never ORM entities).

    Pending changes are flushed first, as the ORM's autoflush would do before a query.
    """
    session = db.session()
    if session.autoflush:
        session.flush()  # returns at once when nothing is pending (Session.dirty walks all)
    connection = session.connection()
    parameters = parameters or {}
    prepared = None if _statements_observed(connection) else _prepare(
        connection.dialect, statement, parameters)
    if prepared is None:
        return _through_sqlalchemy(connection, statement, parameters)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(prepared.sql, prepared.arguments(parameters))
        raw_rows = cursor.fetchall()
    except connection.dialect.loaded_dbapi.Error:
        cursor.close()
        # SQLAlchemy's own path raises its exception for this, and handles a lost connection.
        return _through_sqlalchemy(connection, statement, parameters)
    cursor.close()
    return Rows(prepared.convert(raw_rows))


def _through_sqlalchemy(connection: Connection, statement: Select,
                        parameters: Mapping[str, Any]) -> Rows:
    return Rows(tuple(connection.execute(statement, parameters)))


class Rows(Sequence):
    """Rows as tuples, with the few Result methods that callers use."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[tuple]):
        self.rows = rows

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def all(self) -> list[tuple]:
        return list(self.rows)

    def scalars(self) -> Scalars:
        return Scalars(row[0] for row in self.rows)

    def scalar(self):
        """The first column of the first row, or None when there is no row."""
        return self.rows[0][0] if self.rows else None

    def one(self) -> tuple:
        if not self.rows:
            raise exc.NoResultFound("No row was found when one was required")
        if len(self.rows) > 1:
            raise exc.MultipleResultsFound("Multiple rows were found when exactly one was "
                                           "required")
        return self.rows[0]


class Scalars(list):
    """The first column of each row: a list that also answers Result.scalars()'s all()."""

    def all(self) -> list:
        return list(self)


class _Prepared:
    """One statement's SQL for one dialect and one length of each IN list, with how to
    turn a call's parameters into the driver's and the driver's rows into Python values."""

    __slots__ = ("sql", "constants", "expansion", "order", "bind", "result", "positional")

    def __init__(self, sql: str, constants: dict, expansion: dict[str, list[str]],
                 order: tuple[str, ...], bind: dict[str, Callable],
                 result: tuple[Callable | None, ...], positional: bool):
        self.sql, self.constants, self.expansion = sql, constants, expansion
        self.order, self.bind, self.result = order, bind, result
        self.positional = positional

    def arguments(self, parameters: Mapping[str, Any]):
        values = {**self.constants, **parameters}
        for name, names in self.expansion.items():
            values.update(zip(names, values[name], strict=True))
        bind = self.bind
        if self.positional:
            return tuple(bind[name](values[name]) if name in bind else values[name]
                         for name in self.order)
        return {name: bind[name](values[name]) if name in bind else values[name]
                for name in self.order}

    def convert(self, raw_rows: list) -> Sequence[tuple]:
        if not any(self.result):
            return raw_rows  # the drivers' rows are tuples already
        processors = self.result
        return tuple(tuple(value if process is None else process(value)
                           for process, value in zip(processors, row, strict=True))
                     for row in raw_rows)


def _statements_observed(connection: Connection) -> bool:
    dispatch = connection.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)


def _prepare(dialect: Dialect, statement: Select, parameters: Mapping[str, Any]
             ) -> _Prepared | None:
    """The statement rendered for these parameters' IN-list lengths, or None when it must
    take SQLAlchemy's path (a value rendered into the SQL itself or computed per call,
    renamed parameters)."""
    lengths = tuple(sorted((name, len(value)) for name, value in parameters.items()
                           if isinstance(value, list | tuple)))
    key = (statement, dialect.name, dialect.driver, lengths)
    try:
        return _prepared[key]
    except KeyError:
        pass
    prepared = _render(dialect, statement, parameters)
    if len(_prepared) >= MAX_PREPARED:
        _prepared.clear()
    _prepared[key] = prepared
    return prepared


def _render(dialect: Dialect, statement: Select, parameters: Mapping[str, Any]
            ) -> _Prepared | None:
    compiled = statement.compile(dialect=dialect)
    if compiled.literal_execute_params or compiled.escaped_bind_names or any(
            bind.callable is not None and name not in parameters
            for name, bind in compiled.binds.items()):
        return None  # the SQL, or a value, would differ from call to call
    state = compiled.construct_expanded_state(dict(parameters))
    # The caller's lists, spread over one parameter per item; a list the statement carries
    # itself (IN with literal values) is a constant like any other value of its own.
    expansion = {name: list(names) for name, names in state.parameter_expansion.items()
                 if name in parameters}
    expanded = {name for names in expansion.values() for name in names}
    order = tuple(state.positiontup) if compiled.positional else tuple(state.parameters)
    # Values the statement carries itself (a literal compared in SQL), not given per call.
    constants = {name: value for name, value in state.parameters.items()
                 if name not in parameters and name not in expanded}
    # Each type's conversions, as SQLAlchemy's execution applies them (the expanded state
    # holds only those of the items that lists were spread over).
    bind = {name: process for name, parameter in compiled.binds.items()
            if (process := parameter.type.dialect_impl(dialect).bind_processor(dialect))}
    bind.update(state.processors)
    result = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                   for column in statement.selected_columns)
    return _Prepared(state.statement, constants, expansion, order, bind, result,
                     compiled.positional)
