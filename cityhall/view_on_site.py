"""The admin's "view on site" shortcut (/admin/r/<content type>/<id>/), with a permission check first.

Django's own shortcut asks only for ``is_staff``: walking ids, any staff account could learn the slugs of
unpublished releases from the redirect. Here the account must be allowed to view objects of that model
before anything is looked up; otherwise the answer is the same 404 as for an id that does not exist."""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


@staff_member_required
def view_on_site(request, content_type_id, object_id):
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ContentType.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    label = f"{content_type.app_label}.%s_{content_type.model}"
    if not (request.user.has_perm(label % "view") or request.user.has_perm(label % "change")):
        raise Http404
    return shortcut(request, content_type_id, object_id)
