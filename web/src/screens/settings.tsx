import type { ScreenProps } from "../app";

/** To be built: see issue 11. */
export default function Settings(_props: ScreenProps) {
  return (
    <section>
      <h1>Settings</h1>
      <p>Coming soon.</p>
    </section>
  );
}
