// Small helpers shared by dashboard components (loaded once from App.razor).
window.octocom = window.octocom || {};
window.octocom.scrollToBottom = (element) => { if (element) element.scrollTop = element.scrollHeight; };
window.octocom.copyText = (text) => navigator.clipboard && navigator.clipboard.writeText(text);
// Set once the interactive circuit has rendered: end-to-end tests wait for it before clicking.
window.octocom.markInteractive = () => { document.body.dataset.interactive = "true"; };
