/*!
 * Octocom chat widget — plain JavaScript, no framework.
 * Embed:  <script src="https://YOUR-DASHBOARD/assets/chat-widget/octocom-chat.js" data-business="your-slug" async></script>
 * Optional attributes: data-api="https://api-origin" (defaults to the script's origin), data-color="#594ae2", data-title="Chat with us".
 *
 * Custom data: on start and on EVERY message the widget reads all localStorage keys with the exact prefix
 * "octocom:data:", strips the prefix and sends the map (e.g. octocom:data:plan → "plan" → metadata chat-widget:plan).
 * The conversation (id + token) is kept in localStorage under "octocom:chat:<slug>", so it survives page reloads.
 * Replies from agents and bots arrive by long polling.
 * Docs: docs/chat-widget.md.
 */
(function () {
  "use strict";

  var DATA_PREFIX = "octocom:data:";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-business")) {
    if (window.console) console.error("[Octocom] the chat widget script needs a data-business attribute");
    return;
  }
  if (window.OctocomChat && typeof window.OctocomChat.destroy === "function") window.OctocomChat.destroy();

  var slug = script.getAttribute("data-business");
  var apiOrigin = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/$/, "");
  var apiBase = apiOrigin + "/api/chat/" + encodeURIComponent(slug);
  var color = script.getAttribute("data-color") || "#594ae2";
  var storeKey = "octocom:chat:" + slug; // must NOT start with the data prefix
  var POLL_SECONDS = 25;

  var state = load();       // { conversationId, publicId, token, open }
  var cursor = 0;
  var seen = {};
  var unread = 0;
  var sending = false;
  var generation = 0;       // bumps when polling must stop (reset, destroy, new conversation)
  var controller = null;

  // ---- custom data -------------------------------------------------------------------------------------------
  function readCustomData() {
    var data = {};
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key !== null && key.indexOf(DATA_PREFIX) === 0) data[key.slice(DATA_PREFIX.length)] = localStorage.getItem(key);
      }
    } catch (e) { /* storage blocked: send no data */ }
    return data;
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { return null; }
  }
  function save() {
    try { if (state) localStorage.setItem(storeKey, JSON.stringify(state)); else localStorage.removeItem(storeKey); } catch (e) { }
  }

  // ---- DOM (inside a shadow root so the host page's CSS cannot break it) -------------------------------------------
  var host = document.createElement("div");
  host.id = "octocom-chat";
  host.setAttribute("data-business", slug);
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML =
    "<style>" +
    ":host{all:initial}" +
    ".oc{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2330}" +
    ".launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:" + color + ";color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000;display:flex;align-items:center;justify-content:center}" +
    ".launcher svg{width:28px;height:28px;fill:currentColor}" +
    ".badge{position:absolute;top:-2px;right:-2px;min-width:18px;height:18px;border-radius:9px;background:#e53935;color:#fff;font-size:11px;line-height:18px;text-align:center;padding:0 4px;display:none}" +
    ".panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 120px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483000;display:none;flex-direction:column;overflow:hidden}" +
    ".panel.open{display:flex}" +
    ".head{background:" + color + ";color:#fff;padding:12px 14px;display:flex;align-items:center;justify-content:space-between;font-weight:600}" +
    ".head button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}" +
    ".head .human{font-size:12px;font-weight:500;text-decoration:underline;margin-left:auto;margin-right:10px;display:none}" +
    ".head .human.show{display:inline}" +
    ".list{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7fb}" +
    ".msg{max-width:80%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}" +
    ".msg.customer{align-self:flex-end;background:" + color + ";color:#fff;border-bottom-right-radius:4px}" +
    ".msg.agent,.msg.bot{align-self:flex-start;background:#fff;border:1px solid #e3e5ee;border-bottom-left-radius:4px}" +
    ".who{display:block;font-size:11px;opacity:.7;margin-bottom:2px}" +
    ".empty{color:#6b7080;text-align:center;margin-top:40%}" +
    ".notice{display:none;padding:6px 12px;font-size:12px;background:#fff4e5;color:#8a4b00;border-top:1px solid #f3d9b1}" +
    ".notice.show{display:block}" +
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5ee;background:#fff}" +
    "textarea{flex:1;resize:none;height:40px;border:1px solid #cfd3e0;border-radius:8px;padding:9px 10px;font:inherit}" +
    "form button{border:0;border-radius:8px;padding:0 14px;background:" + color + ";color:#fff;font:inherit;font-weight:600;cursor:pointer}" +
    "form button:disabled{opacity:.5;cursor:default}" +
    "</style>" +
    "<div class='oc'>" +
    "<button class='launcher' type='button' aria-label='Open chat' data-testid='octocom-launcher'>" +
    "<svg viewBox='0 0 24 24' aria-hidden='true'><path d='M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2z'/></svg>" +
    "<span class='badge' data-testid='octocom-unread'></span></button>" +
    "<div class='panel' role='dialog' aria-label='Chat' data-testid='octocom-panel'>" +
    "<div class='head'><span data-testid='octocom-title'></span>" +
    "<button type='button' class='human' data-testid='octocom-human'>Talk to a person</button>" +
    "<button type='button' class='close' aria-label='Close chat'>×</button></div>" +
    "<div class='list' data-testid='octocom-messages' aria-live='polite'><div class='empty'>Ask us anything — we usually reply in a few minutes.</div></div>" +
    "<div class='notice' data-testid='octocom-notice' role='status'></div>" +
    "<form><textarea data-testid='octocom-input' placeholder='Write a message…' aria-label='Message' maxlength='20000'></textarea>" +
    "<button type='submit' data-testid='octocom-send'>Send</button></form>" +
    "</div></div>";

  var $ = function (selector) { return root.querySelector(selector); };
  var launcher = $(".launcher"), badge = $(".badge"), panel = $(".panel"), list = $(".list"), notice = $(".notice");
  var input = $("textarea"), sendButton = $("form button"), title = $(".head span");
  title.textContent = script.getAttribute("data-title") || "Chat with us";
  (document.body || document.documentElement).appendChild(host);

  launcher.addEventListener("click", function () { setOpen(!panel.classList.contains("open")); });
  $(".head .close").addEventListener("click", function () { setOpen(false); });
  var humanButton = $(".head .human");
  humanButton.addEventListener("click", function () { requestHuman(); });
  $("form").addEventListener("submit", function (e) { e.preventDefault(); send(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); send(input.value); }
  });

  function setOpen(open) {
    panel.classList.toggle("open", open);
    launcher.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    if (open) { unread = 0; showBadge(); input.focus(); scrollDown(); }
    if (state) { state.open = open; save(); }
  }

  function showBadge() {
    badge.textContent = String(unread);
    badge.style.display = unread > 0 ? "block" : "none";
  }

  function showNotice(text) {
    notice.textContent = text || "";
    notice.classList.toggle("show", !!text);
  }

  function scrollDown() { list.scrollTop = list.scrollHeight; }

  function showHumanButton() { humanButton.classList.toggle("show", !!state); }

  /** Ask for a human agent: the conversation is handed off (the business's handoff handlers run). */
  function requestHuman() {
    if (!state) return Promise.resolve(false);
    return request("POST", "/conversations/" + state.conversationId + "/handoff").then(function (res) {
      showNotice(res.status === 200 ? "Thanks — a person from our team will reply here." : (res.body && res.body.detail) || "Please try again.");
      return res.status === 200;
    }).catch(function () { showNotice("No connection. Please try again."); return false; });
  }

  function render(message) {
    if (!message || seen[message.id]) return;
    seen[message.id] = true;
    var empty = list.querySelector(".empty");
    if (empty) empty.remove();
    var el = document.createElement("div");
    el.className = "msg " + message.sender;
    el.setAttribute("data-testid", "octocom-message");
    el.setAttribute("data-sender", message.sender);
    el.setAttribute("data-id", String(message.id));
    if (message.sender !== "customer") {
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = message.authorName || (message.sender === "bot" ? "Assistant" : "Support");
      el.appendChild(who);
      if (!panel.classList.contains("open")) { unread++; showBadge(); }
    }
    el.appendChild(document.createTextNode(message.content));
    list.appendChild(el);
    scrollDown();
  }

  // ---- API ---------------------------------------------------------------------------------------------------
  function request(method, path, body, signal) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state && state.token && path) headers["Authorization"] = "Bearer " + state.token;
    return fetch(apiBase + path, {
      method: method, headers: headers, credentials: "omit", signal: signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { }
        return { status: res.status, body: json, retryAfter: Number(res.headers.get("Retry-After")) || 0 };
      });
    });
  }

  function page() { return { url: location.href, title: document.title }; }

  function reportRejected(rejected) {
    if (!rejected || !rejected.length) return;
    if (window.console) console.warn("[Octocom] custom data not applied:", rejected);
    window.dispatchEvent(new CustomEvent("octocom:chat:rejected", { detail: rejected }));
  }

  function send(text) {
    text = (text || "").trim();
    if (!text || sending) return Promise.resolve(false);
    sending = true;
    sendButton.disabled = true;
    input.value = "";
    showNotice("");
    var customData = readCustomData(); // read now: data set a moment ago goes out with this message
    var attempt = state
      ? request("POST", "/conversations/" + state.conversationId + "/messages", { message: text, customData: customData, page: page() })
      : startConversation(text, customData);
    return attempt.then(function (res) {
      if (res.status === 403 && res.body && res.body.code === "token_invalid" && state) {
        // The stored conversation is gone or not ours any more: start a new one with the same message.
        forget();
        return startConversation(text, customData);
      }
      return res;
    }).then(function (res) {
      if (res.status === 200 || res.status === 201) {
        render(res.body.message);
        reportRejected(res.body.rejected);
        return true;
      }
      input.value = text; // nothing is lost: the visitor can send it again
      showNotice(res.status === 429
        ? "You are sending messages too quickly. Please wait " + (res.retryAfter || 10) + " seconds."
        : (res.body && res.body.detail) || "The message could not be sent. Please try again.");
      return false;
    }).catch(function () {
      input.value = text;
      showNotice("No connection. Please try again.");
      return false;
    }).then(function (ok) {
      sending = false;
      sendButton.disabled = false;
      return ok;
    });
  }

  function startConversation(text, customData) {
    return request("POST", "/conversations", {
      message: text, customData: customData, page: page(),
      referrer: document.referrer || null, language: navigator.language || null,
    }).then(function (res) {
      if (res.status === 201) {
        state = { conversationId: res.body.conversationId, publicId: res.body.publicId, token: res.body.token, open: true };
        save();
        showHumanButton();
        window.dispatchEvent(new CustomEvent("octocom:chat:conversation", { detail: { conversationId: state.conversationId, publicId: state.publicId } }));
        poll(++generation);
      }
      return res;
    });
  }

  function forget() {
    generation++;
    if (controller) controller.abort();
    state = null;
    cursor = 0;
    save();
    showHumanButton();
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // Long poll: the server answers at once when there are new messages, otherwise after up to POLL_SECONDS.
  function poll(gen) {
    var failures = 0;
    function next() {
      if (gen !== generation || !state) return;
      controller = window.AbortController ? new AbortController() : null;
      request("GET", "/conversations/" + state.conversationId + "/messages?after=" + cursor + "&wait=" + POLL_SECONDS, undefined,
        controller && controller.signal)
        .then(function (res) {
          if (gen !== generation) return;
          if (res.status === 200) {
            failures = 0;
            res.body.messages.forEach(render);
            cursor = res.body.cursor;
            return res.body.hasMore ? next() : sleep(150).then(next);
          }
          if (res.status === 401 || res.status === 403 || res.status === 404) { forget(); return; }
          failures++;
          return sleep(res.status === 429 ? (res.retryAfter || 10) * 1000 : Math.min(30000, 1000 * failures * failures)).then(next);
        })
        .catch(function () {
          if (gen !== generation) return;
          failures++;
          return sleep(Math.min(30000, 1000 * failures * failures)).then(next);
        });
    }
    next();
  }

  // ---- public handle -------------------------------------------------------------------------------------------
  window.OctocomChat = {
    business: slug,
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    send: send,
    requestHuman: requestHuman,
    readCustomData: readCustomData,
    conversation: function () { return state ? { conversationId: state.conversationId, publicId: state.publicId } : null; },
    /** Forget the conversation on this browser; the next message starts a new one. */
    reset: function () {
      forget();
      seen = {};
      list.innerHTML = "<div class='empty'>Ask us anything — we usually reply in a few minutes.</div>";
    },
    destroy: function () {
      generation++;
      if (controller) controller.abort();
      host.remove();
      if (window.OctocomChat && window.OctocomChat.business === slug) delete window.OctocomChat;
    },
  };

  fetch(apiBase, { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : null; })
    .then(function (b) { if (b && b.name && !script.getAttribute("data-title")) title.textContent = b.name; })
    .catch(function () { });

  showHumanButton();
  if (state) {
    if (state.open) setOpen(true);
    poll(++generation); // after=0: the history comes back first, then new replies
  }
})();
