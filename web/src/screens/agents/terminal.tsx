import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, get, post } from "../../api";

interface Screen {
  agent: string;
  screen: string;
  dead: boolean;
  at: number;
}

/** How often the open view asks for the pane's screen: live enough to watch an agent type, cheap for tmux. */
const POLL_MS = 1000;

/** Keys a person may press in the terminal (a subset of the hub's ALLOWED_KEYS): a first-run screen's arrows and Enter, Escape, Ctrl-C. */
const KEYS: { key: string; label: string; name?: string }[] = [
  { key: "Enter", label: "Enter" },
  { key: "Up", label: "↑", name: "Up arrow" },
  { key: "Down", label: "↓", name: "Down arrow" },
  { key: "Tab", label: "Tab" },
  { key: "Escape", label: "Esc" },
  { key: "C-c", label: "Ctrl-C" },
];

/**
 * An orchestrated agent's terminal, read-only: its pane's screen as plain text
 * (the hub strips every escape sequence), polled while the view is open and
 * the page is visible. Typing is a separate, explicit act: a toggle with a
 * warning, and each thing sent is recorded in the log as team.typed.
 */
export function Terminal({ name }: { name: string }) {
  const [screen, setScreen] = useState<Screen | undefined>();
  const [error, setError] = useState<string | undefined>();
  const box = useRef<HTMLElement>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      clearTimeout(timer);
      if (stopped) return;
      // A hidden page (a phone in a pocket) asks nothing; it looks again on becoming visible.
      if (document.visibilityState !== "visible") return;
      get<Screen>(`/agents/${encodeURIComponent(name)}/terminal`)
        .then((next) => {
          if (stopped) return;
          const el = box.current;
          // Follow the bottom, unless the person scrolled up to read.
          const atBottom = !el || el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          setScreen(next);
          setError(undefined);
          if (atBottom)
            requestAnimationFrame(() => {
              if (box.current) box.current.scrollTop = box.current.scrollHeight;
            });
        })
        .catch((e: ApiError) => !stopped && setError(`${e.message}${e.hint ? ` (${e.hint})` : ""}`))
        .finally(() => {
          if (!stopped) timer = setTimeout(poll, POLL_MS);
        });
    };
    poll();
    document.addEventListener("visibilitychange", poll);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", poll);
    };
  }, [name]);

  return (
    <section class="terminal-view" aria-labelledby="terminal-title">
      <h2 id="terminal-title">Terminal</h2>
      {error ? (
        <p role="alert" class="failure">
          {error}
        </p>
      ) : null}
      <section
        ref={box}
        class={`terminal${screen?.dead ? " dead" : ""}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled (WCAG 2.1.1)
        tabIndex={0}
        aria-label={`${name}'s terminal (read-only)`}
      >
        <pre data-agent={name}>{screen ? screen.screen || " " : "Loading…"}</pre>
      </section>
      {screen?.dead ? <p class="hint">Its program has ended: this is the last screen it left.</p> : null}
      <TypeInto name={name} />
    </section>
  );
}

function TypeInto({ name }: { name: string }) {
  const [on, setOn] = useState(false);
  const [text, setText] = useState("");
  const [enter, setEnter] = useState(true);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | undefined>();
  const send = (body: { text?: string; submit?: boolean; keys?: string[] }, done?: () => void) => {
    setBusy(true);
    setSaid(undefined);
    post(`/agents/${encodeURIComponent(name)}/terminal`, body)
      .then(() => {
        setSaid({ ok: true, text: "Sent, and recorded in the activity log." });
        done?.();
      })
      .catch((e: ApiError) => setSaid({ ok: false, text: `${e.message} ${e.hint}` }))
      .finally(() => setBusy(false));
  };
  return (
    <div class="type-into">
      <button
        type="button"
        class="toggle"
        aria-pressed={on}
        aria-controls="type-panel"
        onClick={() => setOn(!on)}
      >
        {on ? "Stop typing into this terminal" : "Type into this terminal"}
      </button>
      {on ? (
        <div id="type-panel" class="type-panel">
          <p class="warning" role="note">
            What you send here reaches {name} as if typed at its keyboard: it can answer its prompts, run
            commands, or interrupt its work. Each thing you send is recorded in the activity log with your
            name.
          </p>
          <form
            class="reply"
            onSubmit={(e) => {
              e.preventDefault();
              if (text || enter) send({ text, submit: enter }, () => setText(""));
            }}
          >
            <label>
              <span class="sr-only">Text to type into {name}'s terminal</span>
              <input
                value={text}
                onInput={(e) => setText((e.target as HTMLInputElement).value)}
                placeholder="Text to type…"
                maxLength={4000}
                autoComplete="off"
                autoCapitalize="off"
                spellcheck={false}
              />
            </label>
            <button type="submit" disabled={busy || (!text && !enter)}>
              Send
            </button>
          </form>
          <label class="check">
            <input
              type="checkbox"
              checked={enter}
              onChange={(e) => setEnter((e.target as HTMLInputElement).checked)}
            />
            Press Enter after the text
          </label>
          <fieldset class="keys">
            <legend>Press a key</legend>
            {KEYS.map((k) => (
              <button
                key={k.key}
                type="button"
                disabled={busy}
                aria-label={k.name}
                onClick={() => send({ keys: [k.key] })}
              >
                {k.label}
              </button>
            ))}
          </fieldset>
          {said ? (
            <p role="status" class={said.ok ? "hint" : "failure"}>
              {said.text}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
