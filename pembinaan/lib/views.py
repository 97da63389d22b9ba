"""What the views of every app share. Knows no models."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def run_service(request, action, success: str) -> bool:
    """Call a service; report its ValidationError as a message instead of a 500, or else
    `success`. True when the service went through."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def redirect_back(request, fallback):
    """After a POST: back to the page the form names in `next` (the inbox, for its one-click
    actions) when that is a page of this site, else to `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
