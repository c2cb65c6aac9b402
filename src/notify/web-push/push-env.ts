/**
 * How this hub process pushes, from its environment (set where the hub is
 * started, never in the committed config):
 * - BATON_PUSH_SUBJECT: the contact the push services are given (RFC 8292
 *   `sub`), a `mailto:` or `https:` URL; default `mailto:baton@localhost`.
 * - BATON_PUSH_ALLOW_LOOPBACK=1: also accept http://127.0.0.1 and
 *   http://localhost endpoints, for a test's push service of its own. Off,
 *   only https endpoints on public host names are stored (domain/push.ts).
 */
export interface PushEnvironment {
  subject: string;
  allowLoopbackHttp: boolean;
}

export function pushEnvironment(env: NodeJS.ProcessEnv = process.env): PushEnvironment {
  const subject = env.BATON_PUSH_SUBJECT?.trim();
  return {
    subject: subject && /^(mailto:|https:\/\/)\S+$/.test(subject) ? subject : "mailto:baton@localhost",
    allowLoopbackHttp: env.BATON_PUSH_ALLOW_LOOPBACK === "1",
  };
}
