"""Una persona que es parte en tres casos (con otras partes de nombres inconfundibles) y
su solicitud ARCO, hechas por los servicios como en la operación real."""

from casos.models import Canal, Parte, RolParte, TipoCaso
from casos.services import DatosPersona
from casos.services import privacidad as arco

NOMBRE = "Rosa Elena Villaseñor Ibarra"
TELEFONO = "+523311112222"
CORREO = "rosa.villasenor@correo.mx"

# Las otras partes: nada de ellas puede salir en lo que se entrega a la persona.
OTRAS = [
    DatosPersona(
        nombre="Gumersindo Tlacuilo Zárate",
        telefono="+523399990001",
        correo="gumersindo.tlacuilo@vecinos.mx",
        domicilio="Calle Ocote 51",
    ),
    DatosPersona(
        nombre="Eufrosina Quiñones Barba",
        telefono="+523399990002",
        correo="eufrosina.quinones@vecinos.mx",
        domicilio="Privada Ahuehuete 7",
    ),
    DatosPersona(
        nombre="Anacleto Berumen Solís",
        telefono="+523399990003",
        correo="anacleto.berumen@vecinos.mx",
        domicilio="Callejón Mezquite 19",
    ),
]
RELATO_PROPIO = "Gumersindo Tlacuilo Zárate pone música muy fuerte después de las once."
RELATO_AJENO = "La vecina deja escombro frente a mi cochera desde hace un mes (relato ajeno)."


def datos_de_la_otra(indice: int) -> list[str]:
    otra = OTRAS[indice]
    return [otra.nombre, otra.telefono, otra.correo, otra.domicilio]


def de_todas_las_otras() -> list[str]:
    return [dato for i in range(len(OTRAS)) for dato in datos_de_la_otra(i)]


def persona(domicilio: str = "Calle Vieja 10") -> DatosPersona:
    return DatosPersona(nombre=NOMBRE, telefono=TELEFONO, correo=CORREO, domicilio=domicilio)


def tres_casos(nuevo_caso) -> tuple[list, list[Parte]]:
    """Solicita en el primero y el tercero; en el segundo la invitaron."""
    primero = nuevo_caso(solicitante=persona(), otra_parte=OTRAS[0], resumen=RELATO_PROPIO).caso
    segundo = nuevo_caso(solicitante=OTRAS[1], otra_parte=persona(), resumen=RELATO_AJENO).caso
    tercero = nuevo_caso(
        TipoCaso.MEDIACION,
        solicitante=persona(),
        otra_parte=OTRAS[2],
        resumen="Un árbol del vecino tapa la banqueta.",
    ).caso
    casos = [primero, segundo, tercero]
    partes = [
        primero.partes.get(rol=RolParte.SOLICITANTE),
        segundo.partes.get(rol=RolParte.INVITADA),
        tercero.partes.get(rol=RolParte.SOLICITANTE),
    ]
    return casos, partes


def solicitud(
    actor,
    partes,
    *,
    derecho: str = "acceso",
    medio: str = "correo",
    acreditar: bool = True,
):
    """Recibida en persona, con los datos identificados y (si se pide) la identidad
    acreditada."""
    recibida = arco.recibir_solicitud_arco(
        derecho=derecho,
        canal=Canal.PRESENCIAL,
        nombre=NOMBRE,
        medio_respuesta=medio,
        descripcion="Quiero saber qué datos míos tiene la oficina y corregir mi domicilio.",
        telefono=TELEFONO,
        correo=CORREO,
        domicilio="Calle Vieja 10",
        actor=actor,
    )
    solicitud = arco.identificar_datos(solicitud=recibida.solicitud, partes=partes, actor=actor)
    if acreditar:
        solicitud = arco.acreditar_identidad(
            solicitud=solicitud,
            actor=actor,
            medio="identificacion",
            detalle="Credencial para votar, terminación 4821",
        )
    return solicitud
