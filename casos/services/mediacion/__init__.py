"""Servicios del procedimiento de mediación (LGMASC). Cada regla vive en un solo módulo:

- `admision`: revisar, admitir, no admitir (y su aviso, art. 66) y canalizar (art. 79);
- `asignacion`: asignar o reasignar a la persona responsable (arts. 42-43, 55);
- `invitacion`: intentos de invitación a la otra parte (arts. 69 y 72);
- `sesiones`: programar, corregir la hora antes de avisar, diferir (art. 76), registrar
  asistencia y resultado (art. 78), prorrogar (art. 64) y concluir anticipadamente (art. 78);
- `convenio`: datos de las partes, redacción, faltantes, firma y registro (arts. 94, 98 y
  103-111);
- `seguimiento`: verificar cláusulas y cerrar el caso;
- `pasos`: `Siguiente` y `ResultadoPaso`, lo que lee el flujo tras invitar o registrar sesión.

Se usan desde aquí: `from casos.services import mediacion as med; med.admitir(...)`. Las
fechas de vencimiento están en `casos.plazos`; las consultas, en `casos.selectors`.
"""

from .admision import admitir, canalizar, iniciar_revision, no_admitir, registrar_aviso_no_admision
from .asignacion import asignar_responsable
from .convenio import (
    CAMPOS_PARTE_CONVENIO,
    DatosClausula,
    PlazoDeRegistro,
    actualizar_parte,
    anotar_plazos_de_registro_vencidos,
    capturar_convenio,
    enviar_a_registro,
    faltantes_convenio,
    firmar_convenio,
    plazos_de_registro,
    registrar_respuesta_registro,
)
from .invitacion import registrar_invitacion
from .pasos import ResultadoPaso, Siguiente
from .seguimiento import cerrar_seguimiento, verificar_clausula
from .sesiones import (
    ESTADOS_CONCLUSION_ANTICIPADA,
    concluir_anticipadamente,
    corregir_hora,
    diferir_sesion,
    marcar_avisada,
    programar_sesion,
    prorrogar,
    registrar_sesion,
)

__all__ = [
    "CAMPOS_PARTE_CONVENIO",
    "ESTADOS_CONCLUSION_ANTICIPADA",
    "DatosClausula",
    "PlazoDeRegistro",
    "ResultadoPaso",
    "Siguiente",
    "actualizar_parte",
    "anotar_plazos_de_registro_vencidos",
    "admitir",
    "asignar_responsable",
    "canalizar",
    "capturar_convenio",
    "cerrar_seguimiento",
    "concluir_anticipadamente",
    "corregir_hora",
    "diferir_sesion",
    "enviar_a_registro",
    "faltantes_convenio",
    "firmar_convenio",
    "plazos_de_registro",
    "iniciar_revision",
    "marcar_avisada",
    "no_admitir",
    "programar_sesion",
    "prorrogar",
    "registrar_aviso_no_admision",
    "registrar_invitacion",
    "registrar_respuesta_registro",
    "registrar_sesion",
    "verificar_clausula",
]
