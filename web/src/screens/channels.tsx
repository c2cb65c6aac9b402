import type { ScreenProps } from "../app";

/** To be built: see issue 11. */
export default function Channels(_props: ScreenProps) {
  return (
    <section>
      <h1>Channels</h1>
      <p>Coming soon.</p>
    </section>
  );
}
