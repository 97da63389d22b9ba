"""What the views of every app share. Knows no models."""

from django.contrib import messages
from django.core.exceptions import ValidationError


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
