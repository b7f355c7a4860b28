"""App configs used only with MongoDB: the backend rejects integer auto fields, so contrib and
third-party apps with models get ObjectIdAutoField (and their migrations live in mongo_migrations/)."""

from django.contrib.auth.apps import AuthConfig
from django.contrib.contenttypes.apps import ContentTypesConfig
from django_celery_beat.apps import BeatConfig

from cleanit.admin_site import CleanitAdminConfig

OBJECT_ID_AUTO_FIELD = "django_mongodb_backend.fields.ObjectIdAutoField"


class MongoAdminConfig(CleanitAdminConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD


class MongoAuthConfig(AuthConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD


class MongoContentTypesConfig(ContentTypesConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD


class MongoBeatConfig(BeatConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD
