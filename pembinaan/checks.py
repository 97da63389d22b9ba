from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register()
def dampak_settings_check(app_configs, **kwargs):
    """The impact settings (pembinaan.dampak) name a kind of evaluation period that exists and a
    group size an interval can be computed from; a typo would otherwise measure nothing."""
    from evaluasi.models import PeriodePenilaian

    errors = []
    if settings.DAMPAK_JENIS_PERIODE not in PeriodePenilaian.Jenis.values:
        errors.append(
            Error(
                f"DAMPAK_JENIS_PERIODE={settings.DAMPAK_JENIS_PERIODE!r} is no evaluation period "
                "kind, so no training's impact can be measured.",
                hint=f"Use one of: {', '.join(PeriodePenilaian.Jenis.values)}.",
                id="pembinaan.E001",
            )
        )
    if settings.DAMPAK_MIN_KELOMPOK < 2:
        errors.append(
            Error(
                "DAMPAK_MIN_KELOMPOK must be at least 2: a group's spread needs two pegawai.",
                id="pembinaan.E002",
            )
        )
    return errors


@register()
def sso_settings_check(app_configs, **kwargs):
    """Single sign-on (pegawai.sso) is configured completely or not at all: half a configuration
    would hide the SSO button without a word, or send everyone to a provider that cannot work."""
    from pegawai.sso import configuration_problems

    return [
        Error(
            f"Single sign-on is half configured: {problem}.",
            hint="Set every OIDC_* variable docs/sso.md lists, or none of them.",
            id="pembinaan.E003",
        )
        for problem in configuration_problems()
    ]


@register(Tags.security, deploy=True)
def sso_https_check(app_configs, **kwargs):
    """In production the provider is reached over TLS: the code exchange carries the client
    secret and the tokens (the tests' local provider is plain http, and never deployed)."""
    from pegawai.sso import plain_http_urls

    return [
        Warning(
            f"{name} is a plain http:// URL: the client secret and tokens would cross in clear.",
            hint="Use the provider's https:// address.",
            id="pembinaan.W002",
        )
        for name in plain_http_urls()
    ]


@register()
def pgbouncer_check(app_configs, **kwargs):
    """Behind PgBouncer in transaction pooling mode, a server-side cursor (.iterator()) may be
    fetched from on another server connection than the one that declared it: "cursor does not
    exist", now and then. PGBOUNCER=1 turns them off on every database; this notices an override."""
    if not settings.PGBOUNCER:
        return []
    return [
        Warning(
            f"PGBOUNCER=1 but the database {alias!r} keeps server-side cursors: .iterator() "
            "fails now and then behind PgBouncer in transaction pooling mode.",
            hint="Set DISABLE_SERVER_SIDE_CURSORS=True on it (the settings do, unless overridden).",
            id="pembinaan.W002",
        )
        for alias, database in settings.DATABASES.items()
        if not database.get("DISABLE_SERVER_SIDE_CURSORS")
    ]
