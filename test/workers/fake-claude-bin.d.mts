export function fakeClaudeBin(dir: string, cli: string): { log: string; env: Record<string, string> };
