#!/usr/bin/env python3
"""Benchmark de las páginas públicas bajo carga, con PostgreSQL y 100,000 casos.

Llena una base nueva con N casos (partes, pasos públicos, acuse, sesiones futuras en una
parte de ellos), arranca gunicorn con 2 workers en modo producción y, desde otro proceso,
`wrk` con 20 conexiones mide:
  1. la página de estado: POST /consulta/ con folio y código correctos, de casos al azar
     (cada petición con otra IP vía X-Forwarded-For, como ciudadanos distintos);
  2. GET /open311/v2/requests/{id}.json de casos al azar (el identificador público opaco).
Reporta peticiones/s, p50/p95/p99 y errores (conexión, tiempo agotado, o respuesta que no
es 200). Se ejecuta desde bench.py con DATABASE_URL (base nueva). Imprime un JSON al final.
"""

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "scripts"))

CASOS = int(os.getenv("BENCH_PORTAL_CASOS", "100000"))
CONEXIONES = int(os.getenv("BENCH_PORTAL_CONEXIONES", "20"))
SEGUNDOS = int(os.getenv("BENCH_PORTAL_SEGUNDOS", "30"))
MUESTRA = 5000  # casos distintos que se consultan al azar

LUA_COMUN = r"""
local objetivos = {}
local hilos = {}
malos = 0

function setup(hilo)
  table.insert(hilos, hilo)
end

function init(args)
  for linea in io.lines(args[1]) do
    local folio, codigo, publico = linea:match("([^ ]+) ([^ ]+) ([^ ]+)")
    table.insert(objetivos, {folio, codigo, publico})
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
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

LUA_CONSULTA = (
    LUA_COMUN
    + r"""
local token = os.getenv("BENCH_CSRF")
function request()
  local o = objetivos[math.random(#objetivos)]
  local cuerpo = "csrfmiddlewaretoken=" .. token .. "&folio=" .. o[1] .. "&codigo=" .. o[2]
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
                           math.random(1, 254))
  return wrk.format("POST", "/consulta/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE"),
    ["X-Forwarded-For"] = ip,
  }, cuerpo)
end
"""
)

LUA_OPEN311 = (
    LUA_COMUN
    + r"""
function request()
  local o = objetivos[math.random(#objetivos)]
  return wrk.format("GET", "/open311/v2/requests/" .. o[3] .. ".json")
end
"""
)


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
    return [
        (c.folio, codigos.derivar_codigo(c.folio, c.codigo_sal), identificador_de(c.folio))
        for c in elegidos
    ]


def token_csrf(url: str) -> tuple[str, str]:
    respuesta = urllib.request.urlopen(url + "/consulta/", timeout=30)
    cookie = re.search(r"csrftoken=([^;]+)", respuesta.headers.get("Set-Cookie", "")).group(1)
    formulario = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', respuesta.read().decode()
    ).group(1)
    return cookie, formulario


def comprobar(url: str, objetivo: tuple[str, str], cookie: str, token: str) -> None:
    """Una petición de cada tipo antes de medir: la respuesta es la esperada."""
    datos = f"csrfmiddlewaretoken={token}&folio={objetivo[0]}&codigo={objetivo[1]}".encode()
    peticion = urllib.request.Request(
        url + "/consulta/",
        data=datos,
        headers={"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": "10.9.9.9"},
    )
    html = urllib.request.urlopen(peticion, timeout=30).read().decode()
    assert "Estado actual" in html and objetivo[0] in html, html[:500]
    cuerpo = urllib.request.urlopen(
        f"{url}/open311/v2/requests/{objetivo[2]}.json", timeout=30
    ).read()
    assert json.loads(cuerpo)[0]["service_request_id"] == objetivo[2], cuerpo[:300]


def correr_wrk(script: str, url: str, objetivos: Path, entorno: dict) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as archivo:
        archivo.write(script)
    salida = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(CONEXIONES),
            "--duration",
            f"{SEGUNDOS}s",
            "--timeout",
            "10s",
            "--script",
            archivo.name,
            url,
            "--",
            str(objetivos),
        ],
        capture_output=True,
        text=True,
        env=entorno,
        check=False,
    )
    os.unlink(archivo.name)
    if salida.returncode != 0:
        raise RuntimeError(f"wrk falló: {salida.stderr or salida.stdout}")
    resultado = json.loads(salida.stdout.strip().splitlines()[-1])
    resultado["por_segundo"] = resultado["peticiones"] / resultado["segundos"]
    resultado["errores"] = sum(
        resultado[k] for k in ("no_200", "conexion", "lectura", "escritura", "tiempo_agotado")
    )
    return resultado


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from procesos import detener, esperar_puerto, puerto_libre, web

    t0 = time.perf_counter()
    objetivos = llenar(CASOS)
    llenado = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        lista = Path(tmp) / "objetivos.txt"
        lista.write_text("".join(f"{f} {c} {p}\n" for f, c, p in objetivos))
        puerto = puerto_libre()
        entorno = {
            **os.environ,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PROXIES_DE_CONFIANZA": "1",
        }
        servidor = web(entorno, Path(tmp) / "gunicorn.log", puerto, trabajadores=2)
        url = f"http://127.0.0.1:{puerto}"
        try:
            esperar_puerto(puerto, 60)
            cookie, token = token_csrf(url)
            comprobar(url, objetivos[0], cookie, token)
            entorno_wrk = {**os.environ, "BENCH_CSRF": token, "BENCH_CSRF_COOKIE": cookie}
            consulta = correr_wrk(LUA_CONSULTA, url, lista, entorno_wrk)
            open311 = correr_wrk(LUA_OPEN311, url, lista, entorno_wrk)
        finally:
            detener(servidor)
    print(
        json.dumps(
            {
                "casos": CASOS,
                "llenado_s": llenado,
                "conexiones": CONEXIONES,
                "segundos": SEGUNDOS,
                "gunicorn_workers": 2,
                "consulta": consulta,
                "open311": open311,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
