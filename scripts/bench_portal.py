#!/usr/bin/env python3
"""Benchmark de las páginas públicas bajo carga, con PostgreSQL y 100,000 casos.

Llena una base nueva con N casos (partes, pasos públicos, acuse, sesiones futuras en una
parte de ellos), arranca gunicorn con 2 workers en modo producción (`piso.wsgi`:
la configuración de producción más los dos pisos) y, desde otro proceso, `wrk` con 20
conexiones mide, contra ese mismo gunicorn y en la misma corrida:
  - el piso de gunicorn: una aplicación WSGI desnuda (`/_piso/wsgi`),
  - el piso del framework: una vista que responde «ok» tras todo el middleware (`/_piso/`),
  - la página de estado: POST /consulta/ con folio y código correctos, de casos al azar, y
    con un código equivocado (la ruta de los límites de intentos), cada petición desde otra
    IP (X-Forwarded-For), como ciudadanos distintos,
  - GET /solicitud/ (el formulario ciudadano),
  - Open311: GET requests/{id}.json de casos al azar, GET requests.json con filtros
    (abiertas de un servicio desde hace 60 días) y GET services.json.
Reporta peticiones/s, p50/p95/p99, errores (conexión, tiempo agotado o un estado que no es
el esperado) y la razón de cada ruta al piso del framework. Se ejecuta desde bench.py con
DATABASE_URL (base nueva). Imprime un JSON al final.
"""

import itertools
import json
import logging
import os
import random
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "scripts"))

CASOS = int(os.getenv("BENCH_PORTAL_CASOS", "100000"))
CONEXIONES = int(os.getenv("BENCH_PORTAL_CONEXIONES", "20"))
SEGUNDOS = int(os.getenv("BENCH_PORTAL_SEGUNDOS", "20"))
MUESTRA = 5000  # casos distintos que se consultan al azar

LUA_COMUN = r"""
local objetivos = {}
local servicios = {}
local hilos = {}
malos = 0
c404 = 0
c429 = 0

function setup(hilo)
  table.insert(hilos, hilo)
end

function init(args)
  for linea in io.lines(args[1]) do
    local folio, codigo, publico, malo = linea:match("([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+)")
    table.insert(objetivos, {folio, codigo, publico, malo})
  end
  for codigo in string.gmatch(os.getenv("BENCH_SERVICIOS") or "", "[^,]+") do
    table.insert(servicios, codigo)
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function ip_al_azar()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
                       math.random(1, 254))
end

function response(estado, encabezados, cuerpo)
  if estado == 404 then c404 = c404 + 1 end
  if estado == 429 then c429 = c429 + 1 end
  if not esperado[estado] then malos = malos + 1 end
end

function done(resumen, latencia, peticiones)
  local fuera, n404, n429 = 0, 0, 0
  for _, hilo in ipairs(hilos) do
    fuera = fuera + hilo:get("malos")
    n404 = n404 + hilo:get("c404")
    n429 = n429 + hilo:get("c429")
  end
  local e = resumen.errors
  io.write(string.format(
    '{"peticiones": %d, "segundos": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
    .. '"max_ms": %.2f, "no_esperadas": %d, "r404": %d, "r429": %d, "conexion": %d, '
    .. '"lectura": %d, "escritura": %d, "tiempo_agotado": %d}\n',
    resumen.requests, resumen.duration / 1e6, latencia:percentile(50) / 1e3,
    latencia:percentile(95) / 1e3, latencia:percentile(99) / 1e3, latencia.max / 1e3,
    fuera, n404, n429, e.connect, e.read, e.write, e.timeout))
end
"""

LUA_POST_CONSULTA = r"""
function consulta(folio, codigo)
  local cuerpo = "csrfmiddlewaretoken=" .. os.getenv("BENCH_CSRF") .. "&folio=" .. folio
    .. "&codigo=" .. codigo
  return wrk.format("POST", "/consulta/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE"),
    ["X-Forwarded-For"] = ip_al_azar(),
  }, cuerpo)
end
"""

# Cada ruta: (nombre, etiqueta, estados esperados, función `request` en Lua). Cada petición
# de la consulta llega de otra IP (X-Forwarded-For), como ciudadanos distintos.
RUTAS = [
    (
        "piso_wsgi",
        "piso: aplicación WSGI desnuda",
        (200,),
        'function request() return wrk.format("GET", "/_piso/wsgi") end',
    ),
    (
        "piso",
        "piso: vista trivial con todo el middleware",
        (200,),
        'function request() return wrk.format("GET", "/_piso/") end',
    ),
    (
        "consulta",
        "POST /consulta/ (código correcto)",
        (200,),
        LUA_POST_CONSULTA
        + "function request() local o = objetivos[math.random(#objetivos)] "
        + "return consulta(o[1], o[2]) end",
    ),
    (
        "consulta_mala",
        "POST /consulta/ (código equivocado)",
        # La misma respuesta para folio o código equivocado (404); 429 cuando el folio o la
        # conexión ya agotaron sus intentos: ambas son la respuesta correcta.
        (404, 429),
        LUA_POST_CONSULTA
        + "function request() local o = objetivos[math.random(#objetivos)] "
        + "return consulta(o[1], o[4]) end",
    ),
    (
        "solicitud",
        "GET /solicitud/",
        (200,),
        'function request() return wrk.format("GET", "/solicitud/") end',
    ),
    (
        "open311",
        "GET /open311/v2/requests/{id}.json",
        (200,),
        "function request() local o = objetivos[math.random(#objetivos)] "
        + 'return wrk.format("GET", "/open311/v2/requests/" .. o[3] .. ".json") end',
    ),
    (
        "open311_lista",
        "GET /open311/v2/requests.json?filtros",
        (200,),
        "function request() local s = servicios[math.random(#servicios)] "
        + 'return wrk.format("GET", "/open311/v2/requests.json?status=open&service_code=" '
        + '.. s .. "&start_date=" .. os.getenv("BENCH_DESDE")) end',
    ),
    (
        "servicios",
        "GET /open311/v2/services.json",
        (200,),
        'function request() return wrk.format("GET", "/open311/v2/services.json") end',
    ),
]


def script_de(estados: tuple[int, ...], peticion: str) -> str:
    tabla = ", ".join(f"[{e}] = true" for e in estados)
    return f"esperado = {{{tabla}}}\n" + LUA_COMUN + peticion + "\n"


def llenar(casos: int) -> list[tuple[str, str]]:
    """Casos con su historia pública, en lotes. Devuelve (folio, código) de una muestra."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from casos import codigos
    from casos.models import (
        AvisoPrivacidad,
        Canal,
        Caso,
        Categoria,
        ContadorFolio,
        Estado,
        EstadoSesion,
        Evento,
        Localidad,
        Parte,
        RolParte,
        Sala,
        Sesion,
        TipoCaso,
        TipoEvento,
    )
    from plantillas.models import Documento, EstadoDocumento, TipoDocumento

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # como en producción
    categorias = {
        # Los asuntos que se canalizan no se publican en Open311 (darían 404 ahí).
        t: list(Categoria.objects.filter(tipo=t, canalizar=False))
        for t in (TipoCaso.MEDIACION, TipoCaso.ASESORIA)
    }
    localidades = list(Localidad.objects.all())
    aviso = AvisoPrivacidad.vigente()
    mediador, _ = User.objects.get_or_create(username="bench-mediador")
    sala, _ = Sala.objects.get_or_create(nombre="Sala bench", defaults={"ubicacion": "Planta"})
    ahora = timezone.now()
    anio = timezone.localdate().year
    azar = random.Random(7)
    recorridos = {
        TipoCaso.MEDIACION: [
            (Estado.RECIBIDA, [TipoEvento.RECIBIDA]),
            (Estado.INVITACION, [TipoEvento.RECIBIDA, TipoEvento.ADMITIDA, TipoEvento.INVITACION]),
            (
                Estado.SESION,
                [
                    TipoEvento.RECIBIDA,
                    TipoEvento.ADMITIDA,
                    TipoEvento.INVITACION,
                    TipoEvento.SESION_PROGRAMADA,
                ],
            ),
            (
                Estado.CONCLUIDA_CONVENIO,
                [
                    TipoEvento.RECIBIDA,
                    TipoEvento.ADMITIDA,
                    TipoEvento.INVITACION,
                    TipoEvento.SESION_PROGRAMADA,
                    TipoEvento.SESION_CELEBRADA,
                    TipoEvento.CONVENIO_FIRMADO,
                    TipoEvento.CONCLUIDA,
                ],
            ),
        ],
        TipoCaso.ASESORIA: [
            (Estado.ASIGNADA, [TipoEvento.RECIBIDA, TipoEvento.CLASIFICADA]),
            (
                Estado.RESUELTA,
                [TipoEvento.RECIBIDA, TipoEvento.CLASIFICADA, TipoEvento.EN_ATENCION],
            ),
        ],
    }
    muestra = []
    lote = 2000
    numeros = {TipoCaso.MEDIACION: 0, TipoCaso.ASESORIA: 0}
    for inicio in range(0, casos, lote):
        nuevos, historias = [], []
        for i in range(inicio, min(inicio + lote, casos)):
            tipo = TipoCaso.MEDIACION if i % 3 else TipoCaso.ASESORIA
            numeros[tipo] += 1
            estado, pasos = azar.choice(recorridos[tipo])
            recibido = ahora - timedelta(days=azar.randint(1, 360))
            nuevos.append(
                Caso(
                    tipo=tipo,
                    folio=codigos.formatear_folio(tipo, anio, numeros[tipo]),
                    anio=anio,
                    numero=numeros[tipo],
                    estado=estado,
                    canal=Canal.TELEFONO,
                    categoria=azar.choice(categorias[tipo]),
                    localidad=azar.choice(localidades),
                    resumen="Relato privado del caso.",
                    recibido_en=recibido,
                    admitido_en=recibido + timedelta(days=1)
                    if tipo == TipoCaso.MEDIACION
                    else None,
                    codigo_sal=codigos.nueva_sal(),
                    aviso_version=aviso.version,
                    aviso_canal=Canal.TELEFONO,
                    aviso_aceptado_en=recibido,
                )
            )
            historias.append((recibido, pasos))
        Caso.objects.bulk_create(nuevos)
        Parte.objects.bulk_create(
            [
                Parte(
                    caso=c,
                    rol=RolParte.SOLICITANTE,
                    nombre=f"Persona {c.folio}",
                    telefono=f"+5233{10000000 + c.pk % 90000000}",
                )
                for c in nuevos
            ]
            + [
                Parte(caso=c, rol=RolParte.INVITADA, nombre="Otra parte", domicilio="Calle 1")
                for c in nuevos
                if c.tipo == TipoCaso.MEDIACION
            ]
        )
        Evento.objects.bulk_create(
            [
                Evento(
                    caso=c,
                    tipo=paso,
                    descripcion="Paso",
                    publico=True,
                    creado_en=recibido + timedelta(days=k),
                )
                for c, (recibido, pasos) in zip(nuevos, historias, strict=True)
                for k, paso in enumerate(pasos)
            ]
        )
        Documento.objects.bulk_create(
            [
                Documento(
                    caso=c,
                    tipo=TipoDocumento.ACUSE,
                    version=1,
                    version_plantilla="1",
                    estado=EstadoDocumento.LISTO,
                    archivo=f"documentos/{anio}/{c.folio}/acuse.pdf",
                )
                for c in nuevos
            ]
        )
        futuras = [c for c in nuevos if c.estado == Estado.SESION]
        Sesion.objects.bulk_create(
            [
                Sesion(
                    caso=c,
                    numero=1,
                    inicio=ahora + timedelta(days=3, hours=k % 5),
                    fin=ahora + timedelta(days=3, hours=k % 5 + 1),
                    sala=sala,
                    mediador=mediador,
                    estado=EstadoSesion.PROGRAMADA,
                )
                for k, c in enumerate(futuras)
            ]
        )
        muestra.extend(nuevos)
        if len(muestra) > 4 * MUESTRA:
            muestra = azar.sample(muestra, MUESTRA)
    for tipo, ultimo in numeros.items():
        ContadorFolio.objects.update_or_create(tipo=tipo, anio=anio, defaults={"ultimo": ultimo})
    elegidos = azar.sample(muestra, min(MUESTRA, len(muestra)))
    from open311.identificadores import identificador_de

    # Folio y código para la consulta; el identificador público para Open311.
    # Folio y código para la consulta; el identificador público para Open311; y el código
    # de otro caso (bien formado, equivocado para este folio).
    codigos_de = [codigos.derivar_codigo(c.folio, c.codigo_sal) for c in elegidos]
    return [
        (c.folio, codigo, identificador_de(c.folio), codigos_de[i - 1])
        for i, (c, codigo) in enumerate(zip(elegidos, codigos_de, strict=True))
    ]


def token_csrf(url: str) -> tuple[str, str]:
    respuesta = urllib.request.urlopen(url + "/consulta/", timeout=30)
    cookie = re.search(r"csrftoken=([^;]+)", respuesta.headers.get("Set-Cookie", "")).group(1)
    formulario = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', respuesta.read().decode()
    ).group(1)
    return cookie, formulario


def _estado_de(peticion) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(peticion, timeout=30) as respuesta:
            return respuesta.status, respuesta.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def comprobar(
    url: str, objetivo: tuple, cookie: str, token: str, servicio: str, desde: str
) -> None:
    """Una petición de cada ruta antes de medir: la respuesta es la esperada."""
    folio, codigo, publico, malo = objetivo

    def consulta(con: str, ip: str):
        datos = f"csrfmiddlewaretoken={token}&folio={folio}&codigo={con}".encode()
        return urllib.request.Request(
            url + "/consulta/",
            data=datos,
            headers={"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": ip},
        )

    estado, html = _estado_de(consulta(codigo, "10.9.9.9"))
    assert estado == 200 and "Estado actual" in html and folio in html, html[:500]
    estado, html = _estado_de(consulta(malo, "10.9.9.8"))
    assert estado == 404 and "No encontramos" in html, html[:500]
    assert _estado_de(url + "/_piso/")[1] == "ok"
    assert _estado_de(url + "/_piso/wsgi")[1] == "ok"
    assert _estado_de(url + "/solicitud/")[0] == 200
    cuerpo = _estado_de(f"{url}/open311/v2/requests/{publico}.json")[1]
    assert json.loads(cuerpo)[0]["service_request_id"] == publico, cuerpo[:300]
    lista = _estado_de(
        f"{url}/open311/v2/requests.json?status=open&service_code={servicio}&start_date={desde}"
    )[1]
    assert isinstance(json.loads(lista), list), lista[:300]


def correr_wrk(script: str, url: str, objetivos: Path, entorno: dict) -> dict:
    from procesos import carga_con_wrk

    return carga_con_wrk(
        script,
        url,
        conexiones=CONEXIONES,
        segundos=SEGUNDOS,
        entorno=entorno,
        argumentos=(str(objetivos),),
    )


def esperar_desocupado(url: str, limite_s: float = 60) -> None:
    """Hasta que gunicorn termine lo que wrk dejó en vuelo (peticiones lentas que siguen en
    los workers al cortar la medición): que no se cuenten en la ruta siguiente."""
    fin, seguidas = time.monotonic() + limite_s, 0
    while time.monotonic() < fin and seguidas < 4:  # cuatro rápidas seguidas: ambos workers
        t0 = time.perf_counter()
        _estado_de(url + "/_piso/")
        seguidas = seguidas + 1 if time.perf_counter() - t0 < 0.05 else 0
        if not seguidas:
            time.sleep(0.5)


def medir_rutas(url: str, objetivos: list[tuple], entorno: dict, desde: str) -> dict:
    """Todas las rutas contra el mismo gunicorn, con la razón de cada una al piso. `desde`:
    desde cuándo lista `requests.json` (dentro de la ventana de 90 días de GeoReport)."""
    with tempfile.TemporaryDirectory() as tmp:
        lista = Path(tmp) / "objetivos.txt"
        lista.write_text("".join(" ".join(o) + "\n" for o in objetivos))
        cookie, token = token_csrf(url)
        servicios = json.loads(_estado_de(url + "/open311/v2/services.json")[1])
        codigos = ",".join(s["service_code"] for s in servicios)
        comprobar(url, objetivos[0], cookie, token, servicios[0]["service_code"], desde)
        entorno_wrk = {
            **entorno,
            "BENCH_CSRF": token,
            "BENCH_CSRF_COOKIE": cookie,
            "BENCH_SERVICIOS": codigos,
            "BENCH_DESDE": desde,
        }
        resultados = {}
        for nombre, _etiqueta, estados, peticion in RUTAS:
            resultados[nombre] = correr_wrk(script_de(estados, peticion), url, lista, entorno_wrk)
            esperar_desocupado(url)
    piso = resultados["piso"]["por_segundo"]
    for datos in resultados.values():
        datos["razon_piso"] = datos["por_segundo"] / piso
    return resultados


def perfiles(objetivos: list[tuple], desde: str) -> dict:
    """Dónde se va el tiempo de cada ruta: cProfile en proceso, contra la misma base
    (`scripts/perfil.py`), con las consultas de cada petición."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from perfil import perfilar

    from casos.models import LimiteIntento

    # Los intentos que contó wrk no cuentan aquí: cada ruta se perfila en su camino normal.
    LimiteIntento.objects.all().delete()
    cliente = Client()
    publico = objetivos[0][2]
    # Como en wrk, cada consulta contra otro caso: la del código equivocado sigue en la ruta
    # del 404 y no en la de un folio ya protegido.
    correctos = itertools.cycle([(o[0], o[1]) for o in objetivos])
    equivocados = itertools.cycle([(o[0], o[3]) for o in objetivos])
    servicio = json.loads(cliente.get("/open311/v2/services.json").content)[0]["service_code"]
    ips = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in range(1, 10**6))
    rutas = {
        "piso": lambda: cliente.get("/_piso/"),
        "consulta": lambda: cliente.post(
            "/consulta/",
            dict(zip(("folio", "codigo"), next(correctos), strict=True)),
            REMOTE_ADDR=next(ips),
        ),
        "consulta_mala": lambda: cliente.post(
            "/consulta/",
            dict(zip(("folio", "codigo"), next(equivocados), strict=True)),
            REMOTE_ADDR=next(ips),
        ),
        "solicitud": lambda: cliente.get("/solicitud/"),
        "open311": lambda: cliente.get(f"/open311/v2/requests/{publico}.json"),
        "open311_lista": lambda: cliente.get(
            f"/open311/v2/requests.json?status=open&service_code={servicio}&start_date={desde}"
        ),
        "servicios": lambda: cliente.get("/open311/v2/services.json"),
    }
    resultado = {}
    # Los 404 y 429 de la consulta equivocada son lo esperado: no se registran como avisos.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    with override_settings(ALLOWED_HOSTS=["testserver"], PROXIES_DE_CONFIANZA=0):
        for nombre, peticion in rutas.items():
            peticion()
            with CaptureQueriesContext(connection) as capturadas:
                estado = peticion().status_code
            consultas = len(capturadas.captured_queries)
            veces = 20 if nombre == "open311_lista" else 200
            resultado[nombre] = {**perfilar(peticion, veces), "consultas": consultas}
            resultado[nombre]["estado"] = estado
    return resultado


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piso.ajustes")
    django.setup()
    from django.utils import timezone
    from procesos import detener, esperar_puerto, puerto_libre, web

    desde = (timezone.now() - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    t0 = time.perf_counter()
    objetivos = llenar(CASOS)
    llenado = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        puerto = puerto_libre()
        entorno = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "piso.ajustes",
            "PYTHONPATH": os.pathsep.join((str(RAIZ / "scripts"), str(RAIZ))),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PROXIES_DE_CONFIANZA": "1",
        }
        servidor = web(
            entorno,
            Path(tmp) / "gunicorn.log",
            puerto,
            trabajadores=2,
            aplicacion="piso.wsgi:application",
        )
        url = f"http://127.0.0.1:{puerto}"
        try:
            esperar_puerto(puerto, 60)
            rutas = medir_rutas(url, objetivos, entorno, desde)
        finally:
            detener(servidor)
    perfil = perfiles(objetivos, desde)
    print(
        json.dumps(
            {
                "casos": CASOS,
                "llenado_s": llenado,
                "conexiones": CONEXIONES,
                "segundos": SEGUNDOS,
                "gunicorn_workers": 2,
                "rutas": rutas,
                "perfiles": perfil,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
