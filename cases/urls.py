from django.urls import path

from cases import import_views, transfer_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("werklijst/", views.worklist, name="worklist"),
    path("export.csv", views.case_export, name="export"),
    path("export.xlsx", views.case_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("nieuw/", views.case_create, name="create"),
    path("import/", import_views.import_start, name="import"),
    path("import/sjabloon.<str:fmt>", import_views.import_template, name="import_template"),
    path("import/<str:reference>/", import_views.import_detail, name="import_detail"),
    path("import/<str:reference>/voortgang/", import_views.import_progress, name="import_progress"),
    path("import/<str:reference>/bevestigen/", import_views.import_confirm, name="import_confirm"),
    path("overplaatsingen/", transfer_views.transfer_list, name="transfers"),
    path(
        "overplaatsingen/<str:reference>/", transfer_views.transfer_decide, name="transfer_decide"
    ),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/bewerken/", views.case_edit, name="edit"),
    path("<str:reference>/persoon/", views.person_edit, name="person_edit"),
    path("<str:reference>/fase/", views.case_phase, name="phase"),
    path("<str:reference>/afsluiten/", views.case_close, name="close"),
    path("<str:reference>/procedures/nieuw/", views.procedure_add, name="procedure_add"),
    path("<str:reference>/procedures/<int:pk>/", views.procedure_edit, name="procedure_edit"),
    path("<str:reference>/belemmeringen/nieuw/", views.obstacle_add, name="obstacle_add"),
    path("<str:reference>/belemmeringen/<int:pk>/", views.obstacle_edit, name="obstacle_edit"),
    path("<str:reference>/notities/", views.note_add, name="note_add"),
    path("<str:reference>/huishouden/", views.household_add, name="household_add"),
    path("<str:reference>/overplaatsen/", transfer_views.transfer_propose, name="transfer_propose"),
    path(
        "<str:reference>/overplaatsen/intrekken/",
        transfer_views.transfer_withdraw,
        name="transfer_withdraw",
    ),
]
