"""Los plazos de conservación en la administración de la oficina: la coordinación (con
`casos.fijar_conservacion`) los cambia con mensajes en español y su historia; las corridas
del trabajo de conservación solo se consultan."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from casos.models import Depuracion, PlazoConservacion
from privacidad.conservacion import depurar

pytestmark = pytest.mark.django_db


def _plazo(tipo="MED", resultado="sin_convenio"):
    return PlazoConservacion.objects.get(tipo=tipo, resultado=resultado)


def _datos(plazo, **cambios):
    return {
        "tipo": plazo.tipo,
        "resultado": plazo.resultado,
        "bloquear_anios": plazo.bloquear_anios,
        "suprimir_anios": plazo.suprimir_anios,
        "fundamento": plazo.fundamento,
        **cambios,
    }


def test_la_coordinacion_ve_y_cambia_los_plazos_con_su_historia(client, coordinadora):
    assert coordinadora.has_perm("casos.fijar_conservacion")
    client.force_login(coordinadora)
    lista = client.get("/oficina/casos/plazoconservacion/")
    assert lista.status_code == 200
    assert "Práctica de archivo" in lista.content.decode()
    plazo = _plazo()
    url = f"/oficina/casos/plazoconservacion/{plazo.pk}/change/"
    respuesta = client.post(url, _datos(plazo, suprimir_anios=7, fundamento="Acuerdo 12/2027"))
    assert respuesta.status_code == 302
    plazo.refresh_from_db()
    assert plazo.suprimir_anios == 7 and plazo.fundamento == "Acuerdo 12/2027"
    version = plazo.history.first()
    assert version.history_user == coordinadora and version.suprimir_anios == 7
    historia = client.get(f"/oficina/casos/plazoconservacion/{plazo.pk}/history/")
    assert historia.status_code == 200 and "Acuerdo 12/2027" in historia.content.decode()
    # Un renglón preciso nuevo (asesoría con convenio).
    nuevo = client.post(
        "/oficina/casos/plazoconservacion/add/",
        {
            "tipo": "ASE",
            "resultado": "sin_convenio",
            "bloquear_anios": 1,
            "suprimir_anios": 4,
            "fundamento": "Serie 3.2",
        },
    )
    assert nuevo.status_code == 302
    assert PlazoConservacion.objects.filter(tipo="ASE", resultado="sin_convenio").exists()


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"suprimir_anios": 1}, "La supresión no puede llegar antes que el bloqueo"),
        ({"bloquear_anios": 0}, "al menos un año después de la conclusión"),
        ({"fundamento": "   "}, "Escriba la serie o el acuerdo"),
        ({"resultado": "con_convenio"}, "Ya hay un plazo para ese tipo de expediente y resultado"),
        ({"suprimir_anios": "diez"}, "número entero"),
    ],
)
def test_los_errores_se_dicen_en_espanol_y_no_se_pierde_nada(
    client, coordinadora, cambios, mensaje
):
    client.force_login(coordinadora)
    plazo = _plazo()
    url = f"/oficina/casos/plazoconservacion/{plazo.pk}/change/"
    respuesta = client.post(url, _datos(plazo, **cambios))
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    antes = _plazo()
    assert (antes.bloquear_anios, antes.suprimir_anios) == (2, 5)


def test_sin_el_permiso_de_conservacion_solo_se_consultan(client, coordinadora):
    coordinadora.groups.first().permissions.remove(
        Permission.objects.get(codename="fijar_conservacion")
    )
    coordinadora.user_permissions.add(Permission.objects.get(codename="view_plazoconservacion"))
    from django.contrib.auth import get_user_model

    coordinadora = get_user_model().objects.get(pk=coordinadora.pk)
    client.force_login(coordinadora)
    plazo = _plazo()
    assert client.get("/oficina/casos/plazoconservacion/").status_code == 200
    url = f"/oficina/casos/plazoconservacion/{plazo.pk}/change/"
    client.post(url, _datos(plazo, suprimir_anios=9))
    assert _plazo().suprimir_anios == 5
    assert client.get("/oficina/casos/plazoconservacion/add/").status_code == 403


def test_las_corridas_solo_se_consultan(client, coordinadora):
    corrida = depurar(al_dia=date(2030, 1, 1), simulacro=True, actor=coordinadora)
    client.force_login(coordinadora)
    lista = client.get("/oficina/casos/depuracion/")
    assert lista.status_code == 200
    assert f"/oficina/casos/depuracion/{corrida.pk}/change/" in lista.content.decode()
    detalle = client.get(f"/oficina/casos/depuracion/{corrida.pk}/change/")
    assert detalle.status_code == 200
    assert 'name="simulacro"' not in detalle.content.decode()
    assert client.get("/oficina/casos/depuracion/add/").status_code == 403
    client.post(f"/oficina/casos/depuracion/{corrida.pk}/delete/", {"post": "yes"})
    assert Depuracion.objects.filter(pk=corrida.pk).exists()
