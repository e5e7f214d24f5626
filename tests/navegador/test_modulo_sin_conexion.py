"""El módulo itinerante sin señal, en Chromium real: capturar con la red apagada, recargar
sin red, volver a la red y sincronizar; lotes repetidos y cortes a media sincronización no
duplican ningún caso."""

import re

import pytest
from django.db import connection
from django.utils import timezone

from casos.models import Caso, Categoria, TipoCaso
from modulos.models import CapturaDeCampo
from tests.conftest import CLAVE
from tests.navegador.test_pantallas import entrar
from tests.navegador.test_portal_publico import auditar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

PERSONAS = ("Rosa Jiménez", "Esteban Ornelas", "Lucía Navarro")


CONTROLADA = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise(listo => navigator.serviceWorker.addEventListener(
      'controllerchange', listo, {once: true}));
  }
  return true;
}"""


def _iniciada(page):
    page.locator("#campo[data-iniciado='1']").wait_for(state="attached")


def _desbloquear(page, clave=CLAVE):
    page.locator("#contrasena-campo").fill(clave)
    page.locator("#form-desbloqueo button[type=submit]").click()
    page.locator("#captura").wait_for(state="visible")


def _capturar(page, nombre: str, categoria: str) -> None:
    form = page.locator("#form-captura")
    form.locator("#id_tipo_1").check()  # asesoría: sin otra parte
    form.locator("#id_categoria").select_option(label=categoria)
    form.locator("#id_nombre").fill(nombre)
    form.locator("#id_domicilio").fill("Calle Hidalgo 3, Margaritas")
    form.locator("#id_resumen").fill("Pide orientación sobre un trámite de su terreno.")
    form.locator("#id_aviso").check()
    form.locator("button[type=submit]").click()
    page.locator("#tabla-capturas tbody tr").filter(has_text=nombre).wait_for()


def _pendientes(page) -> str:
    return page.locator("#estado-guardado").inner_text()


def test_jornada_sin_senal_se_captura_se_recarga_y_se_sincroniza_una_vez(
    pagina, captura, operadora, modulo
):
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first().nombre
    contexto = pagina.context
    entrar(pagina, "operadora", "/modulos/")
    pagina.locator("#campo[data-listo='1']").wait_for(state="attached")
    assert auditar(pagina) == []
    _desbloquear(pagina)
    # El service worker toma el control de la página (la primera carga no lo estaba).
    pagina.evaluate(CONTROLADA)
    pagina.reload()
    _iniciada(pagina)

    contexto.set_offline(True)
    pagina.reload()  # sin red, la página sale de lo guardado en el equipo
    _iniciada(pagina)
    assert "Sin conexión" in pagina.locator("#estado-red").inner_text()
    _desbloquear(pagina)
    for nombre in PERSONAS:
        _capturar(pagina, nombre, categoria)
    assert "3 capturas esperan sincronizarse" in _pendientes(pagina)
    captura(pagina, "modulo-sin-red-tres-capturas")
    assert Caso.objects.count() == 0

    # Recargar sin red: siguen ahí, cifradas; sin la contraseña solo se ve cuántas esperan.
    pagina.reload()
    _iniciada(pagina)
    assert "3 capturas esperan sincronizarse" in _pendientes(pagina)
    assert "Rosa Jiménez" not in pagina.locator("#tabla-capturas").inner_text()
    assert "(cifrada" in pagina.locator("#tabla-capturas").inner_text()
    pagina.locator("#contrasena-campo").fill("no-es-la-clave")
    pagina.locator("#form-desbloqueo button[type=submit]").click()
    pagina.locator("#desbloqueo-error").filter(has_text="no es correcta").wait_for()
    _desbloquear(pagina)
    assert "Rosa Jiménez" in pagina.locator("#tabla-capturas").inner_text()
    # Lo guardado en IndexedDB no lleva los datos en claro.
    crudo = pagina.evaluate(
        """() => new Promise(ok => {
          const p = indexedDB.open('modulos-campo');
          p.onsuccess = () => {
            const r = p.result.transaction('capturas').objectStore('capturas').getAll();
            r.onsuccess = () => ok(JSON.stringify(r.result.map(c => ({
              ...c, bytes: new TextDecoder().decode(c.sobre.cifrado)})))); };
        })"""
    )
    assert "Rosa" not in crudo and "Margaritas" not in crudo and '"sobre"' in crudo
    assert auditar(pagina) == []

    # La primera sincronización: el servidor registra y la respuesta se pierde en el camino.
    cortes = {"n": 0, "cuerpo": ""}

    def cortar_respuesta(ruta):
        cortes["cuerpo"] = ruta.request.post_data
        respuesta = ruta.fetch()  # el servidor ya procesó el lote
        assert respuesta.status == 200
        cortes["n"] += 1
        ruta.abort("connectionreset")

    pagina.route("**/modulos/sincronizar/", cortar_respuesta)
    contexto.set_offline(False)  # el evento «online» sincroniza solo
    pagina.locator("#mensaje-sincronizacion").filter(has_text="Se cortó").wait_for()
    assert cortes["n"] == 1
    assert Caso.objects.count() == 3
    assert "3 capturas esperan sincronizarse" in _pendientes(pagina)
    pagina.unroute("**/modulos/sincronizar/")

    # Botón «Sincronizar»: el mismo lote llega otra vez y no crea nada nuevo.
    pagina.get_by_role("button", name="Sincronizar").click()
    pagina.locator("#mensaje-sincronizacion").filter(has_text="3 registradas").wait_for()
    pagina.locator("#estado-guardado").filter(has_text="No hay capturas esperando").wait_for()
    pagina.locator("#tabla-capturas .folio-campo").nth(2).wait_for()
    tabla = pagina.locator("#tabla-capturas").inner_text()
    folios = re.findall(r"ASE-\d{4}-\d{5}", tabla)
    assert len(set(folios)) == 3
    assert tabla.count(" · código ") == 3
    assert Caso.objects.count() == 3 and CapturaDeCampo.objects.count() == 3
    assert set(Caso.objects.values_list("modulo", flat=True)) == {modulo.pk}
    assert set(Caso.objects.values_list("capturado_por", flat=True)) == {operadora.pk}
    captura(pagina, "modulo-sincronizado")

    # El mismo lote otras dos veces (dos pestañas, un reintento): nada nuevo. A la vez solo en
    # PostgreSQL: SQLite no admite dos escrituras simultáneas.
    repetidos = pagina.evaluate(
        """async ([cuerpo, aLaVez]) => {
        const datos = await (await fetch('/modulos/catalogos.json', {cache: 'no-store'})).json();
        const enviar = () => fetch('/modulos/sincronizar/', {method: 'POST', body: cuerpo,
          headers: {'Content-Type': 'application/json', 'X-CSRFToken': datos.csrf}})
          .then(r => r.json());
        const [a, b] = aLaVez ? await Promise.all([enviar(), enviar()])
          : [await enviar(), await enviar()];
        return [a, b].map(r => r.resultados.map(x => x.folio + (x.repetida ? ':repetida' : '')));
        }""",
        [cortes["cuerpo"], connection.vendor == "postgresql"],
    )
    assert repetidos[0] == repetidos[1]
    assert sorted(f.split(":")[0] for f in repetidos[0]) == sorted(set(folios))
    assert all(f.endswith(":repetida") for f in repetidos[0])
    assert Caso.objects.count() == 3


def test_por_decidir_en_el_navegador_sin_fallas_de_accesibilidad(
    pagina, captura, operadora, modulo, nuevo_caso
):
    from modulos import services
    from tests.modulos.test_sincronizacion import renglon

    existente = nuevo_caso(telefono="+523912345678").caso
    services.sincronizar_captura(renglon=renglon(modulo, telefono="391 234 5678"), actor=operadora)
    entrar(pagina, "operadora", "/modulos/por-decidir/")
    assert existente.folio in pagina.content()
    assert auditar(pagina) == []
    captura(pagina, "modulo-por-decidir")
    pagina.get_by_label("Crear un caso nuevo ligado al existente").check()
    pagina.get_by_role("button", name="Decidir").click()
    pagina.get_by_text("Se creó el caso").wait_for()
    assert Caso.objects.count() == 2
    assert Caso.objects.exclude(pk=existente.pk).get().caso_anterior == existente


def test_una_captura_rechazada_se_queda_con_sus_errores_y_se_corrige(pagina, operadora, modulo):
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION, canalizar=False).first()
    entrar(pagina, "operadora", "/modulos/")
    _iniciada(pagina)
    _desbloquear(pagina)
    form = pagina.locator("#form-captura")
    form.locator("#id_tipo_0").check()  # mediación, sin la otra parte: el servidor la rechaza
    form.locator("#id_categoria").select_option(label=categoria.nombre)
    form.locator("#id_nombre").fill("Julián Barajas")
    form.locator("#id_telefono").fill("391 104 7782")
    form.locator("#id_resumen").fill("El vecino dejó material sobre la banqueta.")
    form.locator("#id_aviso").check()
    form.locator("button[type=submit]").click()
    fila = pagina.locator("#tabla-capturas tbody tr").filter(has_text="Julián Barajas")
    fila.filter(has_text="escriba el nombre de la otra parte").wait_for()
    assert "1 captura espera sincronizarse (1 con errores)" in _pendientes(pagina)
    assert Caso.objects.count() == 0
    assert not CapturaDeCampo.objects.exists()  # nada guardado en el servidor
    pagina.wait_for_timeout(1100)
    antes_de_corregir = timezone.now()
    fila.get_by_role("button", name="Corregir").click()
    assert form.locator("#id_nombre").input_value() == "Julián Barajas"
    form.locator("#id_otra_nombre").fill("Ramiro Navarro")
    form.locator("#id_otra_domicilio").fill("Calle Morelos 18")
    form.locator("button[type=submit]").click()
    pagina.locator("#tabla-capturas .folio-campo").filter(has_text="MED-").wait_for()
    caso = Caso.objects.get()
    captura = CapturaDeCampo.objects.get()
    assert caso.partes.count() == 2 and caso.recibido_en == captura.capturado_en
    assert captura.capturado_en < antes_de_corregir  # conserva la hora real de captura
    assert auditar(pagina) == []


def test_con_el_servidor_caido_la_captura_se_queda_en_el_equipo(pagina, operadora, modulo):
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first().nombre
    pagina.route(
        "**/modulos/sincronizar/",
        lambda ruta: ruta.fulfill(
            status=503, content_type="text/html", body="<p>Servicio no disponible</p>"
        ),
    )
    entrar(pagina, "operadora", "/modulos/")
    _iniciada(pagina)
    _desbloquear(pagina)
    _capturar(pagina, "Teresa Íñiguez", categoria)
    pagina.locator("#mensaje-sincronizacion").filter(has_text="no está disponible").wait_for()
    assert "1 captura espera sincronizarse." in _pendientes(pagina)
    assert not Caso.objects.exists()
    pagina.unroute("**/modulos/sincronizar/")
    pagina.get_by_role("button", name="Sincronizar").click()
    pagina.locator("#tabla-capturas .folio-campo").filter(has_text="ASE-").wait_for()
    assert Caso.objects.count() == 1
