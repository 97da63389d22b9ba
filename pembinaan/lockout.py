"""Login lockout on top of django-axes: its database handler, plus a cap per address.

Axes counts failures per account and address together (AXES_LOCKOUT_PARAMETERS) against one
limit. A second, higher limit for an address over all accounts (someone trying a few passwords on
each of many accounts) is what it cannot say in settings, so this handler adds it: such an address
counts as having reached the limit for every account it tries."""

from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_account = super().get_failures(request, credentials)
        if _address_failures(request) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # A single sign-on the provider vouched for but SIBINA refused (a NIP matching no
        # pegawai, no account) guessed no password: counted, five of them would lock the SSO of
        # everyone behind the same address (pegawai.sso).
        if getattr(request, "sso_penolakan", None) is not None:
            return
        super().user_login_failed(sender, credentials, request, **kwargs)


def lockout_ends_at(request, credentials=None) -> datetime:
    """When the request's account and address may try again: when the failures still counted
    fall under each limit they reached. Refused attempts during a lockout are not recorded
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so this time holds."""
    recent = _recent(request)
    account = recent.filter(username=get_client_username(request, credentials))
    reached = [
        end
        for end in (
            _last_needed(account, settings.AXES_FAILURE_LIMIT),
            _last_needed(recent, settings.LOGIN_FAILURES_PER_ADDRESS),
        )
        if end is not None
    ]
    return max(reached, default=request.axes_attempt_time) + get_cool_off(request)


def _recent(request):
    return AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )


def _address_failures(request) -> int:
    return _recent(request).aggregate(n=Sum("failures_since_start"))["n"] or 0


def _last_needed(attempts, limit: int) -> datetime | None:
    """The time of the oldest attempt without which the newer ones stay under `limit`: the lock
    lasts until that one expires. None when these attempts do not reach the limit."""
    total = 0
    for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
        "attempt_time", "failures_since_start"
    ):
        total += failures
        if total >= limit:
            return attempt_time
    return None
