// Signature pad for consent forms (progressive enhancement: without it, the typed name works).
// Shows the canvas, records strokes as integer points on the same 600 x 200 grid the server checks
// (src/features/forms/signature.ts) and keeps them in the hidden "signature" field as
// "v1 x,y x,y;x,y ...". No library, no inline script or style (CSP).
(function () {
  'use strict';
  var W = 600, H = 200, MAX_POINTS = 1900, MAX_STROKES = 60;

  function setUp(pad) {
    var canvas = pad.querySelector('canvas[data-signature-canvas]');
    var form = pad.closest('form');
    var input = form && form.querySelector('input[name="signature"]');
    if (!canvas || !input || !canvas.getContext) return;
    var ctx = canvas.getContext('2d');
    var strokes = [];
    var current = null;
    var points = 0;

    pad.hidden = false;
    // CSSOM properties are allowed under the CSP (style attributes in markup are not).
    canvas.style.maxWidth = '100%';
    canvas.style.height = 'auto';
    canvas.style.border = '1px solid #999';
    canvas.style.borderRadius = '4px';
    canvas.style.background = '#fff';
    canvas.style.cursor = 'crosshair';
    canvas.style.touchAction = 'none';

    function encode() {
      return strokes.length ? 'v1 ' + strokes.map(function (s) {
        return s.map(function (p) { return p[0] + ',' + p[1]; }).join(' ');
      }).join(';') : '';
    }

    function draw() {
      ctx.clearRect(0, 0, W, H);
      ctx.lineWidth = 4;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.strokeStyle = '#10206a';
      strokes.forEach(function (s) {
        ctx.beginPath();
        ctx.moveTo(s[0][0], s[0][1]);
        if (s.length === 1) ctx.lineTo(s[0][0] + 0.5, s[0][1]);
        for (var i = 1; i < s.length; i++) ctx.lineTo(s[i][0], s[i][1]);
        ctx.stroke();
      });
    }

    function at(event) {
      var r = canvas.getBoundingClientRect();
      var x = Math.round(((event.clientX - r.left) / r.width) * W);
      var y = Math.round(((event.clientY - r.top) / r.height) * H);
      return [Math.min(W, Math.max(0, x)), Math.min(H, Math.max(0, y))];
    }

    // Redraw what came back with the form (a refused submission keeps the drawing).
    if (/^v1 [0-9 ,;]+$/.test(input.value)) {
      strokes = input.value.slice(3).split(';').map(function (s) {
        return s.split(' ').map(function (p) { return p.split(',').map(Number); });
      });
      points = strokes.reduce(function (n, s) { return n + s.length; }, 0);
      draw();
    }

    canvas.addEventListener('pointerdown', function (event) {
      if (strokes.length >= MAX_STROKES || points >= MAX_POINTS) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      current = [at(event)];
      strokes.push(current);
      points++;
      draw();
    });
    canvas.addEventListener('pointermove', function (event) {
      if (!current || points >= MAX_POINTS) return;
      var p = at(event);
      var last = current[current.length - 1];
      if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) < 2) return;
      current.push(p);
      points++;
      draw();
    });
    function end() {
      if (!current) return;
      current = null;
      input.value = encode();
    }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);

    var clear = pad.querySelector('[data-signature-clear]');
    if (clear) clear.addEventListener('click', function () {
      strokes = [];
      current = null;
      points = 0;
      input.value = '';
      draw();
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-signature-pad]'), setUp);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
