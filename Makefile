# Dos comandos: `make demo` y `make test`. uv instala las dependencias del lock.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY := .venv/bin/python

.PHONY: demo test bench lint formato instalar

instalar:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --no-cache-dir uv
	@$(UV) sync --frozen --quiet

demo: instalar
	@$(PY) scripts/demo.py

test: instalar
	@$(PY) scripts/entorno_pruebas.py pytest $(ARGS)

bench: instalar
	@$(PY) scripts/entorno_pruebas.py bench $(ARGS)

lint: instalar
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .

formato: instalar
	@$(PY) -m ruff format .
	@$(PY) -m ruff check --fix .
