// El botón «Imprimir» abre el diálogo de impresión del navegador (sin JavaScript, Ctrl+P).
document.querySelectorAll("[data-imprimir]").forEach(function (boton) {
  boton.addEventListener("click", function () { window.print(); });
});
