"""Ninguna respuesta pública lleva datos personales; las consultas no crecen con los casos."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import idempotencia
from api.models import EnvioIdempotente
from casos import codigos
from casos.models import Caso, Categoria, TipoCaso
from casos.services import DatosPersona
from casos.services import mediacion as med
from tests.casos.etapas import AHORA, admitido, con_sesion, invitado

from .ayudas import ident, leer, url

# Lo que nadie debe poder leer en una respuesta pública.
PERSONALES = [
    "Hermenegilda Zúñiga",
    "Zúñiga",
    "Bartolomé Anzures",
    "Anzures",
    "Rosa Gutiérrez",
    "Villaseñor",
    "+523317778899",
    "3317778899",
    "33 1777 8899",
    "+523915550101",
    "3915550101",
    "391 555 0101",
    "hermenegilda@correo.mx",
    "rosa.gutierrez@correo.mx",
    "Privada de los Fresnos 17",
    "Calle Morelos 45",
    "Calle Morelos 47",
    "esmeril",
    "gallinero",
    "palomar del vecino",
    "motivo reservado",
    "Recibió su cuñada",
]


@pytest.fixture
def sembrados(reloj, nuevo_caso, coordinadora, certificado, sala, client, cuerpo):
    """Casos con datos personales reconocibles, en varias etapas."""
    uno = nuevo_caso(
        nombre="Hermenegilda Zúñiga",
        telefono="+523317778899",
        resumen="Pleito por el gallinero y el palomar del vecino.",
        solicitante=DatosPersona(
            nombre="Hermenegilda Zúñiga",
            telefono="+523317778899",
            correo="hermenegilda@correo.mx",
            domicilio="Privada de los Fresnos 17",
        ),
        otra_parte=DatosPersona(nombre="Bartolomé Anzures", domicilio="Calle Morelos 47"),
    ).caso
    admitido(uno, coordinadora, certificado)
    med.registrar_invitacion(
        caso=uno,
        actor=certificado,
        medio="personal",
        fecha=AHORA,
        respuesta="acepta",
        recibio="Recibió su cuñada",
    )
    con_sesion(uno, certificado, sala)
    dos = nuevo_caso(resumen="Quiere saber del gallinero.").caso
    med.no_admitir(caso=dos, actor=coordinadora, motivo="El motivo reservado de la constancia.")
    respuesta = client.post(url("open311:solicitudes"), cuerpo())
    assert respuesta.status_code == 201
    return [uno, dos, Caso.objects.get(canal="api")]


def _publicas(client, casos) -> list:
    respuestas = []
    for formato in ("json", "xml"):
        respuestas += [
            client.get(url("open311:descubrimiento", formato=formato)),
            client.get(url("open311:servicios", formato=formato)),
            client.get(url("open311:solicitudes", formato=formato)),
            client.get(url("open311:solicitudes", formato=formato), {"status": "closed"}),
            client.get(
                url("open311:solicitudes", formato=formato),
                {"service_request_id": ",".join(ident(c) for c in casos)},
            ),
        ]
        for caso in casos:
            respuestas.append(client.get(url("open311:solicitud", ident(caso), formato=formato)))
        for tipo, categoria in {(c.tipo, c.categoria_id) for c in casos}:
            codigo = f"{tipo}-{categoria}"
            respuestas.append(client.get(url("open311:servicio", codigo, formato=formato)))
    return respuestas


def test_ninguna_respuesta_publica_lleva_datos_personales(client, sembrados):
    secretos = PERSONALES + [
        codigos.derivar_codigo(c.folio, c.codigo_sal) for c in Caso.objects.all()
    ]
    # Los folios son consecutivos: publicarlos dejaría ver los huecos de los casos ocultos.
    secretos += [c.folio for c in Caso.objects.all()]
    respuestas = _publicas(client, sembrados)
    assert len(respuestas) == 18
    for respuesta in respuestas:
        assert respuesta.status_code == 200, respuesta.wsgi_request.path
        texto = respuesta.content.decode()
        for secreto in secretos:
            assert secreto not in texto, (respuesta.wsgi_request.get_full_path(), secreto)
    # Se publica el identificador cifrado de cada folio.
    assert all(ident(c) in respuestas[2].content.decode() for c in sembrados)


def test_la_respuesta_del_post_no_repite_los_datos_enviados(client, reloj, cuerpo):
    texto = client.post(url("open311:solicitudes"), cuerpo()).content.decode()
    for secreto in PERSONALES:
        assert secreto not in texto


def _consultas(client, **parametros) -> int:
    # Una petición antes, que no cuenta: los datos de la oficina quedan en la memoria del
    # proceso (nucleo.memoria) y no se vuelven a leer.
    client.get(url("open311:solicitudes"), parametros)
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(url("open311:solicitudes"), parametros)
    assert respuesta.status_code == 200
    return len(capturadas)


def _sembrar(nuevo_caso, coordinadora, cuantos: int) -> None:
    for i in range(cuantos):
        tipo = TipoCaso.MEDIACION if i % 2 else TipoCaso.ASESORIA
        caso = nuevo_caso(tipo).caso
        if tipo == TipoCaso.MEDIACION and i % 4 == 1:
            med.admitir(caso=caso, actor=coordinadora)
            med.prorrogar(
                caso=caso,
                actor=coordinadora,
                nueva_fecha_limite=date(2027, 4, 30),
                consentimiento="Ambas partes firmaron.",
            )


def test_las_consultas_no_crecen_con_los_casos(
    client, reloj, nuevo_caso, coordinadora, django_assert_max_num_queries
):
    _sembrar(nuevo_caso, coordinadora, 5)
    pocas = _consultas(client)
    _sembrar(nuevo_caso, coordinadora, 45)
    assert len(leer(client.get(url("open311:solicitudes")))) == 50
    assert _consultas(client) == pocas
    assert _consultas(client, status="open") == pocas
    with django_assert_max_num_queries(6):
        client.get(url("open311:solicitudes", formato="xml"))


def test_los_servicios_no_crecen_con_el_catalogo(client, catalogos):
    with CaptureQueriesContext(connection) as antes:
        client.get(url("open311:servicios"))
    for i in range(30):
        Categoria.objects.create(nombre=f"Categoría {i}", tipo="")
    with CaptureQueriesContext(connection) as despues:
        client.get(url("open311:servicios"))
    assert len(despues) == len(antes) <= 2


def test_dos_reintentos_simultaneos_dejan_un_solo_caso(client, reloj, cuerpo, monkeypatch):
    """El segundo no vio al primero al buscar la clave; la restricción única lo detiene antes
    de crear nada y responde lo del primero."""
    datos = cuerpo(**{"attribute[clave_idempotencia]": "carrera"})
    assert client.post(url("open311:solicitudes"), datos).status_code == 201
    original = idempotencia.repeticion
    llamadas = []

    def tarde(**kwargs):
        # La búsqueda ocurre antes de que el otro confirme; después ya se ve.
        llamadas.append(kwargs)
        return None if len(llamadas) == 1 else original(**kwargs)

    monkeypatch.setattr(idempotencia, "repeticion", tarde)
    respuesta = client.post(url("open311:solicitudes"), datos)
    assert respuesta.status_code == 200
    assert len(llamadas) == 2
    assert Caso.objects.count() == 1 and EnvioIdempotente.objects.count() == 1
    assert leer(respuesta)[0]["service_request_id"] == ident("MED-2026-00001")
    # El perdedor no tomó folio: no quedan huecos.
    assert client.post(url("open311:solicitudes"), cuerpo()).status_code == 201
    assert Caso.objects.order_by("-pk").first().folio == "MED-2026-00002"


def test_fechas_esperadas_con_prorroga(client, reloj, nuevo_caso, coordinadora):
    caso = nuevo_caso().caso
    med.admitir(caso=caso, actor=coordinadora)
    med.prorrogar(
        caso=caso,
        actor=coordinadora,
        nueva_fecha_limite=AHORA.date() + timedelta(days=150),
        consentimiento="Ambas partes firmaron.",
    )
    (renglon,) = leer(client.get(url("open311:solicitud", ident(caso))))
    assert renglon["expected_datetime"] == "2027-04-23T23:59:00-06:00"


def test_las_notas_explican_el_estado_sin_lo_que_consta_en_el_expediente(
    client, reloj, nuevo_caso, coordinadora, certificado
):
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    caso.refresh_from_db()
    respuesta = client.get(url("open311:solicitud", ident(caso)))
    (renglon,) = leer(respuesta)
    assert renglon["status"] == "open"
    assert renglon["status_notes"] == f"{caso.get_estado_display()}. {caso.explicacion_estado}"
    assert "La propia persona" not in respuesta.content.decode()


def _canalizados(nuevo_caso, coordinadora) -> list[Caso]:
    """En categorías ordinarias: una mediación canalizada (concluye), una asesoría en espera
    de la dependencia y otra a la que la dependencia ya respondió (vuelve a atención)."""
    from casos.services import asesoria

    mediacion = nuevo_caso().caso
    med.canalizar(caso=mediacion, actor=coordinadora, dependencia="DIF", motivo="No es mediable.")
    en_espera = nuevo_caso(TipoCaso.ASESORIA).caso
    asesoria.canalizar(
        caso=en_espera, actor=coordinadora, dependencia="Catastro", motivo="Trámite."
    )
    respondida = nuevo_caso(TipoCaso.ASESORIA).caso
    oficio = asesoria.canalizar(
        caso=respondida, actor=coordinadora, dependencia="Catastro", motivo="Trámite."
    )
    asesoria.registrar_respuesta_canalizacion(
        canalizacion=oficio, actor=coordinadora, respuesta="Se atendió."
    )
    casos = [Caso.objects.get(pk=c.pk) for c in (mediacion, en_espera, respondida)]
    assert not any(c.categoria.canalizar for c in casos)
    assert [c.estado for c in casos] == ["canalizada", "en_canalizacion", "en_atencion"]
    return casos


def test_los_casos_canalizados_por_el_personal_no_se_publican(
    client, reloj, nuevo_caso, coordinadora
):
    visible = nuevo_caso().caso
    _sembrar(nuevo_caso, coordinadora, 3)
    antes = _consultas(client)
    ocultos = _canalizados(nuevo_caso, coordinadora)
    publicados = {r["service_request_id"] for r in leer(client.get(url("open311:solicitudes")))}
    assert ident(visible) in publicados and len(publicados) == 4
    assert not publicados & {ident(c) for c in ocultos}
    todos = ",".join(ident(c) for c in [visible, *ocultos])
    por_folio = leer(client.get(url("open311:solicitudes"), {"service_request_id": todos}))
    assert [r["service_request_id"] for r in por_folio] == [ident(visible)]
    for caso in ocultos:
        assert client.get(url("open311:solicitud", ident(caso))).status_code == 404
    # Excluirlos no agrega consultas.
    assert _consultas(client) == antes
