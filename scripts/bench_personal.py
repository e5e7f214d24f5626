#!/usr/bin/env python3
"""Benchmark de las páginas del personal con una sesión iniciada, sobre 100,000 casos en
PostgreSQL.

Llena una base nueva (la de DATABASE_URL) con N casos con su proceso y su tarea de revisión
abierta sin dueño (la cola; 200 de ellas tomadas por la coordinación: la bandeja), sus partes
con nombre y teléfono (la búsqueda) y su evento de recepción; un caso con historia larga
(500 eventos, 50 documentos, 200 avisos); sesiones futuras repartidas en semanas con distinta
carga (la agenda), y el resumen de la estadística rehecho (el tablero). Mide cada página:
  1. con el cliente de pruebas de Django: p50/p95 y número de consultas;
  2. con `wrk` (20 conexiones) contra gunicorn con 2 workers en modo producción, con la
     cookie de sesión de la persona que la usa (coordinación; el tablero, la Dirección).
Se ejecuta desde bench.py (`--solo-personal`). Imprime un JSON al final.
"""

import gc
import json
import os
import random
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "scripts"))

CASOS = int(os.getenv("BENCH_PERSONAL_CASOS", "100000"))
SESIONES = int(os.getenv("BENCH_PERSONAL_SESIONES", "10000"))
MUESTRAS = int(os.getenv("BENCH_PERSONAL_MUESTRAS", "30"))
CONEXIONES = int(os.getenv("BENCH_PERSONAL_CONEXIONES", "20"))
SEGUNDOS = int(os.getenv("BENCH_PERSONAL_SEGUNDOS", "15"))
# Solo estas páginas (claves separadas por comas); vacío: todas.
SOLO = [p for p in os.getenv("BENCH_PERSONAL_PAGINAS", "").split(",") if p]
OBJETIVO_MS = 50
EVENTOS, DOCUMENTOS, AVISOS = 500, 50, 200
_INICIO = time.perf_counter()

LUA = r"""
local cookie = os.getenv("BENCH_COOKIE")
local ruta = os.getenv("BENCH_RUTA")
local hilos = {}
malos = 0

function setup(hilo)
  table.insert(hilos, hilo)
end

function request()
  return wrk.format("GET", ruta, {["Cookie"] = cookie})
end

function response(estado, encabezados, cuerpo)
  if estado ~= 200 then malos = malos + 1 end
end

function done(resumen, latencia, peticiones)
  local no200 = 0
  for _, hilo in ipairs(hilos) do no200 = no200 + hilo:get("malos") end
  local e = resumen.errors
  io.write(string.format(
    '{"peticiones": %d, "segundos": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
    .. '"max_ms": %.2f, "no_200": %d, "conexion": %d, "lectura": %d, "escritura": %d, '
    .. '"tiempo_agotado": %d}\n',
    resumen.requests, resumen.duration / 1e6, latencia:percentile(50) / 1e3,
    latencia:percentile(95) / 1e3, latencia:percentile(99) / 1e3, latencia.max / 1e3,
    no200, e.connect, e.read, e.write, e.timeout))
end
"""


def avance(texto: str) -> None:
    print(f"[personal {time.perf_counter() - _INICIO:6.0f} s] {texto}", file=sys.stderr, flush=True)


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))]


def llenar_partes_y_eventos() -> None:
    """La persona solicitante (nombre y teléfono distintos en cada caso) y la invitada de cada
    caso del llenado, y su evento de recepción."""
    from casos.models import Caso, Evento, Parte, RolParte, TipoEvento
    from casos.texto import normalizar_busqueda

    nombres = ["María", "José", "Guadalupe", "Juan", "Rosa", "Francisco", "Ana", "Luis"]
    apellidos = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Ramírez"]
    ids = list(Caso.objects.filter(anio=2000).order_by("pk").values_list("pk", "numero"))
    for inicio in range(0, len(ids), 5000):
        lote = ids[inicio : inicio + 5000]
        partes = []
        for pk, n in lote:
            nombre = (
                f"{nombres[n % len(nombres)]} {apellidos[n % len(apellidos)]} "
                f"{apellidos[(n // 7) % len(apellidos)]} {n}"
            )
            partes.append(
                Parte(
                    caso_id=pk,
                    rol=RolParte.SOLICITANTE,
                    nombre=nombre,
                    nombre_busqueda=normalizar_busqueda(nombre),
                    telefono=f"+5233{10000000 + n}",
                )
            )
            partes.append(
                Parte(
                    caso_id=pk,
                    rol=RolParte.INVITADA,
                    nombre="Vecino de enfrente",
                    nombre_busqueda=normalizar_busqueda("Vecino de enfrente"),
                    domicilio="Calle Hidalgo 3",
                )
            )
        Parte.objects.bulk_create(partes)
        Evento.objects.bulk_create(
            [
                Evento(caso_id=pk, tipo=TipoEvento.RECIBIDA, descripcion="Recibida", publico=True)
                for pk, _n in lote
            ]
        )


def caso_largo(actor):
    """Un caso recibido por el servicio con 500 eventos, 50 documentos y 200 avisos."""
    from django.utils import timezone

    from casos import services
    from casos.models import AvisoPrivacidad, Canal, Categoria, Evento, Localidad, TipoEvento
    from notificaciones.models import Mensaje
    from plantillas.models import Documento, EstadoDocumento, TipoDocumento

    caso = services.recibir_solicitud(
        tipo="MED",
        canal=Canal.TELEFONO,
        categoria=Categoria.objects.filter(tipo="MED", canalizar=False).first(),
        localidad=Localidad.objects.first(),
        resumen="Conflicto entre vecinos por el uso de la banqueta, con muchas vueltas.",
        solicitante=services.DatosPersona(nombre="Historia Larga", telefono="+523399999999"),
        otra_parte=services.DatosPersona(nombre="Vecino Largo", domicilio="Calle 5"),
        aviso=AvisoPrivacidad.vigente(),
    ).caso
    ahora = timezone.now()
    tipos = [TipoEvento.CONTACTO, TipoEvento.INVITACION, TipoEvento.SESION_PROGRAMADA]
    Evento.objects.bulk_create(
        [
            Evento(
                caso=caso,
                tipo=tipos[k % len(tipos)],
                descripcion=f"Seguimiento número {k} del caso",
                actor=actor if k % 2 else None,
                actor_descripcion="" if k % 2 else "Sistema",
                datos={"nota": "Llamó para preguntar"} if k % 10 == 0 else {},
                creado_en=ahora - timedelta(hours=EVENTOS - k),
            )
            for k in range(EVENTOS - caso.eventos.count())
        ]
    )
    documentos = [TipoDocumento.INVITACION, TipoDocumento.CONSTANCIA_SESION]
    Documento.objects.bulk_create(
        [
            Documento(
                caso=caso,
                tipo=documentos[k % 2],
                version=k // 2 + 1,
                version_plantilla="1",
                estado=EstadoDocumento.LISTO,
                archivo=f"documentos/bench/{caso.folio}/{k}.pdf",
                sha256="0" * 64,
                paginas=1,
                solicitado_por=actor,
                generado_en=ahora,
            )
            for k in range(DOCUMENTOS - caso.documentos.count())
        ]
    )
    partes = list(caso.partes.all())
    Mensaje.objects.bulk_create(
        [
            Mensaje(
                llave=f"bench-largo-{k}",
                plantilla="recordatorio_sesion",
                canal="sms",
                destino="+523399999999",
                caso=caso,
                parte=partes[k % len(partes)],
                estado="enviado" if k % 3 else "pendiente",
                programado_para=ahora - timedelta(hours=k),
            )
            for k in range(AVISOS - Mensaje.objects.filter(caso=caso).count())
        ]
    )
    return caso


def llenar() -> dict:
    import bench_agenda
    from bench_flujos import llenar_procesos
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from casos.models import Caso
    from estadistica import resumen

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # como en producción
    tiempos = {}
    t = time.perf_counter()
    coordinadora = User.objects.create_user(
        "bench-personal", first_name="Coordinadora", last_name="Bench"
    )
    coordinadora.groups.add(Group.objects.get(name="coordinador"))
    direccion = User.objects.create_user("bench-direccion", first_name="Dirección")
    direccion.groups.add(Group.objects.get(name="direccion"))
    avance(f"llenando {CASOS:,} casos con su proceso y su tarea abierta")
    llenar_procesos(CASOS, coordinadora, propias=200)
    tiempos["procesos_s"] = time.perf_counter() - t
    t = time.perf_counter()
    avance("partes y eventos")
    llenar_partes_y_eventos()
    tiempos["partes_s"] = time.perf_counter() - t
    avance("caso con historia larga")
    largo = caso_largo(coordinadora)
    t = time.perf_counter()
    avance(f"{SESIONES:,} sesiones futuras")
    # La agenda: las mismas semanas que bench_agenda (llena, mediana, ligera) sobre los casos
    # ya llenados.
    _coordinadora_agenda, lunes = bench_agenda.llenar(0, SESIONES)
    tiempos["sesiones_s"] = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t = time.perf_counter()
    avance("resumen de la estadística (hechos de cada caso y resumen diario)")
    resumen.rehacer()
    tiempos["resumen_s"] = time.perf_counter() - t
    with connection.cursor() as cursor:
        # Lo que haría autovacuum tras una carga masiva: estadísticas y mapa de visibilidad
        # (los conteos por índice no visitan la tabla).
        cursor.execute("VACUUM ANALYZE")
    # Un caso cuyo teléfono termina en cuatro dígitos que no son ceros (los ceros están en
    # miles de folios del llenado).
    numero = CASOS // 2 + 4321 if CASOS > 10000 else CASOS // 2
    muestra = Caso.objects.filter(anio=2000, numero=numero).get()
    parte = muestra.partes.order_by("id").first()
    return {
        "coordinadora": coordinadora,
        "direccion": direccion,
        "caso_largo": largo,
        "lunes": lunes,
        "nombre": parte.nombre.rsplit(" ", 1)[0].split(" ", 1)[1],
        "nombre_unico": parte.nombre,
        "telefono": parte.telefono[-4:],
        "telefono_completo": parte.telefono,
        "tiempos": tiempos,
        "hoy": timezone.localdate(),
    }


def paginas(datos: dict) -> dict[str, tuple[str, str, object]]:
    """clave → (etiqueta, ruta, persona que la pide)."""
    from urllib.parse import urlencode

    c, d = datos["coordinadora"], datos["direccion"]
    lunes = datos["lunes"]

    def agenda(semana):
        return "/agenda/oficina/?" + urlencode({"fecha": semana.isoformat(), "vista": "semana"})

    todas = {
        "caso": (
            f"caso con {EVENTOS} eventos, {DOCUMENTOS} documentos y {AVISOS} avisos",
            f"/casos/{datos['caso_largo'].folio}/",
            c,
        ),
        "bandeja": ("bandeja (/tareas/), 200 tareas propias", "/tareas/", c),
        "cola": (f"cola (/tareas/cola/), {CASOS:,} tareas sin dueño", "/tareas/cola/", c),
        "busqueda_nombre": (
            f"búsqueda por nombre «{datos['nombre']}»",
            "/casos/?" + urlencode({"q": datos["nombre"]}),
            c,
        ),
        "busqueda_nombre_unico": (
            "búsqueda por nombre completo (un caso)",
            "/casos/?" + urlencode({"q": datos["nombre_unico"]}),
            c,
        ),
        "busqueda_telefono": (
            "búsqueda por teléfono completo",
            "/casos/?" + urlencode({"q": datos["telefono_completo"]}),
            c,
        ),
        "busqueda_digitos": (
            f"búsqueda por los últimos 4 dígitos ({datos['telefono']})",
            "/casos/?" + urlencode({"q": datos["telefono"]}),
            c,
        ),
        "agenda_ligera": ("agenda de la oficina, semana ligera", agenda(lunes[2]), c),
        "agenda_mediana": ("agenda de la oficina, semana mediana", agenda(lunes[1]), c),
        "tablero": ("tablero (/tablero/), año en curso", "/tablero/", d),
    }
    return {k: v for k, v in todas.items() if not SOLO or k in SOLO}


def medir_cliente(ruta: str, persona) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cliente = Client()
    cliente.force_login(persona)
    for _ in range(3):  # calentamiento
        respuesta = cliente.get(ruta)
        assert respuesta.status_code == 200, (
            ruta,
            respuesta.status_code,
            respuesta.get("Location", ""),
        )
    tiempos = []
    for _ in range(MUESTRAS):
        t = time.perf_counter()
        respuesta = cliente.get(ruta)
        tiempos.append((time.perf_counter() - t) * 1000)
        assert respuesta.status_code == 200, (ruta, respuesta.status_code)
    with CaptureQueriesContext(connection) as consultas:
        respuesta = cliente.get(ruta)
    en_base = sum(float(q["time"]) for q in consultas.captured_queries) * 1000
    lentas = sorted(consultas.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "p50_ms": percentil(tiempos, 50),
        "p95_ms": percentil(tiempos, 95),
        "max_ms": max(tiempos),
        "consultas": len(consultas),
        "ms_en_consultas": en_base,
        "bytes": len(respuesta.content),
        "lentas": [{"ms": float(q["time"]) * 1000, "sql": q["sql"][:800]} for q in lentas],
    }


def correr_wrk(url: str, ruta: str, cookie: str) -> dict:
    from procesos import carga_con_wrk

    return carga_con_wrk(
        LUA,
        url,
        conexiones=CONEXIONES,
        segundos=SEGUNDOS,
        entorno={**os.environ, "BENCH_COOKIE": cookie, "BENCH_RUTA": ruta},
    )


def cookie_de(persona) -> str:
    from django.conf import settings
    from django.test import Client

    cliente = Client()
    cliente.force_login(persona)
    return f"{settings.SESSION_COOKIE_NAME}={cliente.cookies[settings.SESSION_COOKIE_NAME].value}"


def comprobar(url: str, ruta: str, cookie: str) -> None:
    """Una petición antes de medir: la página responde 200 con la sesión (y no la entrada)."""
    peticion = urllib.request.Request(url + ruta, headers={"Cookie": cookie})
    respuesta = urllib.request.urlopen(peticion, timeout=60)
    assert respuesta.status == 200 and "/cuentas/entrar/" not in respuesta.url, respuesta.url


def main() -> int:
    # Se mide la página, no la entrada: las personas del benchmark no tienen segundo paso.
    os.environ["DOS_PASOS_OBLIGATORIO_ROLES"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from procesos import detener, esperar_puerto, puerto_libre, web

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    datos = llenar()
    llenado = time.perf_counter() - t0
    medidas = paginas(datos)
    # Lo del llenado queda fuera del recolector: como un worker de gunicorn recién arrancado.
    gc.collect()
    gc.freeze()
    cliente = {}
    for clave, (etiqueta, ruta, persona) in medidas.items():
        avance(f"cliente de pruebas: {etiqueta}")
        cliente[clave] = {"etiqueta": etiqueta, "ruta": ruta, **medir_cliente(ruta, persona)}
    gc.unfreeze()
    connection.close()
    carga = {}
    with tempfile.TemporaryDirectory() as tmp:
        puerto = puerto_libre()
        entorno = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        servidor = web(entorno, Path(tmp) / "gunicorn.log", puerto, trabajadores=2)
        url = f"http://127.0.0.1:{puerto}"
        try:
            esperar_puerto(puerto, 60)
            cookies = {p.pk: cookie_de(p) for _e, _r, p in medidas.values()}
            for clave, (etiqueta, ruta, persona) in medidas.items():
                avance(f"wrk: {etiqueta}")
                comprobar(url, ruta, cookies[persona.pk])
                carga[clave] = correr_wrk(url, ruta, cookies[persona.pk])
        finally:
            detener(servidor)
            bitacora = (Path(tmp) / "gunicorn.log").read_text()
            if bitacora.strip():
                print(bitacora[-3000:], file=sys.stderr)
    print(
        json.dumps(
            {
                "casos": CASOS,
                "sesiones_futuras": SESIONES,
                "muestras": MUESTRAS,
                "conexiones": CONEXIONES,
                "segundos": SEGUNDOS,
                "gunicorn_workers": 2,
                "objetivo_ms": OBJETIVO_MS,
                "llenado_s": llenado,
                "llenado": datos["tiempos"],
                "cliente": cliente,
                "wrk": carga,
            }
        )
    )
    return 0


if __name__ == "__main__":
    random.seed(5)
    sys.exit(main())
