"""Mail for the whole site (settings: cityhall/library/mail_settings.py): one way to send a templated German
mail (plain text plus HTML, from ``templates/mail/<name>.txt`` and ``.html``), and the mail about
new accessibility feedback. Mails are sent by the background worker (``manage.py db_worker``), never
inside a request: code enqueues a task once its transaction has committed."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .links import absolute_url

logger = logging.getLogger(__name__)


def admin_link(path):
    """An absolute link for a mail (SITE_URL, else the address ``make run`` serves)."""
    link = absolute_url(path)
    return link if link.startswith(("http://", "https://")) else f"http://127.0.0.1:8000{path}"


def send_templated(name, context, recipients):
    """Send ``templates/mail/<name>.txt`` (subject on its first line, then the body) with the HTML
    part ``<name>.html`` to each of ``recipients`` separately (nobody sees the others' addresses).
    Returns how many mails were sent."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    context = {"city_name": settings.CITY_NAME, "office_name": settings.PRESS_OFFICE_NAME, **context}
    subject, _, body = render_to_string(f"mail/{name}.txt", context).strip().partition("\n")
    html = render_to_string(f"mail/{name}.html", {**context, "subject": subject.strip()})
    messages = []
    for address in recipients:
        message = EmailMultiAlternatives(" ".join(subject.split()), body.strip() + "\n", to=[address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


# --- new accessibility feedback ---------------------------------------------------------------------


@task()
def send_feedback_mail(feedback_id):
    """Tell the feedback inbox (ACCESSIBILITY_FEEDBACK_EMAIL) about a new message."""
    from .models import AccessibilityFeedback

    feedback = AccessibilityFeedback.objects.filter(pk=feedback_id).first()
    inbox = settings.ACCESSIBILITY_FEEDBACK_EMAIL
    if feedback is None or not inbox:
        return 0
    link = admin_link(reverse("admin:cityhall_accessibilityfeedback_change", args=[feedback.pk]))
    return send_templated("accessibility_feedback", {"feedback": feedback, "link": link}, [inbox])


def feedback_saved(sender, instance, created, raw=False, **kwargs):
    """post_save of AccessibilityFeedback: a new message is mailed to the inbox after the commit."""
    if created and not raw and settings.ACCESSIBILITY_FEEDBACK_EMAIL:
        transaction.on_commit(lambda: send_feedback_mail.enqueue(instance.pk))
