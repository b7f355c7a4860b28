"""Abstract base for every Cleanit model: an opaque UUID primary key (public identifiers in URLs
and API payloads are never sequential) and creation/update times in UTC."""

import uuid

from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
