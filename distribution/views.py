"""The public pages of the Presseverteiler: sign-up, confirmation, the personal manage page and the
one-click unsubscribe (RFC 8058). Thin: the writing is in distribution/subscriptions.py."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from . import subscriptions, tokens
from .forms import PreferencesForm, SignupForm

TITLE = "Presseverteiler"


def problem(request, exc):
    return render(
        request, "distribution/message.html", {"page_title": TITLE, "message": str(exc)}, status=exc.status
    )


def limited(request, email):
    """Too many sign-ups from this client or for this address (django-ratelimit, the cache)."""
    by_client = is_ratelimited(
        request,
        group="distribution-signup",
        key="ip",
        rate=settings.DISTRIBUTION_SIGNUP_RATE_CLIENT,
        increment=True,
    )
    by_address = is_ratelimited(
        request,
        group="distribution-signup-address",
        key=lambda _group, _request: email,
        rate=settings.DISTRIBUTION_SIGNUP_RATE_ADDRESS,
        increment=True,
    )
    return by_client or by_address


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limited(request, form.cleaned_data["email"]):
            context = {"form": form, "page_title": TITLE, "limited": True}
            return render(request, "distribution/signup.html", context, status=429)
        if not form.is_bot:
            data = form.cleaned_data
            subscriptions.request_signup(
                data["email"],
                list(data["lists"]),
                data["frequency"],
                name=data["name"],
                outlet=data["outlet"],
            )
        # The same answer whether the address is new, pending, already subscribed or a bot's.
        return redirect("distribution:requested")
    status = 400 if form.is_bound else 200
    return render(request, "distribution/signup.html", {"form": form, "page_title": TITLE}, status=status)


def requested(request):
    return render(request, "distribution/requested.html", {"page_title": TITLE})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that opens links confirms nothing."""
    try:
        consent = tokens.resolve_confirm(token)
    except tokens.LinkProblem as exc:
        return problem(request, exc)
    if request.method == "GET":
        return render(request, "distribution/confirm.html", {"page_title": TITLE, "consent": consent})
    subscriber = subscriptions.confirm(consent)
    manage = reverse("distribution:manage", args=[tokens.manage_token(subscriber)])
    return render(request, "distribution/confirmed.html", {"page_title": TITLE, "manage_path": manage})


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        subscriber = tokens.resolve_personal(token, tokens.MANAGE_SALT)
    except tokens.LinkProblem as exc:
        return problem(request, exc)
    if request.method == "POST" and "leave" in request.POST:
        subscriptions.leave(subscriber)
        return render(request, "distribution/left.html", {"page_title": TITLE})
    initial = {"lists": subscriber.lists.filter(public=True), "frequency": subscriber.frequency}
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        subscriptions.change(subscriber, list(form.cleaned_data["lists"]), form.cleaned_data["frequency"])
        saved = True
    context = {"page_title": TITLE, "form": form, "subscriber": subscriber, "saved": saved}
    return render(request, "distribution/manage.html", context, status=400 if form.errors else 200)


@csrf_exempt  # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click", without a cookie or token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = tokens.resolve_personal(token, tokens.UNSUBSCRIBE_SALT)
    except tokens.LinkProblem as exc:
        return problem(request, exc)
    if request.method == "GET":
        return render(request, "distribution/unsubscribe.html", {"page_title": TITLE})
    subscriptions.leave(subscriber)
    return render(request, "distribution/left.html", {"page_title": TITLE})
