import { BatonError } from "../../errors.js";
import { readTeamRecord, type TeamAgent, type TeamRecord } from "./team-record.js";

/** The team `baton up` started in this repository; refused when there is none. */
export function requireTeam(root: string): TeamRecord {
  const record = readTeamRecord(root);
  if (!record)
    throw new BatonError("not_found", "no team runs for this repository", {
      cli: "start one with: baton up -n 2 --agent sim",
      tool: "a human starts a team with baton up; until then there is no team to change",
    });
  return record;
}

/** One agent of the team, by name; refused with the names it has. */
export function findTeamAgent(record: TeamRecord, name: string): TeamAgent {
  const agent = record.agents.find((a) => a.name === name);
  if (!agent)
    throw new BatonError(
      "not_found",
      `the team has no agent '${name}'`,
      `its agents: ${record.agents.map((a) => a.name).join(", ") || "none"}`,
    );
  return agent;
}
