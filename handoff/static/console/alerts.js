// Getting an agent's attention for a new handoff: a short beep (WebAudio, no audio file) and a desktop notification.

let audio = null;

/** Browsers only allow sound after a user gesture; call this from one (the login click). */
export function unlockAlerts() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") {
      audio.resume();
    }
  } catch (error) {
    audio = null;
  }
  if ("Notification" in window && Notification.permission === "default") {
    Notification.requestPermission().catch(() => undefined);
  }
}

export function beep() {
  if (!audio) {
    return;
  }
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = "sine";
  oscillator.frequency.value = 880;
  gain.gain.setValueAtTime(0.0001, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + 0.4);
}

export function notify(title, body) {
  if (!("Notification" in window) || Notification.permission !== "granted" || document.hasFocus()) {
    return;
  }
  try {
    const notification = new Notification(title, { body, tag: "nordwind-queue" });
    notification.addEventListener("click", () => window.focus());
  } catch (error) {
    // Some browsers only allow notifications from a service worker; the beep and the list still work.
  }
}
