from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("dtv.urls")),
]

handler400 = "dtv.views.bad_request"
handler403 = "dtv.views.permission_denied"
handler404 = "dtv.views.page_not_found"
handler500 = "dtv.views.server_error"
