"""Lo común a las pruebas de respaldos: medios en una carpeta temporal, expedientes creados
por los servicios con sus PDF, y `manage.py` en otro proceso (como en el servidor)."""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from casos.models import Centro, TipoCaso
from notificaciones import services as avisos
from notificaciones.selectors import colas_vigiladas
from plantillas.models import Documento, EstadoDocumento
from plantillas.services import adjuntar_firmado, generar

RAIZ = Path(__file__).resolve().parents[2]
PDF_ESCANEADO = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"
    return settings.MEDIA_ROOT


@pytest.fixture
def expedientes(nuevo_caso, coordinadora, medios):
    """Cinco casos recibidos por el servicio (tres de mediación, dos de asesoría), sus
    acuses en PDF generados como en el worker, un escaneo firmado y el logotipo del centro."""
    for _ in range(3):
        nuevo_caso()
    for _ in range(2):
        nuevo_caso(TipoCaso.ASESORIA)
    for documento in Documento.objects.order_by("pk"):
        assert generar(documento.pk) is True
    acuse = Documento.objects.filter(estado=EstadoDocumento.LISTO).order_by("pk").first()
    adjuntar_firmado(
        documento=acuse,
        archivo=SimpleUploadedFile("escaneo.pdf", PDF_ESCANEADO),
        actor=coordinadora,
    )
    imagen = io.BytesIO()
    Image.new("RGB", (120, 60), "darkgreen").save(imagen, "PNG")
    Centro.objects.get(pk=1).logo.save("escudo-atotonilco.png", ContentFile(imagen.getvalue()))
    return medios


def huellas(raiz: Path) -> dict[str, str]:
    """SHA-256 de cada archivo bajo `raiz`, por ruta relativa."""
    return {
        ruta.relative_to(raiz).as_posix(): hashlib.sha256(ruta.read_bytes()).hexdigest()
        for ruta in sorted(raiz.rglob("*"))
        if ruta.is_file()
    }


def manage(*argumentos: str, entorno: dict[str, str], entrada: str | None = None):
    """`python manage.py …` en otro proceso, con la base y los medios de `entorno`."""
    return subprocess.run(
        [sys.executable, "manage.py", *argumentos],
        cwd=RAIZ,
        env={**os.environ, "CELERY_BROKER_URL": "memory://", **entorno},
        input=entrada,
        stdin=None if entrada is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def puerto_cerrado() -> int:
    """Un puerto local en el que nadie escucha (se abre y se cierra)."""
    import socket

    with socket.socket() as enchufe:
        enchufe.bind(("127.0.0.1", 0))
        return enchufe.getsockname()[1]


def latidos():
    """Un worker vivo en cada cola vigilada y un beat que acaba de revisar."""
    avisos.registrar_latido(
        nombre="celery@web1",
        pid=10,
        colas=colas_vigiladas(),
        pool="prefork",
        arrancado_en=timezone.now(),
        procesos_vivos=2,
    )
    avisos.registrar_revision_beat(nombre="beat@web1", pid=11)
