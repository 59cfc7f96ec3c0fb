"""The host's back office, ``/host/`` (``live.back_office``)."""

from django.urls import path

from live import back_office

urlpatterns = [
    path("host/", back_office.host_home, name="host-home"),
    # Before the session's pages, so that "new" is never read as a session's slug.
    path("host/sessions/new/", back_office.session_new, name="host-session-new"),
    path("host/sessions/<slug:slug>/", back_office.session_page, name="host-session"),
    path("host/sessions/<slug:slug>/items/", back_office.session_items, name="host-session-items"),
    path("host/sessions/<slug:slug>/go-live/", back_office.session_go_live, name="host-session-go-live"),
    path("host/sessions/<slug:slug>/end/", back_office.session_end, name="host-session-end"),
    path("host/sessions/<slug:slug>/cancel/", back_office.session_cancel, name="host-session-cancel"),
    path("host/sessions/<slug:slug>/qr.svg", back_office.session_qr, name="host-session-qr"),
    path("host/sessions/<slug:slug>/live/", back_office.session_live, name="host-session-live"),
    path("host/sessions/<slug:slug>/figures/", back_office.session_figures, name="host-session-figures"),
    path("host/items/<int:item>/", back_office.item_update, name="host-item-update"),
    path("host/items/<int:item>/remove/", back_office.item_remove, name="host-item-remove"),
    path("host/commission/", back_office.commission, name="host-commission"),
    path("host/commission.csv", back_office.commission_csv, name="host-commission-csv"),
]
