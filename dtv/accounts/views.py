from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from dtv.accounts import services, two_factor
from dtv.accounts.forms import LoginForm
from dtv.forms import InstructiveErrors
from dtv.redirects import SameSiteRedirectMixin, redirect_to


@method_decorator(login_not_required, name="dispatch")
class LoginView(SameSiteRedirectMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    # The session's clocks start at login (dtv.accounts.apps: user_logged_in).


login = LoginView.as_view()


class LogoutView(SameSiteRedirectMixin, auth_views.LogoutView):
    pass


@require_POST
def logout(request):
    # LogoutView flushes the server-side session; a GET never logs anybody out.
    response = LogoutView.as_view()(request)
    messages.success(request, _("You have been logged out."))
    return response


class CodeForm(InstructiveErrors, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _redirect_to_verify(request, next_name: str):
    messages.info(
        request,
        _("First confirm it is you with your current authenticator app or a backup code."),
    )
    return redirect(
        reverse("accounts:two_factor_verify") + "?" + urlencode({"next": reverse(next_name)})
    )


@require_GET
def security(request):
    """The user's own account: password, authenticator, backup codes."""
    return render(
        request,
        "accounts/security.html",
        {
            "has_device": two_factor.has_confirmed_device(request.user),
            "verified": two_factor.verified_in_session(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    # A password alone never opens enrolment for a user who has a second factor (issue 24.1).
    if not two_factor.may_change_devices(user):
        return _redirect_to_verify(request, "accounts:two_factor_setup")
    replacing = two_factor.has_confirmed_device(user)
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(user, device, form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("This code is not right. Check the time on your phone."))
        else:
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes})
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "replacing": replacing,
            "secret": two_factor.secret_for_display(device),
            "qr": two_factor.qr_data_uri(device),
        },
    )


@require_http_methods(["GET", "POST"])
def two_factor_backup_codes(request):
    """New backup codes: a confirmation page on GET, the new codes on POST."""
    user = request.user
    if not two_factor.has_confirmed_device(user):
        return redirect("accounts:two_factor_setup")
    if not two_factor.verified_in_session(user):
        return _redirect_to_verify(request, "accounts:two_factor_backup_codes")
    if request.method == "POST":
        codes = two_factor.renew_backup_codes(user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "renewed": True})
    return render(request, "accounts/backup_codes_renew.html")


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("This code is not right, or a backup code was used before."))
        else:
            otp_login(request, device)
            return redirect_to(request, request.GET.get("next"), "home")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(self.request.user, actor=self.request.user, how="changed")
        messages.success(self.request, _("Your password has been changed."))
        return response


password_change = PasswordChangeView.as_view()


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        # Links point at the configured address, never at the Host header of the request.
        return {"site_url": settings.SITE_URL}


password_reset = PasswordResetView.as_view()

password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_change(form.user, actor=form.user, how="reset")
        messages.success(self.request, _("Your password has been set. You can log in with it now."))
        return response


password_reset_confirm = sensitive_post_parameters()(PasswordResetConfirmView.as_view())
