from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dtv.accounts.forms import LoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login = LoginView.as_view()


@require_POST
def logout(request):
    # LogoutView flushes the server-side session; a GET never logs anybody out.
    response = auth_views.LogoutView.as_view()(request)
    messages.success(request, _("You have been logged out."))
    return response
