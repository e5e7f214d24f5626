"""Lo que solo monta el benchmark: la configuración de producción más los dos pisos
(`piso.ajustes`, `piso.urls`, `piso.wsgi`). Se importa con `scripts/` en el camino de
Python; nunca se despliega."""
