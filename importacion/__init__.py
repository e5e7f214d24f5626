"""Importar el registro anterior de la oficina (CSV o XLSX) como casos del sistema."""
