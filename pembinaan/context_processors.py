def navigation(request):
    """The roles the sidebar shows entries for; derived once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role": {
            "admin": user.is_admin,
            "pengelola": user.is_pengelola,
            "manager": user.is_manager,
            "atasan": user.is_atasan,
            "pegawai": user.pegawai_profil,
        }
    }
