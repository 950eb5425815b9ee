// Dashboard playground support (not part of the embeddable widget): hosts octocom-chat.js for a chosen business
// and edits the page's "octocom:data:*" localStorage keys. Imported as an ES module by ChatApi/Pages/Playground.razor.
const DATA_PREFIX = "octocom:data:";
let listeners = [];

export function mount(slug, scriptUrl, dotnet) {
  unmount();
  const on = (name, handler) => { window.addEventListener(name, handler); listeners.push([name, handler]); };
  on("octocom:chat:conversation", e => dotnet.invokeMethodAsync("OnConversationStarted", e.detail.publicId));
  on("octocom:chat:rejected", e => dotnet.invokeMethodAsync("OnRejected", e.detail.map(r => `${r.key}: ${r.message}`)));
  const script = document.createElement("script");
  script.id = "octocom-playground-widget";
  script.src = scriptUrl;
  script.async = true;
  script.dataset.business = slug;
  script.onload = () => {
    const current = window.OctocomChat && window.OctocomChat.conversation();
    dotnet.invokeMethodAsync("OnWidgetReady", current ? current.publicId : null);
  };
  document.body.appendChild(script);
}

export function unmount() {
  if (window.OctocomChat) window.OctocomChat.destroy();
  document.getElementById("octocom-playground-widget")?.remove();
  listeners.forEach(([name, handler]) => window.removeEventListener(name, handler));
  listeners = [];
}

export function resetConversation() {
  if (window.OctocomChat) window.OctocomChat.reset();
}

/** The custom data the widget will send, prefix stripped, sorted by key. */
export function listData() {
  const items = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key !== null && key.startsWith(DATA_PREFIX)) items.push({ key: key.slice(DATA_PREFIX.length), value: localStorage.getItem(key) });
  }
  return items.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function setData(key, value) { localStorage.setItem(DATA_PREFIX + key, value); }

export function removeData(key) { localStorage.removeItem(DATA_PREFIX + key); }
