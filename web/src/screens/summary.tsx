import type { ScreenProps } from "../app";

/** To be built: see issue 11. */
export default function Summary(_props: ScreenProps) {
  return (
    <section>
      <h1>Summary</h1>
      <p>Coming soon.</p>
    </section>
  );
}
