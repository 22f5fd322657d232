"""The second factor for staff (django-otp): a TOTP app, with recovery codes for when the phone is gone.
Required for superusers and the permissions in CITYHALL_2FA_REQUIRED_PERMISSIONS (spokespeople publish),
optional for other staff; TwoFactorMiddleware sends an unverified session here."""

import base64

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import site
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_NAME = "Authenticator-App"
RECOVERY_NAME = "Wiederherstellungscodes"


def required_for(user):
    """Whether this account may not work without a second factor."""
    if not (settings.CITYHALL_REQUIRE_2FA and user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or any(
        user.has_perm(perm) for perm in settings.CITYHALL_2FA_REQUIRED_PERMISSIONS
    )


def has_device(user):
    return any(django_otp.devices_for_user(user, confirmed=True))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split()).lower()


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _render(request, template, **context):
    return render(request, template, {**site.each_context(request), "next": _next_url(request), **context})


def _check(user, token):
    """The device that accepts ``token``: six digits are the app's code, anything else a recovery code."""
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in kind.objects.devices_for_user(user, confirmed=True):
        if django_otp.verify_token(user, device.persistent_id, token):
            return device
    return None


@never_cache
@login_required(login_url="admin:login")
def verify(request):
    """The second step of the login: the app's code or one recovery code."""
    if not has_device(request.user):
        return redirect(reverse("accounts:setup") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = _check(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "Sie haben sich mit einem Wiederherstellungscode angemeldet; es bleibt %(left)d Code. "
                        "Erzeugen Sie neue unter „Zwei-Faktor-Anmeldung“.",
                        "Sie haben sich mit einem Wiederherstellungscode angemeldet; es bleiben %(left)d Codes. "
                        "Erzeugen Sie neue unter „Zwei-Faktor-Anmeldung“.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _(
                "Der Code stimmt nicht oder ist abgelaufen. Nach mehreren Fehlversuchen warten Sie bitte kurz."
            ),
        )
    return _render(request, "accounts/verify.html", form=form, title=_("Zweiter Faktor"))


def _new_recovery_codes(user):
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.CITYHALL_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _qr_code(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title=str(_("QR-Code für die App")))


@never_cache
@login_required(login_url="admin:login")
def setup(request):
    """Enrol an authenticator app (QR code or the secret typed in), then show the recovery codes once."""
    user = request.user
    enrolled = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
    if has_device(user) and not user.is_verified():
        # A password alone never adds or replaces a factor (with recovery codes left, one of them first).
        return redirect(reverse("accounts:verify") + "?" + urlencode({"next": reverse("accounts:setup")}))
    if enrolled:
        if request.method == "POST" and request.POST.get("action") == "codes":
            codes = _new_recovery_codes(user)
            return _render(
                request, "accounts/recovery_codes.html", codes=codes, title=_("Wiederherstellungscodes")
            )
        left = StaticToken.objects.filter(device__user=user).count()
        return _render(request, "accounts/setup_done.html", left=left, title=_("Zwei-Faktor-Anmeldung"))

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            codes = _new_recovery_codes(user)
            return _render(
                request, "accounts/recovery_codes.html", codes=codes, title=_("Wiederherstellungscodes")
            )
        form.add_error(
            "token",
            _(
                "Der Code stimmt nicht. Prüfen Sie die Uhrzeit des Telefons und versuchen Sie es nach einem "
                "Moment mit dem nächsten Code erneut."
            ),
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return _render(
        request,
        "accounts/setup.html",
        form=form,
        qr_code=_qr_code(device),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        required=required_for(user),
        title=_("Zwei-Faktor-Anmeldung einrichten"),
    )
