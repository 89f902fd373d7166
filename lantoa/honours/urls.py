from django.urls import path

from . import council_views, decision_views, figure_views, views

app_name = "honours"

R = "honours/votes/<uuid:public_id>/"
QD = "honours/decisions/<uuid:public_id>/"

urlpatterns = [
    path("honours/", views.nomination_list, name="nominations"),
    path("honours/new/", views.nomination_create, name="nomination_create"),
    path("honours/<uuid:public_id>/", views.nomination_detail, name="nomination"),
    path("honours/propose/", views.proposal_create, name="proposal_create"),
    path("honours/proposals/<uuid:public_id>/", views.proposal_detail, name="proposal"),
    path("honours/proposals/<uuid:public_id>/to-trinh.docx", views.proposal_docx, name="proposal_docx"),
    path("honours/practices/", views.practice_list, name="practices"),
    path("honours/practices/new/", views.practice_create, name="practice_create"),
    path("honours/practices/<uuid:public_id>/", views.practice_detail, name="practice"),
    path("honours/people/<uuid:public_id>/", views.person_record, name="person_record"),
    path("honours/units/<slug:key>/", views.unit_record, name="unit_record"),
    path("honours/collectives/", views.collective_record, name="collective_record"),
    path("honours/<uuid:public_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("honours/<uuid:public_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("honours/<uuid:public_id>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path(
        "honours/<uuid:public_id>/commitments/", views.nomination_commitments, name="nomination_commitments"
    ),
    path("honours/figures/", figure_views.figures, name="figures"),
    path("honours/decisions/", decision_views.decision_list, name="decisions"),
    path("honours/decisions/new/", decision_views.decision_create, name="decision_create"),
    path(QD, decision_views.decision_detail, name="decision"),
    path(QD + "quyet-dinh.docx", decision_views.decision_docx, name="decision_docx"),
    path(QD + "files/", decision_views.decision_attach, name="decision_attach"),
    path(QD + "certificates/issue/", decision_views.certificates_issue, name="certificates_issue"),
    path(QD + "certificates.<slug:file_format>", decision_views.certificates_download, name="certificates"),
    path(
        QD + "certificates/<int:serial>.<slug:file_format>",
        decision_views.certificate_download,
        name="certificate",
    ),
    path(
        QD + "recognitions/<int:recognition_id>/revoke/",
        decision_views.recognition_revoke,
        name="recognition_revoke",
    ),
    path("honours/council/", council_views.council_index, name="council_index"),
    path("honours/council/assemble/", council_views.council_assemble, name="council_assemble"),
    path("honours/council/<uuid:public_id>/", council_views.council_detail, name="council"),
    path("honours/council/<uuid:public_id>/add/", council_views.council_add, name="council_add"),
    path(
        "honours/council/<uuid:public_id>/entries/<int:entry_id>/<slug:action>/",
        council_views.council_entry,
        name="council_entry",
    ),
    path(
        "honours/council/<uuid:public_id>/danh-sach.<slug:file_format>",
        council_views.council_export,
        name="council_export",
    ),
    path("honours/certificate-template/", decision_views.certificate_template, name="certificate_template"),
    path(
        "honours/certificate-template/mau.docx",
        decision_views.certificate_template_download,
        name="certificate_template_download",
    ),
    path("verify/", decision_views.verify, name="verify"),
    path("verify/<str:code>/", decision_views.verify, name="verify_code"),
    path("meetings/<uuid:public_id>/vote/", views.round_create, name="round_create"),
    path(R, views.round_detail, name="round"),
    path(R + "minutes.docx", views.round_minutes, name="round_minutes"),
    path(R + "<slug:action>/", views.round_action, name="round_action"),
]
