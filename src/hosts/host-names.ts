export const HOSTS = ["claude", "codex", "gemini", "pi", "aider", "shell"] as const;
export type Host = (typeof HOSTS)[number];
