"""Las páginas del personal hacen las mismas consultas con pocos y con muchos datos: la página
de un caso con historia corta y larga, la bandeja y la cola con pocas y muchas tareas, la
búsqueda con pocos y muchos resultados, la agenda con pocas y muchas sesiones y el tablero con
pocos y muchos casos. Las metas de tiempo van en el benchmark (scripts/bench_personal.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casos.models import Evento, Localidad, TipoEvento
from estadistica import resumen
from notificaciones.models import Mensaje
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from tests.agenda.conftest import MIERCOLES
from tests.casos.etapas import admitido, con_sesion, en, invitado

pytestmark = pytest.mark.usefixtures("reloj")


def consultas(client, url, datos=None) -> list[str]:
    # Una petición antes: lo que se guarda unos segundos en caché (los latidos de los
    # workers, las cifras de los plazos) no cuenta como consulta de la página.
    assert client.get(url, datos or {}).status_code == 200
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(url, datos or {})
    assert respuesta.status_code == 200
    return [q["sql"] for q in capturadas.captured_queries]


def iguales(pocas: list[str], muchas: list[str]) -> None:
    """El mismo número de consultas; si no, cuáles sobran (para quien lo arregle)."""
    sobran = [q for q in muchas if q not in pocas]
    assert len(pocas) == len(muchas), "\n".join(sobran[:5])


def _persona(nombre: str, rol: str) -> User:
    usuario = User.objects.create_user(nombre, first_name=nombre.capitalize())
    usuario.groups.add(Group.objects.get(name=rol))
    return usuario


# --- (a) la página de un caso ---------------------------------------------------------


def _historia(caso, cuantos: int, actores: list) -> None:
    """`cuantos` eventos (de distintas personas, con cambios y notas), documentos (de
    distintos tipos y versiones, pedidos por distintas personas) y avisos (a las partes y al
    personal, enviados y pendientes) más en el caso."""
    ahora = timezone.now()
    ya = caso.eventos.count()
    Evento.objects.bulk_create(
        [
            Evento(
                caso=caso,
                tipo=TipoEvento.CONTACTO,
                descripcion=f"Llamada {ya + k}",
                actor=actores[k % len(actores)],
                datos={"nota": "Pidió otra fecha"}
                if k % 3 == 0
                else {"cambios": [{"campo": "teléfono", "antes": "1", "ahora": "2"}]},
                creado_en=ahora - timedelta(minutes=k),
            )
            for k in range(cuantos)
        ]
    )
    tipos = [TipoDocumento.INVITACION, TipoDocumento.CONSTANCIA_SESION, TipoDocumento.ACUSE]
    version = caso.documentos.count()
    Documento.objects.bulk_create(
        [
            Documento(
                caso=caso,
                tipo=tipos[k % len(tipos)],
                version=version + k + 1,
                version_plantilla="1",
                estado=EstadoDocumento.LISTO if k % 2 else EstadoDocumento.PENDIENTE,
                archivo=f"documentos/prueba/{caso.folio}/{version + k}.pdf" if k % 2 else "",
                solicitado_por=actores[k % len(actores)],
            )
            for k in range(cuantos)
        ]
    )
    partes = list(caso.partes.all())
    ya = Mensaje.objects.filter(caso=caso).count()
    Mensaje.objects.bulk_create(
        [
            Mensaje(
                llave=f"prueba-{caso.pk}-{ya + k}",
                plantilla="recordatorio_sesion",
                canal="sms",
                destino="+523312345678",
                caso=caso,
                parte=partes[k % len(partes)] if k % 4 else None,
                usuario=None if k % 4 else actores[k % len(actores)],
                estado="enviado" if k % 2 else "pendiente",
                programado_para=ahora - timedelta(hours=k),
            )
            for k in range(cuantos)
        ]
    )


def test_la_pagina_del_caso_no_crece_con_su_historia(
    client, coordinadora, certificado, sala, nuevo_caso
):
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    con_sesion(caso, certificado, sala, en(MIERCOLES, 10))
    otros = [_persona(f"mediadora{n}", "mediador") for n in range(3)]
    url = reverse("casos:detalle", args=[caso.folio])
    client.force_login(coordinadora)
    _historia(caso, 5, [coordinadora, certificado])
    pocas = consultas(client, url)
    _historia(caso, 55, [certificado, *otros])
    muchas = consultas(client, url)
    html = client.get(url).content.decode()
    assert "Llamada 59" in html and html.count("Pidió otra fecha") >= 20
    iguales(pocas, muchas)


# --- (b) la bandeja y (c) la cola ------------------------------------------------------


def _tomadas(client, coordinadora, nuevo_caso, cuantas: int, localidades: list) -> None:
    from flujos.selectors import tareas_abiertas_del_caso

    client.force_login(coordinadora)
    for k in range(cuantas):
        caso = nuevo_caso(localidad=localidades[k % len(localidades)]).caso
        tarea = next(t for t in tareas_abiertas_del_caso(caso=caso) if t.owner_id is None)
        assert client.post(reverse("flujos:tomar", args=[tarea.pk])).status_code == 302


def test_la_bandeja_no_crece_con_las_tareas(client, coordinadora, nuevo_caso):
    localidades = list(Localidad.objects.all()[:4])
    _tomadas(client, coordinadora, nuevo_caso, 3, localidades[:1])
    pocas = consultas(client, reverse("flujos:bandeja"))
    _tomadas(client, coordinadora, nuevo_caso, 40, localidades)
    muchas = consultas(client, reverse("flujos:bandeja"))
    iguales(pocas, muchas)


def test_la_cola_no_crece_con_las_tareas_sin_dueno(client, coordinadora, nuevo_caso):
    localidades = list(Localidad.objects.all()[:4])
    for _ in range(3):
        nuevo_caso(localidad=localidades[0])
    client.force_login(coordinadora)
    pocas = consultas(client, reverse("flujos:cola"))
    for k in range(60):
        nuevo_caso(localidad=localidades[k % len(localidades)])
    muchas = consultas(client, reverse("flujos:cola"))
    assert len(client.get(reverse("flujos:cola")).context["pagina"].object_list) == 50
    iguales(pocas, muchas)


# --- (d) la búsqueda -------------------------------------------------------------------


@pytest.mark.parametrize(
    "texto", ["Hernández", "+523344556677", "6677"], ids=["nombre", "telefono", "digitos"]
)
def test_la_busqueda_no_crece_con_los_resultados(client, coordinadora, nuevo_caso, texto):
    def casos(cuantos):
        for k in range(cuantos):
            nuevo_caso(nombre=f"Rosa Hernández {k}", telefono="+523344556677")

    client.force_login(coordinadora)
    casos(2)
    pocas = consultas(client, reverse("casos:buscar"), {"q": texto})
    casos(30)
    muchas = consultas(client, reverse("casos:buscar"), {"q": texto})
    assert client.get(reverse("casos:buscar"), {"q": texto}).context["pagina"].paginator.count == 32
    iguales(pocas, muchas)


# --- (e) la agenda ---------------------------------------------------------------------


def test_la_agenda_no_crece_con_las_sesiones(
    client, coordinadora, certificado, otro_certificado, nuevo_caso, sala
):
    from casos.models import Sala
    from tests.conftest import con_horario

    otra_sala = con_horario(Sala.objects.create(nombre="Sala 2"))
    semana = {"fecha": MIERCOLES.isoformat(), "vista": "semana"}

    def sesiones(cuantas, desde):
        for k in range(desde, desde + cuantas):
            # Miércoles a viernes, de 8 a 17 h, cada mediador en su sala.
            mediador = (certificado, otro_certificado)[k // 10 % 2]
            caso = nuevo_caso().caso
            admitido(caso, coordinadora, mediador)
            invitado(caso, mediador)
            dia = MIERCOLES + timedelta(days=k // 20)
            con_sesion(caso, mediador, (sala, otra_sala)[k // 10 % 2], en(dia, 8 + k % 10))

    client.force_login(coordinadora)
    sesiones(3, 0)
    pocas = consultas(client, reverse("agenda:oficina"), semana)
    sesiones(57, 3)
    muchas = consultas(client, reverse("agenda:oficina"), semana)
    iguales(pocas, muchas)


# --- (f) el tablero --------------------------------------------------------------------


def test_el_tablero_no_crece_con_los_casos(
    client, direccion, coordinadora, nuevo_caso, certificado
):
    from casos.models import Categoria, TipoCaso

    localidades = list(Localidad.objects.all())
    categorias = list(Categoria.objects.filter(tipo=TipoCaso.MEDIACION))

    def casos(cuantos):
        for k in range(cuantos):
            caso = nuevo_caso(
                localidad=localidades[k % len(localidades)],
                categoria=categorias[k % len(categorias)],
            ).caso
            if k % 2:
                admitido(caso, coordinadora, certificado)
        resumen.rehacer()

    client.force_login(direccion)
    casos(3)
    pocas = consultas(client, reverse("estadistica:tablero"))
    casos(40)
    muchas = consultas(client, reverse("estadistica:tablero"))
    iguales(pocas, muchas)
