// Browser notifications and a short sound for the agent's in-app notifications (only when the agent enabled them).
// Title and body are passed as text to the Notification API; nothing here builds HTML.
let audio;

export function permission() {
    return "Notification" in window ? Notification.permission : "unsupported";
}

export async function requestPermission() {
    if (!("Notification" in window)) return "unsupported";
    return await Notification.requestPermission();
}

export function alert(title, body, link, browser, sound) {
    if (browser && "Notification" in window && Notification.permission === "granted" && document.visibilityState !== "visible") {
        const n = new Notification(title, { body, tag: link || title });
        n.onclick = () => { window.focus(); if (link && link.startsWith("/")) window.location.assign(link); n.close(); };
    }
    if (sound) beep();
}

// A generated two-tone chime (no audio file to ship).
function beep() {
    try {
        audio ??= new (window.AudioContext || window.webkitAudioContext)();
        const now = audio.currentTime;
        [880, 660].forEach((frequency, i) => {
            const osc = audio.createOscillator();
            const gain = audio.createGain();
            osc.frequency.value = frequency;
            gain.gain.setValueAtTime(0.15, now + i * 0.15);
            gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.15 + 0.14);
            osc.connect(gain).connect(audio.destination);
            osc.start(now + i * 0.15);
            osc.stop(now + i * 0.15 + 0.15);
        });
    } catch { /* no audio device */ }
}
