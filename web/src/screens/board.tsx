import type { ScreenProps } from "../app";

/** To be built: see issue 11. */
export default function Board(_props: ScreenProps) {
  return (
    <section>
      <h1>Board</h1>
      <p>Coming soon.</p>
    </section>
  );
}
