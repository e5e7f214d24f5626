"""Expedientes completos con datos personales inconfundibles, para probar que la supresión
por conservación no deja rastro de ellos en ninguna tabla ni en ningún archivo."""

import subprocess
import unicodedata
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from api.models import EnvioIdempotente, OrigenEnvio
from casos.models import (
    AccesoExcepcional,
    AccesoExpediente,
    Caso,
    Estado,
    Parte,
    TipoCaso,
)
from casos.services import DatosPersona
from casos.services import asesoria as ase
from casos.services import mediacion as med
from casos.services import privacidad as arco
from estadistica import resumen
from estadistica.models import HechoCaso, ResumenDiario, ResumenMensual
from importacion.models import CasoImportado, Importacion
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from plantillas.services import adjuntar_firmado, generar, solicitar_documento
from tests.casos.etapas import hasta_el_convenio_firmado

# Lo que no puede quedar en ningún lado (se compara sin acentos ni mayúsculas).
HUELLAS = (
    "Quetzalcoatl",
    "Xochiquetzal",
    "Tlacuache",
    "Cuautle",
    "Pantoja",
    "3398765432",
    "zacarias.ybarra",
)


def sin_acentos(texto: str) -> str:
    texto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in texto if not unicodedata.combining(c)).lower()


def mediacion_con_convenio(nuevo_caso, coordinadora, mediador, sala, reloj) -> Caso:
    caso = nuevo_caso(
        nombre="Zacarías Quetzalcóatl Ybarra",
        telefono="+523398765432",
        resumen="La vecina Ofelia Xochiquetzal tira escombro frente al Callejón Tlacuache 987.",
        otra_parte=DatosPersona(
            nombre="Ofelia Xochiquetzal Urdiales", domicilio="Callejón Tlacuache 987"
        ),
    ).caso
    solicitante = caso.partes.get(rol="solicitante")
    med.actualizar_parte(parte=solicitante, actor=coordinadora, correo="zacarias.ybarra@ejemplo.mx")
    caso = hasta_el_convenio_firmado(caso, coordinadora, mediador, sala, reloj)
    convenio = caso.convenio
    convenio.antecedentes = "Zacarías Quetzalcóatl y Ofelia Xochiquetzal discuten el escombro."
    convenio.save(update_fields=["antecedentes"])
    solicitar_documento(caso=caso, tipo=TipoDocumento.CONVENIO, actor=mediador)
    for documento in Documento.objects.filter(caso=caso, estado=EstadoDocumento.PENDIENTE):
        assert generar(documento.pk) is True
    # El ejemplar firmado, escaneado (un PDF que trae el nombre en claro).
    adjuntar_firmado(
        documento=Documento.objects.get(caso=caso, tipo=TipoDocumento.CONVENIO),
        archivo=SimpleUploadedFile(
            "escaneo.pdf", b"%PDF-1.4\n% Zacarias Quetzalcoatl\ntrailer<<>>\n%%EOF\n"
        ),
        actor=coordinadora,
    )
    # El seguimiento cerró el caso con el convenio cumplido.
    Caso.objects.filter(pk=caso.pk).update(
        estado=Estado.CONCLUIDA_CONVENIO, concluido_en=timezone.now()
    )
    # Huellas en las bitácoras y tablas laterales.
    AccesoExpediente.objects.create(
        caso=caso, usuario=coordinadora, vista="busqueda", objeto="Quetzalcóatl"
    )
    AccesoExcepcional.objects.create(
        caso=caso,
        usuario=coordinadora,
        motivo="Llamó Zacarías Quetzalcóatl a pedir su convenio.",
        vence_en=timezone.now(),
    )
    LogEntry.objects.create(
        user=coordinadora,
        content_type=ContentType.objects.get_for_model(Parte),
        object_id=str(solicitante.pk),
        object_repr=str(solicitante),
        action_flag=CHANGE,
        change_message="Cambió el nombre de Zacarías Quetzalcóatl",
    )
    EnvioIdempotente.objects.create(
        origen=OrigenEnvio.API,
        usuario=coordinadora,
        clave="clave-1",
        huella="0" * 64,
        caso=caso,
        estado=201,
        respuesta={"folio": caso.folio, "solicitante": "Zacarías Quetzalcóatl Ybarra"},
    )
    Parte.objects.filter(caso=caso, rol="invitada").update(
        bloqueada_en=timezone.now(), bloqueo_motivo="Cancelación que pidió Ofelia Xochiquetzal"
    )
    importacion = Importacion.objects.create(
        nombre_archivo="registro.csv",
        formato="csv",
        sha256="1" * 64,
        creada_por=coordinadora,
        muestra=[{"nombre": "Zacarías Quetzalcóatl Ybarra"}],
        errores=[{"renglon": 2, "valor": "Ofelia Xochiquetzal"}],
    )
    CasoImportado.objects.create(caso=caso, importacion=importacion, renglon=2, entrada="a")
    caso.refresh_from_db()
    return caso


def asesoria_resuelta(nuevo_caso, coordinadora, asesor) -> Caso:
    caso = nuevo_caso(
        TipoCaso.ASESORIA,
        nombre="Hermenegilda Zúñiga Cuautle",
        resumen="Hermenegilda Cuautle pregunta por la pensión de su hijo.",
    ).caso
    caso = ase.clasificar(
        caso=caso, actor=coordinadora, categoria=caso.categoria, localidad=caso.localidad
    )
    med.asignar_responsable(caso=caso, actor=coordinadora, responsable=asesor)
    ase.resolver(caso=caso, actor=asesor, resumen_atencion="Se orientó a la señora Cuautle.")
    ase.registrar_encuesta(
        caso=caso, actor=asesor, satisfaccion=5, comentario="Gracias, Hermenegilda Cuautle"
    )
    for documento in Documento.objects.filter(caso=caso, estado=EstadoDocumento.PENDIENTE):
        assert generar(documento.pk) is True
    return ase.cerrar(caso=caso, actor=asesor)


def solicitud_arco_concluida(privacidad):
    """Una solicitud respondida por los servicios reales: su respuesta en PDF generada y su
    aviso por correo en la bandeja de salida."""
    recibida = arco.recibir_solicitud_arco(
        derecho="acceso",
        canal="presencial",
        nombre="Eustaquio Wenceslao Pantoja",
        medio_respuesta="correo",
        correo="eustaquio.pantoja@example.mx",
        descripcion="Soy Eustaquio Pantoja y quiero mis datos.",
        domicilio="Callejón Tlacuache 3",
        actor=privacidad,
    )
    solicitud = arco.acreditar_identidad(
        solicitud=recibida.solicitud,
        actor=privacidad,
        medio="identificacion",
        detalle="INE de Eustaquio Pantoja",
    )
    solicitud = arco.responder(
        solicitud=solicitud,
        actor=privacidad,
        sentido="improcedente",
        causa_improcedencia="sin_datos",
        fundamento="LGPDPPSO",
        respuesta="Estimado señor Pantoja: no tenemos datos suyos.",
    )
    pendientes = Documento.objects.filter(solicitud=solicitud, estado=EstadoDocumento.PENDIENTE)
    assert pendientes.exists()
    for documento in pendientes:
        assert generar(documento.pk) is True
    return solicitud


def encontradas() -> dict[str, list[str]]:
    """Cada huella con las tablas y columnas donde aparece (texto, varchar, JSON...)."""
    huellas = [sin_acentos(h) for h in HUELLAS]
    hallazgos: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for tabla in connection.introspection.table_names(cursor):
            columnas = [
                c.name for c in connection.introspection.get_table_description(cursor, tabla)
            ]
            nombre = connection.ops.quote_name(tabla)
            cursor.execute(f"SELECT * FROM {nombre}")
            for renglon in cursor.fetchall():
                for columna, valor in zip(columnas, renglon, strict=True):
                    if valor is None or isinstance(valor, int | float):
                        continue
                    texto = sin_acentos(str(valor))
                    for huella in huellas:
                        if huella in texto:
                            hallazgos.setdefault(huella, []).append(f"{tabla}.{columna}")
    return hallazgos


def en_archivos() -> dict[str, list[str]]:
    """Cada huella con los archivos de MEDIA_ROOT que la traen (el PDF, por su texto)."""
    huellas = [sin_acentos(h) for h in HUELLAS]
    hallazgos: dict[str, list[str]] = {}
    raiz = Path(settings.MEDIA_ROOT)
    for ruta in raiz.rglob("*") if raiz.exists() else []:
        if not ruta.is_file():
            continue
        texto = ruta.read_bytes().decode("utf-8", "ignore")
        if ruta.suffix == ".pdf":
            texto += subprocess.run(
                ["pdftotext", str(ruta), "-"], capture_output=True, text=True, check=False
            ).stdout
        texto = sin_acentos(texto)
        for huella in huellas:
            if huella in texto:
                hallazgos.setdefault(huella, []).append(str(ruta.relative_to(raiz)))
    return hallazgos


def archivos() -> list[Path]:
    raiz = Path(settings.MEDIA_ROOT)
    return [r for r in raiz.rglob("*") if r.is_file()] if raiz.exists() else []


def cifras() -> dict:
    """Lo que el tablero cuenta: los hechos de cada caso y los resúmenes."""

    def sin_fechas_de_calculo(renglones):
        return sorted(
            tuple(sorted((k, str(v)) for k, v in r.items() if k != "id" and not k.endswith("_en")))
            for r in renglones
        )

    return {
        "hechos": sin_fechas_de_calculo(HechoCaso.objects.values()),
        "diario": sin_fechas_de_calculo(ResumenDiario.objects.values()),
        "mensual": sin_fechas_de_calculo(ResumenMensual.objects.values()),
    }


def al_dia_de_hoy() -> None:
    resumen.refrescar()


DIA_DE_SUPRESION = date(2037, 1, 15)
