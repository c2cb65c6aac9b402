import type { ScreenProps } from "../app";

/** To be built: see issue 11. */
export default function Agents(_props: ScreenProps) {
  return (
    <section>
      <h1>Agents</h1>
      <p>Coming soon.</p>
    </section>
  );
}
