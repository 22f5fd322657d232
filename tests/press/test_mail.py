"""Mail when it is someone's turn: each kind goes through the task queue (django-tasks, database
backend) and the worker to a real SMTP server (aiosmtpd), with the right recipients, German plain
text and HTML and an absolute link into the admin; nothing is sent inside the request, and each
person's "Meine Benachrichtigungen" is respected."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cityhall.library.mail_settings import parse_email_url
from cityhall.library.models import AccessibilityFeedback
from press import workflow
from press.models import CorrectionSuggestion, NotificationPreference, PressRelease
from tests.factories import add_text, make_contact, make_release, make_user
from tests.mailserver import Inbox, run_worker, running_smtp
from tests.press.formdata import form_data

# Real commits (the mails are enqueued on commit); the roles made by migrations come back after each test.
pytestmark = pytest.mark.django_db(transaction=True)
SITE = "https://presse.example.org"


@pytest.fixture
def smtp(settings):
    with running_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def people():
    return {
        "editor": make_user("redakteurin", "Redaktion"),
        "speaker": make_user("sprecherin", "Pressesprecher/in"),
        "speaker2": make_user("sprecher", "Pressesprecher/in"),
    }


def ready_draft(**kwargs):
    release = make_release(
        status=PressRelease.Status.DRAFT,
        contact=make_contact(name="Pressestelle"),
        published_at=timezone.now() - timedelta(minutes=5),
        lead="Die Stadt baut zwölf Kilometer Radweg.",
        **kwargs,
    )
    add_text(release, "<p>Der erste Abschnitt wird im Frühjahr fertig.</p>")
    return release


def change_link(release):
    return f"{SITE}/admin/press/pressrelease/{release.pk}/change/"


def subject(message):
    # Django folds a long encoded subject onto a new line; a mail client shows it without that space.
    return str(message["Subject"]).strip()


def only_mail_to(inbox, address):
    messages = inbox.to(address)
    assert len(messages) == 1, (address, inbox.recipients())
    return messages[0]


def test_each_step_mails_the_person_whose_turn_it_is(smtp, people):
    release = ready_draft(title="Neue Radwege am Rhein")

    workflow.transition(release, "submit", people["editor"])
    assert smtp.messages == []  # queued, not sent: the worker sends
    run_worker()
    assert smtp.recipients() == ["sprecher@example.org", "sprecherin@example.org"]
    message = only_mail_to(smtp, "sprecherin@example.org")
    assert subject(message) == "Zur Prüfung: „Neue Radwege am Rhein“"
    assert message["From"] == "presse@example.org"
    assert message.get_content_type() == "multipart/alternative"
    text, html = Inbox.parts(message)
    assert "redakteurin hat die Pressemitteilung „Neue Radwege am Rhein“ zur Prüfung eingereicht" in text
    assert change_link(release) in text
    assert f'href="{change_link(release)}"' in html
    assert '<html lang="de">' in html

    smtp.messages.clear()
    workflow.transition(release, "return", people["speaker"], note="Bitte das Datum im Vorspann prüfen.")
    run_worker()
    message = only_mail_to(smtp, "redakteurin@example.org")
    assert smtp.recipients() == ["redakteurin@example.org"]
    assert subject(message) == "Zurück an die Redaktion: „Neue Radwege am Rhein“"
    text, html = Inbox.parts(message)
    assert "Begründung:\nBitte das Datum im Vorspann prüfen." in text
    assert "Bitte das Datum im Vorspann prüfen." in html
    assert change_link(release) in text

    smtp.messages.clear()
    workflow.transition(release, "submit", people["editor"])
    workflow.transition(release, "approve", people["speaker"])
    workflow.transition(release, "publish", people["speaker2"])
    run_worker()
    subjects = sorted(subject(message) for message in smtp.to("redakteurin@example.org"))
    assert subjects == ["Freigegeben: „Neue Radwege am Rhein“", "Veröffentlicht: „Neue Radwege am Rhein“"]
    # The spokespeople heard of the new submission, but nobody of their own step.
    assert len(smtp.to("sprecherin@example.org")) == 1
    assert len(smtp.to("sprecher@example.org")) == 1
    published = next(m for m in smtp.to("redakteurin@example.org") if subject(m).startswith("Ver"))
    assert "ist seit" in Inbox.parts(published)[0] and change_link(release) in Inbox.parts(published)[0]


def test_no_mail_is_sent_inside_the_request(client, smtp, people):
    release = ready_draft(title="Neue Radwege")
    url = reverse("admin:press_pressrelease_change", args=[release.pk])
    client.force_login(people["editor"])
    response = client.post(url, {**form_data(client.get(url)), "_transition": "submit"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == PressRelease.Status.IN_REVIEW
    assert smtp.messages == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "press.tasks.send_release_mail"
    assert queued.status == "READY"

    run_worker()
    assert smtp.recipients() == ["sprecher@example.org", "sprecherin@example.org"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_my_notifications_turn_a_kind_of_mail_off(client, smtp, people):
    client.force_login(people["speaker2"])
    page = client.get(reverse("admin:press_notificationpreference_changelist"), follow=True)
    assert "Meine Benachrichtigungen" in page.content.decode()
    data = form_data(page, form_id="notificationpreference_form")
    data.pop("want_submitted")
    response = client.post(page.redirect_chain[-1][0], data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=people["speaker2"]).muted == ["submitted"]
    # Nobody else's preferences are reachable.
    other = NotificationPreference.objects.create(user=people["speaker"])
    assert client.get(reverse("admin:press_notificationpreference_change", args=[other.pk])).status_code in (
        302,
        403,
        404,
    )

    workflow.transition(ready_draft(title="Stadtfest"), "submit", people["editor"])
    run_worker()
    assert smtp.recipients() == ["sprecherin@example.org"]


def test_a_correction_suggested_reaches_the_spokespeople_and_the_answer_its_author(client, smtp, people):
    release = ready_draft(title="Neue Radwege")
    for step, who in [("submit", "editor"), ("approve", "speaker"), ("publish", "speaker2")]:
        workflow.transition(release, step, people[who])
    run_worker()
    smtp.messages.clear()

    client.force_login(people["editor"])
    add = reverse("admin:press_correctionsuggestion_add") + f"?release={release.pk}"
    page = client.get(add)
    assert "Neue Radwege" in page.content.decode()
    response = client.post(add, {"release": release.pk, "text": "Es sind zwanzig Kilometer, nicht zwölf."})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:press_pressrelease_change", args=[release.pk]))
    assert smtp.messages == []
    run_worker()
    assert smtp.recipients() == ["sprecher@example.org", "sprecherin@example.org"]
    message = only_mail_to(smtp, "sprecherin@example.org")
    assert subject(message) == "Korrektur angeregt: „Neue Radwege“"
    text, html = Inbox.parts(message)
    assert "Es sind zwanzig Kilometer, nicht zwölf." in text and "zwanzig Kilometer" in html
    assert change_link(release) in text

    smtp.messages.clear()
    suggestion = CorrectionSuggestion.objects.get()
    client.force_login(people["speaker"])
    change = reverse("admin:press_correctionsuggestion_change", args=[suggestion.pk])
    response = client.post(change, {"answer": "Danke, ist korrigiert.", "done": "on"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.done and suggestion.done_by == people["speaker"]
    run_worker()
    message = only_mail_to(smtp, "redakteurin@example.org")
    assert "Danke, ist korrigiert." in Inbox.parts(message)[0]


def test_new_accessibility_feedback_is_mailed_to_its_inbox(client, smtp, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "barrierefreiheit@example.org"
    response = client.post(
        reverse("cityhall:accessibility"),
        {"message": "Die Karte lässt sich nicht mit der Tastatur bedienen.", "page_url": "/partnerstaedte/"},
    )
    assert response.status_code == 302
    assert smtp.messages == []
    run_worker()
    feedback = AccessibilityFeedback.objects.get()
    message = only_mail_to(smtp, "barrierefreiheit@example.org")
    assert subject(message) == "Neue Rückmeldung zur Barrierefreiheit"
    text, html = Inbox.parts(message)
    assert "Die Karte lässt sich nicht mit der Tastatur bedienen." in text
    assert f"{SITE}/admin/cityhall/accessibilityfeedback/{feedback.pk}/change/" in text
    assert "/partnerstaedte/" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://presse%40stadt.de:g%3Aheim@mail.stadt.de:587",
            {"EMAIL_HOST": "mail.stadt.de", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
        ),
        ("smtps://u:p@mail.stadt.de", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("smtp://relay.intern", {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_HOST_USER": ""}),
    ],
)
def test_email_url_gives_the_mail_settings(url, expected):
    settings = parse_email_url(url)
    assert expected.items() <= settings.items()
    if "presse%40" in url:
        assert settings["EMAIL_HOST_USER"] == "presse@stadt.de"
        assert settings["EMAIL_HOST_PASSWORD"] == "g:heim"


def test_email_url_with_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown scheme"):
        parse_email_url("http://mail.stadt.de")


def test_the_author_is_told_what_the_approver_corrected(smtp, people):
    """A one-person approval office corrects and publishes in one step; the author hears what changed."""
    release = ready_draft(title="Neue Radwege am Rhein")
    workflow.transition(release, "submit", people["editor"])
    workflow.transition(release, "approve", people["speaker"])
    release.refresh_from_db()
    run_worker()
    smtp.messages.clear()

    def write():
        release.lead = "Die Stadt baut dreizehn Kilometer Radweg."
        release.save()

    workflow.save(release, people["speaker"], write=write, expected_version=release.version)
    run_worker()

    message = only_mail_to(smtp, "redakteurin@example.org")
    assert subject(message) == "Freigegeben: „Neue Radwege am Rhein“"
    text, html = Inbox.parts(message)
    assert "Bei der Freigabe korrigiert: Vorspann" in text
    assert "Bei der Freigabe korrigiert: Vorspann" in html


def test_a_change_after_approval_asks_the_spokespeople_again(smtp, people):
    release = ready_draft(title="Neue Radwege am Rhein")
    workflow.transition(release, "submit", people["editor"])
    workflow.transition(release, "approve", people["speaker"])
    release.refresh_from_db()
    run_worker()
    smtp.messages.clear()

    def write():
        release.lead = "Die Stadt baut dreizehn Kilometer Radweg."
        release.save()

    workflow.save(release, people["editor"], write=write, expected_version=release.version)
    run_worker()

    assert sorted(smtp.recipients()) == ["sprecher@example.org", "sprecherin@example.org"]
