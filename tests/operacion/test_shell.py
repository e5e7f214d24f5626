"""`manage.py shell` arranca sin avisos por los modelos de historia y con los del proyecto."""

from tests.operacion.conftest import manage


def test_el_shell_importa_los_modelos_sin_avisar_por_las_historias(tmp_path):
    corrida = manage(
        "shell",
        "-v",
        "2",
        "-c",
        "print(Sala.__name__, Caso.__name__)",
        entorno={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert corrida.returncode == 0, corrida.stderr
    assert "could not be automatically imported" not in corrida.stdout + corrida.stderr
    assert "Sala Caso" in corrida.stdout
    assert "HistoricalSala" not in corrida.stdout
