from django.urls import path

from patients.careteam import views

urlpatterns = [
    path("<int:pk>/break-glass/", views.break_glass_view, name="break_glass"),
    path("<int:pk>/care-team/", views.care_assign_view, name="care_assign"),
    path("care-team/<int:pk>/end/", views.care_unassign_view, name="care_unassign"),
    path("access-grants/", views.access_grant_list, name="access_grants"),
    path("access-grants/<int:pk>/review/", views.access_grant_review_view, name="access_grant_review"),
]
