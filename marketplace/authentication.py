from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from .services.tokens import VERSION_CLAIM


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt's bearer authentication, plus: a token whose version is not the user's current
    ``token_version`` (suspension, password or role change, deletion since it was issued) is refused."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)  # refuses unknown and inactive users
        if validated_token.get(VERSION_CLAIM) != user.token_version:
            raise InvalidToken("Token has been revoked.")
        return user
