import { useEffect, useState } from "preact/hooks";

/**
 * Paths, not fragments, so a notification or a shared link opens one item
 * (`/inbox/Q-3`, `/board/T-7`); the hub serves the app for each of them.
 */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event("baton:navigate"));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener("popstate", update);
    window.addEventListener("baton:navigate", update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener("baton:navigate", update);
    };
  }, []);
  return path;
}

/** A link inside the app: a click changes the screen without reloading the page. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element).closest("a");
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = anchor.getAttribute("href");
  if (!href?.startsWith("/") || anchor.target) return;
  event.preventDefault();
  navigate(href);
}
