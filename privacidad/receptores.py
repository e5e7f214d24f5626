"""Qué hace esta capa cuando ocurre un hecho de `casos.senales` sobre una solicitud ARCO."""
