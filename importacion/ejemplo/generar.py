"""Genera el archivo de ejemplo del registro anterior (XLSX y CSV) que se ofrece en la
página de importación: 20 casos de Atotonilco el Alto en estados mezclados, con folios del
sistema, folios de otro formato y sin folio.

    .venv/bin/python importacion/ejemplo/generar.py

Las personas y los domicilios son ficticios. Los responsables son los usuarios de la
demostración (`mediador`, `mediadora2`, `asesor`); «Lic. Rosa Elena Navarro» no tiene cuenta
(un caso concluido con ella se importa y su nombre queda en la bitácora).
"""

import csv
import io
import sys
from datetime import date
from pathlib import Path

CARPETA = Path(__file__).resolve().parent

ENCABEZADOS = [
    "Folio",
    "Tipo",
    "Fecha de recepción",
    "Canal",
    "Categoría",
    "Localidad",
    "Asunto",
    "Solicitante",
    "Teléfono",
    "Correo",
    "Domicilio",
    "Otra parte",
    "Domicilio otra parte",
    "Estado",
    "Responsable",
    "Fecha de admisión",
    "Fecha de conclusión",
    "Resultado",
]

CABECERA = "Atotonilco el Alto (cabecera)"
VECINAL = "Conflicto vecinal (ruido, basura, mascotas)"
LINDEROS = "Linderos, bardas y construcciones"
RENTA = "Arrendamiento entre particulares"
DANOS = "Daños a bienes"
TRAMITES = "Trámites y servicios municipales"
SERVICIOS = "Servicios públicos (agua, alumbrado, recolección)"

# fmt: off
RENGLONES = [
    ["MED-2025-00031", "MED", date(2025, 1, 13), "Teléfono", LINDEROS, CABECERA,
     "La barda del vecino invade 30 cm del patio y tapa el desagüe.", "María Guadalupe Ramírez Torres",
     "391 917 2045", "", "Calle Hidalgo 45, Centro", "José Luis Gómez Pérez", "Calle Hidalgo 47, Centro",
     "Concluida", "Lic. Rosa Elena Navarro", date(2025, 1, 15), date(2025, 3, 28), "Convenio"],
    ["MED-2025-00032", "MED", date(2025, 1, 20), "Presencial", VECINAL, "Margaritas",
     "Música a alto volumen los fines de semana hasta la madrugada.", "Juan Carlos Hernández Ruiz",
     "3919171180", "jc.hernandez@correo.mx", "Calle Morelos 12", "Ricardo Salazar Núñez",
     "Calle Morelos 14", "Concluida", "mediador", date(2025, 1, 22), date(2025, 4, 15),
     "Sin acuerdo"],
    ["MED-2025-00035", "MED", date(2025, 2, 3), "Módulo itinerante", RENTA, "San Gaspar",
     "El inquilino debe tres meses de renta y no permite revisar la casa.", "Ana Lucía Vázquez Ortega",
     "+52 1 391 105 3321", "", "Av. Juárez 210", "Felipe Cárdenas Luna", "Av. Juárez 212",
     "Concluida", "", date(2025, 2, 5), date(2025, 3, 10), "Desistimiento"],
    ["ASE-2025-00104", "ASE", date(2025, 2, 11), "Teléfono", TRAMITES, "Milpillas",
     "Pregunta qué documentos pide la oficina para el permiso de construcción.", "Rogelio Padilla Íñiguez",
     "391 917 0043", "", "", "", "", "Resuelta", "asesor", None, date(2025, 2, 12), ""],
    ["M-118/2025", "MED", date(2025, 6, 24), "Presencial", DANOS, "San Francisco de Asís",
     "El camión de materiales del vecino rompió la banqueta y el medidor de agua.", "Carmen Aceves Ramos",
     "391 105 7788", "carmen.aceves@correo.mx", "Calle Allende 8", "Materiales El Alto (Sergio Mora)",
     "Carretera a Tepatitlán km 3", "Concluida", "mediador", date(2025, 6, 26), date(2025, 9, 22),
     "Convenio parcial"],
    ["A-077/2025", "ASE", date(2025, 7, 2), "Web", SERVICIOS, CABECERA,
     "Lleva dos semanas sin recolección de basura en su calle.", "Luis Fernando Orozco Díaz",
     "", "lf.orozco@correo.mx", "Calle Zaragoza 31", "", "", "Resuelta", "asesor", None,
     date(2025, 7, 4), ""],
    ["MED-2025-00048", "MED", date(2025, 9, 15), "Teléfono", "Convivencia familiar (sin violencia)",
     "Margaritas", "Desacuerdo entre hermanos por el cuidado de su madre.", "Patricia Zúñiga Becerra",
     "391 917 6632", "", "Calle Pípila 5", "Arturo Zúñiga Becerra", "Calle Pípila 7",
     "No admitida", "", None, date(2025, 9, 17), ""],
    ["MED-2025-00051", "MED", date(2025, 10, 6), "Presencial", "Violencia contra las mujeres",
     CABECERA, "Refiere agresiones de su expareja; se le orienta y se canaliza.", "Persona reservada",
     "391 105 0099", "", "", "Persona reservada", "Sin dato", "Canalizada", "", None,
     date(2025, 10, 7), ""],
    ["ASE-2025-00160", "ASE", date(2025, 11, 10), "Presencial", "Orientación jurídica general",
     "San Gaspar", "Pide orientación para tramitar una pensión alimenticia.", "Rosa María Lozano Gil",
     "391 917 4410", "", "Calle Iturbide 19", "", "", "Canalizada", "asesor", None,
     date(2025, 11, 25), ""],
    ["", "MED", date(2026, 1, 19), "Módulo itinerante", "Uso de áreas comunes o condominio",
     "Milpillas", "Uso del pasillo común como cochera por un vecino.", "Héctor Villalobos Cruz",
     "391 105 2230", "", "Privada Las Flores 3", "Mónica Reyes Alcalá", "Privada Las Flores 4",
     "Concluida", "mediadora2", date(2026, 1, 21), date(2026, 4, 10), "Inasistencias"],
    ["", "MED", date(2026, 9, 2), "Teléfono", VECINAL, CABECERA,
     "Perros del vecino sueltos en la calle; ya mordieron a un niño.", "Gabriela Muñoz Herrera",
     "391 917 5521", "", "Calle Colón 66", "Óscar Jiménez Robles", "Calle Colón 68", "Recibida",
     "", None, None, ""],
    ["", "MED", date(2026, 9, 21), "Presencial", LINDEROS, "San Gaspar",
     "Discuten por dónde pasa el lindero entre dos parcelas.", "Ramón Tejeda Franco",
     "391 105 8812", "", "Rancho El Pedregal", "Isidro Franco Medina", "Rancho La Loma",
     "En revisión", "", None, None, ""],
    ["", "MED", date(2026, 10, 5), "Web", "Deudas y compraventa entre particulares", "Margaritas",
     "Le vendió una camioneta a plazos y dejaron de pagarle.", "Alejandra Castañeda Lara",
     "391 917 3307", "ale.castaneda@correo.mx", "Calle Juárez 90", "Rubén Pulido Soto",
     "Calle Abasolo 15", "Admitida", "", date(2026, 10, 9), None, ""],
    ["M-301/2026", "MED", date(2026, 10, 12), "Teléfono", RENTA, CABECERA,
     "La dueña quiere subir la renta a mitad del contrato.", "Daniel Estrada Fuentes",
     "391 105 6604", "", "Calle Obregón 23, int. 2", "Leticia Anaya Rosas", "Calle Obregón 25",
     "Invitación enviada", "mediador", date(2026, 10, 14), None, ""],
    ["", "MED", date(2026, 10, 20), "Presencial", DANOS, "Milpillas",
     "Humedad en la pared por una fuga en la casa de al lado.", "Silvia Moreno Campos",
     "391 917 9014", "", "Calle Nicolás Bravo 4", "Eduardo Quiroz Vela", "Calle Nicolás Bravo 6",
     "En mediación", "mediadora2", date(2026, 10, 22), None, ""],
    ["", "MED", date(2026, 8, 28), "Presencial", LINDEROS, "Margaritas",
     "Acordaron reconstruir la barda; falta formalizar el convenio.", "Jorge Alberto Ibarra León",
     "391 105 4471", "", "Calle Guerrero 17", "Teresa Medina Ochoa", "Calle Guerrero 19",
     "Convenio firmado", "mediador", date(2026, 9, 1), None, ""],
    ["", "ASE", date(2026, 11, 3), "Teléfono", "Programas sociales y apoyos", "San Francisco de Asís",
     "Quiere saber si puede inscribirse al programa de apoyo a adultos mayores.",
     "Francisca Delgado Ruiz", "391 917 1276", "", "Calle Matamoros 2", "", "", "Recibida", "",
     None, None, ""],
    ["", "ASE", date(2026, 11, 9), "Presencial", "Derechos del consumidor", CABECERA,
     "La tienda no le quiere cambiar un refrigerador que llegó dañado.", "Miguel Ángel Ponce Rivas",
     "391 105 3345", "", "Calle 16 de Septiembre 40", "", "", "Clasificada", "", None, None, ""],
    ["", "ASE", date(2026, 11, 12), "Teléfono", TRAMITES, "Margaritas",
     "No le han entregado la constancia de residencia que pidió.", "Laura Elena Gutiérrez Mora",
     "391 917 8850", "laura.gutierrez@correo.mx", "Calle Aldama 11", "", "", "En atención",
     "asesor", None, None, ""],
    ["A-212/2026", "ASE", date(2026, 11, 17), "Web", SERVICIOS, "Milpillas",
     "Una luminaria lleva un mes apagada frente a la escuela.", "Esteban Navarro Sánchez",
     "391 105 9931", "", "Camino a la escuela s/n", "", "", "Asignada", "asesor", None, None, ""],
]
# fmt: on


def _csv() -> bytes:
    """CSV UTF-8 con BOM (como «CSV UTF-8» de Excel) y fechas dd/mm/aaaa."""
    salida = io.StringIO(newline="")
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerow(ENCABEZADOS)
    for renglon in RENGLONES:
        escritor.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, date) else (v or "") for v in renglon]
        )
    return b"\xef\xbb\xbf" + salida.getvalue().encode("utf-8")


def _xlsx() -> bytes:
    """Libro con las fechas como fechas de Excel (dd/mm/aaaa) y el encabezado fijo."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    libro = Workbook()
    hoja = libro.active
    hoja.title = "Registro"
    hoja.append(ENCABEZADOS)
    for celda in hoja[1]:
        celda.font = Font(bold=True)
    for renglon in RENGLONES:
        hoja.append([v if v != "" else None for v in renglon])
    for fila in hoja.iter_rows(min_row=2):
        for celda in fila:
            if isinstance(celda.value, date):
                celda.number_format = "dd/mm/yyyy"
    for letra, ancho in zip(
        "ABCDEFGHIJKLMNOPQR",
        (16, 6, 12, 16, 30, 26, 50, 30, 18, 26, 28, 30, 28, 18, 22, 12, 12, 18),
        strict=True,
    ):
        hoja.column_dimensions[letra].width = ancho
    hoja.freeze_panes = "A2"
    libro.properties.creator = "Sistema de expedientes"
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def main() -> int:
    (CARPETA / "registro_anterior.csv").write_bytes(_csv())
    (CARPETA / "registro_anterior.xlsx").write_bytes(_xlsx())
    print(f"{len(RENGLONES)} renglones en {CARPETA}/registro_anterior.{{csv,xlsx}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
