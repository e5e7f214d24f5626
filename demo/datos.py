"""Datos de demostración: personal por rol, módulos y solicitudes realistas.

Todo se crea por los servicios, como en la operación real.
"""

import base64
import logging
import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from casos import services
from casos.models import AvisoPrivacidad, Canal, Caso, Categoria, Localidad, Modulo, TipoCaso
from casos.telefonos import intentar_normalizar
from casos.texto import normalizar_busqueda
from cuentas import selectors as cuentas_selectors
from cuentas import services as cuentas_services

logger = logging.getLogger(__name__)

# Verificación en dos pasos de la demostración: quien la necesita por su rol ya la tiene
# activa con esta clave pública (sin ella no se podría entrar sin un teléfono). Nunca en
# producción: cualquiera puede calcular sus códigos.
CLAVE_TOTP_DEMO = "MEDIACIONMUNICIPALDEMOSTRACION22"
CODIGOS_DEMO = [f"demo{n:04d}" for n in range(1, 11)]

USUARIOS = [
    # usuario, nombre, apellidos, rol, es_staff
    ("operadora", "Rosa María", "Gutiérrez Pérez", "operador", False),
    ("coordinadora", "Claudia", "Ramírez Navarro", "coordinador", True),
    ("mediador", "Jorge Luis", "Hernández Ávila", "mediador", False),
    ("mediadora2", "Ana Laura", "Méndez Orozco", "mediador", False),
    ("asesor", "Miguel Ángel", "Torres Lozano", "asesor", False),
    ("direccion", "Patricia", "Jiménez Castañeda", "direccion", False),
    ("transparencia", "Sofía", "Aguilar Ríos", "privacidad", False),
]

NOMBRES = [
    "María Guadalupe",
    "Juan Carlos",
    "José Luis",
    "Ana María",
    "Francisco Javier",
    "Verónica",
    "Miguel",
    "Alejandra",
    "Ricardo",
    "Leticia",
    "Martín",
    "Silvia",
    "Arturo",
    "Gabriela",
    "Jesús",
    "Adriana",
    "Fernando",
    "Norma Angélica",
    "Salvador",
    "Martha Elena",
    "Ramón",
    "Rocío",
    "Héctor",
    "Teresa",
    "Javier",
    "Elizabeth",
    "Raúl",
    "Yolanda",
    "Alfredo",
    "Lucía",
]
APELLIDOS = [
    "González",
    "Hernández",
    "Martínez",
    "López",
    "Pérez",
    "Ramírez",
    "Navarro",
    "Aceves",
    "Íñiguez",
    "Barba",
    "Gómez",
    "Orozco",
    "Ramos",
    "Ruvalcaba",
    "Jiménez",
    "Franco",
    "Casillas",
    "Gutiérrez",
    "Vázquez",
    "Padilla",
    "Castellanos",
    "Torres",
    "Camarena",
    "Ávila",
]
CALLES = [
    "Hidalgo",
    "Morelos",
    "Juárez",
    "Allende",
    "Independencia",
    "Zaragoza",
    "Guerrero",
    "Madero",
    "Reforma",
    "5 de Mayo",
    "Ramón Corona",
    "López Cotilla",
    "Obregón",
]

RELATOS = {
    "Conflicto vecinal (ruido, basura, mascotas)": [
        "El vecino de junto pone música a alto volumen todas las noches hasta la madrugada; ya le pedimos que le baje y no hace caso.",
        "Los perros del vecino se salen a la calle y ya mordieron a mi hijo; quiero que los tenga amarrados o dentro de su casa.",
        "La vecina deja la basura en mi banqueta y se junta fauna; quiero llegar a un acuerdo sobre el día de sacarla.",
    ],
    "Linderos, bardas y construcciones": [
        "Mi vecino levantó una barda que invade unos 40 centímetros de mi terreno; tenemos escrituras distintas y queremos aclararlo.",
        "La construcción de al lado le echa el agua de lluvia a mi patio y ya se humedeció la pared.",
    ],
    "Uso de áreas comunes o condominio": [
        "En el coto hay problemas por el uso del estacionamiento de visitas; unos vecinos lo ocupan siempre.",
    ],
    "Arrendamiento entre particulares": [
        "El inquilino debe tres meses de renta y no quiere desocupar; preferimos un acuerdo antes de ir al juzgado.",
        "El dueño no me quiere regresar el depósito aunque entregué la casa en buen estado.",
    ],
    "Deudas y compraventa entre particulares": [
        "Le presté dinero a un conocido para su negocio y no me ha pagado; quiere pagar en abonos pero no nos ponemos de acuerdo.",
        "Compré un vehículo y el vendedor no me entrega la factura original.",
    ],
    "Daños a bienes": [
        "Un camión de la bodega vecina dañó mi portón al maniobrar; el dueño dice que no fue su chofer.",
    ],
    "Convivencia familiar (sin violencia)": [
        "Mis hermanos y yo no nos ponemos de acuerdo sobre quién cuida a nuestra mamá y cómo repartir los gastos.",
        "Queremos acordar los días de convivencia de los niños con su papá después de la separación.",
    ],
    "Conflicto entre comunidad y autoridad": [
        "Los vecinos de la colonia queremos dialogar con la autoridad sobre el horario del tianguis que bloquea la calle.",
    ],
    "Trámites y servicios municipales": [
        "Quiero saber qué documentos necesito para regularizar la licencia de mi negocio.",
        "Necesito orientación para tramitar una constancia de residencia.",
    ],
    "Servicios públicos (agua, alumbrado, recolección)": [
        "Tenemos una semana sin agua en la calle y no sabemos a quién reportar.",
        "La lámpara del poste de la esquina lleva meses fundida.",
    ],
    "Orientación jurídica general": [
        "Quiero saber cómo hacer un testamento y qué costo tiene.",
        "Me llegó un citatorio y no entiendo qué debo hacer.",
    ],
    "Programas sociales y apoyos": [
        "Quiero saber si califico para el apoyo a adultos mayores y dónde me registro.",
    ],
    "Derechos del consumidor": [
        "Compré un refrigerador que salió defectuoso y la tienda no lo quiere cambiar.",
    ],
}


def _telefono(rng: random.Random) -> str:
    while True:
        numero = intentar_normalizar(f"33{rng.randint(10000000, 99999999)}")
        if numero:
            return numero


def _nombre(rng: random.Random) -> str:
    return f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"


def crear_usuarios(password: str) -> list[str]:
    User = get_user_model()
    creados = []
    for usuario, nombre, apellidos, rol, es_staff in USUARIOS:
        user, _ = User.objects.get_or_create(username=usuario)
        user.first_name, user.last_name, user.is_staff = nombre, apellidos, es_staff
        user.email = f"{usuario}@demo.invalid"  # sus avisos quedan en la bandeja de la demo
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=rol)])
        creados.append(usuario)
    admin, _ = User.objects.get_or_create(username="admin")
    admin.first_name, admin.last_name = "Administración", "del sistema"
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    creados.append("admin")
    segundo_factor_de_demo(User.objects.filter(username__in=creados))
    return creados


def segundo_factor_de_demo(usuarios) -> list[str]:
    """Activa la clave pública de la demostración a quien su rol le exige dos pasos
    (DOS_PASOS_OBLIGATORIO_ROLES) y se la quita a los demás; imprime cómo entrar."""
    clave = base64.b32decode(CLAVE_TOTP_DEMO)
    con_dos_pasos = []
    for usuario in usuarios:
        if cuentas_selectors.requiere_dos_pasos(usuario):
            cuentas_services.instalar_segundo_factor(
                usuario=usuario, clave=clave, codigos=CODIGOS_DEMO
            )
            con_dos_pasos.append(usuario.username)
        elif cuentas_selectors.tiene_segundo_factor(usuario):
            cuentas_services.reiniciar_segundo_factor(actor=None, cuenta=usuario, origen="comando")
    if con_dos_pasos:
        logger.info(
            "Verificación en dos pasos de la demostración (%s): agregue la clave %s a su app de "
            "autenticación o calcule el código con «oathtool --totp -b %s». Códigos de "
            "recuperación (uno por entrada): %s.",
            ", ".join(con_dos_pasos),
            CLAVE_TOTP_DEMO,
            CLAVE_TOTP_DEMO,
            ", ".join(f"{c[:4]}-{c[4:]}" for c in CODIGOS_DEMO),
        )
    return con_dos_pasos


def crear_modulos(rng: random.Random) -> list[Modulo]:
    """Jornadas de módulo itinerante cada dos semanas desde enero (las cuatro localidades por
    turno), para que el tablero de la Dirección tenga el año entero."""
    hoy = timezone.localdate()
    lugares = [
        ("Margaritas", "Plaza principal"),
        ("Milpillas", "Delegación municipal"),
        ("San Gaspar", "Salón ejidal"),
        ("San Francisco de Asís", "Atrio del templo"),
    ]
    inicio = min(date(hoy.year, 1, 1), hoy - timedelta(days=DIAS_DE_HISTORIA))
    fechas = []
    dia = hoy
    while dia >= inicio:
        fechas.append(dia)
        dia -= timedelta(days=14)
    modulos = []
    for i, fecha in enumerate(sorted(fechas)):
        localidad, lugar = lugares[i % len(lugares)]
        loc = Localidad.objects.filter(nombre=localidad).first() or Localidad.objects.first()
        modulo, _ = Modulo.objects.get_or_create(
            nombre=f"Módulo itinerante {localidad}",
            fecha=fecha,
            defaults={"lugar": lugar, "localidad": loc},
        )
        modulos.append(modulo)
    return modulos


# Días hacia atrás de las solicitudes de la demo: al menos ocho meses, y siempre desde el 1 de
# enero del año en curso (el año del tablero de la Dirección).
DIAS_DE_HISTORIA = 240


def dias_de_historia() -> int:
    hoy = timezone.localdate()
    return max(DIAS_DE_HISTORIA, (hoy - date(hoy.year, 1, 1)).days)


# Los programas del POA de la Dirección de Vinculación Ciudadana y sus metas del año (a la
# escala de los casos de la demo).
PROGRAMAS_POA = [
    ("4", "Mediación y resolución de conflictos comunitarios", "MED", 10),
    ("8", "Transparencia activa", "", 20),
    ("10", "Asesoría ciudadana", "ASE", 30),
]
METAS_POA = [
    ("4", "Sesiones de mediación", "sesiones", 90),
    ("4", "Convenios firmados", "convenios", 45),
    ("10", "Personas atendidas en módulos itinerantes", "personas_modulo", 80),
    ("10", "Jornadas de módulo itinerante", "jornadas", 24),
    ("10", "Asesorías por la línea telefónica", "asesorias_telefono", 60),
    ("8", "Informes estadísticos mensuales", "informes", 12),
]


def nueva_solicitud(rng: random.Random, *, modulos, frecuentes, usuarios) -> Caso:
    """Una solicitud realista recibida ahora (el llamador fija el reloj)."""
    aviso = AvisoPrivacidad.vigente()
    categorias = list(Categoria.objects.activos().filter(canalizar=False))
    if rng.random() < 0.04:
        categorias = list(Categoria.objects.activos().filter(canalizar=True))
    localidades = list(Localidad.objects.activos())
    categoria = rng.choice(categorias)
    tipo = categoria.tipo or rng.choice(TipoCaso.values)
    hoy = timezone.localdate()
    del_dia = [m for m in modulos if m.fecha == hoy]
    modulo = None
    if del_dia and rng.random() < 0.7:
        # Día de módulo itinerante: la mayoría se atiende ahí.
        canal, modulo = Canal.MODULO, del_dia[0]
    else:
        canal = rng.choice([Canal.TELEFONO] * 5 + [Canal.WEB] * 3 + [Canal.PRESENCIAL])
    nombre, telefono = (
        rng.choice(frecuentes) if rng.random() < 0.15 else (_nombre(rng), _telefono(rng))
    )
    otra = None
    if tipo == TipoCaso.MEDIACION:
        otra = services.DatosPersona(
            nombre=_nombre(rng),
            telefono=_telefono(rng) if rng.random() < 0.6 else "",
            domicilio=f"Calle {rng.choice(CALLES)} {rng.randint(1, 480)}",
        )
    actor = None
    if canal == Canal.MODULO:
        actor = usuarios["asesor"]
    elif canal != Canal.WEB:
        actor = usuarios["operadora"]
    return services.recibir_solicitud(
        tipo=tipo,
        canal=canal,
        categoria=categoria,
        localidad=modulo.localidad if modulo else rng.choice(localidades),
        resumen=rng.choice(
            RELATOS.get(categoria.nombre, ["Solicita orientación sobre su asunto."])
        ),
        solicitante=services.DatosPersona(
            nombre=nombre,
            telefono=telefono,
            correo=f"{normalizar_busqueda(nombre.split()[0])}{rng.randint(1, 99)}@correo.mx"
            if canal == Canal.WEB
            else "",
        ),
        otra_parte=otra,
        modulo=modulo,
        aviso=aviso,
        actor=actor,
    ).caso


def llamantes_frecuentes(rng: random.Random) -> list[tuple[str, str]]:
    """Llamantes que vuelven a llamar (para ver el aviso de posible duplicado)."""
    return [(_nombre(rng), _telefono(rng)) for _ in range(12)]
