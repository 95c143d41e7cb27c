from django.urls import path

from assessments.exercises import views

urlpatterns = [
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/new/", views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", views.exercise_edit, name="exercise_edit"),
    path("exercises/<int:pk>/media/", views.exercise_media, name="exercise_media"),
]
