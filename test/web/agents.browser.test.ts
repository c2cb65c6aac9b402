import { describe, expect, it } from "vitest";
import { baton, tempRepo } from "../helpers/temp-repo.js";
import { events, tmuxSocket, until } from "../orchestrator/team-helpers.js";
import { DESKTOP, pairedPage, screenshot, seriousViolations, serve } from "./kit.js";

/**
 * The agents screen against a real team: `baton up` with baton's simulated
 * agents in a tmux server of the test's own, supervised by the `baton serve`
 * the page is paired with (the team's own hub window finds that hub running
 * and ends). One team for every step, as starting one is the slow part.
 */
describe("the web app: agents and their terminals, in a real chromium", () => {
  it("shows each agent's state with its evidence; its live terminal; typing (after the toggle) and a nudge reach its pane and are logged; stop ends it", async () => {
    const served = await serve(tempRepo({ humans: ["lea"] }));
    const repo = served.repo;
    const up = baton(repo, ["up", "-n", "2", "--agent", "sim", "--shared-tree"], {
      BATON_TMUX_SOCKET: tmuxSocket(),
      BATON_SIM_ASK: "sim-1:Which port should the dev server use?",
    });
    expect(up.code, up.stderr).toBe(0);

    const { page } = await pairedPage(served);
    await page.getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { name: /^Agents/ }).waitFor();
    const sim1 = page.locator("article[data-agent='sim-1']");
    const sim2 = page.locator("article[data-agent='sim-2']");
    // Live: the agents join after the page opened; their events re-read the screen.
    await sim1.getByText("waiting for you").waitFor({ timeout: 30_000 });
    await sim1.getByText(/waits for you.*Which port should the dev server use\?/).waitFor();
    expect(await sim1.getByRole("link", { name: "question Q-1" }).getAttribute("href")).toBe("/inbox/Q-1");
    await sim2.locator(".state", { hasText: "idle" }).waitFor({ timeout: 30_000 });
    await sim2.getByText(/sim:no-ready-task said idle/).waitFor();
    await expect(sim2.getByText("Heartbeat")).toBeDefined();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "agents-phone");
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "agents-desktop");
    await page.setViewportSize({ width: 360, height: 740 });

    // Its terminal: what the agent's pane printed, read-only until the toggle.
    await sim2.getByRole("link", { name: "Terminal and actions" }).click();
    await page.getByRole("heading", { name: "sim-2" }).waitFor();
    const terminal = page.getByRole("region", { name: "sim-2's terminal (read-only)" });
    await terminal.getByText("sim-2: joined; working in").waitFor({ timeout: 15_000 });
    expect(await page.getByRole("textbox", { name: "Text to type into sim-2's terminal" }).count()).toBe(0);

    await page.getByRole("button", { name: "Type into this terminal" }).click();
    await page.getByText(/reaches sim-2 as if typed at its keyboard/).waitFor();
    await page
      .getByRole("textbox", { name: "Text to type into sim-2's terminal" })
      .fill("typed-from-the-phone");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Sent, and recorded in the activity log.").waitFor();
    // The pane's terminal echoes what it was given: the text reached the pane.
    await terminal.getByText("typed-from-the-phone").waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "terminal-phone");
    const typed = events(repo, "team.typed");
    expect(typed).toEqual([
      expect.objectContaining({
        actor: "lea",
        subject: "sim-2",
        data: expect.objectContaining({ agent: "sim-2", text: "typed-from-the-phone", submit: true }),
      }),
    ]);

    // A nudge: typed and submitted in its terminal, as baton nudge does.
    await page.getByRole("textbox", { name: "Message to nudge sim-2 with" }).fill("please look at the board");
    await page.getByRole("button", { name: "Nudge" }).click();
    await terminal.getByText("please look at the board").waitFor({ timeout: 15_000 });
    expect(events(repo, "team.nudged")).toEqual([
      expect.objectContaining({ actor: "lea", data: expect.objectContaining({ agent: "sim-2" }) }),
    ]);

    // Stop: asked first, then the handshake: it reads the request, leaves, and the hub ends its window.
    await page.getByRole("button", { name: "Stop…" }).click();
    await page.getByText(/Stop sim-2\? It is asked to finish its step/).waitFor();
    await page.getByRole("button", { name: "Stop sim-2" }).click();
    await page.getByText("Asked sim-2 to stop.").waitFor();
    await until("sim-2 stopped", () =>
      events(repo, "team.stopped").some((e) => e.subject === "sim-2") ? true : undefined,
    );
    await page
      .locator("article[data-agent='sim-2']")
      .getByText("stopped: baton will not restart it")
      .waitFor({ timeout: 15_000 });
    expect(events(repo, "team.stop_requested")[0]?.data).toMatchObject({ agent: "sim-2", by: "lea" });
    expect(baton(repo, ["down", "--force"]).code).toBe(0);
  });
});
