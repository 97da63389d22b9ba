from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies_check(app_configs, **kwargs):
    """Behind a proxy that nobody trusts, every client has the proxy's address: one failed-login
    count for the whole province (pembinaan.lockout) and one public-form bound."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXIES is empty: every client counts as "
                "the proxy's address, so twenty failed logins lock everyone out.",
                hint="Set TRUSTED_PROXIES to the proxy's address (see .env.example).",
                id="pembinaan.W001",
            )
        ]
    return []
