"""Sessions kept in the database and read through the cache: one cache read instead of a query
on every signed-in page.

Django's cached_db backend already survives an unreachable cache when reading and saving; this
one also when it refills the cache after reading the database and when a session ends, so that
a Redis outage costs speed, never a page. The cached copy lives five minutes at most: a session
ended while the cache could not be told (its database row is gone at once) cannot outlive that.
"""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)
CACHE_SECONDS = 5 * 60


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - any cache outage: the database has the session
            logger.warning("session cache unreachable; reading the database", exc_info=True)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        self._cache_set(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        # Asked only when a new session key is drawn: the database alone answers.
        return super(cached_db.SessionStore, self).exists(session_key)

    def save(self, must_create=False):
        super(cached_db.SessionStore, self).save(must_create)  # the database row
        self._cache_set(self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        if session_key is None:
            return
        super(cached_db.SessionStore, self).delete(session_key)  # the database row
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # noqa: BLE001 - the row is gone; the cached copy expires soon
            logger.warning("session cache unreachable; cached copy left to expire", exc_info=True)

    def _cache_set(self, data, expiry_age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, min(expiry_age, CACHE_SECONDS))
        except Exception:  # noqa: BLE001
            logger.warning("session cache unreachable; not cached", exc_info=True)
