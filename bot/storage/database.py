"""The database as the request path sees it: ready or not, healthy or not, and never slow.

Slack wants every event, command and action acknowledged within 3 seconds. Of the work done
before the ack, only the de-duplication of events touches the database (bot/slack/listeners:
the insert into `seen_events` runs before authorization, on arrival), and with the
multi-workspace install Bolt's installation lookup (bot/storage/oauth.py). We keep the
de-duplication there rather than moving it after the ack: after the ack, a retry handed to
another replica could already be answering, and exactly one answer per event is the point of
it. Instead every database call on the request path goes through `Database.run` (or `call`),
which bounds it twice (conversation lookups, recording and votes go through it too, on the
answer threads, so that a sick database never holds an answer either):

- by a deadline (`BUDGET_SECONDS`, 1 s): the call runs on a small pool of database threads and
  the caller waits at most that long, whatever the database does: refuse, accept and never
  answer, stall an established connection (no timeout of the driver or of TCP notices a proxy
  that keeps acknowledging and never forwards), or hold a lock. A call that misses its deadline
  is abandoned to its thread and the caller falls back to memory;
- by the server's own limits (bot.storage.db: connect, statement and lock timeouts, TCP keepalive)
  so an abandoned call ends, and frees its thread and connection, soon after.

After a failure or a missed deadline the database is left alone: calls fall back at once, so
answers do not each pay the deadline during an outage and stuck threads do not pile up, while
one background thread probes it every `PROBE_EVERY_SECONDS` on a fresh connection. The same
thread retries a database that was unreachable at startup and, when it answers, brings its
schema up to date first. Either way recording, de-duplication and conversations move back to
the database as soon as it answers. Lost and back are each logged once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Final, TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

log = logging.getLogger(__name__)

T = TypeVar("T")

BUDGET_SECONDS = 1.0  # what a request may wait for the database: a third of Slack's 3 s
PROBE_EVERY_SECONDS = 1.0  # while the database is down, how often to try it again
DB_THREADS = 4


class _Unavailable:
    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE: Final = _Unavailable()  # what `run` returns when the database did not answer


class Database:
    """An engine plus what the request path needs to know about it. `version` is the schema
    version reached at startup, None when the database could not be reached then; `migrate`
    brings the schema up to date when it comes back."""

    def __init__(
        self,
        engine: Engine,
        version: int | None,
        *,
        migrate: Callable[[Engine], int] | None = None,
        budget: float = BUDGET_SECONDS,
    ) -> None:
        self.engine = engine
        self.schema_version = version
        self.budget = budget
        self._migrate = migrate
        self._ready = threading.Event()  # the schema is in place
        self._healthy = threading.Event()  # and the last call (or probe) got an answer
        if version is not None:
            self._ready.set()
            self._healthy.set()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._probing_pid = 0  # the process whose probe thread is running, 0: none
        self._on_ready: list[Callable[[Engine], None]] = []
        self._when_back: list[Callable[[], None]] = []

    @property
    def ready(self) -> bool:
        """The schema is in place: the database may be used (it may still fail)."""
        return self._ready.is_set()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def wait_healthy(self, timeout: float) -> bool:
        return self._healthy.wait(timeout)

    # -- bounded calls ---------------------------------------------------------------------

    def run(self, what: str, work: Callable[[Connection], T]) -> T | _Unavailable:
        """`work(conn)` in a transaction, waiting at most `budget` seconds. IntegrityError is
        raised (the database answered: no); any other failure, a missed deadline, a database
        not ready or known to be down give UNAVAILABLE, logged as `what` ("… not recorded")."""
        return self.call(what, lambda: self._in_transaction(work))

    def call(self, what: str, work: Callable[[], T]) -> T | _Unavailable:
        """`work()` (which uses this database its own way, e.g. slack_sdk's installation store)
        on the same terms as `run`."""
        if not self._healthy.is_set():
            if self.ready:
                log.warning("database still unavailable: %s", what)
            self._probe_in_background()
            return UNAVAILABLE
        deadline = time.monotonic() + self.budget
        future = self._executor().submit(self._unless_late, work, deadline)
        try:
            result = future.result(timeout=self.budget)
        except FutureTimeout:
            self._failed(what, f"no answer within {self.budget:g} s", None)
            return UNAVAILABLE
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            self._failed(what, type(exc).__name__, exc)
            return UNAVAILABLE
        return result

    @staticmethod
    def _unless_late(work: Callable[[], T], deadline: float) -> T | _Unavailable:
        if time.monotonic() > deadline:  # queued behind stuck calls: its caller has moved on
            return UNAVAILABLE
        return work()

    def _in_transaction(self, work: Callable[[Connection], T]) -> T:
        with self.engine.begin() as conn:
            return work(conn)

    def when_ready(self, hook: Callable[[Engine], None]) -> None:
        """Run `hook(engine)` now if the schema is in place, else right after the background
        probe has migrated a database that was down at startup (before it is used)."""
        if self.ready:
            hook(self.engine)
        else:
            self._on_ready.append(hook)

    def when_back(self, hook: Callable[[], None]) -> None:
        """Run `hook()` each time the background probe finds the database back (it may use
        `run`: the database is healthy by then)."""
        self._when_back.append(hook)

    def _executor(self) -> ThreadPoolExecutor:
        # created in the process that uses it: threads do not survive gunicorn's fork
        with self._lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(DB_THREADS, "rolebot-db")
                self._pool_pid = os.getpid()
            return self._pool

    def _failed(self, what: str, reason: str, exc: BaseException | None) -> None:
        with self._lock:
            first = self._healthy.is_set()
            self._healthy.clear()
        if first:
            log.error(
                "database unavailable (%s): %s; answering on, de-duplicating and remembering "
                "conversations in this process until it is back",
                reason,
                what,
                exc_info=exc,
            )
        else:
            log.warning("database still unavailable (%s): %s", reason, what)
        self._probe_in_background()

    # -- down: probe (and migrate) in the background until it answers ----------------------

    def start_reconnecting(self) -> None:
        """Retry a database that was down at startup until it answers, then migrate it and use
        it. Call it in the process that serves (after gunicorn's fork); a no-op when healthy."""
        self._probe_in_background()

    def _probe_in_background(self) -> None:
        if self._healthy.is_set():
            return
        with self._lock:
            if self._probing_pid == os.getpid():
                return
            self._probing_pid = os.getpid()
        threading.Thread(target=self._probe, name="rolebot-db-probe", daemon=True).start()

    def _probe(self) -> None:
        try:
            while not self._healthy.is_set():
                time.sleep(PROBE_EVERY_SECONDS)
                if self._healthy.is_set() or self._answers():  # closed meanwhile, or back
                    break
        finally:
            with self._lock:
                self._probing_pid = 0

    def _answers(self) -> bool:
        try:
            if not self.ready:
                if self._migrate is None:
                    return False
                self.schema_version = self._migrate(self.engine)
                for hook in self._on_ready:
                    hook(self.engine)
            else:
                self.engine.dispose()  # pooled connections may be the stalled ones
                with self.engine.connect() as conn:
                    conn.execute(select(1))
        except (SQLAlchemyError, OSError) as exc:
            log.debug("database still unreachable: %s", exc)
            return False
        first_time = not self.ready
        self._ready.set()
        self._healthy.set()
        if first_time:
            log.warning(
                "database available again (schema v%s): recording, de-duplicating and "
                "remembering conversations in the database",
                self.schema_version,
            )
        else:
            log.warning("database available again")
        for back in self._when_back:
            try:
                back()
            except Exception:
                log.exception("catching up after the database came back failed")
        return True

    def close(self) -> None:
        self._healthy.set()  # stops a probe
        if self._pool is not None and self._pool_pid == os.getpid():
            self._pool.shutdown(wait=False, cancel_futures=True)
        self.engine.dispose()
