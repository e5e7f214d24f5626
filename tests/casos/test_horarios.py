"""Horarios libres de una sala para programar: dentro de su horario (dos intervalos al día),
en días hábiles, a futuro, dentro del plazo del procedimiento (art. 64) y sin chocar con las
sesiones de la sala ni de la persona facilitadora. El servicio rechaza lo que queda fuera."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from casos.horarios import describir, horarios_libres, intervalos_de
from casos.models import DiaInhabil, Sala
from casos.services import mediacion as med
from tests.casos.etapas import admitido, en, invitado
from tests.conftest import con_horario

pytestmark = pytest.mark.django_db

HORA = timedelta(minutes=60)


@pytest.fixture
def sala_juarez(catalogos):
    """Lunes a viernes de 9:00 a 14:00 y de 16:00 a 19:00."""
    sala = Sala.objects.create(nombre="Sala Juárez", ubicacion="Presidencia, planta alta")
    return con_horario(sala, intervalos=((9, 0, 14, 0), (16, 0, 19, 0)))


@pytest.fixture
def caso_listo(reloj, nuevo_caso, coordinadora, certificado):
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    caso.refresh_from_db()
    return caso


def horas_de(libres, dia: date) -> list[str]:
    from django.utils import timezone

    for d in libres.dias:
        if d.fecha == dia:
            return [timezone.localtime(h).strftime("%H:%M") for h in d.horas]
    return []


def test_el_horario_se_dice_en_palabras_juntando_los_dias_iguales(sala_juarez):
    texto = describir(intervalos_de(sala_juarez))
    assert texto == "lunes a viernes de 9:00 a 14:00 y de 16:00 a 19:00"


def test_ofrece_cada_media_hora_de_los_dos_intervalos_del_dia(caso_listo, sala_juarez):
    libres = horarios_libres(
        sala=sala_juarez,
        mediador=caso_listo.responsable,
        duracion=HORA,
        desde=date(2026, 11, 25),
        caso=caso_listo,
    )
    assert horas_de(libres, date(2026, 11, 25)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
        "12:00",
        "12:30",
        "13:00",
        "16:00",
        "16:30",
        "17:00",
        "17:30",
        "18:00",
    ]
    # Cinco días hábiles: miércoles, jueves, viernes, lunes y martes (sin el fin de semana).
    assert [d.fecha for d in libres.dias] == [
        date(2026, 11, 25),
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 30),
        date(2026, 12, 1),
    ]
    assert libres.siguiente == date(2026, 12, 2)


def test_hoy_solo_ofrece_lo_que_aun_no_pasa(caso_listo, sala_juarez):
    # El reloj está en el martes 24/11/2026 a las 10:00.
    libres = horarios_libres(
        sala=sala_juarez, mediador=caso_listo.responsable, duracion=HORA, caso=caso_listo
    )
    assert horas_de(libres, date(2026, 11, 24))[:2] == ["10:30", "11:00"]


def test_los_inhabiles_del_municipio_y_los_de_la_ley_no_se_ofrecen(caso_listo, sala_juarez):
    DiaInhabil.objects.create(
        fecha_inicio=date(2026, 11, 26), fecha_fin=date(2026, 11, 26), motivo="Fiesta patronal"
    )
    libres = horarios_libres(
        sala=sala_juarez,
        mediador=caso_listo.responsable,
        duracion=HORA,
        desde=date(2026, 12, 23),
        caso=caso_listo,
    )
    assert date(2026, 12, 25) not in [d.fecha for d in libres.dias]  # Navidad (LFT art. 74)
    libres = horarios_libres(
        sala=sala_juarez,
        mediador=caso_listo.responsable,
        duracion=HORA,
        desde=date(2026, 11, 25),
        caso=caso_listo,
    )
    assert date(2026, 11, 26) not in [d.fecha for d in libres.dias]
    with pytest.raises(ValidationError, match="inhábil"):
        med.programar_sesion(
            caso=caso_listo,
            actor=caso_listo.responsable,
            inicio=en(date(2026, 11, 26)),
            sala=sala_juarez,
        )


def test_no_ofrece_nada_despues_del_plazo_del_procedimiento(caso_listo, sala_juarez):
    # Admitido el 24/11/2026: el plazo de 3 meses (art. 64) vence el 24/02/2027, miércoles.
    libres = horarios_libres(
        sala=sala_juarez,
        mediador=caso_listo.responsable,
        duracion=HORA,
        desde=date(2027, 2, 22),
        caso=caso_listo,
    )
    assert libres.limite == date(2027, 2, 24)
    assert [d.fecha for d in libres.dias] == [
        date(2027, 2, 22),
        date(2027, 2, 23),
        date(2027, 2, 24),
    ]
    assert libres.siguiente is None


def test_la_sala_ocupada_y_el_facilitador_ocupado_no_se_ofrecen(
    caso_listo, sala_juarez, sala, nuevo_caso, coordinadora, certificado, otro_certificado
):
    # Otro caso, de otra persona facilitadora, ocupa la sala el jueves de 10:00 a 11:00.
    otro = nuevo_caso().caso
    admitido(otro, coordinadora, otro_certificado)
    invitado(otro, otro_certificado)
    med.programar_sesion(
        caso=otro, actor=otro_certificado, inicio=en(date(2026, 11, 26), 10), sala=sala_juarez
    )
    # Un tercero, de la misma persona facilitadora, en otra sala el viernes de 12:00 a 13:00.
    tercero = nuevo_caso().caso
    admitido(tercero, coordinadora, certificado)
    invitado(tercero, certificado)
    med.programar_sesion(
        caso=tercero, actor=certificado, inicio=en(date(2026, 11, 27), 12), sala=sala
    )
    libres = horarios_libres(
        sala=sala_juarez,
        mediador=certificado,
        duracion=HORA,
        desde=date(2026, 11, 26),
        caso=caso_listo,
    )
    jueves = horas_de(libres, date(2026, 11, 26))
    assert "09:00" in jueves and "11:00" in jueves
    assert not {"09:30", "10:00", "10:30"} & set(jueves)
    viernes = horas_de(libres, date(2026, 11, 27))
    assert "11:00" in viernes and "13:00" in viernes
    assert not {"11:30", "12:00", "12:30"} & set(viernes)
    # El servicio dice lo mismo aunque alguien escriba la hora a mano.
    with pytest.raises(ValidationError, match="está ocupada a esa hora"):
        med.programar_sesion(
            caso=caso_listo,
            actor=certificado,
            inicio=en(date(2026, 11, 26), 10),
            sala=sala_juarez,
        )
    with pytest.raises(ValidationError, match="ya tiene una sesión a esa hora"):
        med.programar_sesion(
            caso=caso_listo,
            actor=certificado,
            inicio=en(date(2026, 11, 27), 12),
            sala=sala_juarez,
        )


def test_fuera_del_horario_de_la_sala_se_rechaza_diciendo_el_horario(caso_listo, sala_juarez):
    with pytest.raises(ValidationError) as error:
        med.programar_sesion(
            caso=caso_listo,
            actor=caso_listo.responsable,
            inicio=en(date(2026, 11, 26), 14),
            sala=sala_juarez,
        )
    mensaje = " ".join(error.value.messages)
    assert (
        "La sala Sala Juárez atiende lunes a viernes de 9:00 a 14:00 y de 16:00 a 19:00; la "
        "sesión del jueves 26/11/2026 de 14:00 a 15:00 queda fuera de ese horario." in mensaje
    )
    # La que empieza a tiempo pero termina después del cierre tampoco cabe.
    with pytest.raises(ValidationError, match="de 13:30 a 14:30 queda fuera"):
        med.programar_sesion(
            caso=caso_listo,
            actor=caso_listo.responsable,
            inicio=en(date(2026, 11, 26), 13) + timedelta(minutes=30),
            sala=sala_juarez,
        )
    sesion = med.programar_sesion(
        caso=caso_listo,
        actor=caso_listo.responsable,
        inicio=en(date(2026, 11, 26), 16),
        sala=sala_juarez,
    )
    assert sesion.sala == sala_juarez


def test_a_la_hora_pasada_no_se_programa(caso_listo, sala_juarez):
    with pytest.raises(ValidationError, match="a futuro"):
        med.programar_sesion(
            caso=caso_listo,
            actor=caso_listo.responsable,
            inicio=en(date(2026, 11, 24), 9),
            sala=sala_juarez,
        )


def test_una_sala_sin_horario_no_ofrece_nada_y_lo_dice(caso_listo, sala_sin_horario):
    libres = horarios_libres(
        sala=sala_sin_horario, mediador=caso_listo.responsable, duracion=HORA, caso=caso_listo
    )
    assert libres.sin_horario and not libres.hay and libres.dias == []
    with pytest.raises(ValidationError, match="no tiene horario de atención.*/oficina/"):
        med.programar_sesion(
            caso=caso_listo,
            actor=caso_listo.responsable,
            inicio=en(date(2026, 11, 26), 10),
            sala=sala_sin_horario,
        )


def test_otro_lugar_sin_sala_solo_pide_dia_habil(caso_listo):
    sesion = med.programar_sesion(
        caso=caso_listo,
        actor=caso_listo.responsable,
        inicio=en(date(2026, 11, 26), 21),
        lugar="Delegación Milpillas",
    )
    assert sesion.sala is None and sesion.lugar == "Delegación Milpillas"


def test_la_busqueda_hace_las_mismas_consultas_con_pocas_o_muchas_sesiones(
    caso_listo, sala_juarez, certificado
):
    from casos.models import Sesion

    def contar():
        sala = Sala.objects.prefetch_related("horarios").get(pk=sala_juarez.pk)
        caso = type(caso_listo).objects.get(pk=caso_listo.pk)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as consultas:
            horarios_libres(
                sala=sala,
                mediador=certificado,
                duracion=HORA,
                desde=date(2026, 11, 25),
                caso=caso,
            )
        return len(consultas)

    pocas = contar()
    # Muchas sesiones de otros casos en la misma sala, en el rango y fuera de él.
    inicio = en(date(2026, 11, 25), 9)
    Sesion.objects.bulk_create(
        Sesion(
            caso=caso_listo,
            numero=100 + n,
            inicio=inicio + timedelta(days=n // 8, hours=n % 8),
            fin=inicio + timedelta(days=n // 8, hours=n % 8, minutes=30),
            sala=sala_juarez,
            mediador=certificado,
            estado="celebrada" if n % 2 else "programada",
        )
        for n in range(400)
    )
    assert contar() == pocas <= 4


def test_dentro_del_horario_acepta_el_intervalo_que_cierra_justo(sala_juarez):
    from casos.horarios import dentro_del_horario

    por_dia = intervalos_de(sala_juarez)
    assert dentro_del_horario(por_dia, en(date(2026, 11, 26), 13), en(date(2026, 11, 26), 14))
    assert not dentro_del_horario(por_dia, en(date(2026, 11, 26), 13), en(date(2026, 11, 26), 16))
