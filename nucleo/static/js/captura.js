// Mejora progresiva de la captura: sin JavaScript todo funciona igual.
(function () {
  "use strict";
  var form = document.querySelector("form[data-captura]");
  if (!form) return;

  // La sección de la otra parte solo aplica a mediación.
  var otra = document.getElementById("otra-parte");
  function actualizarTipo() {
    var elegido = form.querySelector("input[name=tipo]:checked");
    if (otra && elegido) otra.hidden = elegido.value !== "MED";
  }
  form.querySelectorAll("input[name=tipo]").forEach(function (r) { r.addEventListener("change", actualizarTipo); });
  actualizarTipo();

  // En módulo: al elegir la jornada, su localidad (se puede cambiar después).
  var modulo = form.querySelector("select[name=modulo]");
  var mapa = document.getElementById("localidad-de-modulo");
  var localidad = form.querySelector("select[name=localidad]");
  if (modulo && mapa && localidad) {
    var localidades = JSON.parse(mapa.textContent);
    modulo.addEventListener("change", function () {
      if (localidades[modulo.value]) localidad.value = localidades[modulo.value];
    });
  }

  // Aviso temprano de posibles duplicados al salir del campo teléfono.
  var tel = form.querySelector("input[name=telefono]");
  var caja = document.getElementById("aviso-duplicados");
  var url = form.getAttribute("data-por-telefono");
  if (!tel || !caja || !url) return;
  tel.addEventListener("change", function () {
    var valor = tel.value.trim();
    if (valor.replace(/\D/g, "").length < 10) { caja.hidden = true; return; }
    fetch(url + "?telefono=" + encodeURIComponent(valor), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { casos: [] }; })
      .then(function (datos) {
        if (!datos.casos.length) { caja.hidden = true; caja.textContent = ""; return; }
        caja.textContent = "";
        var p = document.createElement("p");
        p.textContent = "Este teléfono ya tiene " + datos.casos.length +
          (datos.casos.length === 1 ? " caso abierto" : " casos abiertos") +
          ". Al guardar podrá ligar la llamada en lugar de crear otro caso:";
        caja.appendChild(p);
        var ul = document.createElement("ul");
        datos.casos.forEach(function (c) {
          var li = document.createElement("li");
          li.textContent = c.folio + " — " + c.categoria +
            (c.otra_parte ? ", con " + c.otra_parte : "") + " — " + c.estado + " (" + c.recibido_en + ")";
          ul.appendChild(li);
        });
        caja.appendChild(ul);
        caja.hidden = false;
      })
      .catch(function () { caja.hidden = true; });
  });
})();
