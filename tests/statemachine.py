"""The transition walk every model with a state machine is tested with.

``make(status)`` returns a saved object in that status. For every (source, target) pair of the
model's statuses, :func:`walk_transition_table` checks that :func:`cleanit.statemachine.transition`
succeeds exactly when the table allows the move, and that a refused move changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import models
from django.forms.models import model_to_dict

from cleanit import errors
from cleanit.statemachine import table_pairs, transition


def walk_transition_table(model: type[models.Model], make: Callable[[str], models.Model]) -> int:
    """Walk every pair of statuses; returns how many moves were allowed (so a test can check it)."""
    statuses = [value for value, _ in model._meta.get_field("status").choices]
    table = table_pairs(model)
    assert table, f"{model.__name__} has an empty TRANSITIONS table"
    for source, targets in model.TRANSITIONS.items():
        assert source in statuses, f"{model.__name__}.TRANSITIONS names an unknown status {source!r}"
        assert set(targets) <= set(statuses), f"{model.__name__}.TRANSITIONS names an unknown target"
    allowed = 0
    for source in statuses:
        for target in statuses:
            obj = make(source)
            assert obj.status == source
            if (source, target) in table:
                transition(obj, target)
                obj.refresh_from_db()
                assert obj.status == target, f"{source} -> {target} should be allowed"
                allowed += 1
                continue
            before = model_to_dict(model._default_manager.get(pk=obj.pk))
            # A status nothing leads to (the initial one) is a programming error, not a refusal.
            reachable = any(target in targets for targets in model.TRANSITIONS.values())
            with pytest.raises(errors.InvalidTransition if reachable else ValueError):
                transition(obj, target)
            assert model_to_dict(model._default_manager.get(pk=obj.pk)) == before, (
                f"refused {source} -> {target} changed the row")
    assert allowed == len(table)
    return allowed
