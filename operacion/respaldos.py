"""Un juego de respaldo consistente y su restauración verificada.

Un juego es una carpeta `respaldo-AAAAMMDD-HHMMSS` con:

    base.dump | base.sqlite3   la base (operacion/motores.py)
    medios.tar                 los archivos de MEDIA_ROOT: PDF, escaneos firmados, logotipo
    manifiesto.json            versión del código, fecha, motor, última migración por app,
                               renglones por tabla, y SHA-256 y tamaño de cada archivo del
                               juego y de cada archivo dentro de medios.tar

Primero la base y después los archivos: un documento se escribe en disco antes de quedar
registrado en la base, así que todo archivo que menciona la foto de la base ya está en disco
cuando se archivan los medios (lo que llegó después sobra; nunca falta nada).

El juego se arma en una carpeta oculta `.respaldo-…-incompleto` (solo para el dueño: lleva
datos personales) y se renombra al terminar: una carpeta `respaldo-…` siempre está completa.

La restauración solo escribe en una base vacía: verifica antes los SHA-256, que el código
conozca las migraciones del respaldo y que los archivos no pisen otros distintos; después
compara los renglones de cada tabla con el manifiesto y, si el respaldo es de una versión
anterior del código, aplica las migraciones que le faltan.
"""

import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .errores import Error
from .motores import Motor, motor_de
from .version import version_de_la_app, version_del_proyecto

FORMATO = 1
MANIFIESTO = "manifiesto.json"
MEDIOS = "medios.tar"
JUEGO = re.compile(r"^respaldo-(\d{8}-\d{6})(?:-(\d+))?$")
# Una carpeta incompleta de más de un día es de una corrida que murió a la mitad.
INCOMPLETO_VIEJO_SEGUNDOS = 24 * 3600


def tamano(bytes_: int) -> str:
    for unidad, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if bytes_ >= factor:
            return f"{bytes_ / factor:.1f} {unidad}"
    return f"{bytes_} B"


def cuantos(n: int, singular: str, plural: str | None = None) -> str:
    """«1 caso», «2,000 casos»."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def casos_en(tablas: dict[str, int]) -> str:
    """« (5 casos)» si la base tiene la tabla de casos; vacío si no."""
    return f" ({cuantos(tablas['casos_caso'], 'caso')})" if "casos_caso" in tablas else ""


def sha256_de(ruta: Path) -> str:
    with open(ruta, "rb") as archivo:
        return hashlib.file_digest(archivo, "sha256").hexdigest()


# --- Archivos de MEDIA_ROOT ---


class _LectorConHash:
    """Envuelve un archivo abierto: calcula su SHA-256 mientras tarfile lo lee (una sola
    lectura por archivo)."""

    def __init__(self, archivo):
        self.archivo = archivo
        self.hash = hashlib.sha256()

    def read(self, cuanto=-1):
        datos = self.archivo.read(cuanto)
        self.hash.update(datos)
        return datos


def archivar_medios(raiz: Path, destino: Path) -> dict[str, dict]:
    """medios.tar con los archivos regulares bajo `raiz` (sin seguir enlaces simbólicos);
    devuelve {ruta relativa: {bytes, sha256}} de lo que quedó dentro."""
    medios = {}
    with tarfile.open(destino, "w", format=tarfile.PAX_FORMAT) as tar:
        for carpeta, subcarpetas, archivos in os.walk(raiz):
            subcarpetas.sort()
            for nombre in sorted(archivos):
                ruta = Path(carpeta) / nombre
                if ruta.is_symlink() or not ruta.is_file():
                    continue
                relativa = ruta.relative_to(raiz).as_posix()
                try:
                    archivo = open(ruta, "rb")
                except FileNotFoundError:  # se borró entre listarlo y abrirlo
                    continue
                with archivo:
                    # El tamaño, el del momento de abrirlo: si crece mientras tanto, lo que
                    # se archiva y su SHA-256 son los de ese momento.
                    info = tar.gettarinfo(arcname=relativa, fileobj=archivo)
                    lector = _LectorConHash(archivo)
                    tar.addfile(info, lector)
                medios[relativa] = {"bytes": info.size, "sha256": lector.hash.hexdigest()}
    return medios


def _distinto(ruta: Path, datos: dict) -> bool:
    if ruta.is_symlink() or not ruta.is_file():
        return True
    return ruta.stat().st_size != datos["bytes"] or sha256_de(ruta) != datos["sha256"]


def medios_en_conflicto(raiz: Path, medios: dict[str, dict]) -> list[str]:
    """Archivos del respaldo que ya existen en `raiz` con otro contenido."""
    return [
        rel
        for rel, datos in medios.items()
        if (raiz / rel).exists() and _distinto(raiz / rel, datos)
    ]


def medios_que_no_coinciden(raiz: Path, medios: dict[str, dict]) -> list[str]:
    return [
        rel
        for rel, datos in medios.items()
        if not (raiz / rel).is_file() or _distinto(raiz / rel, datos)
    ]


def _extraer_medios(tar: Path, raiz: Path) -> None:
    raiz.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tar) as archivo:
        # El filtro «data» rechaza rutas absolutas, «..», enlaces que salen de la carpeta y
        # archivos de dispositivo, y deja los archivos a nombre de quien restaura.
        archivo.extractall(raiz, filter="data")


# --- Juego de respaldo ---


@dataclass
class Respaldo:
    carpeta: Path
    manifiesto: dict
    base: str
    segundos: float
    segundos_base: float
    segundos_medios: float
    borrados: list[str] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(datos["bytes"] for datos in self.manifiesto["archivos"].values())


def _carpeta_de_trabajo(destino: Path) -> Path:
    try:
        destino.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".respaldo-", suffix="-incompleto", dir=destino))
    except OSError as error:
        raise Error(
            f"No se puede escribir en la carpeta de respaldos «{destino}»: "
            f"{error.strerror or error}. Indique otra con --destino (o RESPALDOS_DIR), o dé "
            "permiso de escritura al usuario que corre el comando."
        ) from None


def _a_disco(carpeta: Path) -> None:
    """fsync de cada archivo y de la carpeta: un apagón justo después no deja un juego
    «completo» a medio escribir."""
    for ruta in [*carpeta.iterdir(), carpeta]:
        descriptor = os.open(ruta, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _nombre_libre(destino: Path, ahora) -> Path:
    base = f"respaldo-{ahora:%Y%m%d-%H%M%S}"
    candidato, n = destino / base, 1
    while candidato.exists():
        n += 1
        candidato = destino / f"{base}-{n}"
    return candidato


def juegos_en(destino: Path) -> list[Path]:
    """Los juegos completos de la carpeta, del más viejo al más nuevo."""
    if not destino.is_dir():
        return []

    def orden(carpeta: Path):
        marca = JUEGO.match(carpeta.name)
        return marca.group(1), int(marca.group(2) or 1)

    juegos = [
        p
        for p in destino.iterdir()
        if p.is_dir() and JUEGO.match(p.name) and (p / MANIFIESTO).is_file()
    ]
    return sorted(juegos, key=orden)


def podar(destino: Path, conservar: int) -> list[str]:
    """Deja los `conservar` juegos más recientes y borra los anteriores, y las carpetas
    incompletas de corridas que murieron hace más de un día. Nada más de la carpeta se toca."""
    viejos = juegos_en(destino)[:-conservar]
    limite = time.time() - INCOMPLETO_VIEJO_SEGUNDOS
    viejos += [
        p
        for p in destino.glob(".respaldo-*-incompleto")
        if p.is_dir() and p.stat().st_mtime < limite
    ]
    for carpeta in viejos:
        shutil.rmtree(carpeta)
    return [carpeta.name for carpeta in viejos]


def _destino(destino: Path | str | None) -> Path:
    carpeta = Path(destino or settings.RESPALDOS_DIR).resolve()
    medios = Path(settings.MEDIA_ROOT).resolve()
    if carpeta == medios or medios in carpeta.parents:
        raise Error(
            f"La carpeta de respaldos «{carpeta}» está dentro de MEDIA_ROOT ({medios}): cada "
            "respaldo se copiaría a sí mismo. Use una carpeta fuera de MEDIA_ROOT."
        )
    return carpeta


def respaldar(*, destino: Path | str | None = None, conservar: int | None = None) -> Respaldo:
    """Hace un juego nuevo en `destino` (por omisión RESPALDOS_DIR) y, con `conservar`,
    deja solo los N más recientes."""
    inicio = time.monotonic()
    motor = motor_de(connection)
    carpeta_destino = _destino(destino)
    motor.comprobar_respaldo()
    trabajo = _carpeta_de_trabajo(carpeta_destino)
    try:
        foto = motor.respaldar(trabajo / motor.archivo)
        segundos_base = time.monotonic() - inicio
        medios = archivar_medios(Path(settings.MEDIA_ROOT), trabajo / MEDIOS)
        segundos_medios = time.monotonic() - inicio - segundos_base
        ahora = timezone.localtime()
        manifiesto = {
            "formato": FORMATO,
            "version": version_de_la_app(),
            "version_proyecto": version_del_proyecto(),
            "django": django.get_version(),
            "fecha": ahora.isoformat(timespec="seconds"),
            "motor": motor.nombre,
            "base": motor.descripcion(),
            "servidor": foto.servidor,
            "herramienta": foto.herramienta,
            "migraciones": foto.migraciones,
            "tablas": foto.tablas,
            "archivos": {
                nombre: {
                    "bytes": (trabajo / nombre).stat().st_size,
                    "sha256": sha256_de(trabajo / nombre),
                }
                for nombre in (motor.archivo, MEDIOS)
            },
            "medios": medios,
            "segundos": round(time.monotonic() - inicio, 2),
        }
        (trabajo / MANIFIESTO).write_text(
            json.dumps(manifiesto, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        _a_disco(trabajo)
        carpeta = _nombre_libre(carpeta_destino, ahora)
        os.rename(trabajo, carpeta)
        _a_disco(carpeta_destino)
    except OSError as error:
        shutil.rmtree(trabajo, ignore_errors=True)
        raise Error(
            f"No se pudo escribir el respaldo en «{carpeta_destino}»: {error.strerror or error}. "
            "No quedó ningún juego a medias."
        ) from None
    except BaseException:
        shutil.rmtree(trabajo, ignore_errors=True)
        raise
    borrados = podar(carpeta_destino, conservar) if conservar else []
    return Respaldo(
        carpeta=carpeta,
        manifiesto=manifiesto,
        base=motor.descripcion(),
        segundos=time.monotonic() - inicio,
        segundos_base=segundos_base,
        segundos_medios=segundos_medios,
        borrados=borrados,
    )


# --- Restauración ---


@dataclass
class Restauracion:
    carpeta: Path
    manifiesto: dict
    base: str
    medios: Path
    migraciones_aplicadas: list[str]
    segundos: float
    segundos_base: float


def leer_manifiesto(carpeta: Path) -> dict:
    if not carpeta.is_dir():
        raise Error(f"No existe la carpeta «{carpeta}».")
    ruta = carpeta / MANIFIESTO
    if not ruta.is_file():
        raise Error(f"«{carpeta}» no es un juego de respaldo: le falta {MANIFIESTO}.")
    try:
        manifiesto = json.loads(ruta.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise Error(f"{MANIFIESTO} está dañado ({error}). No se restauró nada.") from None
    claves = {"formato", "motor", "archivos", "medios", "tablas", "migraciones"}
    if not isinstance(manifiesto, dict) or not claves <= manifiesto.keys():
        raise Error(f"{MANIFIESTO} está incompleto: no es un manifiesto de respaldo.")
    if manifiesto["formato"] != FORMATO:
        raise Error(
            f"El respaldo tiene el formato {manifiesto['formato']} y este código lee el "
            f"{FORMATO}: restáurelo con la versión del sistema que lo hizo "
            f"({manifiesto.get('version')})."
        )
    return manifiesto


def verificar(carpeta: Path, manifiesto: dict) -> None:
    """Cada archivo del juego está y su SHA-256 y tamaño son los del manifiesto."""
    for nombre, datos in manifiesto["archivos"].items():
        ruta = carpeta / nombre
        if Path(nombre).name != nombre or not ruta.is_file():
            raise Error(
                f"Falta el archivo {nombre} en el respaldo «{carpeta}». No se restauró nada."
            )
        medido = ruta.stat().st_size
        if medido != datos["bytes"] or sha256_de(ruta) != datos["sha256"]:
            raise Error(
                f"El archivo {nombre} del respaldo está dañado: su SHA-256 o su tamaño "
                f"({medido:,} bytes; el manifiesto dice {datos['bytes']:,}) no coinciden con "
                f"{MANIFIESTO}. No se restauró nada: use otra copia de este respaldo."
            )


def _exigir_migraciones_conocidas(manifiesto: dict) -> None:
    """Un respaldo de una versión más nueva no se restaura con este código (sus tablas
    tendrían columnas que el código no conoce); uno más viejo se migra después."""
    cargador = MigrationLoader(None, ignore_no_migrations=True)
    nuevas = sorted(
        f"{app}.{nombre}"
        for app, nombre in manifiesto["migraciones"].items()
        if app in cargador.migrated_apps and (app, nombre) not in cargador.disk_migrations
    )
    if nuevas:
        raise Error(
            "El respaldo viene de una versión más nueva del sistema "
            f"({manifiesto.get('version')}): tiene migraciones que este código no conoce "
            f"({', '.join(nuevas)}). Instale esa versión (o una posterior) y restaure con "
            "ella. No se restauró nada."
        )


def _exigir_base_vacia(motor: Motor) -> None:
    tablas, _ = motor.estado()
    if not tablas:
        return
    raise Error(
        f"La base {motor.descripcion()} no está vacía: tiene {cuantos(len(tablas), 'tabla')} "
        f"con {cuantos(sum(tablas.values()), 'renglón', 'renglones')}{casos_en(tablas)}. "
        "restaurar solo escribe en una base vacía, para no mezclar ni borrar datos: cree una "
        "base nueva (vacía, sin migrar) y apunte DATABASE_URL a ella; en docker compose, vea "
        "«Respaldos» en el README. No se restauró nada."
    )


def _exigir_medios_sin_choques(raiz: Path, manifiesto: dict) -> None:
    choques = medios_en_conflicto(raiz, manifiesto["medios"])
    if choques:
        raise Error(
            f"En MEDIA_ROOT ({raiz}) ya hay {cuantos(len(choques), 'archivo')} con el mismo nombre "
            f"y otro contenido que los del respaldo (p. ej. {', '.join(choques[:3])}). Restaure "
            "en una carpeta MEDIA_ROOT vacía. No se restauró nada."
        )


def _diferencias(esperado: dict[str, int], medido: dict[str, int]) -> list[str]:
    lineas = []
    for tabla in sorted(esperado.keys() | medido.keys()):
        if tabla not in medido:
            lineas.append(f"falta la tabla {tabla}")
        elif tabla not in esperado:
            lineas.append(f"la tabla {tabla} no está en el manifiesto")
        elif medido[tabla] != esperado[tabla]:
            lineas.append(
                f"{tabla}: {medido[tabla]:,} renglones, el manifiesto dice {esperado[tabla]:,}"
            )
    return lineas


def _migrar_si_hace_falta() -> list[str]:
    ejecutor = MigrationExecutor(connection)
    plan = ejecutor.migration_plan(ejecutor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return [f"{migracion.app_label}.{migracion.name}" for migracion, _ in plan]


def fecha_legible(manifiesto: dict) -> str:
    fecha = parse_datetime(manifiesto.get("fecha", ""))
    return timezone.localtime(fecha).strftime("%d/%m/%Y %H:%M") if fecha else "fecha desconocida"


def _pregunta(manifiesto: dict, motor: Motor, raiz: Path) -> str:
    casos = cuantos(manifiesto["tablas"].get("casos_caso", 0), "caso")
    return (
        f"Se restaurará el respaldo del {fecha_legible(manifiesto)} (versión "
        f"{manifiesto.get('version')}; {casos}, {cuantos(len(manifiesto['medios']), 'archivo')})\n"
        f"  en la base {motor.descripcion()}\n"
        f"  y los archivos en {raiz}\n"
        "¿Continuar? Escriba «si» para restaurar: "
    )


def restaurar(carpeta: Path | str, *, confirmar: Callable[[str], bool]) -> Restauracion:
    """Restaura el juego de `carpeta` en la base configurada, que debe estar vacía, y sus
    archivos en MEDIA_ROOT. `confirmar` recibe la pregunta y dice si se sigue."""
    inicio = time.monotonic()
    carpeta = Path(carpeta).resolve()
    manifiesto = leer_manifiesto(carpeta)
    verificar(carpeta, manifiesto)
    motor = motor_de(connection)
    if manifiesto["motor"] != motor.nombre:
        raise Error(
            f"El respaldo es de {manifiesto['motor']} y la base configurada es {motor.nombre} "
            f"({motor.descripcion()}). No se restauró nada."
        )
    _exigir_migraciones_conocidas(manifiesto)
    motor.comprobar_restauracion(manifiesto)
    _exigir_base_vacia(motor)
    raiz = Path(settings.MEDIA_ROOT)
    _exigir_medios_sin_choques(raiz, manifiesto)
    if not confirmar(_pregunta(manifiesto, motor, raiz)):
        raise Error("No se confirmó (escriba «si» o use --si). No se restauró nada.")

    inicio_base = time.monotonic()
    motor.restaurar(carpeta / motor.archivo)
    segundos_base = time.monotonic() - inicio_base
    tablas, _ = motor.estado()
    diferencias = _diferencias(manifiesto["tablas"], tablas)
    if diferencias:
        raise Error(
            f"La base {motor.descripcion()} se restauró pero no coincide con el manifiesto:\n  "
            + "\n  ".join(diferencias[:20])
        )
    # Las migraciones, después de comparar: pueden cambiar datos a propósito.
    aplicadas = _migrar_si_hace_falta()
    _extraer_medios(carpeta / MEDIOS, raiz)
    distintos = medios_que_no_coinciden(raiz, manifiesto["medios"])
    if distintos:
        raise Error(
            f"La base quedó restaurada, pero en {raiz} no coinciden con el manifiesto "
            f"{cuantos(len(distintos), 'archivo')} (p. ej. {', '.join(distintos[:3])})."
        )
    return Restauracion(
        carpeta=carpeta,
        manifiesto=manifiesto,
        base=motor.descripcion(),
        medios=raiz,
        migraciones_aplicadas=aplicadas,
        segundos=time.monotonic() - inicio,
        segundos_base=segundos_base,
    )
