"""The editorial workflow, in one place: who may move a release from which state to which, what
must be true before it goes out, the version check that keeps two editors from overwriting each
other, and every write of a release. The admin's change form, its actions, ``list_editable``,
corrections, deletion, restores, recovery and the import all go through here; nothing else changes
a release. Each write sends one signal of press/signals.py (published, updated, withdrawn) after
it commits.

States (``PressRelease.State``): draft → in review → approved → scheduled/published → withdrawn.
"Scheduled" is a published release whose ``published_at`` lies ahead; whether it shows is decided
when a page is asked for (``PressRelease.objects.published()``), so no job has to flip it.

The code lives in press/services/: ``rules`` (permissions, steps, publishing conditions,
fingerprint), ``writing`` (the writes) and ``events`` (which signal a write sends)."""

from press.models import AuditEntry, PressRelease

from .services.rules import (
    COMBINED_STEPS,
    METADATA_FIELDS,
    METADATA_RELATIONS,
    STEPS_WITH_REASON,
    TRANSITIONS,
    WORKFLOW_FIELDS,
    ConflictError,
    Transition,
    WorkflowError,
    accepts_corrections,
    approval_fingerprint,
    available,
    checklist,
    content_problems,
    edit_problem,
    fingerprint,
    intent_problem,
    label,
    local_time_problem,
    may_edit,
    offered,
    publish_intent,
    publish_problems,
    reason_problem,
    same_text,
    shared_change_problem,
    state_phrase,
    state_text,
    step_problem,
    time_problem,
)
from .services.writing import (
    NOT_RESTORED,
    Outcome,
    RestoreError,
    add_correction,
    anonymise,
    anonymise_problem,
    audit,
    check_version,
    claim_version,
    content_saved,
    delete,
    delete_problem,
    record_import,
    recover,
    remove_correction,
    restore,
    save,
    shared_object_changed,
    transition,
)

State = PressRelease.State
Status = PressRelease.Status
Action = AuditEntry.Action

__all__ = [
    "COMBINED_STEPS",
    "METADATA_FIELDS",
    "METADATA_RELATIONS",
    "NOT_RESTORED",
    "STEPS_WITH_REASON",
    "TRANSITIONS",
    "WORKFLOW_FIELDS",
    "Action",
    "ConflictError",
    "Outcome",
    "RestoreError",
    "State",
    "Status",
    "Transition",
    "WorkflowError",
    "accepts_corrections",
    "add_correction",
    "anonymise",
    "anonymise_problem",
    "approval_fingerprint",
    "audit",
    "available",
    "check_version",
    "checklist",
    "claim_version",
    "content_problems",
    "content_saved",
    "delete",
    "delete_problem",
    "edit_problem",
    "fingerprint",
    "intent_problem",
    "label",
    "local_time_problem",
    "may_edit",
    "offered",
    "publish_intent",
    "publish_problems",
    "reason_problem",
    "record_import",
    "recover",
    "remove_correction",
    "restore",
    "same_text",
    "save",
    "shared_change_problem",
    "shared_object_changed",
    "state_phrase",
    "state_text",
    "step_problem",
    "time_problem",
    "transition",
]
