from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.index, name="index"),
    path("funds/new/", views.fund_create, name="fund_create"),
    path("funds/<uuid:public_id>/", views.fund_page, name="fund"),
    path("funds/<uuid:public_id>/amount/", views.rule_create, name="rule_create"),
    path("funds/<uuid:public_id>/savings/", views.savings_sheet, name="savings"),
    path("funds/<uuid:public_id>/exemptions/new/", views.exemption_create, name="exemption_create"),
    path("funds/<uuid:public_id>/money-in/", views.money_in, name="money_in"),
    path("funds/<uuid:public_id>/ledger/", views.ledger, name="ledger"),
    path("funds/<uuid:public_id>/ledger/<int:number>/reverse/", views.reverse_entry, name="reverse"),
    path("funds/<uuid:public_id>/children/new/", views.child_create, name="child_create"),
    path("funds/<uuid:public_id>/statement/", views.statement_page, name="statement"),
    path("funds/<uuid:public_id>/statement.<str:fmt>", views.statement_page, name="statement_file"),
    path("funds/children/<uuid:public_id>/", views.child_page, name="child"),
    path("funds/children/<uuid:public_id>/edit/", views.child_edit, name="child_edit"),
    path("funds/children/<uuid:public_id>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "funds/children/<uuid:public_id>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("funds/children/<uuid:public_id>/pay/", views.disbursement_create, name="pay"),
    path("funds/payments/<uuid:public_id>/receipt/", views.receipt_download, name="receipt"),
    path("funds/payments/<uuid:public_id>/receipt/attach/", views.receipt_attach, name="receipt_attach"),
]
