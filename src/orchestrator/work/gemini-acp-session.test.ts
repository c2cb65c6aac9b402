import { describe, expect, it } from "vitest";
import { acpPermission } from "./gemini-acp-session.js";

/** Gemini CLI 0.61's basic options, as its `session/request_permission` sends them. */
const OPTIONS = [
  { optionId: "proceed_always", name: "Allow for this session", kind: "allow_always" },
  { optionId: "proceed_once", name: "Allow", kind: "allow_once" },
  { optionId: "cancel", name: "Reject", kind: "reject_once" },
];

describe("acpPermission", () => {
  it("reads a shell request as Gemini CLI 0.61 sent it: the tool from the call id, the command from the title", () => {
    const params = {
      sessionId: "d72dc447-bdb7-4732-9f0e-e5fdaab01f99",
      options: OPTIONS,
      toolCall: {
        toolCallId: "run_shell_command__run_shell_command_1795315705211_0",
        status: "pending",
        title: "touch x",
        content: [{ type: "content", content: { type: "text", text: "[current working directory /tmp/r]" } }],
        locations: [],
        kind: "execute",
      },
    };
    expect(acpPermission(params)).toEqual({
      tool: "run_shell_command",
      input: { command: "touch x", kind: "execute" },
      toolCallId: "run_shell_command__run_shell_command_1795315705211_0",
      allow: "proceed_once",
      reject: "cancel",
    });
  });

  it("an edit's file comes from its diff; any other tool gets only its title, which no path rule matches", () => {
    const edit = acpPermission({
      options: OPTIONS,
      toolCall: {
        toolCallId: "write_file__write_file_1_0",
        title: "Writing to notes.txt",
        content: [{ type: "diff", path: "/r/notes.txt", oldText: "", newText: "hi" }],
        kind: "edit",
      },
    });
    expect(edit.input).toEqual({ file_path: "/r/notes.txt", kind: "edit" });
    const other = acpPermission({
      options: [],
      toolCall: { toolCallId: "mcp_baton_task_done__x", title: "{}" },
    });
    expect(other).toMatchObject({ tool: "mcp_baton_task_done", input: { title: "{}" } });
    // No options to pick from: the session answers `cancelled`, which Gemini takes as a refusal.
    expect(other.allow).toBeUndefined();
  });
});
