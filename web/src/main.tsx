import "./early";
import { render } from "preact";
import { App } from "./app";
import "./styles.css";

const root = document.getElementById("app")!;
// The page's own "Loading" line goes: render adds to what the element holds.
root.textContent = "";
render(<App />, root);

// The service worker makes the app installable and receives Web Push; the page works without it.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
}
