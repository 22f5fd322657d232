"""django-csp's middleware with the two things the admin needs: its inline styles (set by the rich-text
editor and Django's widgets) are allowed below the admin only, and the media of admin pages carries the
request's nonce, so django-prose-editor's inline import map runs (django-js-asset renders the nonce)."""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django import forms
from django.urls import reverse
from js_asset import Media


def in_admin(request):
    return request.path_info.startswith(reverse("admin:index"))


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if in_admin(request):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts

    def process_template_response(self, request, response):
        context = response.context_data
        media = context.get("media") if isinstance(context, dict) else None
        if isinstance(media, forms.Media):
            context["media"] = Media.from_media(media, nonce=request.csp_nonce)
        return response
