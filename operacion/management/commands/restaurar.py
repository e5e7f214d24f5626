from pathlib import Path

from django.core.management.base import BaseCommand

from operacion import respaldos


class Command(BaseCommand):
    help = (
        "Restaura un juego de respaldo en una base vacía y sus archivos en MEDIA_ROOT. Antes "
        "verifica los SHA-256 del manifiesto; después, que cada tabla tenga los renglones que "
        "anota, y aplica las migraciones si el respaldo es de una versión anterior."
    )

    def add_arguments(self, parser):
        parser.add_argument("carpeta", type=Path, help="la carpeta respaldo-AAAAMMDD-HHMMSS")
        parser.add_argument(
            "--si",
            action="store_true",
            help="no preguntar antes de restaurar (las verificaciones se hacen igual)",
        )

    def handle(self, *args, carpeta, si, **opciones):
        hecho = respaldos.restaurar(
            carpeta, confirmar=lambda pregunta: si or self._confirmar(pregunta)
        )
        m = hecho.manifiesto
        bytes_medios = sum(d["bytes"] for d in m["medios"].values())
        self.stdout.write(
            f"Respaldo del {respaldos.fecha_legible(m)} (versión {m['version']}) verificado: "
            f"SHA-256 de {len(m['archivos'])} archivos iguales al manifiesto."
        )
        self.stdout.write(
            f"  base      {hecho.base}: {len(m['tablas'])} tablas, "
            f"{sum(m['tablas'].values()):,} renglones{respaldos.casos_en(m['tablas'])}, iguales "
            "al manifiesto; "
            f"{hecho.segundos_base:.1f} s"
        )
        self.stdout.write(
            f"  archivos  {respaldos.cuantos(len(m['medios']), 'archivo')} "
            f"({respaldos.tamano(bytes_medios)}) en "
            f"{hecho.medios}, SHA-256 iguales al manifiesto"
        )
        if hecho.migraciones_aplicadas:
            self.stdout.write(
                "  migraciones: el respaldo era de una versión anterior; se aplicaron "
                f"{len(hecho.migraciones_aplicadas)}: " + ", ".join(hecho.migraciones_aplicadas)
            )
        else:
            self.stdout.write("  migraciones: las mismas que las del código")
        self.stdout.write(f"Restauración terminada en {hecho.segundos:.1f} s.")

    def _confirmar(self, pregunta: str) -> bool:
        self.stdout.write(pregunta, ending="")
        self.stdout.flush()
        try:
            respuesta = input()
        except EOFError:
            self.stdout.write("")
            return False
        return respuesta.strip().lower() in ("si", "sí")
