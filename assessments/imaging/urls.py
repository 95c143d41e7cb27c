from django.urls import path

from assessments.imaging import views

urlpatterns = [
    path("assessments/<int:pk>/imaging/new/", views.imaging_order_new, name="imaging_new"),
    path("imaging/", views.imaging_list, name="imaging_list"),
    path("imaging/<int:pk>/", views.imaging_order_detail, name="imaging_detail"),
]
