// Học liệu: small progressive enhancements; every page also works without it.
"use strict";

(function () {
  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // A file upload can take a while: say so and stop a second submit.
  function busyForms() {
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; button.textContent = form.dataset.busy; }
      });
    });
  }

  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  }

  function pickAll() {
    document.querySelectorAll("input[data-pick-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.dataset.pickAll;
        box.form.querySelectorAll("input[name='" + name + "']").forEach(
          function (other) { other.checked = box.checked; });
      });
    });
  }

  function percentOf(state) {
    var p = state.progress;
    if (p && typeof p.percent === "number") return p.percent;
    if (p && typeof p === "object") return p.total ? 100 * p.done / p.total : 0;
    if (typeof p === "number") return p <= 1 ? p * 100 : p;
    return 0;
  }

  // While the check runs, poll the import and reload when it has finished.
  function pollProgress() {
    var bar = document.getElementById("check-progress");
    if (!bar) return;
    var tries = 0;
    function tick() {
      tries += 1;
      fetch(bar.dataset.poll, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (state && state.status !== "checking") { location.reload(); return; }
          if (state) {
            var pct = Math.round(percentOf(state));
            bar.value = pct;
            document.getElementById("check-percent").textContent = pct;
          }
          if (tries < 900) setTimeout(tick, 1000);
        })
        .catch(function () { if (tries < 900) setTimeout(tick, 3000); });
    }
    setTimeout(tick, 800);
  }

  // dd/mm/yyyy HH:MM in Vietnam time, as the server writes dates.
  function formatWhen(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit",
      year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false
    }).formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + "/" + parts.month + "/" + parts.year + " " +
      parts.hour + ":" + parts.minute;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;  // never innerHTML
    return node;
  }

  function noteItem(note) {
    var item = el("li", "note unread fresh");
    item.dataset.id = note.id;
    item.appendChild(el("h3", "", note.title || ""));
    item.appendChild(el("p", "", note.body || ""));
    item.appendChild(el("p", "muted", formatWhen(note.created_at)));
    var form = el("form");
    form.method = "post";
    form.action = "/student/notifications/" + encodeURIComponent(note.id) + "/read";
    var button = el("button", "link", "Đánh dấu đã đọc");
    button.type = "submit";
    form.appendChild(button);
    item.appendChild(form);
    return item;
  }

  function bumpUnread() {
    var counter = document.getElementById("unread-count");
    var n = Number(counter.dataset.unread || 0) + 1;
    counter.dataset.unread = n;
    counter.textContent = n.toLocaleString("vi-VN") + " chưa đọc";
  }

  // A note's own package_names (same order as its codes) come first, then
  // the catalogue's names the page was given, then the code itself.
  function addPackages(note) {
    var list = document.getElementById("packages");
    var names = JSON.parse(list.dataset.names || "{}");
    var codes = note.package_codes || (note.package_code ? [note.package_code] : []);
    var own = note.package_names || [];
    codes.forEach(function (code, i) {
      var known = list.querySelector("[data-code='" + CSS.escape(code) + "']");
      if (known) {
        if (own[i] && known.textContent === code) known.textContent = own[i];
        return;
      }
      var item = el("li", "", own[i] || names[code] || code);
      item.dataset.code = code;
      list.appendChild(item);
      document.getElementById("packages-empty").hidden = true;
    });
  }

  function showNote(note) {
    var inbox = document.getElementById("inbox");
    if (!note || !note.id || inbox.querySelector("[data-id='" + CSS.escape(String(note.id)) + "']")) return;
    inbox.insertBefore(noteItem(note), inbox.firstChild);
    document.getElementById("inbox-empty").hidden = true;
    bumpUnread();
    addPackages(note);
  }

  var RECONNECT_FIRST_MS = 1000;
  var RECONNECT_MAX_MS = 30000;

  // The inbox listens for new notifications and shows them without a reload.
  // An EventSource reconnects by itself after a dropped connection but gives
  // up for good after an error answer (a 503 while the service is busy or
  // restarting): then a new one is opened after a pause that doubles from
  // 1 s to 30 s, with jitter so a whole school does not come back at once,
  // resuming after the last event id seen.
  function liveInbox() {
    var inbox = document.getElementById("inbox");
    if (!inbox || !window.EventSource) return;
    var state = document.getElementById("live-state");
    var streamUrl = new URL(inbox.dataset.stream, location.href);
    var lastId = streamUrl.searchParams.get("last_event_id");
    var delay = RECONNECT_FIRST_MS;
    var source = null;

    function remember(event) {
      if (event.lastEventId) lastId = event.lastEventId;
    }
    function receive(event) {
      remember(event);
      try { showNote(JSON.parse(event.data)); } catch (e) { /* not a note */ }
    }
    function ready(event) {
      remember(event);
      delay = RECONNECT_FIRST_MS;  // only a stream that answered resets it
      state.textContent = "Đang nhận thông báo mới tự động.";
    }
    function reconnectLater() {
      var wait = delay / 2 + Math.random() * delay / 2;
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      state.textContent = "Đang kết nối lại…";
      setTimeout(connect, wait);
    }
    function connect() {
      if (lastId !== null) streamUrl.searchParams.set("last_event_id", lastId);
      source = new EventSource(streamUrl.toString());
      source.onmessage = receive;
      source.addEventListener("notification", receive);
      source.addEventListener("ready", ready);
      source.onerror = function () {
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          reconnectLater();
        } else {
          state.textContent = "Đang kết nối lại…";
        }
      };
    }
    connect();
  }

  onReady(function () {
    busyForms(); autosubmit(); pickAll(); pollProgress(); liveInbox();
  });
})();
