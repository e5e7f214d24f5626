from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from operacion import respaldos
from operacion.errores import Error


class Command(BaseCommand):
    help = (
        "Hace un juego de respaldo consistente en una carpeta nueva: la base (pg_dump o la API "
        "de respaldo de SQLite), los archivos de MEDIA_ROOT y manifiesto.json con el SHA-256 "
        "de cada archivo. Ver «Respaldos» en el README."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--destino",
            type=Path,
            help=(
                "carpeta donde crear el juego (por omisión RESPALDOS_DIR: "
                f"{settings.RESPALDOS_DIR})"
            ),
        )
        parser.add_argument(
            "--conservar",
            type=int,
            metavar="N",
            help="al terminar, dejar en la carpeta solo los N juegos más recientes",
        )

    def handle(self, *args, destino, conservar, **opciones):
        if conservar is not None and conservar < 1:
            raise Error("--conservar debe ser de al menos 1 (el juego que se acaba de hacer).")
        hecho = respaldos.respaldar(destino=destino, conservar=conservar)
        m = hecho.manifiesto
        archivos = m["archivos"]
        medios = respaldos.MEDIOS
        base = next(nombre for nombre in archivos if nombre != medios)
        bytes_medios = sum(d["bytes"] for d in m["medios"].values())
        self.stdout.write(f"Respaldo listo: {hecho.carpeta}")
        self.stdout.write(
            f"  base      {hecho.base}: {len(m['tablas'])} tablas, "
            f"{sum(m['tablas'].values()):,} renglones{respaldos.casos_en(m['tablas'])} → {base}, "
            f"{respaldos.tamano(archivos[base]['bytes'])}, {hecho.segundos_base:.1f} s"
        )
        self.stdout.write(
            f"  archivos  {respaldos.cuantos(len(m['medios']), 'archivo')} de MEDIA_ROOT "
            f"({respaldos.tamano(bytes_medios)}) "
            f"→ {medios}, {respaldos.tamano(archivos[medios]['bytes'])}, "
            f"{hecho.segundos_medios:.1f} s"
        )
        self.stdout.write(
            f"  total     {respaldos.tamano(hecho.bytes)} en {hecho.segundos:.1f} s; versión "
            f"{m['version']}; SHA-256 de cada archivo en {respaldos.MANIFIESTO}"
        )
        if hecho.borrados:
            self.stdout.write(
                f"Se borraron {respaldos.cuantos(len(hecho.borrados), 'juego')} anteriores "
                f"(--conservar {conservar}): " + ", ".join(hecho.borrados)
            )
