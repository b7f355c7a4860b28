from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class CleanitJWTScheme(SimpleJWTScheme):
    """Document our JWT authentication (simplejwt's plus revocation) as the standard bearer scheme."""

    target_class = "marketplace.authentication.JWTAuthentication"
    name = "jwtAuth"
