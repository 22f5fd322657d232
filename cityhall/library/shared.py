"""Library objects are shared: an image or a quoted person appears on the pages of higher apps (press
releases), and a change to what a reader sees there shows on those pages at once. The library knows
none of those pages; it says what a reader sees of its objects (``SharedObject.reader_fields``) and
defines two signals that the apps with the pages connect to (in their ``AppConfig.ready()``):

- ``change_check``: asked before a user's change is saved (the admin forms ask it,
  ``SharedObjectFormMixin``). A receiver answers with a German sentence saying why ``user`` may not
  make the change, or None. Arguments: ``instance`` (changed, not saved), ``fields`` (names of the
  reader fields that changed), ``user``.
- ``changed``: sent by the model's ``save()`` (inside its transaction) after a change of a reader
  field was written, however it was made (admin, import, shell). Arguments: ``instance``,
  ``fields``, ``user`` (None when no user is known: the import, a command).
"""

from django.db.models.query_utils import DeferredAttribute
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

change_check = Signal()
changed = Signal()

FIELD_REFUSED = _("Diese Änderung dürfen Sie hier nicht vornehmen (siehe Hinweis oben).")

_UNKNOWN = object()


class SharedObject:
    """Mixin for a library model whose rows appear on other apps' pages: it remembers the reader
    fields as loaded, names those that changed (``reader_changes()``), and sends ``changed`` on save.
    ``changed_by`` (set by the admin before saving) travels with the signal."""

    reader_fields = ()
    changed_by = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._reader_values = instance._current_reader_values()
        return instance

    def _current_reader_values(self):
        values = {}
        for name in self.reader_fields:
            if name not in self.__dict__ and isinstance(getattr(type(self), name, None), DeferredAttribute):
                values[name] = _UNKNOWN  # deferred: not loaded, so not compared
                continue
            value = getattr(self, name)
            values[name] = value.name if name == "file" else value
        return values

    def reader_changes(self):
        """The reader fields that differ from what was loaded (all empty for a new object: nobody
        shows it yet). A new file counts as a change even under the same name."""
        stored = getattr(self, "_reader_values", None)
        if self.pk is None or stored is None:
            return []
        current = self._current_reader_values()
        found = []
        for name in self.reader_fields:
            if stored[name] is _UNKNOWN:
                continue
            if name == "file":
                file = getattr(self, name)
                if current[name] != stored[name] or (file and not file._committed):
                    found.append(name)
            elif current[name] != stored[name]:
                found.append(name)
        return found

    def save(self, *args, **kwargs):
        fields = self.reader_changes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = [name for name in fields if name in update_fields]
        super().save(*args, **kwargs)
        self._reader_values = self._current_reader_values()
        if fields:
            changed.send(sender=type(self), instance=self, fields=fields, user=self.changed_by)


def change_problem(instance, user, fields):
    """Why ``user`` may not make the change of ``fields`` to ``instance``, or None: the first answer
    of a ``change_check`` receiver."""
    if not fields:
        return None
    for _receiver, answer in change_check.send(
        sender=type(instance), instance=instance, fields=fields, user=user
    ):
        if answer:
            return answer
    return None


class SharedObjectFormMixin:
    """A ModelForm of a shared object: a change that a page showing the object would need another
    right for is refused, with the reason above the form and at each changed field. ``user`` is set
    per request by the admin (``SharedObjectAdminMixin``)."""

    user = None

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None or self.errors:
            return
        fields = self.instance.reader_changes()
        problem = change_problem(self.instance, self.user, fields)
        if problem:
            self.add_error(None, problem)
            for name in fields:
                if name in self.fields:
                    self.add_error(name, FIELD_REFUSED)


class SharedObjectAdminMixin:
    """Admin of a shared object: its form knows the user (for ``change_check``), and the save tells
    ``changed`` who made it."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
