from django.urls import path

from .views import obligations, programme, register

app_name = "documents"
urlpatterns = [
    path("documents/", register.document_list, name="list"),
    path("documents/new/", register.document_create, name="create"),
    path("documents/<uuid:public_id>/", register.document_detail, name="detail"),
    path("documents/<uuid:public_id>/docx/", register.document_docx, name="docx"),
    path("documents/<uuid:public_id>/pdf/", register.document_pdf, name="pdf"),
    path(
        "documents/<uuid:public_id>/files/<int:attachment_id>/",
        register.attachment_download,
        name="attachment",
    ),
    path("units/<slug:key>/terms/", register.unit_terms, name="terms"),
    path("themes/", programme.themes, name="themes"),
    path("obligations/", obligations.obligation_list, name="obligations"),
    path("obligations/new/", obligations.obligation_create, name="obligation_create"),
    path("obligations/new/sources/", obligations.obligation_sources, name="obligation_sources"),
    path("obligations/<uuid:public_id>/", obligations.obligation_detail, name="obligation"),
    path(
        "obligations/<uuid:public_id>/not-filed.xlsx",
        obligations.obligation_missing_xlsx,
        name="obligation_missing",
    ),
    path(
        "obligations/<uuid:public_id>/file/<slug:key>/", obligations.obligation_file, name="obligation_file"
    ),
    path("units/<slug:key>/commitments/", programme.cell_commitments, name="cell_commitments"),
    path("members/<int:member_id>/commitments/", programme.member_commitments, name="member_commitments"),
    path("commitments/<int:commitment_id>/assess/", programme.commitment_assess, name="commitment_assess"),
]
