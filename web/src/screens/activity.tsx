import type { ScreenProps } from "../app";

/** To be built: see issue 11. */
export default function Activity(_props: ScreenProps) {
  return (
    <section>
      <h1>Activity</h1>
      <p>Coming soon.</p>
    </section>
  );
}
