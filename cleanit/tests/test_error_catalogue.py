"""The API's error documentation is generated from the one catalogue of domain errors."""

import pytest
from django.core.management import call_command

from cleanit import errors
from cleanit.api.schema import error_codes_by_status


def test_every_code_is_declared_once_and_the_catalogue_lists_every_app():
    codes = [error_class.code for error_class in errors.catalogue()]
    assert len(codes) == len(set(codes))
    assert {"invalid_transition", "already_claimed", "account_locked", "malformed_event", "own_campaign"} <= set(codes)


def test_a_code_declared_twice_is_refused():
    class Clash(errors.Conflict):
        code = "already_claimed"

    with pytest.raises(RuntimeError, match="already_claimed"):
        errors.catalogue()
    del Clash
    import gc

    gc.collect()
    errors.catalogue()


def test_the_committed_error_doc_is_current():
    call_command("error_catalogue", "--check")


def test_the_schema_lists_the_codes_of_each_status(api_client, db):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    assert "`already_claimed`" in schema["info"]["description"]
    claim = schema["paths"]["/api/v1/jobs/{job_id}/claim"]["post"]["responses"]
    assert "already_claimed" in claim["409"]["description"] and "claim_limit" in claim["429"]["description"]
    assert dict(error_codes_by_status()[409])["invalid_transition"] == errors.InvalidTransition.default_message
