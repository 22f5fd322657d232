"""Public pages of the press appointments: the list of upcoming ones, a page and an .ics file each, and the
subscribable calendar. Only what the office published is shown; staff who may edit appointments also see a
draft's page (marked noindex, never cached), so that "Auf der Website ansehen" works before publication."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from . import ical
from .models import Appointment

# The calendar keeps what happened in the last weeks, so that a subscriber's calendar does not lose them.
CALENDAR_PAST_DAYS = 90
CALENDAR_NAME = "Pressetermine"
PAST_COUNT = 10


def _visible(request):
    if request.user.has_perm("press.change_appointment"):
        return Appointment.objects.all()
    return Appointment.objects.public()


class AppointmentListView(ListView):
    template_name = "press/appointment_list.html"
    context_object_name = "appointments"
    extra_context = {"page_title": "Pressetermine"}

    def get_queryset(self):
        return Appointment.objects.upcoming().for_page()

    def get_context_data(self, **kwargs):
        now = timezone.now()
        past = Appointment.objects.public().filter(starts_at__lt=now).exclude(ends_at__gte=now)
        return super().get_context_data(past=past.order_by("-starts_at")[:PAST_COUNT], **kwargs)


class AppointmentDetailView(DetailView):
    context_object_name = "appointment"
    template_name = "press/appointment_detail.html"

    def get_queryset(self):
        return _visible(self.request).for_page()

    def get_context_data(self, **kwargs):
        appointment = self.object
        return super().get_context_data(
            page_title=appointment.title,
            attendees=appointment.attendees_with_roles(),
            release=appointment.public_release(),
            noindex=not appointment.published,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.published:
            patch_cache_control(response, private=True, no_store=True)
        return response


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def appointment_ics(request, slug):
    appointment = get_object_or_404(_visible(request).for_page(), slug=slug)
    response = _ics_response(ical.calendar([appointment], appointment.title, request), f"{slug}.ics")
    if not appointment.published:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def calendar_feed(request):
    since = timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    appointments = Appointment.objects.public().filter(starts_at__gte=since).for_page().order_by("starts_at")
    return _ics_response(ical.calendar(appointments, CALENDAR_NAME, request), "pressetermine.ics")
