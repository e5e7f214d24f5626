"""Revisar el archivo renglón por renglón: cada uno se vuelve un `CasoAnterior` (lo que
`casos.services.anteriores` da de alta) y el paso del flujo en que entra, o una lista de
errores en español con su renglón y su columna. Nada se escribe aquí."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casos import selectors
from casos.models import CausaConclusion, Estado, TipoCaso
from casos.services import DatosPersona
from casos.services.anteriores import (
    CasoAnterior,
    error_de_responsable,
    errores_de_caso_anterior,
    folio_del_sistema,
)
from casos.texto import nombre_de, normalizar_busqueda

from . import interpretacion as leer
from .campos import POR_CLAVE

# Cuántos renglones se muestran «como quedarían» en la vista previa.
MUESTRA = 15

# El paso del flujo en que entra cada caso, dicho a la coordinación.
ENTRADAS = {
    "revisar": gettext_lazy("Revisar solicitud (coordinación)"),
    "asignar": gettext_lazy("Asignar persona facilitadora (coordinación)"),
    "invitar": gettext_lazy("Invitar a la otra parte"),
    "programar": gettext_lazy("Programar sesión"),
    "convenio": gettext_lazy("Redactar convenio"),
    "clasificar": gettext_lazy("Clasificar solicitud"),
    "asignar_asesor": gettext_lazy("Asignar persona asesora (coordinación)"),
    "atender": gettext_lazy("Atender asesoría"),
    "fin": gettext_lazy("Concluido (sin tareas)"),
}

# Los errores de las reglas del expediente, en la columna del archivo que los causa.
_CAMPO_DEL_ARCHIVO = {
    "tipo": "tipo",
    "folio": "folio",
    "estado": "estado",
    "recibido_en": "fecha_recepcion",
    "admitido_en": "fecha_admision",
    "concluido_en": "fecha_conclusion",
    "causa_conclusion": "resultado",
    "responsable": "responsable",
    "canal": "canal",
    "categoria": "categoria",
    "resumen": "resumen",
    "solicitante_nombre": "solicitante_nombre",
    "solicitante_contacto": "solicitante_telefono",
    "otra_parte_nombre": "otra_nombre",
    "otra_parte_contacto": "otra_domicilio",
}

_ETAPAS_DE_MEDIACION = ("en_revision", "admitida", "invitacion", "en_mediacion", "convenio")
_ETAPAS_DE_ASESORIA = ("clasificada", "en_atencion")
_TITULOS = re.compile(r"^(lic|licda|lcda|mtro|mtra|dr|dra|ing|prof|profa|c)\.?\s+")


@dataclass
class Renglon:
    numero: int
    caso: CasoAnterior | None = None
    entrada: str = ""
    errores: list[dict] = field(default_factory=list)
    avisos: list[dict] = field(default_factory=list)


@dataclass
class Analisis:
    """Lo que dice la revisión del archivo: los casos listos (con su paso de entrada), cada
    error y cada aviso por renglón y columna, unos renglones de muestra y las cuentas."""

    renglones: int = 0
    validos: list[tuple[int, CasoAnterior, str]] = field(default_factory=list)
    errores: list[dict] = field(default_factory=list)
    avisos: list[dict] = field(default_factory=list)
    muestra: list[dict] = field(default_factory=list)
    resumen: dict = field(default_factory=dict)

    @property
    def renglones_con_error(self) -> int:
        return len({e["renglon"] for e in self.errores})


def _estado_de_mediacion(etapa: str, causa: str, responsable) -> tuple[str, str]:
    if etapa == "concluida":
        estado = {
            CausaConclusion.NO_ADMITIDA: Estado.NO_ADMITIDA,
            CausaConclusion.CANALIZADA: Estado.CANALIZADA,
            CausaConclusion.CONVENIO_TOTAL: Estado.CONCLUIDA_CONVENIO,
            CausaConclusion.CONVENIO_PARCIAL: Estado.CONCLUIDA_CONVENIO,
        }.get(causa, Estado.CONCLUIDA_SIN_ACUERDO)
        return estado, "fin"
    return {
        "recibida": (Estado.RECIBIDA, "revisar"),
        "en_revision": (Estado.EN_REVISION, "revisar"),
        "admitida": (Estado.ADMITIDA, "invitar" if responsable else "asignar"),
        "asignada": (Estado.ADMITIDA, "invitar" if responsable else "asignar"),
        "invitacion": (Estado.INVITACION, "invitar"),
        "en_mediacion": (Estado.EN_MEDIACION, "programar"),
        # El convenio (art. 94) no viene en el archivo: se captura en el sistema y de ahí
        # siguen la firma, el registro y el seguimiento.
        "convenio": (Estado.EN_MEDIACION, "convenio"),
    }[etapa]


def _estado_de_asesoria(etapa: str, responsable) -> tuple[str, str]:
    if etapa == "concluida":
        return Estado.CERRADA, "fin"
    if etapa in ("recibida", "clasificada") and responsable is None:
        return (
            (Estado.RECIBIDA, "clasificar")
            if etapa == "recibida"
            else (
                Estado.CLASIFICADA,
                "asignar_asesor",
            )
        )
    if etapa == "en_atencion":
        return Estado.EN_ATENCION, "atender"
    return Estado.ASIGNADA, "atender"


class _Celdas:
    """Los valores de un renglón por campo, y los errores y avisos que se van juntando."""

    def __init__(self, revisor: "Revisor", numero: int, valores: list):
        self.revisor, self.valores = revisor, valores
        self.renglon = Renglon(numero)

    def crudo(self, clave: str):
        indice = self.revisor.columnas.get(clave)
        return self.valores[indice] if indice is not None else None

    def texto(self, clave: str, largo: int | None = None) -> str:
        valor = (
            leer.texto_largo(self.crudo(clave))
            if clave == "resumen"
            else leer.texto(self.crudo(clave))
        )
        if largo is not None and len(valor) > largo:
            self.error(clave, _("No debe pasar de %(n)d caracteres.") % {"n": largo})
            return valor[:largo]
        return valor

    def _nota(self, clave: str, mensaje: str) -> dict:
        return {
            "renglon": self.renglon.numero,
            "columna": self.revisor.columna_de(clave),
            "campo": clave,
            "mensaje": str(mensaje),
        }

    def error(self, clave: str, mensaje: str) -> None:
        self.renglon.errores.append(self._nota(clave, mensaje))

    def aviso(self, clave: str, mensaje: str) -> None:
        self.renglon.avisos.append(self._nota(clave, mensaje))

    def leer(self, clave: str, interpretar, obligatorio: str = ""):
        """El valor interpretado, o None con el error en su columna (también si falta y es
        obligatorio: `obligatorio` es el mensaje)."""
        valor = self.crudo(clave)
        try:
            resultado = interpretar(valor)
        except leer.Invalido as error:
            self.error(clave, str(error))
            return None
        if obligatorio and resultado in (None, ""):
            self.error(clave, obligatorio)
        return resultado


class Revisor:
    """Revisa los renglones de un archivo contra los catálogos, el personal y los folios del
    sistema (leídos una vez) con la relación de columnas elegida."""

    def __init__(self, *, encabezados: list[str], columnas: dict[str, int], origen: str):
        self.encabezados, self.columnas, self.origen = encabezados, columnas, origen
        self.localidades = selectors.localidades_por_nombre()
        self.categorias = selectors.categorias_por_nombre()
        self.personal = selectors.personal_por_nombre()
        self.asignable = selectors.personal_asignable()
        self.vistos: dict[str, int] = {}
        self.ahora = timezone.now()

    def columna_de(self, clave: str) -> str:
        indice = self.columnas.get(clave)
        if indice is not None:
            return self.encabezados[indice]
        return str(POR_CLAVE[clave].etiqueta) if clave in POR_CLAVE else clave

    # --- Piezas del renglón ---

    def _folio_y_tipo(self, c: _Celdas) -> tuple[str, str, str]:
        crudo = c.texto("folio")
        folio = folio_del_sistema(crudo) if crudo else ""
        anterior = "" if folio or not crudo else crudo
        tipo = c.leer("tipo", leer.tipo) or (folio[:3] if folio else "")
        if c.crudo("tipo") not in (None, "") and not tipo:
            return folio, anterior, ""
        if not tipo:
            c.error("tipo", _("Falta el tipo: MED (mediación) o ASE (asesoría)."))
        for numero in filter(None, (folio, anterior)):
            if numero in self.vistos:
                c.error(
                    "folio",
                    _("El folio %(folio)s ya viene en el renglón %(otro)d.")
                    % {"folio": numero, "otro": self.vistos[numero]},
                )
            else:
                self.vistos[numero] = c.renglon.numero
        return folio, anterior, tipo

    def _catalogo(self, c: _Celdas, clave: str, tipo: str):
        nombre = c.texto(clave)
        etiqueta = POR_CLAVE[clave].etiqueta
        if not nombre:
            c.error(clave, _("Falta la %(que)s.") % {"que": str(etiqueta).lower()})
            return None
        alias = normalizar_busqueda(nombre)
        if clave == "localidad":
            encontrada = self.localidades.get(alias)
            opciones = sorted({loc.nombre for loc in self.localidades.values()})
        else:
            de_tipo = [
                cat for cat in self.categorias.get(alias, []) if cat.tipo in ("", tipo or cat.tipo)
            ]
            encontrada = (de_tipo or self.categorias.get(alias, [None]))[0]
            opciones = sorted(
                {
                    cat.nombre
                    for lista in self.categorias.values()
                    for cat in lista
                    if cat.activo and cat.tipo in ("", tipo or cat.tipo)
                }
            )
        if encontrada is None:
            c.error(
                clave,
                _("«%(v)s» no está en el catálogo de %(que)s. Las del sistema: %(opciones)s.")
                % {
                    "v": nombre,
                    "que": "localidades" if clave == "localidad" else "categorías",
                    "opciones": "; ".join(opciones),
                },
            )
        return encontrada

    def _responsable(self, c: _Celdas, cerrado: bool):
        """(usuario del personal, nombre tal como venía si no es del personal)."""
        nombre = c.texto("responsable")
        if not nombre:
            return None, ""
        clave = normalizar_busqueda(nombre)
        candidatos = self.personal.get(clave) or self.personal.get(_TITULOS.sub("", clave)) or []
        if len(candidatos) > 1:
            c.error(
                "responsable",
                _("Hay %(n)d personas del personal con el nombre «%(v)s»: escriba su usuario.")
                % {"n": len(candidatos), "v": nombre},
            )
            return None, ""
        if candidatos:
            return candidatos[0], ""
        if cerrado:
            c.aviso(
                "responsable",
                _(
                    "«%(v)s» no tiene cuenta en el sistema: el caso queda sin responsable y su "
                    "nombre, en la bitácora del caso."
                )
                % {"v": nombre},
            )
            return None, nombre
        c.error(
            "responsable",
            _("No hay nadie del personal con el usuario o el nombre «%(v)s».") % {"v": nombre},
        )
        return None, ""

    def _partes(self, c: _Celdas) -> tuple[DatosPersona, DatosPersona | None]:
        solicitante = DatosPersona(
            nombre=c.texto("solicitante_nombre", 200),
            telefono=c.leer("solicitante_telefono", leer.telefono) or "",
            correo=c.leer("solicitante_correo", leer.correo) or "",
            domicilio=c.texto("solicitante_domicilio", 300),
        )
        otra = DatosPersona(
            nombre=c.texto("otra_nombre", 200), domicilio=c.texto("otra_domicilio", 300)
        )
        return solicitante, (otra if otra.nombre or otra.domicilio else None)

    def _etapa(self, c: _Celdas, tipo: str) -> tuple[str, str, str]:
        """(etapa, causa de conclusión, cómo lo decía el registro)."""
        etapa, implicita = c.leer("estado", leer.etapa) or ("", "")
        causa = c.leer("resultado", leer.resultado) or implicita
        if not etapa:
            tiene_fin = c.crudo("fecha_conclusion") not in (None, "") or causa
            etapa = "concluida" if tiene_fin else "recibida"
        if etapa == "concluida" and not causa:
            if tipo == TipoCaso.ASESORIA:
                causa = CausaConclusion.RESUELTA
            else:
                c.error(
                    "resultado",
                    _(
                        "Falta el resultado del caso concluido: convenio, sin acuerdo, "
                        "desistimiento, no admitida, canalizada…"
                    ),
                )
        if (tipo == TipoCaso.MEDIACION and etapa in _ETAPAS_DE_ASESORIA) or (
            tipo == TipoCaso.ASESORIA and etapa in _ETAPAS_DE_MEDIACION
        ):
            c.error(
                "estado",
                _("«%(v)s» no es una etapa de %(tipo)s.")
                % {"v": c.texto("estado"), "tipo": TipoCaso(tipo).label.lower()},
            )
            etapa = ""
        return etapa, causa, c.texto("estado")

    # --- El renglón completo ---

    def revisar(self, numero: int, valores: list) -> Renglon:
        c = _Celdas(self, numero, valores)
        folio, anterior, tipo = self._folio_y_tipo(c)
        recibido = c.leer(
            "fecha_recepcion", leer.fecha, _("Falta la fecha de recepción (dd/mm/aaaa).")
        )
        admitido = c.leer("fecha_admision", leer.fecha)
        concluido = c.leer("fecha_conclusion", leer.fecha)
        canal = c.leer("canal", leer.canal)
        categoria = self._catalogo(c, "categoria", tipo)
        localidad = self._catalogo(c, "localidad", tipo)
        resumen = c.texto("resumen")
        solicitante, otra = self._partes(c)
        etapa, causa, etapa_anterior = self._etapa(c, tipo) if tipo else ("", "", "")
        responsable, anterior_responsable = self._responsable(c, cerrado=etapa == "concluida")
        if c.renglon.errores or not (tipo and etapa and recibido and categoria and localidad):
            return c.renglon
        if tipo == TipoCaso.MEDIACION:
            estado, entrada = _estado_de_mediacion(etapa, causa, responsable)
            if responsable is not None and entrada == "revisar":
                c.aviso(
                    "responsable",
                    _(
                        "Una solicitud sin admitir aún no tiene facilitador: %(nombre)s se "
                        "asigna al admitirla."
                    )
                    % {"nombre": nombre_de(responsable)},
                )
                responsable = None
        else:
            estado, entrada = _estado_de_asesoria(etapa, responsable)
        caso = CasoAnterior(
            tipo=tipo,
            recibido_en=recibido,
            canal=canal,
            categoria=categoria,
            localidad=localidad,
            resumen=resumen,
            solicitante=solicitante,
            otra_parte=otra,
            estado=estado,
            origen=_("%(archivo)s, renglón %(n)d") % {"archivo": self.origen, "n": numero},
            folio=folio,
            folio_anterior=anterior,
            responsable=responsable,
            responsable_anterior=anterior_responsable,
            admitido_en=admitido,
            concluido_en=concluido,
            causa_conclusion=causa if estado in _CERRADOS else "",
            etapa_anterior=etapa_anterior,
            datos={"renglon": numero},
        )
        self._reglas(c, caso)
        if not c.renglon.errores:
            c.renglon.caso, c.renglon.entrada = caso, entrada
        return c.renglon

    def _reglas(self, c: _Celdas, caso: CasoAnterior) -> None:
        for campo, mensaje in errores_de_caso_anterior(caso, ahora=self.ahora):
            c.error(_CAMPO_DEL_ARCHIVO.get(campo, campo), mensaje)
        if mensaje := error_de_responsable(caso, self.asignable):
            c.error("responsable", mensaje)
        if caso.folio and int(caso.folio[4:8]) != timezone.localtime(caso.recibido_en).year:
            c.aviso(
                "folio",
                _("El folio %(folio)s es de otro año que la fecha de recepción.")
                % {"folio": caso.folio},
            )

    # --- Todo el archivo ---

    def revisar_todo(self, renglones: Iterable[tuple[int, list]]) -> Analisis:
        analisis = Analisis()
        revisados = []
        for numero, valores in renglones:
            analisis.renglones += 1
            revisados.append(self.revisar(numero, valores))
        self._folios_del_sistema(revisados)
        for renglon in revisados:
            analisis.errores += renglon.errores
            analisis.avisos += renglon.avisos
            if renglon.caso is not None and not renglon.errores:
                analisis.validos.append((renglon.numero, renglon.caso, renglon.entrada))
        analisis.muestra = [_como_quedaria(n, c, e) for n, c, e in analisis.validos[:MUESTRA]]
        analisis.resumen = _resumen(analisis)
        return analisis

    def _folios_del_sistema(self, revisados: list[Renglon]) -> None:
        """Un folio (o folio anterior) que ya tiene un caso del sistema no se importa."""
        usados = selectors.folios_existentes(
            [r.caso.folio for r in revisados if r.caso and r.caso.folio],
            [r.caso.folio_anterior for r in revisados if r.caso and r.caso.folio_anterior],
        )
        if not usados:
            return
        for renglon in revisados:
            caso = renglon.caso
            for numero in (caso.folio, caso.folio_anterior) if caso else ():
                if numero and numero in usados:
                    renglon.errores.append(
                        {
                            "renglon": renglon.numero,
                            "columna": self.columna_de("folio"),
                            "campo": "folio",
                            "mensaje": _("El folio %(folio)s ya existe en el sistema.")
                            % {"folio": numero},
                        }
                    )


_CERRADOS = (
    Estado.NO_ADMITIDA,
    Estado.CANALIZADA,
    Estado.CONCLUIDA_CONVENIO,
    Estado.CONCLUIDA_SIN_ACUERDO,
    Estado.CERRADA,
)


def _fecha(momento) -> str:
    return formats.date_format(timezone.localtime(momento), "d/m/Y") if momento else ""


def _como_quedaria(numero: int, caso: CasoAnterior, entrada: str) -> dict:
    """Un renglón de la vista previa: el caso tal como quedaría en el sistema."""
    if caso.folio:
        folio = caso.folio
    elif caso.folio_anterior:
        folio = _("Nuevo (antes %(folio)s)") % {"folio": caso.folio_anterior}
    else:
        folio = _("Nuevo")
    return {
        "renglon": numero,
        "folio": folio,
        "tipo": caso.tipo,
        "recibido": _fecha(caso.recibido_en),
        "categoria": caso.categoria.nombre,
        "localidad": caso.localidad.nombre,
        "solicitante": caso.solicitante.nombre,
        "estado": str(Estado(caso.estado).label),
        "entrada": str(ENTRADAS[entrada]),
        "responsable": nombre_de(caso.responsable) or caso.responsable_anterior,
        "concluido": _fecha(caso.concluido_en),
    }


def _resumen(analisis: Analisis) -> dict:
    """Las cuentas de la vista previa: cuántos entran en cada paso, cuántos llegan
    concluidos, cuántos folios se conservan y cómo avanza cada contador."""
    entradas = Counter(entrada for _n, _c, entrada in analisis.validos)
    maximos: dict[str, int] = {}
    for _n, caso, _e in analisis.validos:
        if caso.folio:
            serie = caso.folio[:8]
            maximos[serie] = max(maximos.get(serie, 0), int(caso.folio[9:]))
    return {
        "renglones": analisis.renglones,
        "validos": len(analisis.validos),
        "con_error": analisis.renglones_con_error,
        "errores": len(analisis.errores),
        "avisos": len(analisis.avisos),
        "concluidos": entradas.get("fin", 0),
        "abiertos": len(analisis.validos) - entradas.get("fin", 0),
        "por_entrada": [
            {"entrada": str(ENTRADAS[e]), "casos": n} for e, n in entradas.most_common() if e
        ],
        "folios_conservados": sum(1 for _n, c, _e in analisis.validos if c.folio),
        "folios_nuevos": sum(1 for _n, c, _e in analisis.validos if not c.folio),
        "contadores": [{"serie": s, "hasta": n} for s, n in sorted(maximos.items())],
    }
