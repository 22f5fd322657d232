"""A local fix to Django's admin autocomplete widgets: a crafted value that is no id of the target model
(``image=abc``) made ``AutocompleteMixin.optgroups`` query with it and answer 500 while the form was shown
again with its errors. Values the target field cannot read are left out of the options, so the form shows
its usual field error ("keine gültige Auswahl"). Worth proposing upstream; installed in AppConfig.ready()."""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_original_optgroups = AutocompleteMixin.optgroups


def _readable(field, values):
    opts = field.remote_field.model._meta
    name = getattr(field.remote_field, "field_name", None)
    target = opts.get_field(name) if name else opts.pk
    kept = []
    for value in values:
        try:
            target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        kept.append(value)
    return kept


def optgroups(self, name, value, attr=None):
    return _original_optgroups(self, name, _readable(self.field, value), attr)


def install():
    AutocompleteMixin.optgroups = optgroups
