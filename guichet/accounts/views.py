from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST


def citizen_login(request):
    return render(request, "accounts/citizen_login.html")


def citizen_verify(request):
    return render(request, "accounts/citizen_login.html")


def agent_login(request):
    return render(request, "accounts/citizen_login.html")


def agent_otp(request):
    return render(request, "accounts/citizen_login.html")


def totp_setup(request):
    return render(request, "accounts/citizen_login.html")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


def profile(request):
    return render(request, "accounts/citizen_login.html")
