import { z } from "zod";
import { type Route, route } from "../route.js";

/** Who is calling, and the paired devices a human may see and revoke (the web app's settings). */
export const SESSION_ROUTES: Route[] = [
  route({
    method: "GET",
    path: "/session",
    operationId: "session",
    summary:
      "Who this request acts as; for a paired device, the device and the CSRF token its writes must carry",
    tag: "access",
    run: async ({ ws, principal }) => {
      if (principal.kind === "agent")
        return { kind: "agent", name: principal.name, device: null, csrfToken: null, vapidPublicKey: null };
      const device = (await ws.access.devices()).find((d) => d.id === principal.deviceId) ?? null;
      return {
        kind: "human",
        name: principal.name,
        device: device && { id: device.id, name: device.name, pairedAt: device.pairedAt },
        csrfToken: principal.csrfToken,
        // What the page subscribes to pushes with; made on first need.
        vapidPublicKey: ws.push.publicKey(),
      };
    },
  }),
  route({
    method: "GET",
    path: "/devices",
    operationId: "listDevices",
    summary: "Paired devices (humans only)",
    tag: "access",
    humanOnly: true,
    run: async ({ ws }) => ({ devices: await ws.access.devices() }),
  }),
  route({
    method: "POST",
    path: "/devices/{id}/revoke",
    operationId: "revokeDevice",
    summary: "Revoke a paired device: its next request is refused (humans only)",
    tag: "access",
    humanOnly: true,
    body: z.object({}).strict(),
    run: async ({ ws, params }) => ({ device: await ws.access.revokeDevice(params.id!) }),
  }),
];
