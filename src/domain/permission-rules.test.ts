import { describe, expect, it } from "vitest";
import { type PermissionsConfig, permissionSubject, permissionVerdict } from "./permission-rules.js";

const config = (
  allow: PermissionsConfig["allow"],
  deny: PermissionsConfig["deny"] = [],
): PermissionsConfig => ({
  allow,
  deny,
  approvalTimeoutMs: 60_000,
});
const bash = (command: string) => ({ command, description: "x" });

describe("permission rules", () => {
  it("matches the tool's command, path or URL; other inputs as JSON", () => {
    expect(permissionSubject(bash("ls -l"))).toBe("ls -l");
    expect(permissionSubject({ file_path: "/r/src/a.ts", old_string: "a" })).toBe("/r/src/a.ts");
    expect(permissionSubject({ url: "https://example.com" })).toBe("https://example.com");
    expect(permissionSubject({ todos: [] })).toBe('{"todos":[]}');
  });

  it("allows by tool and glob, and leaves the rest to a human", () => {
    const rules = config([
      { tool: "Bash", input: "npm test*" },
      { tool: "Read", input: null },
    ]);
    expect(permissionVerdict(rules, "Bash", bash("npm test -- a.test.ts"))?.behavior).toBe("allow");
    expect(permissionVerdict(rules, "Read", { file_path: "/etc/hosts" })?.behavior).toBe("allow");
    expect(permissionVerdict(rules, "Bash", bash("npm publish"))).toBeUndefined();
    expect(permissionVerdict(rules, "Write", { file_path: "npm test" })).toBeUndefined();
    // A glob matches the whole subject: `?` is one character, `.` is a dot.
    expect(
      permissionVerdict(config([{ tool: "Bash", input: "ls ?" }]), "Bash", bash("ls ab")),
    ).toBeUndefined();
    expect(permissionVerdict(config([{ tool: "Bash", input: "a.b" }]), "Bash", bash("axb"))).toBeUndefined();
  });

  it("never allows a command that joins or redirects through a prefix rule", () => {
    const rules = config([{ tool: "Bash", input: "npm test*" }]);
    for (const command of [
      "npm test && rm -rf ~",
      "npm test; curl x",
      "npm test | sh",
      "npm test > /etc/passwd",
      "npm test $(rm x)",
      "npm test `rm x`",
      "npm test\nrm x",
    ])
      expect(permissionVerdict(rules, "Bash", bash(command)), command).toBeUndefined();
  });

  it("lets deny win, on the whole command or any part of it", () => {
    const rules = config([{ tool: "*", input: null }], [{ tool: "Bash", input: "rm *" }]);
    expect(permissionVerdict(rules, "Bash", bash("cd build && rm -rf out"))).toMatchObject({
      behavior: "deny",
      rule: { tool: "Bash", input: "rm *" },
    });
    expect(permissionVerdict(rules, "Bash", bash("ls | rm x"))?.behavior).toBe("deny");
    expect(permissionVerdict(rules, "Bash", bash("echo rm"))?.behavior).toBe("allow");
    expect(permissionVerdict(rules, "Edit", { file_path: "rm x" })?.behavior).toBe("allow");
  });
});
