from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt's bearer authentication, plus: tokens issued before the user's
    ``tokens_valid_after`` (suspension, password change, deletion) are refused at once."""

    def get_user(self, validated_token):
        user = super().get_user(validated_token)  # refuses unknown and inactive users
        if user.tokens_valid_after is not None:
            issued_at = validated_token.get("iat")
            if issued_at is None or issued_at < user.tokens_valid_after.timestamp():
                raise AuthenticationFailed("Token has been revoked.", code="token_not_valid")
        return user
