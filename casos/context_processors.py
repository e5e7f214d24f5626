from .models import Centro


def centro(request):
    return {"centro": Centro.actual()}
