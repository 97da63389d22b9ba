"""What the OpenAPI schema says of our authentication (imported by pembinaan.api.urls, so
drf-spectacular knows it before it builds the schema)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenKlienScheme(OpenApiAuthenticationExtension):
    target_class = "pembinaan.api.auth.TokenKlienAuthentication"
    name = "tokenKlien"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token klien dari administrator SIBINA: "
            "`Authorization: Bearer <token>` (atau `Token <token>`).",
        }
