from django.http import HttpRequest, HttpResponse


def start(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=501)


def export_members(request: HttpRequest, key: str) -> HttpResponse:
    return HttpResponse(status=501)
