from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from dtv.accounts import two_factor
from dtv.accounts.forms import LoginForm
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


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if user.is_verified():
        return redirect("home")
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
            "secret": two_factor.secret_for_display(device),
            "qr": two_factor.qr_data_uri(device, user),
        },
    )


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
